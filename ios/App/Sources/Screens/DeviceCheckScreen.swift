import IdentityPassCore
import SwiftUI

/// The device check: the app reads this phone's facts and the core judges them.
struct DeviceCheckScreen: View {
    let view: ViewState
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) { EmptyView() }
            .task { await model.reportDevice() }
    }
}
