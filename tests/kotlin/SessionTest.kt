package com.identitypass.core.tests

import com.identitypass.core.CameraFrame
import com.identitypass.core.CredentialKind
import com.identitypass.core.DeviceProfile
import com.identitypass.core.Distribution
import com.identitypass.core.Effect
import com.identitypass.core.ShellEvent
import com.identitypass.core.FramePlane
import com.identitypass.core.IdentityForm
import com.identitypass.core.OnboardingSession
import com.identitypass.core.PhoneClock
import com.identitypass.core.PasskeyProvider
import com.identitypass.core.SecureStore
import com.identitypass.core.SessionException
import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus
import com.identitypass.core.PixelFormat
import com.identitypass.core.Platform
import com.identitypass.core.RequiredApp
import com.identitypass.core.ReviewStage
import com.identitypass.core.Screen
import com.identitypass.core.SessionObserver
import com.identitypass.core.SessionSettings
import com.identitypass.core.StaffKind
import com.identitypass.core.ViewState
import com.identitypass.core.completeReferencePartnerCheck
import com.identitypass.core.softwarePasskeyProvider
import com.identitypass.kit.SessionStreams
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.filterNotNull
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import java.math.BigInteger
import java.util.Base64
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * The whole onboarding, for real, from Kotlin: the session talks to the reference service the
 * runner started; this test plays the user, the platform (camera frames, the partner's ID
 * check, the call) and the reviewer. Mirrored in tests/swift/SessionTests.swift.
 */
class SessionTest {
    private val service = TestService.fromEnvironment()

    /** The phone's clock, which the test moves forward to cross a TAP's lifetime. */
    private class MovableClock : PhoneClock {
        @Volatile var aheadMs = 0L
        override fun nowMs() = System.currentTimeMillis() + aheadMs
    }

    /** The shell: collects the session's effects, reads its views through [SessionStreams]. */
    private inner class Phone(passkeys: PasskeyProvider = softwarePasskeyProvider("https://id.contoso.example")) : AutoCloseable {
        val streams = SessionStreams()
        val clock = MovableClock()
        val store = InMemorySecureStore()
        val deviceKey = JcaDeviceKey()
        val session = OnboardingSession.start(
            SessionSettings(service.url, Platform.ANDROID, Distribution.CHINA, "en-US", emptyList()),
            store,
            streams,
            passkeys,
            deviceKey,
            clock,
        )
        val effects = CopyOnWriteArrayList<Effect>()
        private val scope = CoroutineScope(Dispatchers.Default)
        private var timestamp = 1_000L

        init {
            scope.launch { streams.effects.collect { effects.add(it) } }
        }

        suspend fun screen(predicate: (Screen) -> Boolean): ViewState =
            withTimeoutOrNull(30_000) { streams.views.filterNotNull().first { predicate(it.screen) } }
                ?: error("the screen never came; stuck on ${streams.views.value} (clock ahead ${clock.aheadMs} ms; effects ${effects.takeLast(6)})")

        /** Waits for an effect and returns the latest one that matches. */
        suspend fun effect(predicate: (Effect) -> Boolean): Effect =
            withTimeoutOrNull(30_000) {
                while (effects.none(predicate)) delay(20)
                effects.last(predicate)
            } ?: error("the effect never came; saw ${effects.map { it::class.simpleName }}")

        /** The fixture frame `name`, its top rows replaced by `band` when given. */
        fun frame(name: String, band: ByteArray? = null): CameraFrame {
            timestamp += 100
            val bytes = Fixtures.bytes(name)
            band?.copyInto(bytes)
            return CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(bytes, 640u, 1u)), timestamp.toULong())
        }

        override fun close() {
            scope.cancel()
            session.closeSession()
            session.destroy()
        }
    }

    private suspend fun Phone.throughIdentity(upn: String, employeeId: String) {
        session.send(ShellEvent.DeviceChecked(DeviceProfile(Platform.ANDROID, 14u, 0u, Distribution.CHINA, true, true, true,
            listOf(RequiredApp.COMPANY_PORTAL, RequiredApp.AUTHENTICATOR))))
        session.send(ShellEvent.Continue)
        for (permission in Permission.entries) session.send(ShellEvent.PermissionReported(permission, PermissionStatus.GRANTED))
        session.send(ShellEvent.ConsentAnswered(true))
        screen { it is Screen.IdentityEntry }
        session.send(ShellEvent.IdentitySubmitted(IdentityForm(upn, employeeId, null, StaffKind.EMPLOYEE)))
    }

    private suspend fun Phone.passLiveness() {
        screen { it is Screen.Liveness }
        session.send(ShellEvent.Continue)
        effect { it is Effect.StartLiveness }
        // The service refuses frames it has judged before (a replay), and every test shares one
        // service: like a real camera, which never repeats a frame, each run's frames differ,
        // here by a band of noise along the top edge, far from the face.
        val band = kotlin.random.Random.nextBytes(640 * 4)
        for (i in 0 until 24) {
            val verdict = session.pushFrame(frame("face_closer_%02d.nv21".format(i), band))
            if (verdict.liveness is com.identitypass.core.LivenessState.Passed) return
        }
        error("the liveness challenge did not pass")
    }

    /** The reviewer's call: invite, the user joins, stays 16 s (the minimum is 15), leaves. */
    private suspend fun Phone.reviewerCall(requestId: String) {
        service.review(requestId, "call")
        screen { it is Screen.Review && it.stage == ReviewStage.CALL_INVITED }
        session.send(ShellEvent.Continue)
        effect { it is Effect.JoinCall }
        session.send(ShellEvent.CallJoined)
        service.review(requestId, "join")
        delay(16_000)
        service.review(requestId, "leave")
        session.send(ShellEvent.CallEnded)
    }

    /** A coordinate as a JWK writes it: 32 bytes big-endian, base64url without padding. */
    private fun base64Url(coordinate: BigInteger): String {
        val bytes = coordinate.toByteArray().takeLast(32).toByteArray()
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteArray(32 - bytes.size) + bytes)
    }

    /**
     * The string members of `cnf.jwk` in the stored Verified ID (`{"jws": …, "issued_at": …}`).
     * No JSON library on this classpath, and these are flat objects of strings: patterns do.
     */
    private fun boundKeyOf(stored: ByteArray): Map<String, String> {
        val jws = Regex(""""jws"\s*:\s*"([^"]+)"""").find(String(stored))?.groupValues?.get(1)
            ?: error("no jws in the stored Verified ID")
        val payload = String(Base64.getUrlDecoder().decode(jws.split('.')[1]))
        val jwk = Regex(""""cnf"\s*:\s*\{\s*"jwk"\s*:\s*(\{[^{}]*\})""").find(payload)?.groupValues?.get(1)
            ?: error("the Verified ID has no cnf.jwk")
        return Regex(""""(\w+)"\s*:\s*"([^"]*)"""").findAll(jwk).associate { it.groupValues[1] to it.groupValues[2] }
    }

    private fun requestIdOf(effects: List<Effect>) =
        effects.filterIsInstance<Effect.StartLiveness>().last().requestId

    /** A passkey API that throws an undeclared exception once, then works. */
    private class FlakyPasskeys(private val real: PasskeyProvider) : PasskeyProvider {
        private val thrown = java.util.concurrent.atomic.AtomicBoolean(false)
        override fun createPasskey(optionsJson: String): String {
            if (thrown.compareAndSet(false, true)) throw IllegalStateException("no credential provider")
            return real.createPasskey(optionsJson)
        }
    }

    /** A store that throws an undeclared exception: the session does not start, and says why. */
    private class BrokenStore : SecureStore {
        override fun read(key: String): ByteArray? = throw IllegalStateException("keystore gone")
        override fun write(key: String, value: ByteArray) = throw IllegalStateException("keystore gone")
        override fun delete(key: String) = throw IllegalStateException("keystore gone")
    }

    @Test
    fun aThrowingStoreIsATypedStartError() {
        val error = assertFailsWith<SessionException.StoreUnavailable> {
            OnboardingSession.start(
                SessionSettings(service.url, Platform.ANDROID, Distribution.CHINA, "en-US", emptyList()),
                BrokenStore(), SessionStreams(), softwarePasskeyProvider("https://id.contoso.example"), JcaDeviceKey(), null,
            )
        }
        assertTrue("keystore gone" in error.message.orEmpty(), "the reason reaches the shell: ${error.message}")
    }

    @Test
    fun aClosedSessionWritesNothingMore() = runBlocking {
        val phone = Phone()
        phone.throughIdentity("erin@contoso.example", "E1005")
        phone.screen { it is Screen.SubmittingIdentity }
        // The request is on its way; the app goes away before its answer.
        phone.close()
        val writes = phone.store.writes.get()
        val state = phone.store.values["identity-pass.flow-state"]?.copyOf()
        delay(1_500)
        assertEquals(writes, phone.store.writes.get(), "no write after closeSession() returned")
        assertTrue(state.contentEquals(phone.store.values["identity-pass.flow-state"]), "the saved state is as the session left it")
    }

    /** A shell whose observer and clock throw on every call: the session must outlive them. */
    private class ThrowingObserver : SessionObserver {
        val calls = java.util.concurrent.atomic.AtomicInteger()
        override fun onView(view: ViewState) { calls.incrementAndGet(); throw IllegalStateException("the UI is gone") }
        override fun onPlatformEffect(effect: Effect) { calls.incrementAndGet(); throw IllegalStateException("no activity") }
    }

    private class ThrowingClock : PhoneClock {
        override fun nowMs(): Long = throw ArithmeticException("clock broken")
    }

    @Test
    fun aThrowingObserverAndClockDoNotKillTheSession() = runBlocking {
        val observer = ThrowingObserver()
        val session = OnboardingSession.start(
            SessionSettings(service.url, Platform.ANDROID, Distribution.CHINA, "en-US", emptyList()),
            InMemorySecureStore(), observer, softwarePasskeyProvider("https://id.contoso.example"), JcaDeviceKey(), ThrowingClock(),
        )
        try {
            session.send(ShellEvent.DeviceChecked(DeviceProfile(Platform.ANDROID, 14u, 0u, Distribution.CHINA, true, true, true,
                listOf(RequiredApp.COMPANY_PORTAL, RequiredApp.AUTHENTICATOR))))
            session.send(ShellEvent.Continue) // a permission prompt: an effect the observer throws on
            for (permission in Permission.entries) session.send(ShellEvent.PermissionReported(permission, PermissionStatus.GRANTED))
            session.send(ShellEvent.ConsentAnswered(true))
            val reached = withTimeoutOrNull(10_000) {
                while (session.view()?.screen !is Screen.IdentityEntry) delay(20)
                true
            }
            assertEquals(true, reached, "the session kept applying events; it shows ${session.view()?.screen}")
            assertTrue(observer.calls.get() >= 4, "every view and effect was still delivered (${observer.calls.get()} calls)")
        } finally {
            session.closeSession()
            session.destroy()
        }
    }

    @Test
    fun getTapEndToEndAgainstTheService() = runBlocking {
        Phone().use { phone ->
            phone.throughIdentity("alice@contoso.example", "E1001")
            phone.screen { it is Screen.Selfie }
            phone.session.send(ShellEvent.Continue)
            phone.effect { it == Effect.StartSelfie }
            var captured = false
            repeat(10) { if (!captured) captured = phone.session.pushFrame(phone.frame("face_selfie_640x480.nv21")).captured }
            assertTrue(captured, "a steady face is captured")
            phone.passLiveness()
            phone.screen { it is Screen.Review && it.stage == ReviewStage.WAITING }
            val requestId = requestIdOf(phone.effects)

            phone.reviewerCall(requestId)
            service.review(requestId, "decision", """{"decision":"approve"}""")
            val tap = phone.screen { it is Screen.Tap && it.code != null }.screen as Screen.Tap
            assertTrue(tap.code!!.length >= 8, "the TAP is shown")
            assertTrue(phone.effects.any { it is Effect.ShowNotification }, "the user is told")

            // The Verified ID issued on approval is kept for the 30-day fast path. Wait for it:
            // its answer re-synchronises the phone with the service's clock, which would undo
            // the jump below (deadlines are kept in service time, by design).
            withTimeoutOrNull(30_000) { while (!phone.store.values.containsKey("identity-pass.verified-id")) delay(20) }
                ?: error("the Verified ID was never stored")
            // It is bound to this phone's device key (the Keystore's, here its JCA stand-in):
            // `cnf.jwk` is the key's public point, and the key proved itself when the device
            // registered.
            val jwk = boundKeyOf(phone.store.values.getValue("identity-pass.verified-id"))
            val point = phone.deviceKey.ecPublicKey.w
            assertEquals("P-256", jwk["crv"])
            assertEquals("EC", jwk["kty"])
            assertEquals(base64Url(point.affineX), jwk["x"], "cnf.jwk.x is the device key's x")
            assertEquals(base64Url(point.affineY), jwk["y"], "cnf.jwk.y is the device key's y")
            assertTrue(phone.deviceKey.signatures.get() >= 1, "the device key signed its registration proof")

            // 26 minutes later the user is warned; at 31 the TAP is gone and a new one offered.
            phone.clock.aheadMs = 26 * 60_000L
            phone.session.send(ShellEvent.Tick)
            phone.effect { it is Effect.ShowNotification && it.message.code == "FLOW_NOTIFY_TAP_EXPIRES_SOON" }
            phone.clock.aheadMs = 31 * 60_000L
            phone.session.send(ShellEvent.Tick)
            val expired = phone.screen { it is Screen.TapExpired }
            assertTrue(tap.code!! !in expired.toString(), "the expired TAP is no longer anywhere in the view")
        }
    }

    @Test
    fun getPasskeyEndToEndWithASoftwareAuthenticator() = runBlocking {
        // The platform's passkey API throws something undeclared the first time: the session
        // reports a failed passkey (not a cancel) and the user's second try goes through.
        val flaky = FlakyPasskeys(softwarePasskeyProvider("https://id.contoso.example"))
        Phone(flaky).use { phone ->
            phone.throughIdentity("dave@contoso.example", "E1004")
            phone.screen { it is Screen.GovernmentId }
            phone.session.send(ShellEvent.Continue)
            val handoff = (phone.effect { it is Effect.StartGovernmentIdCheck } as Effect.StartGovernmentIdCheck).handoffUrl
            // The user on the partner's page; the verdict goes from the partner to the service.
            val verdict = completeReferencePartnerCheck(
                handoff, Fixtures.bytes("id_document_856x540.jpg"), Fixtures.bytes("face_selfie_640x480.jpg"))
            assertEquals("verified", verdict)
            phone.session.send(ShellEvent.GovernmentIdHandoffEnded)
            phone.screen { it is Screen.AddVerifiedId }
            phone.session.send(ShellEvent.Continue)
            phone.effect { it == Effect.OpenAuthenticator }
            phone.session.send(ShellEvent.Continue)
            phone.passLiveness()
            phone.screen { it is Screen.PresentVerifiedId }
            phone.session.send(ShellEvent.Continue)
            phone.screen { it is Screen.Review && it.stage == ReviewStage.WAITING }
            val requestId = requestIdOf(phone.effects)

            phone.reviewerCall(requestId)
            service.review(requestId, "decision", """{"decision":"approve"}""")
            val failed = withTimeoutOrNull(30_000) { phone.streams.views.filterNotNull().first { it.notice != null && it.screen is Screen.Passkey } }
            assertEquals("FLOW_NOTICE_PASSKEY_FAILED", failed?.notice?.code, "the throw is a failed passkey: $failed")
            phone.session.send(ShellEvent.Continue)
            val done = phone.screen { it is Screen.Done }.screen as Screen.Done
            assertEquals(CredentialKind.PASSKEY, done.credential)
        }
    }
}
