package com.identitypass.app.push

import android.app.ForegroundServiceStartNotAllowedException
import android.content.Intent
import com.identitypass.app.IdentityPassApp
import com.identitypass.core.Screen
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.launch

/**
 * China builds: no Google Mobile Services, so no FCM. The runtime follows the review by
 * long-polling the status; the core emits `ShowNotification` when the reviewer calls or
 * decides. What must not happen is Android freezing or killing the backgrounded process while
 * the review waits, which would stop the long-poll: [ReviewWatchService], a foreground service,
 * runs exactly while the core shows its review screen.
 */
object PushChannel {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)
    @Volatile private var started = false

    fun start(app: IdentityPassApp) {
        if (started) return
        val onboarding = app.onboarding() ?: return
        started = true
        scope.launch {
            onboarding.streams.views
                .map { it?.screen is Screen.Review }
                .distinctUntilChanged()
                .collect { reviewing ->
                    val intent = Intent(app, ReviewWatchService::class.java)
                    if (!reviewing) {
                        app.stopService(intent)
                        return@collect
                    }
                    try {
                        app.startForegroundService(intent)
                    } catch (_: ForegroundServiceStartNotAllowedException) {
                        // Started from the background (a wake-up while reviewing): Android refuses;
                        // the next time the user opens the app it starts.
                    }
                }
        }
    }
}
