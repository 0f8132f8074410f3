import IdentityPassCore
import SwiftUI

/// What the onboarding still needs allowed. The body says why; the button asks iOS (or opens
/// Settings, when the core says only Settings can help).
struct PermissionsScreen: View {
    let view: ViewState
    let missing: [Permission]

    var body: some View {
        ScreenChrome(view: view) {
            HStack(spacing: 24) {
                ForEach(missing, id: \.self) { permission in
                    Image(systemName: permission.symbolName).font(.title)
                }
            }
            // The body names them in words; the symbols are a picture of the same.
            .accessibilityHidden(true)
        }
    }
}

private extension Permission {
    var symbolName: String {
        switch self {
        case .camera: "camera"
        case .microphone: "mic"
        case .notifications: "bell"
        case .location: "location"
        }
    }
}
