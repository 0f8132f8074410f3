import Foundation
import IdentityPassCore
import IdentityPassKit

/// The UI tests' camera: the kit's fixture frames at 10 frames a second, on a queue of its own
/// like a real camera's. During the liveness step the kit's `FixtureLivenessPerson` does what
/// each verdict asks. Only a debug build launched with `-IdentityPassFixtures` has one.
final class FixtureFrameSource: CameraFrameSource, @unchecked Sendable {
    private let fixtures: FixtureCameraFrames
    private let queue = DispatchQueue(label: "com.identitypass.camera.fixtures")
    // Everything below is touched on `queue` only.
    private var timer: DispatchSourceTimer?
    private var number = 0
    private var timestampMs: UInt64 = 1_000
    private var person: FixtureLivenessPerson?
    private var liveness: LivenessState?

    init(fixtures: FixtureCameraFrames) {
        self.fixtures = fixtures
    }

    /// The fixtures stand for a front camera.
    var hasFrontCamera: Bool { true }

    /// The fixtures are drawn as the preview shows a person (their frames are not mirrored again).
    func start(scene: FixtureCameraFrames.Scene, onFrame: @escaping @Sendable (CameraFrame) -> SelfieVerdict?) {
        queue.async { [self] in
            // `self.`: the local `timer` below would otherwise be used before its declaration.
            self.timer?.cancel()
            number = 0
            liveness = nil
            person = scene == .personFollowingInstructions ? FixtureLivenessPerson(fixtures: fixtures) : nil
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: .milliseconds(100))
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                timestampMs += 100
                let frame = if let person {
                    try? person.nextFrame(after: liveness, timestampMs: timestampMs)
                } else {
                    try? fixtures.frame(scene, number: number, timestampMs: timestampMs)
                }
                if let frame { liveness = onFrame(frame)?.liveness }
                number += 1
            }
            self.timer = timer
            timer.resume()
        }
    }

    func stop() {
        queue.async { [self] in
            timer?.cancel()
            timer = nil
        }
    }
}
