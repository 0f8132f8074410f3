import IdentityPassCore
import SwiftUI

/// The liveness check: the actions the service drew, one at a time, while the camera runs; the
/// instruction (the verdict's message), the drawn head doing the action and how many actions
/// are done come with each frame's verdict.
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
                if case .doAction(let action, let index, let count) = model.verdict?.liveness {
                    HStack(spacing: 16) {
                        ActionFigureView(action: action, index: index)
                            .frame(width: 96, height: 96)
                        ProgressView(value: Double(index), total: Double(max(count, 1)))
                    }
                }
                SelfieGuidance(verdict: model.verdict)
            }
        }
    }
}
