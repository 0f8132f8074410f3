package com.identitypass.kit

/**
 * A push from the reference service, as FCM delivers its data map
 * (`RemoteMessage.getData()`). The service's push carries no personal data, only these data
 * keys (reference-service/src/push.rs, `PushMessage`):
 *
 * - `event`: `call_invited`, `approved` or `denied`
 * - `request_id`: the onboarding request concerned
 * - `device_id`: the device it was sent to (not needed by the app; ignored)
 *
 * The app does not act on the event itself: any of ours means "look at the status now"
 * (`OnboardingSession.pushReceived()`), and the core decides what changed.
 */
data class PushPayload(val event: Event, val requestId: String) {
    enum class Event(val wireName: String) {
        CALL_INVITED("call_invited"),
        APPROVED("approved"),
        DENIED("denied"),
    }

    companion object {
        const val KEY_EVENT = "event"
        const val KEY_REQUEST_ID = "request_id"

        // Request ids are short opaque tokens; anything else is not the service's.
        private val REQUEST_ID = Regex("^[A-Za-z0-9_-]{1,128}$")

        /** Our push, or `null` for anything else (another sender, a malformed or unknown event). */
        fun parse(data: Map<String, String>): PushPayload? {
            val event = Event.entries.firstOrNull { it.wireName == data[KEY_EVENT] } ?: return null
            val requestId = data[KEY_REQUEST_ID]?.takeIf(REQUEST_ID::matches) ?: return null
            return PushPayload(event, requestId)
        }
    }
}
