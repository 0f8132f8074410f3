import IdentityPassCore
import SwiftUI

/// The government-ID check at the partner: the button opens the partner's page (the
/// `StartGovernmentIdCheck` effect); the steps done there show as progress.
struct GovernmentIdScreen: View {
    let view: ViewState
    let completedSteps: [PartnerStep]
    let started: Bool
    /// The partner's steps: email PIN, phone number, terms, ID scan, selfie.
    private let partnerStepCount = 5

    var body: some View {
        ScreenChrome(view: view) {
            if started {
                ProgressView(value: Double(completedSteps.count), total: Double(partnerStepCount))
            }
        }
    }
}
