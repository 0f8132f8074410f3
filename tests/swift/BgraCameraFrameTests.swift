import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// The kit's 32BGRA conversion (what the app does with each `CVPixelBuffer`) through a real
/// `SelfieSession`: rows padded as AVFoundation pads them, odd strides included, must give the
/// verdict the packed frame gives.
final class BgraCameraFrameTests: XCTestCase {
    private let width = 640, height = 480

    /// `packed` (rows of `width * 4` bytes) re-laid with `padding` bytes after each row but the
    /// last, the padding filled with white so a conversion that read it would see a different
    /// picture.
    private func padded(_ packed: Data, padding: Int) -> (bytes: Data, bytesPerRow: Int) {
        let rowBytes = width * 4, bytesPerRow = rowBytes + padding
        var bytes = Data(repeating: 0xFF, count: (height - 1) * bytesPerRow + rowBytes)
        for row in 0..<height {
            let source = packed.startIndex + row * rowBytes
            bytes.replaceSubrange(row * bytesPerRow ..< row * bytesPerRow + rowBytes, with: packed[source ..< source + rowBytes])
        }
        return (bytes, bytesPerRow)
    }

    /// An NV21 fixture's luma as grey BGRA, the way a camera would hand the same scene to iOS.
    private func greyBgra(fromNv21 name: String) throws -> Data {
        let nv21 = try Fixtures.data(name)
        var bgra = [UInt8](repeating: 0xFF, count: width * height * 4)
        for i in 0..<(width * height) {
            let y = nv21[nv21.startIndex + i]
            bgra[i * 4] = y; bgra[i * 4 + 1] = y; bgra[i * 4 + 2] = y
        }
        return Data(bgra)
    }

    private func frame(_ bytes: Data, bytesPerRow: Int, seconds: Double) throws -> CameraFrame {
        try bytes.withUnsafeBytes { buffer in
            let base = try XCTUnwrap(buffer.baseAddress)
            return try BgraCameraFrame.cameraFrame(baseAddress: base, bytesPerRow: bytesPerRow, width: width, height: height, presentationTimeSeconds: seconds)
        }
    }

    /// The verdicts of one session fed `bytes` five times, 33 ms apart.
    private func verdicts(_ bytes: Data, bytesPerRow: Int) throws -> [SelfieVerdict] {
        let session = SelfieSession(languageTag: "en-US")
        return try (0..<5).map { try session.pushFrame(frame: try frame(bytes, bytesPerRow: bytesPerRow, seconds: 5_000.0 + 0.033 * Double($0))) }
    }

    func testAPackedFrameIsOnePlaneWithTheBuffersStride() throws {
        let packed = try Fixtures.data("face_selfie_640x480.bgra")
        let converted = try frame(packed, bytesPerRow: 2_560, seconds: 1.5)
        XCTAssertEqual(converted.format, .bgra)
        XCTAssertEqual(converted.width, 640)
        XCTAssertEqual(converted.height, 480)
        XCTAssertEqual(converted.timestampMs, 1_500)
        XCTAssertEqual(converted.planes.count, 1)
        XCTAssertEqual(converted.planes.first?.rowStride, 2_560)
        XCTAssertEqual(converted.planes.first?.pixelStride, 4)
        XCTAssertEqual(converted.planes.first?.data, packed, "every byte, once")
    }

    /// Mirrors CameraFramesTest.kt: a front camera's frame says its preview is a mirror, and the
    /// core finds the face where the user sees it.
    func testAMirroredPreviewReachesTheCoreWhichReportsTheFaceWhereTheUserSeesIt() throws {
        let packed = try Fixtures.data("face_selfie_640x480.bgra")
        XCTAssertFalse(try frame(packed, bytesPerRow: 2_560, seconds: 1).previewMirrored, "not mirrored unless the app says so")
        // The left 480 columns (rows still 2 560 bytes apart): the fixture's face, centred in the
        // whole frame, sits right of centre in them, so a flip moves it.
        let leftPart = { (mirrored: Bool) in
            try packed.withUnsafeBytes { buffer in
                try BgraCameraFrame.cameraFrame(
                    baseAddress: try XCTUnwrap(buffer.baseAddress), bytesPerRow: 2_560, width: 480, height: self.height,
                    presentationTimeSeconds: 1, previewMirrored: mirrored)
            }
        }
        let plain = try SelfieSession(languageTag: "en-US").pushFrame(frame: try leftPart(false))
        let mirrored = try SelfieSession(languageTag: "en-US").pushFrame(frame: try leftPart(true))
        let face = try XCTUnwrap(plain.faces.first), seen = try XCTUnwrap(mirrored.faces.first)
        XCTAssertEqual(plain.faces.count, 1)
        XCTAssertEqual(mirrored.faces.count, 1)
        XCTAssertEqual(seen.left, 1 - face.left - face.width, accuracy: 0.02, "mirrored")
        XCTAssertEqual(seen.top, face.top, accuracy: 0.02)
        XCTAssertEqual(seen.width, face.width, accuracy: 0.02)
        XCTAssertGreaterThan(abs(face.left + face.width / 2 - 0.5), 0.02, "the fixture's face is off centre, so the test can tell")
    }

    func testTheBuffersRotationReachesTheCoreWhichRefusesAnythingButAQuarterTurn() throws {
        let packed = try Fixtures.data("face_selfie_640x480.bgra")
        XCTAssertEqual(try frame(packed, bytesPerRow: 2_560, seconds: 1).rotationDegrees, 0, "upright unless the shell says otherwise")
        let turned = try packed.withUnsafeBytes { buffer in
            try BgraCameraFrame.cameraFrame(
                baseAddress: try XCTUnwrap(buffer.baseAddress), bytesPerRow: 2_560, width: width, height: height,
                presentationTimeSeconds: 1, rotationDegrees: 45)
        }
        XCTAssertEqual(turned.rotationDegrees, 45)
        let session = SelfieSession(languageTag: "en-US")
        XCTAssertThrowsError(try session.pushFrame(frame: turned)) { error in
            guard case SelfieError.InvalidFrame(let code, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, "FRAME_BAD_ROTATION")
        }
        let upright = try session.pushFrame(frame: try frame(packed, bytesPerRow: 2_560, seconds: 1.033))
        XCTAssertEqual(upright.guidance, .good, "the refused frame cost the session nothing")
    }

    func testPaddedRowsGiveThePackedFramesVerdict() throws {
        let packed = try Fixtures.data("face_selfie_640x480.bgra")
        let expected = try verdicts(packed, bytesPerRow: 2_560)
        XCTAssertEqual(expected.first?.guidance, .good, "the fixture face is a good selfie")
        XCTAssertTrue(expected.contains { $0.captured }, "and is captured")
        // 64: AVFoundation's usual alignment; 13 and 1: odd strides, not even 4-byte aligned.
        for padding in [64, 13, 1] {
            let (bytes, bytesPerRow) = padded(packed, padding: padding)
            let converted = try frame(bytes, bytesPerRow: bytesPerRow, seconds: 2)
            XCTAssertEqual(converted.planes.first?.rowStride, UInt32(bytesPerRow))
            XCTAssertEqual(converted.planes.first?.data.count, 479 * bytesPerRow + 2_560, "up to the last pixel of the last row")
            XCTAssertEqual(try verdicts(bytes, bytesPerRow: bytesPerRow), expected, "padding \(padding)")
        }
    }

    func testAGreyFrameFromTheDarkFixtureIsTooDarkPaddedOrNot() throws {
        let packed = try greyBgra(fromNv21: "face_dark_640x480.nv21")
        let expected = try verdicts(packed, bytesPerRow: 2_560)
        XCTAssertEqual(expected.first?.guidance, .tooDark)
        let (bytes, bytesPerRow) = padded(packed, padding: 27)
        XCTAssertEqual(try verdicts(bytes, bytesPerRow: bytesPerRow), expected)
    }

    func testTheCopyStopsAtTheLastPixel() throws {
        XCTAssertEqual(try BgraCameraFrame.copiedByteCount(bytesPerRow: 2_624, width: 640, height: 480), 479 * 2_624 + 2_560)
        XCTAssertEqual(try BgraCameraFrame.copiedByteCount(bytesPerRow: 4, width: 1, height: 1), 4)
    }

    func testImpossibleShapesAreRefusedBeforeAnyByteIsRead() {
        func code(_ bytesPerRow: Int, _ width: Int, _ height: Int) -> String? {
            do {
                _ = try BgraCameraFrame.copiedByteCount(bytesPerRow: bytesPerRow, width: width, height: height)
                return nil
            } catch SelfieError.InvalidFrame(let code, _) {
                return code
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(code(2_556, 640, 480), "FRAME_BAD_STRIDE", "a stride shorter than a row")
        XCTAssertEqual(code(2_560, 0, 480), "FRAME_BAD_DIMENSIONS")
        XCTAssertEqual(code(2_560, 640, 0), "FRAME_BAD_DIMENSIONS")
        XCTAssertEqual(code(-4, -1, 480), "FRAME_BAD_DIMENSIONS")
        XCTAssertEqual(code(Int.max, 640, 3), "FRAME_BAD_STRIDE", "beyond the core's u32")
        XCTAssertEqual(code(Int(UInt32.max), 1_000_000, Int(UInt32.max)), "FRAME_BAD_DIMENSIONS", "a size that overflows")
    }

    func testPresentationTimesBecomeWholeMilliseconds() throws {
        XCTAssertEqual(try BgraCameraFrame.timestampMs(presentationTimeSeconds: 0), 0)
        XCTAssertEqual(try BgraCameraFrame.timestampMs(presentationTimeSeconds: 12.345_9), 12_345)
        XCTAssertEqual(try BgraCameraFrame.timestampMs(presentationTimeSeconds: 86_400 * 3), 259_200_000, "days of uptime")
        for wild in [Double.nan, .infinity, -.infinity, -0.5, 1e300] {
            XCTAssertThrowsError(try BgraCameraFrame.timestampMs(presentationTimeSeconds: wild)) { error in
                guard case SelfieError.InvalidFrame(let code, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(code, "FRAME_TIMESTAMP_IMPLAUSIBLE")
            }
        }
    }
}
