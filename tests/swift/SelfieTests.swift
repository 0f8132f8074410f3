import Foundation
import XCTest
import IdentityPassCore

/// Camera frames through the bindings (BGRA as AVFoundation delivers them, NV21 as CameraX
/// does): guidance per frame, then a capture whose bytes stay in the core. Mirrors
/// tests/kotlin/SelfieTest.kt.
final class SelfieTests: XCTestCase {
    private func nv21(_ name: String, at timestampMs: UInt64) throws -> CameraFrame {
        CameraFrame(width: 640, height: 480, format: .nv21,
                    planes: [FramePlane(data: try Fixtures.data(name), rowStride: 640, pixelStride: 1)],
                    timestampMs: timestampMs)
    }

    func testASteadyWellLitFaceIsGuidedThenCaptured() throws {
        let session = SelfieSession(languageTag: "zh-Hans-CN")
        let first = try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: 1_000))
        XCTAssertEqual(first.guidance, .good)
        XCTAssertEqual(first.messageCode, "SELFIE_GOOD")
        XCTAssertTrue(first.messageText.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, first.messageText)
        XCTAssertEqual(first.faces.count, 1)
        XCTAssertNil(session.captureInfo())

        var captured = false
        for i in 1...5 {
            captured = try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: 1_000 + 33 * UInt64(i))).captured || captured
        }
        XCTAssertTrue(captured, "several good frames in a row produce a capture")
        let capture = try XCTUnwrap(session.captureInfo())
        XCTAssertTrue((1_000...200_000).contains(capture.byteLen), "JPEG size \(capture.byteLen)")
        session.retake()
        XCTAssertNil(session.captureInfo(), "a retake discards the capture")
    }

    func testADarkRoomIsExplained() throws {
        let session = SelfieSession(languageTag: "en-US")
        let verdict = try session.pushFrame(frame: try nv21("face_dark_640x480.nv21", at: 1_000))
        XCTAssertEqual(verdict.guidance, .tooDark)
        XCTAssertEqual(verdict.messageCode, "SELFIE_TOO_DARK")
        XCTAssertFalse(verdict.captured)
    }

    func testBgraFramesFromIosAreAccepted() throws {
        let session = SelfieSession(languageTag: "en-US")
        let frame = CameraFrame(width: 640, height: 480, format: .bgra,
                                planes: [FramePlane(data: try Fixtures.data("face_selfie_640x480.bgra"), rowStride: 2560, pixelStride: 4)],
                                timestampMs: 1_000)
        XCTAssertEqual(try session.pushFrame(frame: frame).guidance, .good)
    }

    func testAMalformedFrameIsATypedErrorNotACrash() {
        let session = SelfieSession(languageTag: "en-US")
        XCTAssertThrowsError(try session.pushFrame(frame: CameraFrame(width: 640, height: 480, format: .nv21, planes: [], timestampMs: 1_000))) { error in
            guard case SelfieError.InvalidFrame(let code, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, "FRAME_PLANE_COUNT")
        }
    }

    func testAWildTimestampIsRefusedAloneAndANewAttemptStartsTheClockAgain() throws {
        let session = SelfieSession(languageTag: "en-US")
        XCTAssertThrowsError(try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: UInt64.max))) { error in
            guard case SelfieError.InvalidFrame(let code, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, "FRAME_TIMESTAMP_IMPLAUSIBLE")
        }
        XCTAssertEqual(try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: 1_000)).faces.count, 1, "the next frame is not refused")
        XCTAssertEqual(try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: 1_033)).faces.count, 1)
        session.retake()
        XCTAssertEqual(try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: 500)).faces.count, 1, "a retake starts the frame clock again")
        session.startLivenessActions(actions: [.blink])
        XCTAssertNotNil(try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: 100)).liveness, "so does a liveness challenge")
    }

    func testAStillFaceThatNeverBlinksFailsTheLivenessChallenge() throws {
        let session = SelfieSession(languageTag: "en-US")
        session.startLivenessActions(actions: [.blink])
        var last: LivenessState?
        for t in stride(from: UInt64(1_000), to: 10_000, by: 250) { // each action must be done within 5 s
            last = try session.pushFrame(frame: try nv21("face_selfie_640x480.nv21", at: t)).liveness
            if t == 1_000 { XCTAssertEqual(last, .doAction(action: .blink, index: 0, count: 1)) }
        }
        XCTAssertEqual(last, .failed(reason: .actionTimedOut))
        let result = try XCTUnwrap(session.livenessResult())
        XCTAssertEqual(result.failure, .actionTimedOut)
        XCTAssertEqual(result.messageCode, "LIVENESS_ACTION_TIMED_OUT")
        XCTAssertEqual(result.evidenceFrames, 0, "a failed check keeps no frames")
    }
}
