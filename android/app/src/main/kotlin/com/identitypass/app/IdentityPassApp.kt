package com.identitypass.app

import android.app.Application
import com.identitypass.app.camera.CameraXFrameSource
import com.identitypass.app.effects.ForegroundActivity
import com.identitypass.app.effects.Notifications
import com.identitypass.core.LocalizedMessage
import com.identitypass.core.SessionException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The process: one onboarding session for the activity, the push service and the wake-up
 * worker alike (they outlive each other), started on first use.
 */
class IdentityPassApp : Application() {
    /**
     * What the session is started with. The UI test replaces it before the first activity
     * starts (the reference service on the host, fixture frames, a profile with the required
     * apps); the app never does.
     */
    @Volatile var environment = AppEnvironment(
        serviceUrl = BuildConfig.SERVICE_URL,
        frameSource = CameraXFrameSource,
        deviceProfile = DeviceProfileReader::read,
    )

    val foregroundActivity = ForegroundActivity()

    private var started: AppSession? = null
    private val failure = MutableStateFlow<LocalizedMessage?>(null)

    /**
     * Why the session could not start, in the user's language (the core's explanation: secure
     * storage locked, saved progress from another app version…); `null` while none failed.
     */
    val startFailure: StateFlow<LocalizedMessage?> = failure.asStateFlow()

    /**
     * The session, started on first use. `null` when it cannot start now: [startFailure] says
     * why, and the next call tries again. Never a crash: the user reads what to do.
     */
    @Synchronized
    fun onboarding(): AppSession? = started ?: try {
        AppSession.start(this, environment).also {
            started = it
            failure.value = null
        }
    } catch (e: SessionException) {
        failure.value = when (e) {
            is SessionException.Configuration -> e.explanation
            is SessionException.StoreUnavailable -> e.explanation
            is SessionException.SavedStateUnreadable -> e.explanation
        }
        null
    }

    override fun onCreate() {
        super.onCreate()
        registerActivityLifecycleCallbacks(foregroundActivity)
        Notifications.createChannel(this)
    }
}
