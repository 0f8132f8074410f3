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

    /// The UI tests' person, through a real session running the actions the service could draw
    /// (one repeated, as a draw can repeat an action with another between).
    func testThePersonFollowingTheInstructionsPassesTheActionChallenge() throws {
        let fixtures = try frames()
        for asked in [[Action.turnLeft, .comeCloser, .blink], [.turnRight, .blink, .turnRight]] {
            let session = SelfieSession(languageTag: "en-US")
            session.startLivenessActions(actions: asked)
            let person = FixtureLivenessPerson(fixtures: fixtures)
            var state: LivenessState?
            var shown: [String] = []
            for number in 0..<150 {
                let verdict = try session.pushFrame(frame: try person.nextFrame(after: state, timestampMs: 1_000 + 100 * UInt64(number)))
                state = verdict.liveness
                if shown.last != verdict.messageCode { shown.append(verdict.messageCode) }
                if case .passed = state { break }
                if case .failed = state { break }
            }
            guard case .passed = state else { return XCTFail("\(asked): \(String(describing: state)) after \(shown)") }
            let result = try XCTUnwrap(session.livenessResult())
            XCTAssertNil(result.failure)
            XCTAssertGreaterThanOrEqual(result.evidenceFrames, 6, "frames for the service to judge")
        }
    }

    /// Facing the camera, the person does nothing a challenge asks: the action times out.
    func testAPersonAskedNothingDoesNothing() throws {
        let fixtures = try frames()
        let session = SelfieSession(languageTag: "en-US")
        session.startLivenessActions(actions: [.blink])
        let person = FixtureLivenessPerson(fixtures: fixtures)
        var state: LivenessState?
        for number in 0..<70 {
            state = try session.pushFrame(frame: try person.nextFrame(after: nil, timestampMs: 1_000 + 100 * UInt64(number))).liveness
        }
        XCTAssertEqual(state, .failed(reason: .actionTimedOut))
    }

    func testNoTwoFramesAreTheSameBytes() throws {
        let first = try frames().frame(.personFollowingInstructions, number: 3, timestampMs: 1)
        let second = try frames().frame(.personFollowingInstructions, number: 3, timestampMs: 1)
        XCTAssertNotEqual(first.planes.first?.data, second.planes.first?.data, "another launch: a replayed frame is refused by the service")
        let fixtures = try frames()
        let person = FixtureLivenessPerson(fixtures: fixtures)
        let asked = LivenessState.doAction(action: .blink, index: 0, count: 1)
        let frames = try (0..<30).map { try person.nextFrame(after: asked, timestampMs: UInt64($0)).planes.first?.data }
        XCTAssertEqual(Set(frames).count, 30, "one launch: every frame differs")
        XCTAssertEqual(first.planes.first?.data.count, 640 * 480 * 3 / 2)
    }
}
