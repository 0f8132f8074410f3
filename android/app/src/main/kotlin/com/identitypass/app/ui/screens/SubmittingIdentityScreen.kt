package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The identity is on its way to the service: the core's progress and, if the call failed, its retry. */
@Composable
fun SubmittingIdentityScreen(view: ViewState, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
