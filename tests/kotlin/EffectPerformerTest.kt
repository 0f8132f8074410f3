package com.identitypass.core.tests

import com.identitypass.core.CallId
import com.identitypass.core.Effect
import com.identitypass.core.LocalizedMessage
import com.identitypass.core.Permission
import com.identitypass.core.SecretString
import com.identitypass.core.ServiceCall
import com.identitypass.kit.EffectPerformer
import com.identitypass.kit.dispatch
import kotlin.test.Test
import kotlin.test.assertEquals

/** Every variant of the core's Effect reaches its own method (android/kit EffectPerformer.kt). */
class EffectPerformerTest {
    private class Recorder : EffectPerformer {
        val calls = mutableListOf<Pair<String, List<Any>>>()
        private fun record(name: String, vararg args: Any) { calls += name to args.toList() }
        override fun persistState() = record("persistState")
        override fun requestPermission(permission: Permission) = record("requestPermission", permission)
        override fun requestFullAccuracyLocation() = record("requestFullAccuracyLocation")
        override fun openAppSettings(permission: Permission) = record("openAppSettings", permission)
        override fun checkPermissions() = record("checkPermissions")
        override fun call(id: CallId, call: ServiceCall) = record("call", id, call)
        override fun startGovernmentIdCheck(requestId: String, handoffUrl: String) = record("startGovernmentIdCheck", requestId, handoffUrl)
        override fun openAuthenticator() = record("openAuthenticator")
        override fun startSelfie() = record("startSelfie")
        override fun startLiveness(requestId: String, challengeId: String) = record("startLiveness", requestId, challengeId)
        override fun watchStatus(requestId: String) = record("watchStatus", requestId)
        override fun joinCall(callId: String) = record("joinCall", callId)
        override fun registerPasskey(optionsJson: String) = record("registerPasskey", optionsJson)
        override fun scheduleWake(atMs: Long) = record("scheduleWake", atMs)
        override fun showNotification(message: LocalizedMessage) = record("showNotification", message)
        override fun openUrl(url: String) = record("openUrl", url)
        override fun openPasswordPage(url: SecretString) = record("openPasswordPage", url)
        override fun openOtpauthLink(uri: SecretString) = record("openOtpauthLink", uri)
    }

    private val message = LocalizedMessage("REVIEW_CALL_INVITED", "Your reviewer is calling")
    private val upload = ServiceCall.UploadSelfie("req_1")

    /** One of each variant, with the method and arguments it must reach. */
    private val expected: List<Pair<Effect, Pair<String, List<Any>>>> = listOf(
        Effect.PersistState to ("persistState" to emptyList()),
        Effect.RequestPermission(Permission.LOCATION) to ("requestPermission" to listOf(Permission.LOCATION)),
        Effect.RequestFullAccuracyLocation to ("requestFullAccuracyLocation" to emptyList()),
        Effect.OpenAppSettings(Permission.CAMERA) to ("openAppSettings" to listOf(Permission.CAMERA)),
        Effect.CheckPermissions to ("checkPermissions" to emptyList()),
        Effect.Call(7uL, upload) to ("call" to listOf(7uL, upload)),
        Effect.StartGovernmentIdCheck("req_1", "https://partner.example/h") to ("startGovernmentIdCheck" to listOf("req_1", "https://partner.example/h")),
        Effect.OpenAuthenticator to ("openAuthenticator" to emptyList()),
        Effect.StartSelfie to ("startSelfie" to emptyList()),
        Effect.StartLiveness("req_1", "ch_1") to ("startLiveness" to listOf("req_1", "ch_1")),
        Effect.WatchStatus("req_1") to ("watchStatus" to listOf("req_1")),
        Effect.JoinCall("call_1") to ("joinCall" to listOf("call_1")),
        Effect.RegisterPasskey("{}") to ("registerPasskey" to listOf("{}")),
        Effect.ScheduleWake(1_795_219_200_000L) to ("scheduleWake" to listOf(1_795_219_200_000L)),
        Effect.ShowNotification(message) to ("showNotification" to listOf(message)),
        Effect.OpenUrl("https://aka.ms/mysecurityinfo") to ("openUrl" to listOf("https://aka.ms/mysecurityinfo")),
        Effect.OpenPasswordPage("https://svc/account/password?ticket=t") to ("openPasswordPage" to listOf("https://svc/account/password?ticket=t")),
        Effect.OpenOtpauthLink("otpauth://totp/x?secret=s") to ("openOtpauthLink" to listOf("otpauth://totp/x?secret=s")),
    )

    @Test
    fun everyVariantReachesItsMethod() {
        for ((effect, call) in expected) {
            val recorder = Recorder()
            dispatch(effect, recorder)
            assertEquals(listOf(call), recorder.calls, "$effect")
        }
    }

    @Test
    fun theTestCoversEveryVariantOfTheGeneratedEffect() {
        val variants = Effect::class.java.declaredClasses.filter { Effect::class.java.isAssignableFrom(it) }.map { it.simpleName }.toSet()
        assertEquals(variants, expected.map { it.first::class.java.simpleName }.toSet())
        assertEquals(variants.size, expected.map { it.second.first }.toSet().size, "one method per variant")
    }
}
