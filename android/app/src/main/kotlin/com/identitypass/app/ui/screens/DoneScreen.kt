package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The end: the core says which credential the user now has. */
@Composable
fun DoneScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.Done, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
