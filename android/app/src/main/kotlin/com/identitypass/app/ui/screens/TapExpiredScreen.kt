package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The TAP expired: the core explains why and offers a new one (fast path or a new request). */
@Composable
fun TapExpiredScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.TapExpired, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
