import IdentityPassCore
import SwiftUI

/// The reviewer's part: waiting (with the 24-hour window as the deadline), the call invitation
/// ("Join the call"), the call, and the decision. In the call (connecting, then connected: the
/// core's title and body say which) the reviewer's video fills the panel, the user's own camera
/// sits in its corner, and the user leaves with the hang-up button (`CallEnded`), an icon that
/// VoiceOver reads by the core's label for leaving the call.
struct ReviewScreen: View {
    let view: ViewState
    let stage: ReviewStage

    var body: some View {
        ScreenChrome(view: view) {
            if stage == .inCall {
                CallPanel()
            } else {
                Image(systemName: stage.symbolName)
                    .font(.system(size: 56))
                    .symbolEffect(.pulse, isActive: stage == .callInvited)
                    .frame(maxWidth: .infinity)
                    .accessibilityHidden(true)
            }
        }
    }
}

/// The call's picture and its one control. The camera, the microphone and the speaker run while
/// it shows: the session sends the first two to the reviewer once the call's media is open.
private struct CallPanel: View {
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        VStack(spacing: 20) {
            ReviewerVideo()
                .aspectRatio(CGSize(width: 3, height: 4), contentMode: .fit)
                .clipShape(RoundedRectangle(cornerRadius: 16))
                .overlay(alignment: .bottomTrailing) {
                    // Mirrored, as a selfie preview is; the reviewer gets the frames unmirrored.
                    CameraPreview(session: model.camera.captureSession, faces: [])
                        .frame(width: 96, height: 128)
                        .padding(12)
                }
            Button {
                model.send(.callEnded)
            } label: {
                Image(systemName: "phone.down.fill")
                    .font(.title)
                    .foregroundStyle(.white)
                    .frame(width: 72, height: 72)
                    .background(.red, in: Circle())
            }
            .buttonStyle(.plain)
            .accessibilityLabel(model.label(.leaveCall))
            // What the UI test presses, in any language.
            .accessibilityIdentifier("review.leaveCall")
            .frame(maxWidth: .infinity)
        }
        .onAppear { model.startCallMedia() }
        .onDisappear { model.stopCallMedia() }
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
