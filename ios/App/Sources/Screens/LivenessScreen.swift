import IdentityPassCore
import SwiftUI

/// The liveness check: bring the face closer while the camera runs; the core's progress and
/// guidance come with each frame's verdict.
struct LivenessScreen: View {
    let view: ViewState
    let inProgress: Bool
    let fastPath: Bool
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) {
            if inProgress {
                CameraPreview(session: model.camera.captureSession, faces: model.verdict?.faces ?? [])
                    .aspectRatio(CGSize(width: 3, height: 4), contentMode: .fit)
                if case .inProgress(let progress) = model.verdict?.liveness {
                    ProgressView(value: Double(progress), total: 1)
                }
                SelfieGuidance(verdict: model.verdict)
            }
        }
    }
}
