import IdentityPassCore
import SwiftUI

/// The reviewer's part: waiting (with the 24-hour window as the deadline), the call invitation
/// ("Join the call"), the call, and the decision.
struct ReviewScreen: View {
    let view: ViewState
    let stage: ReviewStage

    var body: some View {
        ScreenChrome(view: view) {
            Image(systemName: stage.symbolName)
                .font(.system(size: 56))
                .symbolEffect(.pulse, isActive: stage == .callInvited)
                .frame(maxWidth: .infinity)
                .accessibilityHidden(true)
        }
    }
}

private extension ReviewStage {
    var symbolName: String {
        switch self {
        case .submitting, .waiting: "hourglass"
        case .callInvited: "video.badge.plus"
        case .inCall: "video"
        case .awaitingDecision: "checkmark.seal"
        }
    }
}
