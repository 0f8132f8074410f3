package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * "Get Passkey": the core fetches the options and calls the app's passkey provider, which
 * shows Credential Manager's sheet (CredentialManagerPasskeys); a failure or cancel comes back
 * as the core's notice, and `Continue` tries again.
 */
@Composable
fun PasskeyScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.Passkey, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
