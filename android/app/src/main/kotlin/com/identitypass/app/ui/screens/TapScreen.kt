package com.identitypass.app.ui.screens

import android.app.Activity
import android.view.WindowManager
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.compose.foundation.layout.padding
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * The Temporary Access Pass: large and monospaced (no 0/O or 1/l doubt), read to TalkBack as the
 * core's name for it and then one character at a time, and the window marked secure while it
 * shows (no screenshots, no recents thumbnail, not on a cast screen).
 */
@Composable
fun TapScreen(view: ViewState, screen: Screen.Tap, send: (ShellEvent) -> Unit, label: (Control) -> String) {
    val code = screen.code
    if (code != null) SecureWindow()
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) }) {
        if (code != null) {
            Card(Modifier.fillMaxWidth()) {
                Text(
                    code,
                    style = MaterialTheme.typography.displaySmall,
                    fontFamily = FontFamily.Monospace,
                    textAlign = TextAlign.Center,
                    modifier = Modifier.fillMaxWidth().padding(24.dp)
                        // What it is, then spaced characters: TalkBack spells the code instead of
                        // reading it as a word.
                        .semantics { contentDescription = label(Control.TAP_CODE) + ", " + code.toList().joinToString(" ") }
                        .testTag("tap-code"),
                )
            }
        }
    }
}

/** FLAG_SECURE on the activity's window while in the composition. */
@Composable
private fun SecureWindow() {
    val window = (LocalContext.current as? Activity)?.window ?: return
    DisposableEffect(window) {
        window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        onDispose { window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE) }
    }
}
