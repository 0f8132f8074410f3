package com.identitypass.app.ui.screens

import android.app.Activity
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import com.identitypass.app.OnboardingViewModel

/**
 * The camera while the core wants frames (after `StartSelfie` / `StartLiveness`): the frame
 * source's preview, the faces the core found outlined, and the core's guidance for the latest
 * frame, announced politely as it changes. Frames go to the core on the source's thread.
 */
@Composable
fun CameraPanel(viewModel: OnboardingViewModel) {
    val capturing by viewModel.capturing.collectAsStateWithLifecycle()
    val verdict by viewModel.verdict.collectAsStateWithLifecycle()
    val activity = LocalContext.current as? Activity
    // Leaving the screen ends the capture; a rotation (the activity recreated, the same screen
    // composed again) must not, as nothing would ask for frames again.
    DisposableEffect(Unit) { onDispose { if (activity?.isChangingConfigurations != true) viewModel.stopCapture() } }
    if (!capturing) return
    val source = viewModel.frameSource
    // Portrait VGA, as CameraX delivers the upright front camera.
    Box(Modifier.fillMaxWidth().aspectRatio(3f / 4f)) {
        source.Frames(onFrame = viewModel::pushFrame, modifier = Modifier.fillMaxSize())
        val faces = verdict?.faces.orEmpty()
        val outline = MaterialTheme.colorScheme.primary
        Canvas(Modifier.fillMaxSize()) {
            // Face boxes are fractions of the image the user sees (the core mirrors it as the
            // preview is mirrored), so they are drawn where they are.
            faces.forEach { face ->
                drawRect(
                    color = outline,
                    topLeft = Offset(face.left * size.width, face.top * size.height),
                    size = Size(face.width * size.width, face.height * size.height),
                    style = Stroke(width = 3.dp.toPx()),
                )
            }
        }
    }
    verdict?.let {
        Text(
            it.messageText,
            style = MaterialTheme.typography.titleMedium,
            modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite }.testTag("guidance"),
        )
    }
}
