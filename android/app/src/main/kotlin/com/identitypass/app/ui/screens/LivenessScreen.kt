package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.OnboardingViewModel
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The liveness challenge (move closer): frames to the core until it judges; the same camera panel. */
@Composable
fun LivenessScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.Liveness, viewModel: OnboardingViewModel) {
    OnboardingScaffold(view, onPrimary = { viewModel.send(ShellEvent.Continue) }) {
        CameraPanel(viewModel)
    }
}
