import IdentityPassCore
import SwiftUI

/// The service is issuing the Verified ID; the chrome shows the wait.
struct AwaitingVerifiedIdScreen: View {
    let view: ViewState

    var body: some View {
        ScreenChrome(view: view) { EmptyView() }
    }
}
