import IdentityPassCore
import SwiftUI

/// "Get Passkey": the button starts the registration; the system's passkey sheet
/// (`PlatformPasskeyProvider`) does the rest, and the stages show as progress.
struct PasskeyScreen: View {
    let view: ViewState
    let stage: PasskeyStage

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: "person.badge.key")
                .font(.system(size: 56))
                .symbolEffect(.pulse, isActive: stage == .registering)
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}
