package com.identitypass.app.ui.screens

import android.content.Context
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.ui.platform.LocalContext
import com.identitypass.app.IdentityPassApp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/** The phone's facts go to the core as soon as this screen shows; the core judges them. */
@Composable
fun DeviceCheckScreen(view: ViewState, send: (ShellEvent) -> Unit) {
    val context = LocalContext.current
    LaunchedEffect(Unit) { send(deviceChecked(context)) }
    OnboardingScaffold(view, onPrimary = { send(deviceChecked(context)) })
}

/** The device profile, read now (an app may have been installed since the last check). */
fun deviceChecked(context: Context): ShellEvent {
    val app = context.applicationContext as IdentityPassApp
    return ShellEvent.DeviceChecked(app.environment.deviceProfile(context))
}
