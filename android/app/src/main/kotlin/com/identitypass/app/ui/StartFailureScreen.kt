package com.identitypass.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import com.identitypass.core.Control
import com.identitypass.core.LocalizedMessage
import com.identitypass.core.controlLabel
import java.util.Locale
import kotlinx.coroutines.flow.StateFlow

/**
 * The session could not start (secure storage locked, saved progress from another version, a
 * misconfigured build): the core's explanation, announced, and its "Try again". There is no
 * session to ask for the label, so it comes from the core's catalog directly.
 */
@Composable
fun StartFailureScreen(failure: StateFlow<LocalizedMessage?>, onTryAgain: () -> Unit) {
    val explanation by failure.collectAsStateWithLifecycle()
    val tryAgain = controlLabel(Control.TRY_AGAIN, Locale.getDefault().toLanguageTag()).text
    Surface(Modifier.fillMaxSize()) {
        Column(Modifier.safeDrawingPadding().padding(24.dp), verticalArrangement = Arrangement.spacedBy(24.dp)) {
            Text(
                explanation?.text.orEmpty(),
                style = MaterialTheme.typography.bodyLarge,
                modifier = Modifier.semantics { liveRegion = LiveRegionMode.Assertive },
            )
            Button(onClick = onTryAgain) { Text(tryAgain) }
        }
    }
}
