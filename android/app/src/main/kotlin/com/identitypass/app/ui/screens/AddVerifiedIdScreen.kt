package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** Adding the Verified ID in Authenticator: the core opens the app (`OpenAuthenticator`), then moves on. */
@Composable
fun AddVerifiedIdScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.AddVerifiedId, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
