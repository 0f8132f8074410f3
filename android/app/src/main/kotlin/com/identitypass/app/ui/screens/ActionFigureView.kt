package com.identitypass.app.ui.screens

import android.provider.Settings
import androidx.compose.foundation.Canvas
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.withFrameMillis
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.StrokeCap
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.testTag
import androidx.compose.ui.unit.dp
import com.identitypass.core.Action
import com.identitypass.core.actionFigure
import com.identitypass.kit.PixelLine
import com.identitypass.kit.PixelOval
import com.identitypass.kit.PlacedActionFigure

/**
 * The drawn head doing the [action] the liveness challenge asks for, in a loop: the core's
 * `actionFigure` at each display frame's time since the action (its [index] in the sequence)
 * appeared, placed by the kit. Decorative for TalkBack (only a test tag in its semantics): the
 * instruction's text says the same and is announced. With animations off in the system
 * settings it holds the action still.
 */
@Composable
fun ActionFigureView(action: Action, index: UInt, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val reduceMotion = remember(context) {
        Settings.Global.getFloat(context.contentResolver, Settings.Global.ANIMATOR_DURATION_SCALE, 1f) == 0f
    }
    // Starts again at each new action; read only in the draw phase, so a frame redraws the
    // canvas without composing anything again.
    val sinceShownMs = produceState(0L, action, index, reduceMotion) {
        if (reduceMotion) return@produceState
        val start = withFrameMillis { it }
        while (true) {
            value = withFrameMillis { it } - start
        }
    }
    val outline = MaterialTheme.colorScheme.onSurface
    val accent = MaterialTheme.colorScheme.primary
    Canvas(modifier.clearAndSetSemantics { testTag = "action-figure" }) {
        val figure = PlacedActionFigure(actionFigure(action, sinceShownMs.value.toULong(), reduceMotion), size.width, size.height)
        val stroke = 3.dp.toPx()
        fun PixelOval.topLeft() = Offset(left, top)
        fun PixelOval.box() = Size(width, height)
        fun PixelLine.drawIn(color: Color) =
            drawLine(color, Offset(fromX, fromY), Offset(toX, toY), strokeWidth = stroke, cap = StrokeCap.Round, alpha = figure.alpha)
        drawOval(outline, figure.head.topLeft(), figure.head.box(), alpha = figure.alpha, style = Stroke(width = stroke))
        figure.eyes.forEach { drawOval(outline, it.topLeft(), it.box(), alpha = figure.alpha) }
        figure.features.forEach { it.drawIn(outline) }
        figure.arrows.forEach { it.drawIn(accent) }
    }
}
