import IdentityPassCore
import SwiftUI

/// Approved: the service is creating the TAP.
struct FetchingTapScreen: View {
    let view: ViewState

    var body: some View {
        ScreenChrome(view: view) { EmptyView() }
    }
}
