import SafariServices
import SwiftUI

/// The government-ID partner's page in `SFSafariViewController`: Safari's own engine and
/// chrome (the user sees the partner's address), no access for the app to what is typed there.
struct PartnerPageView: UIViewControllerRepresentable {
    let url: URL
    /// The user pressed Done.
    let onFinish: () -> Void

    func makeUIViewController(context: Context) -> SFSafariViewController {
        let safari = SFSafariViewController(url: url)
        safari.dismissButtonStyle = .done
        safari.delegate = context.coordinator
        return safari
    }

    func updateUIViewController(_ controller: SFSafariViewController, context: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(onFinish: onFinish) }

    final class Coordinator: NSObject, SFSafariViewControllerDelegate {
        let onFinish: () -> Void
        init(onFinish: @escaping () -> Void) { self.onFinish = onFinish }
        func safariViewControllerDidFinish(_ controller: SFSafariViewController) { onFinish() }
    }
}
