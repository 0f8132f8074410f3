package com.identitypass.app.effects

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import com.identitypass.app.AppSession
import com.identitypass.core.ShellEvent
import java.util.concurrent.TimeUnit

/**
 * The core's `ScheduleWake(at)`: a `Tick` at about that time even if the process was stopped.
 *
 * WorkManager, not AlarmManager: the deadlines the core wakes for (a TAP's expiry, the review
 * window, a registration deadline) are minutes to hours away and tolerate Doze's batching, and
 * an inexact alarm gives no better timing while needing its own receiver and re-arming after a
 * reboot, which WorkManager does itself. Exact alarms would need SCHEDULE_EXACT_ALARM, which
 * Android 14 denies by default for apps that are not alarm clocks. The runtime also ticks
 * itself while the process lives; this covers the time it does not.
 */
object WakeScheduler {
    private const val WORK_NAME = "identity-pass.wake"

    fun schedule(context: Context, atMs: Long) {
        val delay = (atMs - System.currentTimeMillis()).coerceAtLeast(0)
        val request = OneTimeWorkRequestBuilder<TickWorker>()
            .setInitialDelay(delay, TimeUnit.MILLISECONDS)
            .build()
        // The core asks for its next wake-up each time; the latest request is the one that counts.
        WorkManager.getInstance(context).enqueueUniqueWork(WORK_NAME, ExistingWorkPolicy.REPLACE, request)
    }
}

/** Delivers the core's `Tick`, starting the session if the process was not running. */
class TickWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        // A session that cannot start now (storage locked before the first unlock) is tried
        // again later: the deadline the wake-up was for still needs checking.
        val onboarding = AppSession.of(applicationContext) ?: return Result.retry()
        onboarding.session.send(ShellEvent.Tick)
        return Result.success()
    }
}
