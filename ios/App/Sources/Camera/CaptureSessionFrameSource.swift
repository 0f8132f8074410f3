import AVFoundation
import IdentityPassCore
import IdentityPassKit

/// The front camera in 32BGRA, each frame converted by the kit's `BgraCameraFrame` (row padding
/// honoured) and handed on from the capture queue. Frames that arrive while the previous one is
/// still in the face detector are dropped (`alwaysDiscardsLateVideoFrames`): the core wants the
/// newest face, not a backlog.
final class CaptureSessionFrameSource: NSObject, CameraFrameSource, AVCaptureVideoDataOutputSampleBufferDelegate, @unchecked Sendable {
    /// Shown by the preview layer; configured and started on `sessionQueue` only.
    let session = AVCaptureSession()
    private let sessionQueue = DispatchQueue(label: "com.identitypass.camera.session")
    private let frameQueue = DispatchQueue(label: "com.identitypass.camera.frames", qos: .userInitiated)
    private let lock = NSLock()
    private var onFrame: (@Sendable (CameraFrame) -> SelfieVerdict?)?
    private var configured = false
    /// On `sessionQueue` only.
    private var output: AVCaptureVideoDataOutput?

    var hasFrontCamera: Bool { Self.frontCamera() != nil }

    private static func frontCamera() -> AVCaptureDevice? {
        AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .front)
    }

    func start(scene: FixtureCameraFrames.Scene, onFrame: @escaping @Sendable (CameraFrame) -> SelfieVerdict?) {
        lock.withLock { self.onFrame = onFrame }
        sessionQueue.async { [self] in
            if !configured { configured = configure() }
            // startRunning blocks until the camera runs: never on the main thread.
            if configured && !session.isRunning { session.startRunning() }
        }
    }

    func stop() {
        lock.withLock { onFrame = nil }
        sessionQueue.async { [self] in
            if session.isRunning { session.stopRunning() }
        }
    }

    private func configure() -> Bool {
        guard let camera = Self.frontCamera(), let input = try? AVCaptureDeviceInput(device: camera) else { return false }
        session.beginConfiguration()
        defer { session.commitConfiguration() }
        // VGA is what the core's detector works at; larger frames would only be copied and shrunk.
        if session.canSetSessionPreset(.vga640x480) { session.sessionPreset = .vga640x480 }
        guard session.canAddInput(input) else { return false }
        session.addInput(input)
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_32BGRA]
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: frameQueue)
        guard session.canAddOutput(output) else { return false }
        session.addOutput(output)
        if let connection = output.connection(with: .video) {
            // Upright in the portrait UI. The connection turns the buffer (so `rotationDegrees`
            // stays 0); Android instead passes CameraX's rotation and the core turns the frame
            // as it reads it.
            if connection.isVideoRotationAngleSupported(90) { connection.videoRotationAngle = 90 }
            // The camera's own view, as CameraX gives Android's: the preview layer mirrors what
            // it shows, and each frame says so (`previewMirrored`). The core decides what is
            // judged mirrored (the selfie, the liveness actions) and what is not (the call).
            if connection.isVideoMirroringSupported {
                // Setting the mirroring while the connection adjusts it itself raises an exception.
                connection.automaticallyAdjustsVideoMirroring = false
                connection.isVideoMirrored = false
            }
        }
        self.output = output
        return true
    }

    func captureOutput(_ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer, from connection: AVCaptureConnection) {
        guard let onFrame = lock.withLock({ self.onFrame }),
              let pixels = CMSampleBufferGetImageBuffer(sampleBuffer),
              CVPixelBufferGetPixelFormatType(pixels) == kCVPixelFormatType_32BGRA
        else { return }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddress(pixels) else { return }
        // The presentation time is on the capture clock (host time): monotonic, as the core wants.
        let seconds = CMTimeGetSeconds(CMSampleBufferGetPresentationTimeStamp(sampleBuffer))
        guard let frame = try? BgraCameraFrame.cameraFrame(
            baseAddress: UnsafeRawPointer(base), bytesPerRow: CVPixelBufferGetBytesPerRow(pixels),
            width: CVPixelBufferGetWidth(pixels), height: CVPixelBufferGetHeight(pixels), presentationTimeSeconds: seconds,
            previewMirrored: true)
        else { return }
        // The person in front of a real camera reads the screen: the verdict is for the preview.
        _ = onFrame(frame)
    }
}
