import Accessibility
import IdentityPassCore
import SwiftUI

/// What every screen has, from the core's view: the title (a heading for VoiceOver), the body,
/// the notice (announced when it appears), progress while busy, the running deadline, and the
/// primary button. A screen puts its own content between the body and the button.
struct ScreenChrome<Content: View>: View {
    let view: ViewState
    /// What the primary button sends; `Continue` unless the screen has a form to submit.
    var primary: (() -> Void)?
    @ViewBuilder var content: Content
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 20) {
                Text(view.title.text)
                    .font(.largeTitle.bold())
                    .accessibilityAddTraits(.isHeader)
                if let body = view.body {
                    Text(body.text).font(.body)
                }
                if let deadline = view.deadline {
                    DeadlineCountdown(deadline: deadline)
                }
                content
                if let notice = view.notice {
                    Label { Text(notice.text) } icon: { Image(systemName: "exclamationmark.circle") }
                        .foregroundStyle(.red)
                        .accessibilityIdentifier("notice")
                }
                if view.busy {
                    ProgressView().frame(maxWidth: .infinity)
                }
            }
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding()
        }
        .safeAreaInset(edge: .bottom) {
            if let action = view.primaryAction {
                Button {
                    if let primary { primary() } else { model.send(.continue) }
                } label: {
                    Text(action.text).frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                .padding()
                .background(.bar)
                // The core's stable code: what the UI tests press, in any language.
                .accessibilityIdentifier(action.code)
            }
        }
        // VoiceOver users hear a new notice without hunting for it.
        .onChange(of: view.notice, initial: true) { _, notice in
            if let notice { AccessibilityNotification.Announcement(notice.text).post() }
        }
    }
}

/// The time left until a deadline, on the phone's clock (`phone_time`: the core has already
/// translated the service's time), counting down each second.
private struct DeadlineCountdown: View {
    let deadline: DeadlineView

    var body: some View {
        TimelineView(.periodic(from: .now, by: 1)) { context in
            let remainingMs = max(0, deadline.phoneTime - Int64(context.date.timeIntervalSince1970 * 1_000))
            let remaining = Duration.milliseconds(remainingMs)
            Label {
                Text(remaining.formatted(.time(pattern: remainingMs >= 3_600_000 ? .hourMinuteSecond : .minuteSecond)))
                    .monospacedDigit()
            } icon: {
                Image(systemName: "timer")
            }
            .font(.title3)
            .accessibilityIdentifier("deadline")
        }
    }
}
