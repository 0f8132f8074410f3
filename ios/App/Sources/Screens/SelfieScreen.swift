import Accessibility
import IdentityPassCore
import SwiftUI

/// The selfie: the front camera's preview with the core's face boxes, and the core's guidance
/// for the latest frame ("Move closer", "Too dark"…), read out by VoiceOver as it changes.
struct SelfieScreen: View {
    let view: ViewState
    let phase: SelfiePhase
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) {
            if phase == .capturing {
                CameraPreview(session: model.camera.captureSession, faces: model.verdict?.faces ?? [])
                    .aspectRatio(CGSize(width: 3, height: 4), contentMode: .fit)
                SelfieGuidance(verdict: model.verdict)
            }
        }
    }
}

/// The core's words for the latest frame, announced when they change (not on every frame).
struct SelfieGuidance: View {
    let verdict: SelfieVerdict?

    var body: some View {
        if let verdict {
            Text(verdict.messageText)
                .font(.title3)
                .accessibilityIdentifier("selfie.guidance")
                .accessibilityAddTraits(.updatesFrequently)
                .onChange(of: verdict.messageCode, initial: true) { _, _ in
                    AccessibilityNotification.Announcement(verdict.messageText).post()
                }
        }
    }
}
