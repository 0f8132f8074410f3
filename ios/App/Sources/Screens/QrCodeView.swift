import IdentityPassCore
import SwiftUI

/// The core's QR code (its modules, row by row), drawn square with a quiet zone of four
/// modules as the standard asks, dark on white in light and dark mode alike (scanners need it).
struct QrCodeView: View {
    let matrix: QrMatrix
    private let quietZone = 4

    var body: some View {
        Canvas { context, size in
            let side = Int(matrix.size)
            guard side > 0, matrix.dark.count == side * side else { return }
            let module = min(size.width, size.height) / CGFloat(side + 2 * quietZone)
            context.fill(Path(CGRect(origin: .zero, size: size)), with: .color(.white))
            var dark = Path()
            for row in 0..<side {
                for column in 0..<side where matrix.dark[row * side + column] {
                    dark.addRect(CGRect(
                        x: CGFloat(column + quietZone) * module, y: CGFloat(row + quietZone) * module,
                        width: module, height: module))
                }
            }
            context.fill(dark, with: .color(.black))
        }
        .aspectRatio(1, contentMode: .fit)
        .frame(maxWidth: 280)
        .frame(maxWidth: .infinity)
        // For another device's camera; the activation code and URL beside it are the words.
        .accessibilityHidden(true)
    }
}
