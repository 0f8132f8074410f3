import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// The liveness figure through the binding, placed by the kit's `PlacedActionFigure` as the
/// app's Canvas draws it. Mirrors tests/kotlin/ActionFigureTest.kt.
final class ActionFigureTests: XCTestCase {
    private func placed(_ action: Action, _ sinceShownMs: UInt64, reduceMotion: Bool = false,
                        size: CGSize = CGSize(width: 300, height: 200)) -> PlacedActionFigure {
        PlacedActionFigure(actionFigure(action: action, sinceShownMs: sinceShownMs, reduceMotion: reduceMotion), in: size)
    }

    func testTheFigureKeepsItsProportionsInTheLargestCentredSquare() {
        // 300 × 200: a 200-point square from x = 50 to 250.
        let atRest = placed(.turnLeft, 0)
        XCTAssertEqual(atRest.head.midX, 150, accuracy: 0.01)
        XCTAssertEqual(atRest.head.midY, 100, accuracy: 0.01)
        XCTAssertTrue(atRest.head.minX >= 50 && atRest.head.maxX <= 250, "\(atRest.head)")
        XCTAssertGreaterThan(atRest.head.height, atRest.head.width, "a head is taller than wide")
        // The same figure in a tall canvas is the same size: the square is 200 points either way.
        let tall = placed(.turnLeft, 0, size: CGSize(width: 200, height: 300))
        XCTAssertEqual(atRest.head.width, tall.head.width, accuracy: 0.01)
        XCTAssertEqual(tall.head.midY, 150, accuracy: 0.01)
    }

    func testATurnToTheLeftMovesTheNoseToTheScreensLeftAndTheArrowPointsThere() {
        let atRest = placed(.turnLeft, 0)
        let held = placed(.turnLeft, 0, reduceMotion: true)
        XCTAssertLessThan(held.features[0].to.x, atRest.features[0].to.x - 20, "nose \(atRest.features[0]) → \(held.features[0])")
        XCTAssertEqual(held.arrows.count, 3, "a shaft and two barbs")
        XCTAssertLessThan(held.arrows[0].to.x, held.arrows[0].from.x, "the arrow points left")
        let right = placed(.turnRight, 0, reduceMotion: true)
        XCTAssertGreaterThan(right.features[0].to.x, atRest.features[0].to.x + 20, "nose \(atRest.features[0]) → \(right.features[0])")
        // Animated, the turn comes back to rest within the loop.
        let back = placed(.turnLeft, 2_400)
        XCTAssertEqual(atRest.features[0].to.x, back.features[0].to.x, accuracy: 0.01)
    }

    func testABlinkShutsTheEyesAndComingCloserGrowsTheHeadFadingIn() {
        let open = placed(.blink, 0)
        let shut = placed(.blink, 0, reduceMotion: true)
        XCTAssertTrue(shut.eyes.allSatisfy { $0.height < 0.2 * open.eyes[0].height && $0.height > 0 }, "\(open.eyes) → \(shut.eyes)")
        XCTAssertTrue(shut.arrows.isEmpty)
        let appearing = placed(.comeCloser, 0)
        XCTAssertEqual(appearing.opacity, 0, "the loop fades in")
        let near = placed(.comeCloser, 0, reduceMotion: true)
        XCTAssertEqual(near.opacity, 1)
        XCTAssertGreaterThanOrEqual(near.head.width, 1.3 * appearing.head.width, "\(appearing.head) → \(near.head)")
        XCTAssertEqual(near.arrows.count, 12, "four arrows out of the corners")
    }
}
