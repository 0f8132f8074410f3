package com.identitypass.app.push

import android.app.ForegroundServiceStartNotAllowedException
import android.app.Service
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.IBinder
import androidx.core.app.NotificationCompat
import androidx.core.app.ServiceCompat
import com.identitypass.app.AppSession
import com.identitypass.app.effects.Notifications

/**
 * Keeps the process in the foreground while the review waits, so the runtime's status
 * long-poll keeps running and the core's notification fires when the reviewer calls (China
 * builds have no push). It does no work of its own.
 *
 * Foreground-service type `specialUse` (Android 14): none of the standard types describes
 * "wait for a human reviewer's decision with no push service". `dataSync` is for transfers and
 * is capped at 6 hours a day from Android 15; `remoteMessaging` is for carrying a user's
 * messages across devices; `shortService` ends after about 3 minutes, shorter than a review.
 * `specialUse` is open to any app with the subtype declared in the manifest; the Play review
 * it would need does not apply to this flavor, which ships outside Google Play.
 *
 * Its ongoing notification shows the core's current title and body, in the user's language.
 */
class ReviewWatchService : Service() {
    override fun onBind(intent: Intent?): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        val view = AppSession.of(this)?.streams?.views?.value
        val notification = NotificationCompat.Builder(this, Notifications.CHANNEL_ID)
            .setSmallIcon(android.R.drawable.stat_notify_sync)
            .setContentTitle(view?.title?.text)
            .setContentText(view?.body?.text)
            .setOngoing(true)
            .setSilent(true)
            .setContentIntent(Notifications.openApp(this))
            .build()
        try {
            ServiceCompat.startForeground(this, WATCH_NOTIFICATION_ID, notification, ServiceInfo.FOREGROUND_SERVICE_TYPE_SPECIAL_USE)
        } catch (_: ForegroundServiceStartNotAllowedException) {
            // The app left the foreground between the start request and now: Android refuses.
            stopSelf()
        }
        // Not sticky: a service the system restarted after killing the process would have no
        // one to stop it (PushChannel watches the review screen from the activity's start), and
        // the restart comes from the background, where the foreground start is refused.
        return START_NOT_STICKY
    }

    private companion object {
        const val WATCH_NOTIFICATION_ID = 2
    }
}
