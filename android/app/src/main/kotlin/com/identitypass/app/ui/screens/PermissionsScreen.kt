package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The permissions the core still needs. Its action (allow, or open the settings after a
 * permanent denial) is `Continue`; the core answers with the effect that asks the OS.
 */
@Composable
fun PermissionsScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.Permissions, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
