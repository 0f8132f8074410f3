import IdentityPassCore
import SwiftUI

/// The consent notice. The core's view has the notice (body) but no label for the answer and
/// no primary action: the accept button carries the screen's title and a check mark, the
/// nearest words the core gives (see the closing note of issue 11).
struct ConsentScreen: View {
    let view: ViewState
    let termsVersion: String
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) {
            Button {
                model.send(.consentAnswered(accepted: true))
            } label: {
                Label(view.title.text, systemImage: "checkmark.circle.fill").frame(maxWidth: .infinity)
            }
            .buttonStyle(.borderedProminent)
            .controlSize(.large)
            .accessibilityIdentifier("consent.accept")
        }
    }
}
