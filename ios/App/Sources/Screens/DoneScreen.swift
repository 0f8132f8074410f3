import IdentityPassCore
import SwiftUI

/// The onboarding is complete, with a TAP or a passkey.
struct DoneScreen: View {
    let view: ViewState
    let credential: CredentialKind

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: credential == .passkey ? "person.badge.key.fill" : "checkmark.seal.fill")
                .font(.system(size: 56))
                .foregroundStyle(.green)
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
                .accessibilityIdentifier("done")
        }
    }
}
