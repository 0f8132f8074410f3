package com.identitypass.app.push

import com.google.firebase.FirebaseApp
import com.google.firebase.messaging.FirebaseMessaging
import com.identitypass.app.IdentityPassApp
import com.identitypass.core.PushKind

/**
 * Global builds: FCM. The current token goes to the session at start (the core sends it to the
 * service once the device is registered, and again whenever it changes); pushes arrive in
 * [IdentityPassMessagingService]. The runtime's status long-poll runs either way: a push only
 * makes it look now.
 */
object PushChannel {
    fun start(app: IdentityPassApp) {
        // No Firebase project configured in this build (see app/build.gradle.kts): no push.
        if (FirebaseApp.getApps(app).isEmpty()) return
        FirebaseMessaging.getInstance().token.addOnSuccessListener { token ->
            app.onboarding()?.session?.registerPushToken(PushKind.FCM, token)
        }
    }
}
