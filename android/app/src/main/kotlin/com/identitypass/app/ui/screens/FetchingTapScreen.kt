package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The TAP is being fetched: the core's progress and, after a failure, its retry. */
@Composable
fun FetchingTapScreen(view: ViewState, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
