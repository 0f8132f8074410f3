import AVFoundation
import Foundation
import IdentityPassCore
import IdentityPassKit

/// The camera the selfie and liveness screens and the reviewer's call use: AVFoundation
/// normally, the fixtures when the UI tests say so. Verdicts come back to the main actor for
/// the screen to draw.
@MainActor
final class CameraController {
    /// Called on the main actor with the core's verdict on each frame.
    var onVerdict: ((SelfieVerdict) -> Void)?
    let hasFrontCamera: Bool
    private let source: CameraFrameSource

    init(fixtureFramesDirectory: URL?) {
        if let directory = fixtureFramesDirectory, let fixtures = try? FixtureCameraFrames(directory: directory) {
            source = FixtureFrameSource(fixtures: fixtures)
        } else {
            source = CaptureSessionFrameSource()
        }
        hasFrontCamera = source.hasFrontCamera
    }

    /// The capture session for the preview; nil with the fixtures (nothing to preview).
    var captureSession: AVCaptureSession? { (source as? CaptureSessionFrameSource)?.session }

    /// Starts the frames; `push` hands each to the core (on the camera's queue) and returns its
    /// verdict, if there is one to draw.
    func start(scene: FixtureCameraFrames.Scene, push: @escaping @Sendable (CameraFrame) -> SelfieVerdict?) {
        source.start(scene: scene) { [weak self] frame in
            let verdict = push(frame)
            if let verdict { Task { @MainActor in self?.onVerdict?(verdict) } }
            return verdict
        }
    }

    func stop() {
        source.stop()
    }
}
