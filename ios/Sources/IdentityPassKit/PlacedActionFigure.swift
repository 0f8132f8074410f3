import Foundation
import IdentityPassCore

/// The core's liveness figure (`actionFigure`, drawn in a unit square) placed in a canvas of
/// `size` points: in the largest square centred in it, so the figure keeps its proportions
/// whatever the layout gives. The app's SwiftUI `Canvas` draws these shapes as they are; what
/// they are, and how they move, is the core's. The Android kit has its twin.
///
/// Plain Foundation (`CGRect` and `CGPoint` exist on Linux too), so the Linux tests run it.
public struct PlacedActionFigure {
    /// A straight line in the canvas.
    public struct Line: Equatable {
        public let from: CGPoint
        public let to: CGPoint
    }

    /// The head's outline (the rectangle the ellipse fills).
    public let head: CGRect
    /// The eyes, filled: the one on the screen's left first.
    public let eyes: [CGRect]
    /// The nose and the mouth.
    public let features: [Line]
    /// Every arrow's shaft and barbs, drawn in the accent colour.
    public let arrows: [Line]
    /// How opaque to draw all of it, 0 to 1.
    public let opacity: Double

    public init(_ figure: ActionFigure, in size: CGSize) {
        let side = max(min(size.width, size.height), 0)
        let origin = CGPoint(x: (size.width - side) / 2, y: (size.height - side) / 2)
        func point(_ x: Float, _ y: Float) -> CGPoint {
            CGPoint(x: origin.x + CGFloat(x) * side, y: origin.y + CGFloat(y) * side)
        }
        func rect(_ e: FigureEllipse) -> CGRect {
            CGRect(origin: point(e.centerX - e.radiusX, e.centerY - e.radiusY),
                   size: CGSize(width: 2 * CGFloat(e.radiusX) * side, height: 2 * CGFloat(e.radiusY) * side))
        }
        func line(_ l: FigureLine) -> Line {
            Line(from: point(l.fromX, l.fromY), to: point(l.toX, l.toY))
        }
        head = rect(figure.head)
        eyes = [rect(figure.eyeOnLeft), rect(figure.eyeOnRight)]
        features = [line(figure.nose), line(figure.mouth)]
        arrows = figure.arrows.flatMap { [line($0.shaft), line($0.barbOne), line($0.barbOther)] }
        opacity = Double(min(max(figure.opacity, 0), 1))
    }
}
