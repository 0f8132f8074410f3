package com.identitypass.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import com.identitypass.app.OnboardingViewModel

/** The core's latest view, or a spinner until the session published its first one. */
@Composable
fun OnboardingScreen(viewModel: OnboardingViewModel) {
    val view by viewModel.view.collectAsStateWithLifecycle()
    val current = view
    if (current == null) {
        Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
    } else {
        ScreenContent(current, viewModel)
    }
}
