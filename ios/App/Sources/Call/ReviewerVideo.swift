import CoreGraphics
import IdentityPassCore
import SwiftUI

/// The reviewer's video: their newest picture filling the space it is given (cropped, not
/// letterboxed, as a video call's), black until the first one arrives. It reads the model's
/// picture itself, so that each new picture redraws this view alone, not the screen around it.
/// The screen's title says whom it shows, so VoiceOver does not stop on the picture.
struct ReviewerVideo: View {
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        Color.black
            .overlay {
                if let picture = model.reviewerPicture {
                    Image(decorative: picture, scale: 1)
                        .resizable()
                        .scaledToFill()
                }
            }
            .clipped()
            .accessibilityHidden(true)
    }
}

extension ReviewerPicture {
    /// The picture for Core Graphics: the core's packed RGBA (no row padding) as it is. Its
    /// alpha is always 255, so the fourth byte is skipped rather than blended.
    var cgImage: CGImage? {
        let width = Int(self.width), height = Int(self.height), bytesPerRow = Int(self.width) * 4
        guard width > 0, height > 0, rgba.count >= bytesPerRow * height,
              let provider = CGDataProvider(data: rgba as CFData),
              let colorSpace = CGColorSpace(name: CGColorSpace.sRGB)
        else { return nil }
        return CGImage(
            width: width, height: height, bitsPerComponent: 8, bitsPerPixel: 32, bytesPerRow: bytesPerRow,
            space: colorSpace, bitmapInfo: CGBitmapInfo(rawValue: CGImageAlphaInfo.noneSkipLast.rawValue),
            provider: provider, decode: nil, shouldInterpolate: true, intent: .defaultIntent)
    }
}
