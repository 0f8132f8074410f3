import IdentityPassCore
import SwiftUI

/// The window's content: the core's current screen, the partner's page when open, and a cover
/// over secrets when the app leaves the foreground (iOS snapshots the window for the app
/// switcher then, and the TAP must not be in that picture).
struct RootView: View {
    @Environment(OnboardingModel.self) private var model
    @Environment(\.scenePhase) private var scenePhase

    var body: some View {
        @Bindable var model = model
        Group {
            if let view = model.view {
                ScreenView(view: view)
            } else if let failure = model.startFailure {
                StartFailureView(explanation: failure, tryAgain: model.start)
            } else {
                ProgressView()
            }
        }
        .overlay {
            if scenePhase != .active, model.view?.screen.showsSecret == true {
                Rectangle().fill(.background).ignoresSafeArea()
            }
        }
        .sheet(item: $model.partnerPage, onDismiss: { model.partnerPageClosed() }) { page in
            PartnerPageView(url: page.url) { model.partnerPage = nil }
                .ignoresSafeArea()
        }
    }
}

/// The partner's page while it is open.
struct PartnerPage: Identifiable {
    let url: URL
    var id: String { url.absoluteString }
}

extension Screen {
    /// Screens holding a credential the app-switcher snapshot must not show.
    var showsSecret: Bool {
        switch self {
        case .tap(let code, _): code != nil
        case .secureAccount: true
        default: false
        }
    }
}
