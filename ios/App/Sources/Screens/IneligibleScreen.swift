import IdentityPassCore
import SwiftUI

/// Why this phone cannot be used, one reason per line; "Check again" reads the phone afresh.
struct IneligibleScreen: View {
    let view: ViewState
    let reasons: [LocalizedMessage]
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view, primary: { Task { await model.reportDevice() } }) {
            ForEach(reasons, id: \.code) { reason in
                Label { Text(reason.text) } icon: { Image(systemName: "xmark.octagon").foregroundStyle(.red) }
            }
        }
    }
}
