package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material3.FilledIconButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButtonDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.graphicsLayer
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
import com.identitypass.core.ReviewStage
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The review: waiting (the runtime follows the status by long-poll, pushes wake it), the
 * reviewer's call (`Continue` joins: `JoinCall`), in the call, awaiting the decision. In the
 * call the user leaves with the hang-up button (`CallEnded`), an icon that TalkBack reads by
 * the core's label for leaving the call.
 */
@Composable
fun ReviewScreen(view: ViewState, screen: Screen.Review, send: (ShellEvent) -> Unit, label: (Control) -> String) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) }) {
        if (screen.stage == ReviewStage.IN_CALL) {
            Box(Modifier.fillMaxWidth(), contentAlignment = Alignment.Center) {
                FilledIconButton(
                    onClick = { send(ShellEvent.CallEnded) },
                    colors = IconButtonDefaults.filledIconButtonColors(containerColor = MaterialTheme.colorScheme.error),
                    modifier = Modifier.size(72.dp).testTag("leave-call"),
                ) {
                    // The hang-up glyph: the call icon turned down.
                    Icon(Icons.Filled.Call, contentDescription = label(Control.LEAVE_CALL), modifier = Modifier.graphicsLayer(rotationZ = 135f))
                }
            }
        }
    }
}
