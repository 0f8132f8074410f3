package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The consent notice: accept or decline (`ConsentAnswered`). Both answers carry the core's own
 * words for agreeing and not agreeing, in the user's language: a generic OK / Cancel would not
 * say what the user consents to.
 */
@Composable
fun ConsentScreen(
    view: ViewState,
    @Suppress("UNUSED_PARAMETER") screen: Screen.Consent,
    send: (ShellEvent) -> Unit,
    label: (Control) -> String,
) {
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.ConsentAnswered(true)) }) {
        Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(12.dp, androidx.compose.ui.Alignment.End)) {
            OutlinedButton(onClick = { send(ShellEvent.ConsentAnswered(false)) }, enabled = !view.busy, modifier = Modifier.testTag("consent-decline")) {
                Text(label(Control.CONSENT_DECLINE))
            }
            Button(onClick = { send(ShellEvent.ConsentAnswered(true)) }, enabled = !view.busy, modifier = Modifier.testTag("consent-accept")) {
                Text(label(Control.CONSENT_ACCEPT))
            }
        }
    }
}
