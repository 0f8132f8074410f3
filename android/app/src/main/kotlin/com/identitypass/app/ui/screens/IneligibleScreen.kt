package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Icon
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** Why this phone cannot onboard, one reason a line; the action checks the phone again. */
@Composable
fun IneligibleScreen(view: ViewState, screen: Screen.Ineligible, send: (ShellEvent) -> Unit) {
    val context = LocalContext.current
    OnboardingScaffold(view, onPrimary = { send(deviceChecked(context)) }) {
        Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            screen.reasons.forEach { reason ->
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    // Decorative: the reason's text says it all.
                    Icon(Icons.Filled.Warning, contentDescription = null)
                    Text(reason.text)
                }
            }
        }
    }
}
