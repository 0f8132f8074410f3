package com.identitypass.kit

import com.identitypass.core.ActionFigure
import com.identitypass.core.FigureEllipse
import com.identitypass.core.FigureLine

/** An ellipse's bounding box, in a canvas's pixels. */
data class PixelOval(val left: Float, val top: Float, val width: Float, val height: Float)

/** A straight line, in a canvas's pixels. */
data class PixelLine(val fromX: Float, val fromY: Float, val toX: Float, val toY: Float)

/**
 * The core's liveness figure (`actionFigure`, drawn in a unit square) placed in a canvas of
 * [width] × [height] pixels: in the largest square centred in it, so the figure keeps its
 * proportions whatever the layout gives. The app's Compose `Canvas` draws these shapes as they
 * are; what they are, and how they move, is the core's. The iOS kit has its twin.
 */
class PlacedActionFigure(figure: ActionFigure, width: Float, height: Float) {
    private val side = minOf(width, height).coerceAtLeast(0f)
    private val left = (width - side) / 2f
    private val top = (height - side) / 2f

    /** The head's outline. */
    val head: PixelOval = oval(figure.head)

    /** The eyes, filled: the one on the screen's left first. */
    val eyes: List<PixelOval> = listOf(oval(figure.eyeOnLeft), oval(figure.eyeOnRight))

    /** The nose and the mouth. */
    val features: List<PixelLine> = listOf(line(figure.nose), line(figure.mouth))

    /** Every arrow's shaft and barbs, drawn in the accent colour. */
    val arrows: List<PixelLine> = figure.arrows.flatMap { listOf(line(it.shaft), line(it.barbOne), line(it.barbOther)) }

    /** How opaque to draw all of it, 0 to 1. */
    val alpha: Float = figure.opacity.coerceIn(0f, 1f)

    private fun oval(e: FigureEllipse) =
        PixelOval(left + (e.centerX - e.radiusX) * side, top + (e.centerY - e.radiusY) * side, 2f * e.radiusX * side, 2f * e.radiusY * side)

    private fun line(l: FigureLine) = PixelLine(left + l.fromX * side, top + l.fromY * side, left + l.toX * side, top + l.toY * side)
}
