package com.identitypass.app.ui.screens

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material3.FilledIconButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButtonDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.graphicsLayer
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import com.identitypass.app.OnboardingViewModel
import com.identitypass.app.call.ReviewerVideo
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
import com.identitypass.core.ReviewStage
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The review: waiting (the runtime follows the status by long-poll, pushes wake it), the
 * reviewer's call (`Continue` joins: the session opens the call's media itself), connecting and
 * in the call, awaiting the decision.
 *
 * On the call (the core's `IN_CALL` stage, connecting included) the screen shows the reviewer's
 * video with the user's own camera in a corner, and runs the call's camera and sound while it
 * is composed: frames go to the session (and from it to the reviewer), the microphone too. The
 * user leaves with the hang-up button (`CallEnded`), an icon that TalkBack reads by the core's
 * label for leaving the call.
 */
@Composable
fun ReviewScreen(view: ViewState, screen: Screen.Review, viewModel: OnboardingViewModel) {
    OnboardingScaffold(view, onPrimary = { viewModel.send(ShellEvent.Continue) }) {
        if (screen.stage == ReviewStage.IN_CALL) {
            DisposableEffect(Unit) {
                viewModel.callAudio.start()
                onDispose { viewModel.callAudio.stop() }
            }
            Box(Modifier.fillMaxWidth().aspectRatio(3f / 4f).clip(RoundedCornerShape(16.dp)).background(Color.Black)) {
                ReviewerVideo(viewModel.call, contentDescription = view.title.text, modifier = Modifier.fillMaxSize().testTag("reviewer-video"))
                // The user's own camera, small, as video-call apps show it; its frames go to the call.
                Box(Modifier.align(Alignment.BottomEnd).padding(12.dp).fillMaxWidth(0.3f).aspectRatio(3f / 4f).clip(RoundedCornerShape(8.dp))) {
                    viewModel.frameSource.Frames(onFrame = viewModel::pushCallFrame, modifier = Modifier.fillMaxSize())
                }
            }
            Box(Modifier.fillMaxWidth(), contentAlignment = Alignment.Center) {
                FilledIconButton(
                    onClick = { viewModel.send(ShellEvent.CallEnded) },
                    colors = IconButtonDefaults.filledIconButtonColors(containerColor = MaterialTheme.colorScheme.error),
                    modifier = Modifier.size(72.dp).testTag("leave-call"),
                ) {
                    // The hang-up glyph: the call icon turned down.
                    Icon(
                        Icons.Filled.Call,
                        contentDescription = viewModel.label(Control.LEAVE_CALL),
                        modifier = Modifier.graphicsLayer(rotationZ = 135f),
                    )
                }
            }
        }
    }
}
