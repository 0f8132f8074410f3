import Foundation
import IdentityPassCore

/// Camera frames from the test fixtures (tests/make-camera-frames.sh), for the UI tests on a
/// simulator, which has no camera: the app takes its frames from here instead of AVFoundation
/// when a debug build is launched with `-IdentityPassFixtures <directory>`. The steady face is
/// the BGRA fixture, converted by the very `BgraCameraFrame` the camera path uses; the face
/// coming closer is the 24 NV21 frames of the liveness fixture.
public struct FixtureCameraFrames: Sendable {
    /// What the camera is pointed at.
    public enum Scene: Sendable {
        /// A steady, well-lit face: the selfie.
        case steadyFace
        /// The face coming closer, 3% a frame: the liveness challenge.
        case faceComingCloser
    }

    public static let width = 640, height = 480
    private let steadyFace: Data
    private let closer: [Data]
    /// Rows of noise along the top edge, far from the face: the service refuses frames it has
    /// judged before, and a real camera never repeats one, so each launch's frames differ.
    private let band: Data

    public init(directory: URL) throws {
        steadyFace = try Data(contentsOf: directory.appendingPathComponent("face_selfie_640x480.bgra"))
        closer = try (0..<24).map { try Data(contentsOf: directory.appendingPathComponent(String(format: "face_closer_%02d.nv21", $0))) }
        var generator = SystemRandomNumberGenerator()
        band = Data((0..<(Self.width * 4)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Frame `number` (from 0) of `scene`; the closer face stays at its closest after the last.
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
        case .faceComingCloser:
            var data = closer[min(max(number, 0), closer.count - 1)]
            guard data.count >= band.count else { throw SelfieError.InvalidFrame(code: "FRAME_SHORT_BUFFER", detail: "an NV21 fixture is short") }
            data.replaceSubrange(data.startIndex ..< data.startIndex + band.count, with: band)
            return CameraFrame(
                width: UInt32(Self.width), height: UInt32(Self.height), format: .nv21,
                planes: [FramePlane(data: data, rowStride: UInt32(Self.width), pixelStride: 1)], timestampMs: timestampMs)
        }
    }
}
