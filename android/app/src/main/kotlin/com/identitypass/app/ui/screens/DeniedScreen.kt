package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The reviewer declined the request: the core says why and what the user may do next. */
@Composable
fun DeniedScreen(view: ViewState, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
