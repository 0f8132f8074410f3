package com.identitypass.app.ui.screens

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import com.identitypass.core.QrMatrix

/**
 * The core's QR code, module by module: dark on white whatever the theme (scanners need the
 * contrast), with the four-module quiet zone the standard asks for. The core encoded it; the
 * shell only draws.
 */
@Composable
fun QrCode(matrix: QrMatrix, modifier: Modifier = Modifier) {
    val modules = matrix.size.toInt()
    val quiet = 4
    Canvas(modifier.fillMaxWidth(0.8f).aspectRatio(1f).background(Color.White).padding(0.dp)) {
        val module = size.minDimension / (modules + 2 * quiet)
        for (y in 0 until modules) for (x in 0 until modules) {
            if (matrix.dark.getOrNull(y * modules + x) == true) {
                drawRect(Color.Black, topLeft = Offset((x + quiet) * module, (y + quiet) * module), size = Size(module, module))
            }
        }
    }
}
