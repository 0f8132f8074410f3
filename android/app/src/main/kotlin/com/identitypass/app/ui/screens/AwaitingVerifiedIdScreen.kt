package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The Verified ID is being issued: the core's progress; its action, when it offers one, continues. */
@Composable
fun AwaitingVerifiedIdScreen(view: ViewState, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
