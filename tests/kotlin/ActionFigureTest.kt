package com.identitypass.core.tests

import com.identitypass.core.Action
import com.identitypass.core.actionFigure
import com.identitypass.kit.PlacedActionFigure
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The liveness figure through the binding, placed by the kit's [PlacedActionFigure] as the
 * app's Canvas draws it. Mirrored in tests/swift/ActionFigureTests.swift.
 */
class ActionFigureTest {
    private fun placed(action: Action, sinceShownMs: Long, reduceMotion: Boolean = false, width: Float = 300f, height: Float = 200f) =
        PlacedActionFigure(actionFigure(action, sinceShownMs.toULong(), reduceMotion), width, height)

    @Test
    fun theFigureKeepsItsProportionsInTheLargestCentredSquare() {
        // 300 × 200: a 200-px square from x = 50 to 250.
        val atRest = placed(Action.TURN_LEFT, 0)
        assertEquals(150f, atRest.head.left + atRest.head.width / 2, 0.01f)
        assertEquals(100f, atRest.head.top + atRest.head.height / 2, 0.01f)
        assertTrue(atRest.head.left >= 50f && atRest.head.left + atRest.head.width <= 250f, "${atRest.head}")
        assertTrue(atRest.head.height > atRest.head.width, "a head is taller than wide: ${atRest.head}")
        // The same figure in a tall canvas is the same size: the square is 200 px either way.
        val tall = placed(Action.TURN_LEFT, 0, width = 200f, height = 300f)
        assertEquals(atRest.head.width, tall.head.width, 0.01f)
        assertEquals(150f, tall.head.top + tall.head.height / 2, 0.01f)
    }

    @Test
    fun aTurnToTheLeftMovesTheNoseToTheScreensLeftAndTheArrowPointsThere() {
        val atRest = placed(Action.TURN_LEFT, 0)
        val held = placed(Action.TURN_LEFT, 0, reduceMotion = true)
        assertTrue(held.features[0].toX < atRest.features[0].toX - 20f, "nose ${atRest.features[0]} → ${held.features[0]}")
        assertEquals(3, held.arrows.size, "a shaft and two barbs")
        assertTrue(held.arrows[0].toX < held.arrows[0].fromX, "the arrow points left: ${held.arrows[0]}")
        val right = placed(Action.TURN_RIGHT, 0, reduceMotion = true)
        assertTrue(right.features[0].toX > atRest.features[0].toX + 20f, "nose ${atRest.features[0]} → ${right.features[0]}")
        // Animated, the turn comes back to rest within the loop.
        val back = placed(Action.TURN_LEFT, 2_400)
        assertEquals(atRest.features[0].toX, back.features[0].toX, 0.01f)
    }

    @Test
    fun aBlinkShutsTheEyesAndComingCloserGrowsTheHeadFadingIn() {
        val open = placed(Action.BLINK, 0)
        val shut = placed(Action.BLINK, 0, reduceMotion = true)
        assertTrue(shut.eyes.all { it.height < 0.2f * open.eyes[0].height && it.height > 0f }, "${open.eyes} → ${shut.eyes}")
        assertTrue(shut.arrows.isEmpty())
        val appearing = placed(Action.COME_CLOSER, 0)
        assertEquals(0f, appearing.alpha, "the loop fades in")
        val near = placed(Action.COME_CLOSER, 0, reduceMotion = true)
        assertEquals(1f, near.alpha)
        assertTrue(near.head.width >= 1.3f * appearing.head.width, "${appearing.head} → ${near.head}")
        assertEquals(12, near.arrows.size, "four arrows out of the corners")
    }
}
