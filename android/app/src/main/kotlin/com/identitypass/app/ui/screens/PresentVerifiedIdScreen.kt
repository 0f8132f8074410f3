package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** Presenting the Verified ID to the service; the core signs it with the device key. */
@Composable
fun PresentVerifiedIdScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.PresentVerifiedId, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
