import AVFoundation
import IdentityPassCore
import SwiftUI
import UIKit

/// The front camera's picture, as AVFoundation draws it (`AVCaptureVideoPreviewLayer`), fitted
/// to the 3:4 portrait frame the core sees, with the core's face boxes drawn over it.
struct CameraPreview: View {
    let session: AVCaptureSession?
    let faces: [FaceBox]
    /// The portrait frame the camera delivers (640×480 turned upright).
    private let frameAspect = CGSize(width: 3, height: 4)

    var body: some View {
        GeometryReader { geometry in
            let fitted = AVMakeRect(aspectRatio: frameAspect, insideRect: CGRect(origin: .zero, size: geometry.size))
            ZStack(alignment: .topLeading) {
                PreviewLayerView(session: session)
                    .frame(width: fitted.width, height: fitted.height)
                    .offset(x: fitted.minX, y: fitted.minY)
                ForEach(Array(faces.enumerated()), id: \.offset) { _, face in
                    Rectangle()
                        .strokeBorder(.tint, lineWidth: 3)
                        .frame(width: CGFloat(face.width) * fitted.width, height: CGFloat(face.height) * fitted.height)
                        .offset(x: fitted.minX + CGFloat(face.left) * fitted.width, y: fitted.minY + CGFloat(face.top) * fitted.height)
                }
            }
        }
        .background(.black)
        .clipShape(RoundedRectangle(cornerRadius: 16))
        // The guidance text below says what the picture shows; the picture itself is decoration.
        .accessibilityHidden(true)
    }
}

/// A UIView whose layer is the preview layer, so it resizes with the view.
private struct PreviewLayerView: UIViewRepresentable {
    let session: AVCaptureSession?

    final class LayerView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var previewLayer: AVCaptureVideoPreviewLayer? { layer as? AVCaptureVideoPreviewLayer }
    }

    func makeUIView(context: Context) -> LayerView {
        let view = LayerView()
        view.previewLayer?.videoGravity = .resizeAspect
        view.previewLayer?.session = session
        return view
    }

    func updateUIView(_ view: LayerView, context: Context) {
        if view.previewLayer?.session !== session { view.previewLayer?.session = session }
    }
}
