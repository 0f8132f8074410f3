package com.identitypass.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.navigationBarsPadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableLongStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import com.identitypass.core.DeadlineView
import com.identitypass.core.ViewState
import kotlinx.coroutines.delay

/**
 * Every screen's frame, from the core's view: the title (a heading for TalkBack), the body,
 * the notice (a polite live region, so TalkBack announces it when it appears), progress while
 * the core is busy, the countdown to its deadline, the screen's own content, and the primary
 * action, enabled unless the core is busy. [onPrimary] is what the action reports (mostly
 * `Continue`; the screen knows).
 */
@Composable
fun OnboardingScaffold(
    view: ViewState,
    onPrimary: () -> Unit,
    primaryEnabled: Boolean = true,
    content: @Composable ColumnScope.() -> Unit = {},
) {
    // Edge to edge (MainActivity): Scaffold pads only its content for the system bars, so the
    // bottom bar keeps itself above the navigation bar and the keyboard, and the content clears
    // the keyboard when there is no bottom bar.
    Scaffold(
        bottomBar = {
            view.primaryAction?.let { action ->
                Button(
                    onClick = onPrimary,
                    enabled = !view.busy && primaryEnabled,
                    modifier = Modifier.fillMaxWidth().navigationBarsPadding().imePadding().padding(16.dp).testTag("primary-action"),
                ) { Text(action.text) }
            }
        },
    ) { padding ->
        Column(
            Modifier.fillMaxSize().padding(padding).consumeWindowInsets(padding).imePadding().padding(horizontal = 24.dp).verticalScroll(rememberScrollState()),
            verticalArrangement = Arrangement.spacedBy(16.dp),
        ) {
            Text(
                view.title.text,
                style = MaterialTheme.typography.headlineMedium,
                modifier = Modifier.padding(top = 24.dp).semantics { heading() }.testTag("title"),
            )
            if (view.busy) LinearProgressIndicator(Modifier.fillMaxWidth())
            view.body?.let { Text(it.text, style = MaterialTheme.typography.bodyLarge) }
            view.deadline?.let { Countdown(it) }
            view.notice?.let { notice ->
                Card(
                    colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.secondaryContainer),
                    modifier = Modifier.fillMaxWidth().semantics { liveRegion = LiveRegionMode.Polite }.testTag("notice"),
                ) { Text(notice.text, Modifier.padding(16.dp)) }
            }
            content()
        }
    }
}

/**
 * The time left to the core's deadline, counted on the phone's clock: `phoneTime` is the
 * deadline already converted by the core from the service's clock. Digits only, no words.
 */
@Composable
private fun Countdown(deadline: DeadlineView) {
    var now by remember { mutableLongStateOf(System.currentTimeMillis()) }
    LaunchedEffect(deadline) {
        while (true) {
            now = System.currentTimeMillis()
            delay(1_000)
        }
    }
    val seconds = ((deadline.phoneTime - now) / 1_000).coerceAtLeast(0)
    val text = if (seconds >= 3_600) {
        "%d:%02d:%02d".format(seconds / 3_600, seconds / 60 % 60, seconds % 60)
    } else {
        "%d:%02d".format(seconds / 60, seconds % 60)
    }
    Text(text, style = MaterialTheme.typography.displaySmall, modifier = Modifier.testTag("deadline"))
}
