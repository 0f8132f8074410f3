package com.identitypass.core.tests

import com.identitypass.core.CameraFrame
import com.identitypass.core.CredentialKind
import com.identitypass.core.DeadlineKind
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
import com.identitypass.core.QrMatrix
import com.identitypass.core.ReviewStage
import com.identitypass.core.Screen
import com.identitypass.core.SecureAccountView
import com.identitypass.core.SecurityAnswer
import com.identitypass.core.SecurityMethodKind
import com.identitypass.core.SecurityTaskKind
import com.identitypass.core.SecurityTaskView
import com.identitypass.core.SessionObserver
import com.identitypass.core.SessionSettings
import com.identitypass.core.StaffKind
import com.identitypass.core.ViewState
import com.identitypass.core.ObedientCamera
import com.identitypass.core.completeReferencePartnerCheck
import com.identitypass.core.softwarePasskeyProvider
import com.identitypass.core.controlLabel
import com.identitypass.core.Control
import com.identitypass.kit.CallStreams
import com.identitypass.kit.SessionStreams
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.filterNotNull
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import java.math.BigInteger
import java.util.Base64
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
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

    /** A barcode's modules in a printed view: thousands of booleans, left out of failure messages. */
    private val barcodeModules = Regex("""dark=\[[^\]]*\]""")

    /** The shell: collects the session's effects, reads its views through [SessionStreams]. */
    private inner class Phone(passkeys: PasskeyProvider = softwarePasskeyProvider("https://id.contoso.example")) : AutoCloseable {
        val streams = SessionStreams()
        val clock = MovableClock()
        val store = InMemorySecureStore()
        val deviceKey = JcaDeviceKey()
        /** The reviewer's pictures and voice during the call: the session joins the call's media itself. */
        val call = CallStreams()
        val session = OnboardingSession.start(
            SessionSettings(service.url, Platform.ANDROID, Distribution.CHINA, "en-US", emptyList(), call),
            store,
            streams,
            passkeys,
            deviceKey,
            clock,
        )
        val effects = CopyOnWriteArrayList<Effect>()
        private val scope = CoroutineScope(Dispatchers.Default)
        var timestamp = 1_000L

        init {
            scope.launch { streams.effects.collect { effects.add(it) } }
        }

        suspend fun screen(predicate: (Screen) -> Boolean): ViewState = view { predicate(it.screen) }

        /** Waits for a view (screen, notice, deadline…) that matches. */
        suspend fun view(predicate: (ViewState) -> Boolean): ViewState =
            withTimeoutOrNull(30_000) { streams.views.filterNotNull().first(predicate) }
                ?: error("the view never came; stuck on ${streams.views.value.toString().replace(barcodeModules, "dark=[…]")} " +
                    "(clock ahead ${clock.aheadMs} ms; effects ${effects.takeLast(6)})")

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

        /**
         * The camera and the microphone while the call is open, as CameraX and AudioRecord
         * deliver them: the fixture selfie 15 times a second, a 440 Hz tone in 20-ms pieces.
         */
        fun startCallMedia(): Job = scope.launch {
            val selfie = Fixtures.bytes("face_selfie_640x480.nv21")
            launch {
                var at = 0L
                while (isActive) {
                    at += 66
                    session.pushFrame(CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(selfie, 640u, 1u)), at.toULong()))
                    delay(66)
                }
            }
            var sample = 0L
            while (isActive) {
                session.pushCallAudio(List(960) { i -> (8_000 * kotlin.math.sin(2 * Math.PI * 440 * (sample + i) / 48_000)).toInt().toShort() })
                sample += 960
                delay(20)
            }
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
        // The service draws the actions; a person in front of the camera (the core's test
        // camera: the selfie's head turned and blinking in 3D) does what each verdict says.
        val person = ObedientCamera()
        var liveness: com.identitypass.core.LivenessState? = null
        val asked = mutableListOf<String>()
        repeat(160) {
            timestamp += 100
            val verdict = session.pushFrame(person.nextFrame(liveness, timestamp.toULong()))
            liveness = verdict.liveness
            if (asked.lastOrNull() != verdict.messageCode) asked += verdict.messageCode
            if (liveness is com.identitypass.core.LivenessState.Passed) {
                assertTrue(asked.any { it == "LIVENESS_BLINK" }, "every drawn sequence holds a blink: $asked")
                return
            }
        }
        error("the liveness challenge did not pass: $asked")
    }

    /**
     * The reviewer's call, with the app's own media: the reviewer starts it and the user joins;
     * the session opens the call's WebRTC media with the service and says "in the call" once it
     * connects. The camera and the microphone run while the call is open; after 16 s (the minimum
     * is 15) the user leaves. The service measures the time from the media: the reviewer can no
     * longer record the join by hand, and the approval that follows passes on the service's count.
     */
    private suspend fun Phone.reviewerCall(requestId: String) {
        service.review(requestId, "call")
        screen { it is Screen.Review && it.stage == ReviewStage.CALL_INVITED }
        session.send(ShellEvent.Continue)
        effect { it is Effect.JoinCall }
        val media = startCallMedia()
        try {
            view { it.title.code == "FLOW_REVIEW_IN_CALL_TITLE" }
            val refused = assertFailsWith<IllegalStateException> { service.review(requestId, "join") }
            assertTrue("409" in refused.message.orEmpty() && "CALL_MEASURED_BY_SERVICE" in refused.message.orEmpty(), "${refused.message}")
            delay(16_000)
            session.send(ShellEvent.CallEnded)
        } finally {
            media.cancel()
        }
    }

    /**
     * "Get TAP" up to the TAP on the screen: identity, selfie, liveness, the reviewer's call and
     * approval (for Alice and the runner's odd-numbered synthetic people, who are on her path).
     */
    private suspend fun Phone.getTap(upn: String, employeeId: String): Screen.Tap {
        throughIdentity(upn, employeeId)
        screen { it is Screen.Selfie }
        session.send(ShellEvent.Continue)
        effect { it == Effect.StartSelfie }
        var captured = false
        repeat(10) { if (!captured) captured = session.pushFrame(frame("face_selfie_640x480.nv21")).captured }
        assertTrue(captured, "a steady face is captured")
        passLiveness()
        screen { it is Screen.Review && it.stage == ReviewStage.WAITING }
        val requestId = requestIdOf(effects)
        // What the app's UI test relies on, having no access to the effects.
        assertEquals(requestId, service.latestRequestOf(upn), "the reviewer's queue lists the request")

        reviewerCall(requestId)
        service.review(requestId, "decision", """{"decision":"approve"}""")
        return screen { it is Screen.Tap && it.code != null }.screen as Screen.Tap
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

    private fun startOnABrokenStore(languageTag: String) = OnboardingSession.start(
        SessionSettings(service.url, Platform.ANDROID, Distribution.CHINA, languageTag, emptyList()),
        BrokenStore(), SessionStreams(), softwarePasskeyProvider("https://id.contoso.example"), JcaDeviceKey(), null,
    )

    @Test
    fun aThrowingStoreIsATypedStartError() {
        val error = assertFailsWith<SessionException.StoreUnavailable> { startOnABrokenStore("en-US") }
        assertTrue("keystore gone" in error.message.orEmpty(), "the reason reaches the shell: ${error.message}")
    }

    /** A start that fails says why in the user's language, and "Try again" needs no session. */
    @Test
    fun aFailedStartExplainsItselfInTheUsersLanguage() {
        val error = assertFailsWith<SessionException.StoreUnavailable> { startOnABrokenStore("zh-CN") }
        assertEquals("FLOW_START_STORE_UNAVAILABLE", error.explanation.code)
        assertTrue(error.explanation.text.contains("安全存储"), error.explanation.text)
        assertEquals("重试", controlLabel(Control.TRY_AGAIN, "zh-CN").text)
        assertEquals("Try again", controlLabel(Control.TRY_AGAIN, "en-GB").text)
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
            val tap = phone.getTap("alice@contoso.example", "E1001")
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

    /**
     * A QR code's fixed structure: a side of 17 + 4·version modules, the three finder patterns
     * (7×7 rings around a 3×3 centre, each with a light separator) and the timing patterns.
     */
    private fun assertIsAQrCode(barcode: QrMatrix) {
        val size = barcode.size.toInt()
        assertTrue(size >= 21 && (size - 17) % 4 == 0, "a QR code's side: $size")
        assertEquals(size * size, barcode.dark.size, "size × size modules")
        fun dark(x: Int, y: Int) = barcode.dark[y * size + x]
        for ((ox, oy) in listOf(0 to 0, size - 7 to 0, 0 to size - 7)) {
            for (y in -1..7) for (x in -1..7) {
                val (px, py) = ox + x to oy + y
                if (px !in 0 until size || py !in 0 until size) continue
                // Outer ring and centre dark; the ring between and the separator around light.
                val ring = if (x in 0..6 && y in 0..6) minOf(x, 6 - x, y, 6 - y) else 1
                val expected = ring != 1
                assertEquals(expected, dark(px, py), "finder at ($ox, $oy), module ($x, $y)")
            }
        }
        for (i in 8 until size - 8) {
            assertEquals(i % 2 == 0, dark(i, 6), "the horizontal timing pattern at $i")
            assertEquals(i % 2 == 0, dark(6, i), "the vertical timing pattern at $i")
        }
    }

    private fun ViewState.secureAccount(): SecureAccountView = assertIs<Screen.SecureAccount>(screen).view

    /**
     * Issue 13, after the TAP, from Kotlin against the service: "Secure your account" signs in
     * with the TAP; the mobile app is registered by this test acting as the user's authenticator
     * app (the otpauth link the session hands over, an independent RFC 6238 code); then four
     * security questions; then the password, on the service's page in the browser (this test), and
     * the account is secured. The service alone says what is done. Mirrored in SessionTests.swift.
     */
    @Test
    fun getTapThenSecureTheAccount() = runBlocking {
        Phone().use { phone ->
            // A person of its own (the runner seeds synthetic people): the account's methods are
            // this test's alone, whichever test ran before it on the shared service.
            val upn = "synthetic-00001@contoso.example"
            phone.getTap(upn, "S00001")
            assertEquals("FLOW_ACTION_SECURE_ACCOUNT", phone.streams.views.value?.primaryAction?.code, "the TAP screen offers to secure the account")

            // "Secure your account": the session signs in with the TAP at the service.
            phone.session.send(ShellEvent.Continue)
            val signedIn = phone.screen { it is Screen.SecureAccount }
            val checklist = signedIn.secureAccount()
            assertEquals(SecurityTaskView.Checklist, checklist.task)
            assertTrue(checklist.methods.isEmpty() && !checklist.complete, "nothing is registered yet")
            assertTrue(checklist.options.none { it.done }, "nothing is done until the service says so: ${checklist.options}")
            assertTrue(checklist.options.any { it.task == SecurityTaskKind.AUTHENTICATOR_APP }, "the policy offers the mobile app")
            // The TAP is one-time: 10 minutes to register a method, on the service's clock. The
            // service started by tests/start-service.sh runs on the machine's clock, and this test
            // leaves the phone's clock alone (aheadMs = 0): the service's time is the machine's,
            // which the window confirms (it opened at the sign-in, moments ago).
            fun serviceNowMs() = phone.clock.nowMs() - phone.clock.aheadMs
            val window = assertNotNull(signedIn.deadline, "the registration window is shown")
            assertEquals(DeadlineKind.ONE_TIME_REGISTRATION, window.kind)
            val openedAt = window.serverTime - 10 * 60_000L
            assertTrue(openedAt in serviceNowMs() - 60_000L..serviceNowMs() + 5_000L, "the window opened at the sign-in: ${serviceNowMs() - openedAt} ms ago")

            // The mobile app: the activation, with the barcode the core drew.
            phone.session.send(ShellEvent.SecurityTaskChosen(SecurityTaskKind.AUTHENTICATOR_APP))
            val activation = phone.view { (it.screen as? Screen.SecureAccount)?.view?.task.let { t -> t is SecurityTaskView.AuthenticatorApp && t.barcode != null } }
            val app = activation.secureAccount().task as SecurityTaskView.AuthenticatorApp
            assertIsAQrCode(app.barcode!!)
            assertTrue(app.activationCode.orEmpty().matches(Regex("[0-9]{9}")), "a 9-digit activation code: ${app.activationCode}")
            // For an app on another device; the service names itself by its listening address,
            // which is not the one an emulator reaches it by.
            assertTrue(app.activationUrl.orEmpty().matches(Regex("https?://.+/mfa/activate")), "the activation URL: ${app.activationUrl}")
            assertEquals("FLOW_ACTION_ADD_TO_APP", activation.primaryAction?.code)

            // "Add to the app on this phone": the otpauth link goes to the authenticator app,
            // which is this test from here on.
            phone.session.send(ShellEvent.Continue)
            val link = phone.effect { it is Effect.OpenOtpauthLink } as Effect.OpenOtpauthLink
            val otpauth = Totp.OtpauthUri.parse(link.uri)
            assertEquals("totp", otpauth.type)
            assertTrue(otpauth.label.endsWith(":$upn"), "the account is named: ${otpauth.label}")
            assertEquals(Triple("SHA1", 6, 30L), Triple(otpauth.algorithm, otpauth.digits, otpauth.period), "RFC 6238's defaults")
            assertTrue(otpauth.secret.size >= 20, "a secret of 160 bits or more")
            assertTrue(link.uri !in phone.streams.views.value.toString(), "the secret is not in the view")

            // A wrong code (none the service could accept around now): refused, explained, and
            // the activation stays for the next try.
            val nowSeconds = serviceNowMs() / 1_000
            val acceptable = (-1..2).map { otpauth.code(nowSeconds + it * otpauth.period) }.toSet()
            val wrong = (1..9).map { ((otpauth.code(nowSeconds).toInt() + it * 111_111) % 1_000_000).toString().padStart(6, '0') }
                .first { it !in acceptable }
            phone.session.send(ShellEvent.VerificationCodeEntered(wrong))
            val refused = phone.view { it.notice?.code == "SERVICE_VERIFICATION_CODE_INVALID" }
            assertIs<SecurityTaskView.AuthenticatorApp>(refused.secureAccount().task, "the task stays open")
            assertTrue(refused.secureAccount().methods.isEmpty())

            // The app's current code, on the service's clock.
            phone.session.send(ShellEvent.VerificationCodeEntered(otpauth.code(serviceNowMs() / 1_000)))
            val registered = phone.view { (it.screen as? Screen.SecureAccount)?.view?.methods?.isNotEmpty() == true }
            val withApp = registered.secureAccount()
            assertEquals(listOf(SecurityMethodKind.AUTHENTICATOR_APP), withApp.methods.map { it.kind })
            assertEquals(SecurityTaskView.Checklist, withApp.task, "the accepted code ends the task")
            assertTrue(withApp.options.single { it.task == SecurityTaskKind.AUTHENTICATOR_APP }.done, "the mobile app is done")
            assertEquals(DeadlineKind.TAP_EXPIRY, registered.deadline?.kind, "a method closes the 10-minute window")

            // Four security questions from the administrator's list; three are too few.
            phone.session.send(ShellEvent.SecurityTaskChosen(SecurityTaskKind.SECURITY_QUESTIONS))
            val asked = phone.view { (it.screen as? Screen.SecureAccount)?.view?.task is SecurityTaskView.SecurityQuestions }
            val form = asked.secureAccount().task as SecurityTaskView.SecurityQuestions
            assertEquals(4u, form.count)
            assertTrue(form.questions.size >= 8, "a list to pick from: ${form.questions.size}")
            assertEquals(form.questions.size, form.questions.map { it.id }.toSet().size, "distinct ids")
            assertTrue(form.questions.all { it.text.isNotBlank() }, "each question has its English text")
            val picked = form.questions.filterIndexed { i, _ -> i % 2 == 1 }.take(4)
            phone.session.send(ShellEvent.SecurityAnswersEntered(picked.take(3).map { SecurityAnswer(it.id, "Answer to ${it.id}") }))
            val tooFew = phone.view { it.notice?.code == "SERVICE_SECURITY_QUESTIONS_TOO_FEW" }
            assertIs<SecurityTaskView.SecurityQuestions>(tooFew.secureAccount().task, "the form stays")
            phone.session.send(ShellEvent.SecurityAnswersEntered(picked.map { SecurityAnswer(it.id, "  Answer to ${it.id}  ") }))
            val answered = phone.view { view ->
                (view.screen as? Screen.SecureAccount)?.view?.options.orEmpty().any { it.task == SecurityTaskKind.SECURITY_QUESTIONS && it.done }
            }
            val secured = answered.secureAccount()
            assertEquals(SecurityTaskView.Checklist, secured.task)
            assertEquals(listOf(SecurityMethodKind.AUTHENTICATOR_APP), secured.methods.map { it.kind }, "the app is still registered")
            assertFalse(secured.complete, "the password is still to be set: the service says so")
            assertFalse(secured.options.single { it.task == SecurityTaskKind.PASSWORD }.done)

            // The password: the session asks the service for its one-use page and hands the link
            // to the browser, which is this test from here on. The phone never holds the password.
            phone.session.send(ShellEvent.SecurityTaskChosen(SecurityTaskKind.PASSWORD))
            val pageLink = (phone.effect { it is Effect.OpenPasswordPage } as Effect.OpenPasswordPage).url
            val waiting = phone.view { (it.screen as? Screen.SecureAccount)?.view?.task == SecurityTaskView.Password }
            assertFalse(waiting.secureAccount().complete)
            assertEquals("FLOW_ACTION_CHECK_AGAIN", waiting.primaryAction?.code, "the app waits for the browser")
            assertTrue(pageLink !in waiting.toString(), "the link (a credential) is not in the view")
            val page = java.net.URI(pageLink)
            assertEquals("/account/password", page.rawPath, "the service's password page: $page")
            val ticket = Regex("""^ticket=([A-Za-z0-9]{32,})$""").find(page.rawQuery.orEmpty())?.groupValues?.get(1)
                ?: error("the link carries a one-use ticket")
            // The service names itself by its listening address, which is not the one an emulator
            // reaches it by: the browser goes to the page's path at the service the test knows.
            val origin = Browser.originOf(service.url)
            val pageUrl = "$origin${page.rawPath}?${page.rawQuery}"

            val shown = Browser.get(pageUrl)
            assertEquals(200, shown.status, "the page: $shown")
            assertTrue("<form" in shown.body, "a form: ${shown.body}")
            val policy = shown.header("Content-Security-Policy").orEmpty()
            assertTrue("default-src 'none'" in policy && "form-action 'self'" in policy, "a strict Content-Security-Policy: $policy")
            assertTrue("""name="ticket" value="$ticket"""" in shown.body, "the form carries the ticket")
            val action = Regex("""<form[^>]*action="([^"]+)"""").find(shown.body)?.groupValues?.get(1) ?: error("the form's target")
            assertEquals(page.rawPath, action, "the form posts back to the page's path")

            // Typed twice, differently: refused, the form again (the same ticket, nothing spent).
            val password = "correct horse battery staple 42"
            val mismatch = Browser.postForm("$origin$action", listOf("ticket" to ticket, "password" to password, "confirmation" to "$password!"), origin)
            assertEquals(422, mismatch.status, "a mismatching confirmation: $mismatch")
            assertTrue("<form" in mismatch.body && """role="alert"""" in mismatch.body, "the form again, with the problem: ${mismatch.body}")
            assertTrue("""name="ticket" value="$ticket"""" in mismatch.body, "the ticket is kept")
            assertTrue(password !in mismatch.body, "the password is not echoed back")
            val accepted = Browser.postForm("$origin$action", listOf("ticket" to ticket, "password" to password, "confirmation" to password), origin)
            assertEquals(200, accepted.status, "the password is set: $accepted")
            assertFalse("<form" in accepted.body, "no form once it is set: ${accepted.body}")
            // The ticket was for one use.
            assertEquals(410, Browser.get(pageUrl).status, "the link is spent")

            // Back in the app: the session asks the service again, and the account is secured.
            phone.session.send(ShellEvent.AppResumed)
            val complete = phone.view { (it.screen as? Screen.SecureAccount)?.view?.complete == true }
            val done = complete.secureAccount()
            assertTrue(done.options.single { it.task == SecurityTaskKind.PASSWORD }.done, "the password is done: ${done.options}")
            assertEquals(listOf(SecurityMethodKind.AUTHENTICATOR_APP), done.methods.map { it.kind })
            assertEquals("FLOW_ACTION_FINISH", complete.primaryAction?.code)
            phone.session.send(ShellEvent.Continue)
            val finished = phone.screen { it is Screen.Done }.screen as Screen.Done
            assertEquals(CredentialKind.TAP, finished.credential)
        }
    }

    @Test
    fun getPasskeyEndToEndWithASoftwareAuthenticator() = runBlocking {
        // The platform's passkey API throws something undeclared the first time: the session
        // reports a failed passkey (not a cancel) and the user's second try goes through. The
        // authenticator is reached as the Android app reaches Credential Manager: through the
        // kit's JSON mapping both ways (PasskeyJsonTest.kt).
        val credentialManager = CredentialManagerShapedPasskeys(softwarePasskeyProvider("https://id.contoso.example"))
        val flaky = FlakyPasskeys(credentialManager)
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
            assertEquals(1, credentialManager.ceremonies.get(), "the service accepted the passkey mapped as Credential Manager's")
        }
    }
}
