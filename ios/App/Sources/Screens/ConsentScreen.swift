import IdentityPassCore
import SwiftUI

/// The consent notice (the body) and the two answers, labelled by the core. The core's view
/// has no primary action here: the answers are the screen's buttons.
struct ConsentScreen: View {
    let view: ViewState
    let termsVersion: String
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) {
            VStack(spacing: 12) {
                Button {
                    model.send(.consentAnswered(accepted: true))
                } label: {
                    Text(model.label(.consentAccept)).frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .accessibilityIdentifier("consent.accept")

                Button {
                    model.send(.consentAnswered(accepted: false))
                } label: {
                    Text(model.label(.consentDecline)).frame(maxWidth: .infinity)
                }
                .buttonStyle(.bordered)
                .controlSize(.large)
                .accessibilityIdentifier("consent.decline")
            }
        }
    }
}
