package com.identitypass.app

import android.content.Context
import com.identitypass.app.camera.FrameSource
import com.identitypass.core.DeviceProfile

/** The seams between the app and the world: the service, the camera and the device facts. */
data class AppEnvironment(
    val serviceUrl: String,
    val frameSource: FrameSource,
    val deviceProfile: (Context) -> DeviceProfile,
)
