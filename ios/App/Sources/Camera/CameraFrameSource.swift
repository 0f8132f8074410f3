import IdentityPassCore
import IdentityPassKit

/// Where the selfie session's frames come from: the front camera (AVFoundation), or, in a
/// debug build launched by the UI tests, the test fixtures (a simulator has no camera).
protocol CameraFrameSource: AnyObject, Sendable {
    /// Whether there is a front camera to take a selfie with (part of the device check).
    var hasFrontCamera: Bool { get }
    /// Starts delivering frames to `onFrame`, on a queue of the source's, never the main one;
    /// it answers the core's verdict on the frame, if any. `scene` is for the fixtures (whose
    /// person follows the verdict's liveness instruction); a real camera films what is in front
    /// of it, and its frames say whether the preview mirrors them.
    func start(scene: FixtureCameraFrames.Scene, onFrame: @escaping @Sendable (CameraFrame) -> SelfieVerdict?)
    func stop()
}
