import Accessibility
import IdentityPassCore
import SwiftUI

/// The session could not start (the Keychain locked before the first unlock, saved progress
/// from another app version, a misconfigured build): the core's explanation, announced, and its
/// "Try again". There is no session to ask for the label, so it comes from the core's catalog
/// directly.
struct StartFailureView: View {
    let explanation: LocalizedMessage
    let tryAgain: () -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 24) {
            Text(explanation.text)
                .font(.body)
                .frame(maxWidth: .infinity, alignment: .leading)
            Button(controlLabel(control: .tryAgain, languageTag: Locale.preferredLanguages.first ?? "en").text, action: tryAgain)
                .buttonStyle(.borderedProminent)
                .accessibilityIdentifier("start.tryAgain")
        }
        .padding(24)
        .onAppear { AccessibilityNotification.Announcement(explanation.text).post() }
    }
}
