import Foundation
import IdentityPassCore
import IdentityPassKit

/// The UI tests' camera: the kit's fixture frames at 10 frames a second, on a queue of its own
/// like a real camera's. Only a debug build launched with `-IdentityPassFixtures` has one.
final class FixtureFrameSource: CameraFrameSource, @unchecked Sendable {
    private let fixtures: FixtureCameraFrames
    private let queue = DispatchQueue(label: "com.identitypass.camera.fixtures")
    private var timer: DispatchSourceTimer?
    private var number = 0
    private var timestampMs: UInt64 = 1_000

    init(fixtures: FixtureCameraFrames) {
        self.fixtures = fixtures
    }

    /// The fixtures stand for a front camera.
    var hasFrontCamera: Bool { true }

    /// The fixtures are filmed once: `mirrored` changes nothing.
    func start(scene: FixtureCameraFrames.Scene, mirrored: Bool, onFrame: @escaping @Sendable (CameraFrame) -> Void) {
        queue.async { [self] in
            // `self.`: the local `timer` below would otherwise be used before its declaration.
            self.timer?.cancel()
            number = 0
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: .milliseconds(100))
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                timestampMs += 100
                if let frame = try? fixtures.frame(scene, number: number, timestampMs: timestampMs) { onFrame(frame) }
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
