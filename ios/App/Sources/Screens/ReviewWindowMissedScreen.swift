import IdentityPassCore
import SwiftUI

/// No reviewer called within the window; the body says what to do next.
struct ReviewWindowMissedScreen: View {
    let view: ViewState

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: "calendar.badge.exclamationmark")
                .font(.system(size: 56))
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}
