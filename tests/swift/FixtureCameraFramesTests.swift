import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// The UI tests' stand-in camera: its frames satisfy a real selfie session as a face does.
final class FixtureCameraFramesTests: XCTestCase {
    private func frames() throws -> FixtureCameraFrames {
        let any = try XCTUnwrap(Bundle.module.url(forResource: "face_selfie_640x480", withExtension: "bgra", subdirectory: "fixtures"))
        return try FixtureCameraFrames(directory: any.deletingLastPathComponent())
    }

    func testTheSteadyFaceIsCaptured() throws {
        let fixtures = try frames()
        let session = SelfieSession(languageTag: "en-US")
        var captured = false
        for number in 0..<10 where !captured {
            let frame = try fixtures.frame(.steadyFace, number: number, timestampMs: 1_000 + 100 * UInt64(number))
            XCTAssertEqual(frame.format, .bgra)
            captured = try session.pushFrame(frame: frame).captured
        }
        XCTAssertTrue(captured)
    }

    func testTheFaceComingCloserPassesTheLivenessChallenge() throws {
        let fixtures = try frames()
        let session = SelfieSession(languageTag: "en-US")
        session.startLiveness()
        var state: LivenessState?
        for number in 0..<30 {
            state = try session.pushFrame(frame: try fixtures.frame(.faceComingCloser, number: number, timestampMs: 1_000 + 100 * UInt64(number))).liveness
            if case .passed = state { break }
        }
        guard case .passed = state else { return XCTFail("\(String(describing: state))") }
    }

    func testEachLaunchsFramesDiffer() throws {
        let first = try frames().frame(.faceComingCloser, number: 3, timestampMs: 1)
        let second = try frames().frame(.faceComingCloser, number: 3, timestampMs: 1)
        XCTAssertNotEqual(first.planes.first?.data, second.planes.first?.data, "a replayed frame is refused by the service")
        XCTAssertEqual(first.planes.first?.data.count, 640 * 480 * 3 / 2)
    }
}
