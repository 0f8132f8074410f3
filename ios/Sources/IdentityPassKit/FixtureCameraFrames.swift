import Foundation
import IdentityPassCore

/// Camera frames from the test fixtures (tests/make-camera-frames.sh), for the UI tests on a
/// simulator, which has no camera: the app takes its frames from here instead of AVFoundation
/// when a debug build is launched with `-IdentityPassFixtures <directory>`. The steady face is
/// the BGRA fixture, converted by the very `BgraCameraFrame` the camera path uses; the liveness
/// step's frames are the NV21 frames of the selfie's head doing each action, which a
/// `FixtureLivenessPerson` plays when the screen asks for it.
public struct FixtureCameraFrames: Sendable {
    /// What the camera is pointed at.
    public enum Scene: Sendable {
        /// A steady, well-lit face: the selfie.
        case steadyFace
        /// A person who does what the liveness step asks (`FixtureLivenessPerson`).
        case personFollowingInstructions
    }

    public static let width = 640, height = 480
    /// Every action the service can ask, in the order the fixtures are made.
    static let actions: [Action] = [.turnLeft, .turnRight, .blink, .comeCloser]

    private let steadyFace: Data
    private let steadyFaceNv21: Data
    private let actionFrames: [Action: [Data]]
    /// Rows of noise along the top edge, far from the face: the service refuses frames it has
    /// judged before, and a real camera never repeats one, so each launch's frames differ (and
    /// each liveness frame carries its own number in the band as well).
    private let band: Data

    public init(directory: URL) throws {
        steadyFace = try Data(contentsOf: directory.appendingPathComponent("face_selfie_640x480.bgra"))
        steadyFaceNv21 = try Data(contentsOf: directory.appendingPathComponent("face_selfie_640x480.nv21"))
        var actionFrames: [Action: [Data]] = [:]
        for action in Self.actions {
            var frames: [Data] = []
            while true {
                let url = directory.appendingPathComponent(Self.actionFrameName(action, number: frames.count))
                guard FileManager.default.fileExists(atPath: url.path) else { break }
                frames.append(try Data(contentsOf: url))
            }
            if frames.isEmpty {
                let missing = directory.appendingPathComponent(Self.actionFrameName(action, number: 0)).path
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: missing])
            }
            actionFrames[action] = frames
        }
        self.actionFrames = actionFrames
        var generator = SystemRandomNumberGenerator()
        band = Data((0..<(Self.width * 4)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The fixture file of frame `number` (from 0) of `action` (`examples/action_frames.rs`).
    static func actionFrameName(_ action: Action, number: Int) -> String {
        let code = switch action {
        case .turnLeft: "turn_left"
        case .turnRight: "turn_right"
        case .blink: "blink"
        case .comeCloser: "come_closer"
        }
        return String(format: "action_%@_%02d.nv21", code, number)
    }

    /// How many frames doing `action` takes, the last ones facing the camera again.
    func frameCount(of action: Action) -> Int {
        actionFrames[action]?.count ?? 0
    }

    /// Frame `number` (from 0) of `scene`. For the liveness step, use a `FixtureLivenessPerson`,
    /// which chooses the frames from what the screen asks; here it faces the camera.
    public func frame(_ scene: Scene, number: Int, timestampMs: UInt64) throws -> CameraFrame {
        switch scene {
        case .steadyFace:
            let bytesPerRow = Self.width * BgraCameraFrame.bytesPerPixel
            let frame = try steadyFace.withUnsafeBytes { buffer -> CameraFrame? in
                guard let base = buffer.baseAddress, buffer.count >= bytesPerRow * Self.height else { return nil }
                return try BgraCameraFrame.cameraFrame(
                    baseAddress: base, bytesPerRow: bytesPerRow, width: Self.width, height: Self.height, presentationTimeSeconds: 0)
            }
            guard var frame else { throw SelfieError.InvalidFrame(code: "FRAME_SHORT_BUFFER", detail: "the BGRA fixture is short") }
            frame.timestampMs = timestampMs
            return frame
        case .personFollowingInstructions:
            return try nv21(steadyFaceNv21, serial: UInt64(max(number, 0)), timestampMs: timestampMs)
        }
    }

    /// Frame `number` of doing `action` (the last one after it), marked with `serial`.
    func actionFrame(_ action: Action, number: Int, serial: UInt64, timestampMs: UInt64) throws -> CameraFrame {
        guard let frames = actionFrames[action], let last = frames.last else {
            throw SelfieError.InvalidFrame(code: "FRAME_SHORT_BUFFER", detail: "no fixture frames for \(action)")
        }
        return try nv21(number < frames.count ? frames[max(number, 0)] : last, serial: serial, timestampMs: timestampMs)
    }

    /// `data` (640×480 NV21) with this launch's band along its top and `serial` in the band's
    /// first eight bytes, so no two frames are the same bytes.
    private func nv21(_ data: Data, serial: UInt64, timestampMs: UInt64) throws -> CameraFrame {
        var data = data
        guard data.count >= band.count else { throw SelfieError.InvalidFrame(code: "FRAME_SHORT_BUFFER", detail: "an NV21 fixture is short") }
        data.replaceSubrange(data.startIndex ..< data.startIndex + band.count, with: band)
        withUnsafeBytes(of: serial.littleEndian) { data.replaceSubrange(data.startIndex ..< data.startIndex + 8, with: $0) }
        return CameraFrame(
            width: UInt32(Self.width), height: UInt32(Self.height), format: .nv21,
            planes: [FramePlane(data: data, rowStride: UInt32(Self.width), pixelStride: 1)], timestampMs: timestampMs)
    }
}

/// The person in front of the UI tests' camera during the liveness step (a simulator has no
/// camera, and a photograph cannot turn or blink, which is what the challenge checks): told an
/// action by the last verdict, they do it to the end (the fixture frames of the selfie's head
/// doing it and pausing after), then read the screen again; if it still asks for the same
/// action a second later, they do it again, as people do. The core's `simulated_person::ObedientPerson`, in fixture frames. Not thread-safe:
/// the fixture camera calls it from its one queue.
public final class FixtureLivenessPerson {
    /// Frames (at ten a second) the person waits before doing an action again.
    static let patienceFrames = 10

    private let fixtures: FixtureCameraFrames
    private var doing: UInt32?
    private var script: (action: Action, next: Int)?
    private var waited = 0
    private var serial: UInt64 = 0

    public init(fixtures: FixtureCameraFrames) {
        self.fixtures = fixtures
    }

    /// The next frame, taken at `timestampMs`, of the person doing what `liveness` (the last
    /// verdict's) asks, or facing the camera when it asks nothing.
    public func nextFrame(after liveness: LivenessState?, timestampMs: UInt64) throws -> CameraFrame {
        serial += 1
        // A movement under way is finished first: nobody stops a turn halfway to blink.
        if case .doAction(let action, let index, _) = liveness, script == nil, doing != index || waited >= Self.patienceFrames {
            doing = index
            waited = 0
            script = (action, 0)
        }
        if let (action, next) = script {
            // The script ends with its last frame, so the next call may start another action.
            script = next + 1 < fixtures.frameCount(of: action) ? (action, next + 1) : nil
            return try fixtures.actionFrame(action, number: next, serial: serial, timestampMs: timestampMs)
        }
        waited += 1
        return try fixtures.frame(.personFollowingInstructions, number: Int(truncatingIfNeeded: serial), timestampMs: timestampMs)
    }
}
