package com.identitypass.app.push

import com.google.firebase.messaging.FirebaseMessagingService
import com.google.firebase.messaging.RemoteMessage
import com.identitypass.app.AppSession
import com.identitypass.core.PushKind
import com.identitypass.kit.PushPayload

/**
 * FCM's entry points. A push of the service's (the kit's [PushPayload]: `event`, `request_id`)
 * tells the session to look at the status now; the core then decides what changed and, for a
 * reviewer's call, emits the notification. Anything else is ignored. Tokens are secrets: handed
 * to the core, never logged.
 */
class IdentityPassMessagingService : FirebaseMessagingService() {
    override fun onNewToken(token: String) {
        AppSession.of(this)?.session?.registerPushToken(PushKind.FCM, token)
    }

    override fun onMessageReceived(message: RemoteMessage) {
        if (PushPayload.parse(message.data) != null) AppSession.of(this)?.session?.pushReceived()
    }
}
