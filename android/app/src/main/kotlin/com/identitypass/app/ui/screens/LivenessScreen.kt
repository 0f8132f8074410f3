package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.size
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import com.identitypass.app.OnboardingViewModel
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.LivenessState
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The liveness challenge: the actions the service drew, one at a time, while the camera runs
 * (the same camera panel as the selfie, with the instruction as its guidance). Beside it, the
 * drawn head doing the action asked and how many are done; both come with each frame's verdict.
 */
@Composable
fun LivenessScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.Liveness, viewModel: OnboardingViewModel) {
    val verdict by viewModel.verdict.collectAsStateWithLifecycle()
    OnboardingScaffold(view, onPrimary = { viewModel.send(ShellEvent.Continue) }) {
        CameraPanel(viewModel)
        (verdict?.liveness as? LivenessState.DoAction)?.let { asked ->
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(16.dp), verticalAlignment = Alignment.CenterVertically) {
                ActionFigureView(asked.action, asked.index, Modifier.size(96.dp))
                LinearProgressIndicator(
                    progress = { asked.index.toFloat() / asked.count.coerceAtLeast(1u).toFloat() },
                    modifier = Modifier.weight(1f),
                )
            }
        }
    }
}
