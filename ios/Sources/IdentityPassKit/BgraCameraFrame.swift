import Foundation
import IdentityPassCore

/// A locked `kCVPixelFormatType_32BGRA` camera buffer as the core's `CameraFrame`.
///
/// AVFoundation pads each row to an alignment of its choosing, so `bytesPerRow` is often more
/// than `width * 4`: the frame keeps the buffer's own row stride and the core skips the padding.
/// The bytes are copied (the buffer goes back to the capture pool as soon as the delegate
/// returns), from the first byte up to the last pixel of the last row: the last row's padding
/// need not be there, and a buffer is never read past its last pixel.
///
/// Plain Foundation on purpose, so the Linux tests run the very code the app runs: the app
/// passes `CVPixelBufferGetBaseAddress`, `…GetBytesPerRow`, `…GetWidth`, `…GetHeight` and the
/// sample's presentation time in seconds.
public enum BgraCameraFrame {
    /// 32BGRA: blue, green, red, alpha, one byte each.
    public static let bytesPerPixel = 4

    /// The frame for the core. Throws `SelfieError.InvalidFrame` (with the core's own codes)
    /// for dimensions or a stride that cannot describe a buffer, before any byte is read.
    /// `rotationDegrees`: how far the buffer must be turned clockwise to stand upright (0 when
    /// the capture connection already turns it); the core turns it as it reads it and refuses
    /// anything but a quarter turn. `previewMirrored`: whether the preview shows the buffer as a
    /// mirror image (the front camera's video output, which is the camera's own view); the core
    /// then judges the selfie and the liveness actions on that mirror image, as the user sees it.
    public static func cameraFrame(
        baseAddress: UnsafeRawPointer, bytesPerRow: Int, width: Int, height: Int, presentationTimeSeconds: Double,
        rotationDegrees: UInt32 = 0, previewMirrored: Bool = false
    ) throws -> CameraFrame {
        let byteCount = try copiedByteCount(bytesPerRow: bytesPerRow, width: width, height: height)
        let timestamp = try timestampMs(presentationTimeSeconds: presentationTimeSeconds)
        let data = Data(bytes: baseAddress, count: byteCount)
        return CameraFrame(
            width: UInt32(width), height: UInt32(height), format: .bgra,
            planes: [FramePlane(data: data, rowStride: UInt32(bytesPerRow), pixelStride: UInt32(bytesPerPixel))],
            timestampMs: timestamp, rotationDegrees: rotationDegrees, previewMirrored: previewMirrored)
    }

    /// The bytes a frame of this shape occupies: every row's stride but the last, whose pixels
    /// end it. Checked so that no multiplication overflows and the values fit the core's `u32`s.
    public static func copiedByteCount(bytesPerRow: Int, width: Int, height: Int) throws -> Int {
        guard width > 0, height > 0, width <= Int(UInt32.max), height <= Int(UInt32.max) else {
            throw SelfieError.InvalidFrame(code: "FRAME_BAD_DIMENSIONS", detail: "frame size \(width)x\(height) is not supported")
        }
        let (rowBytes, rowOverflow) = width.multipliedReportingOverflow(by: bytesPerPixel)
        guard !rowOverflow, bytesPerRow >= rowBytes, bytesPerRow <= Int(UInt32.max) else {
            throw SelfieError.InvalidFrame(code: "FRAME_BAD_STRIDE", detail: "row stride \(bytesPerRow) for \(width) BGRA pixels")
        }
        let (leadingRows, leadingOverflow) = (height - 1).multipliedReportingOverflow(by: bytesPerRow)
        let (total, totalOverflow) = leadingRows.addingReportingOverflow(rowBytes)
        guard !leadingOverflow, !totalOverflow else {
            throw SelfieError.InvalidFrame(code: "FRAME_BAD_DIMENSIONS", detail: "frame size \(width)x\(height) is not supported")
        }
        return total
    }

    /// A presentation time (seconds on the capture clock, which is the host's monotonic clock
    /// and never goes back while the session runs) in whole milliseconds, as the core's frame
    /// clock counts. A time no clock produces (not finite, negative) is refused here; the core
    /// judges whether a finite one is plausible.
    public static func timestampMs(presentationTimeSeconds seconds: Double) throws -> UInt64 {
        let milliseconds = (seconds * 1_000).rounded(.down)
        guard milliseconds.isFinite, milliseconds >= 0, milliseconds < Double(UInt64.max) else {
            throw SelfieError.InvalidFrame(code: "FRAME_TIMESTAMP_IMPLAUSIBLE", detail: "presentation time \(seconds) s")
        }
        return UInt64(milliseconds)
    }
}
