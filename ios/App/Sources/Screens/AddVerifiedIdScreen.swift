import IdentityPassCore
import SwiftUI

/// Add the Verified ID in Authenticator: the button opens it (`OpenAuthenticator`), then says
/// "Ready" for when the user is back.
struct AddVerifiedIdScreen: View {
    let view: ViewState
    let authenticatorOpened: Bool

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: authenticatorOpened ? "checkmark.shield" : "person.badge.shield.checkmark")
                .font(.system(size: 56))
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}
