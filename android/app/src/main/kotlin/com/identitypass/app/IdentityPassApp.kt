package com.identitypass.app

import android.app.Application
import com.identitypass.app.camera.CameraXFrameSource
import com.identitypass.app.effects.ForegroundActivity
import com.identitypass.app.effects.Notifications

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

    val onboarding: AppSession by lazy { AppSession.start(this, environment) }

    override fun onCreate() {
        super.onCreate()
        registerActivityLifecycleCallbacks(foregroundActivity)
        Notifications.createChannel(this)
    }
}
