package com.identitypass.app.ui.screens

import androidx.compose.runtime.Composable
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The partner's ID check. `Continue` makes the core open the partner's page
 * (`StartGovernmentIdCheck`, a Custom Tab); the user's return ends the handoff (ActivityEffects).
 */
@Composable
fun GovernmentIdScreen(view: ViewState, @Suppress("UNUSED_PARAMETER") screen: Screen.GovernmentId, send: (ShellEvent) -> Unit) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) })
}
