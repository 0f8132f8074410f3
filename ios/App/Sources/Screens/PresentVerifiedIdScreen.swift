import IdentityPassCore
import SwiftUI

/// Present the Verified ID issued after the government-ID check; the service checks it.
struct PresentVerifiedIdScreen: View {
    let view: ViewState
    let requested: Bool

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: "person.text.rectangle")
                .font(.system(size: 56))
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}
