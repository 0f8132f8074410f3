package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.OnboardingViewModel
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The selfie: `Continue` makes the core ask for frames (`StartSelfie`); the core captures when a
 * steady face is good enough and uploads it itself. The phase is the core's; the camera runs
 * only while the core wants frames.
 */
@Composable
fun SelfieScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.Selfie, viewModel: OnboardingViewModel) {
    OnboardingScaffold(view, onPrimary = { viewModel.send(ShellEvent.Continue) }) {
        CameraPanel(viewModel)
    }
}
