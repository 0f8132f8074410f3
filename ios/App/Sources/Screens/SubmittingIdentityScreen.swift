import IdentityPassCore
import SwiftUI

/// The identity is with the service; the chrome shows the progress (or "Try again").
struct SubmittingIdentityScreen: View {
    let view: ViewState

    var body: some View {
        ScreenChrome(view: view) { EmptyView() }
    }
}
