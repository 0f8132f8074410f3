import IdentityPassCore
import SwiftUI

/// The reviewer declined; the body gives the service's reason.
struct DeniedScreen: View {
    let view: ViewState

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: "xmark.seal")
                .font(.system(size: 56))
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}
