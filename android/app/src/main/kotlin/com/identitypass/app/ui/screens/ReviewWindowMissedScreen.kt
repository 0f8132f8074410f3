package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The review window passed without a review: the core offers a new request. */
@Composable
fun ReviewWindowMissedScreen(view: ViewState, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
