package com.identitypass.core.tests

import com.identitypass.kit.PushPayload
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

/** FCM data maps to the service's push (android/kit PushPayload.kt). */
class PushPayloadTest {
    @Test
    fun theServicesEventsAreRead() {
        for ((wire, event) in listOf(
            "call_invited" to PushPayload.Event.CALL_INVITED,
            "approved" to PushPayload.Event.APPROVED,
            "denied" to PushPayload.Event.DENIED,
        )) {
            assertEquals(PushPayload(event, "req_1"), PushPayload.parse(mapOf("event" to wire, "request_id" to "req_1", "device_id" to "dev_1")))
        }
    }

    @Test
    fun anythingElseIsNotOurs() {
        val foreign = listOf(
            emptyMap(),
            mapOf("request_id" to "req_1"),
            mapOf("event" to "approved"),
            mapOf("event" to "APPROVED", "request_id" to "req_1"),
            mapOf("event" to "expired", "request_id" to "req_1"),
            mapOf("event" to "approved", "request_id" to ""),
            mapOf("event" to "approved", "request_id" to "req 1; drop"),
            mapOf("event" to "approved", "request_id" to "r".repeat(200)),
            mapOf("google.message_id" to "0:1", "from" to "12345"),
        )
        for (data in foreign) assertNull(PushPayload.parse(data), "$data")
    }
}
