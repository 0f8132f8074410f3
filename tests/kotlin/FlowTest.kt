package com.identitypass.core.tests

import com.identitypass.core.AccountSecurity
import com.identitypass.core.Action
import com.identitypass.core.DeviceProfile
import com.identitypass.core.Distribution
import com.identitypass.core.Effect
import com.identitypass.core.FlowException
import com.identitypass.core.IdentityForm
import com.identitypass.core.Locale
import com.identitypass.core.OnboardingFlow
import com.identitypass.core.OnboardingPath
import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus
import com.identitypass.core.Platform
import com.identitypass.core.RegisteredMethod
import com.identitypass.core.RequiredApp
import com.identitypass.core.Rejection
import com.identitypass.core.ReviewStatus
import com.identitypass.core.RolloutFlags
import com.identitypass.core.RuntimeEvent
import com.identitypass.core.Screen
import com.identitypass.core.SecurityMethodKind
import com.identitypass.core.SecurityPolicy
import com.identitypass.core.ServiceAnswer
import com.identitypass.core.ServiceOutcome
import com.identitypass.core.ShellEvent
import com.identitypass.core.StaffKind
import com.identitypass.core.TapGrant
import com.identitypass.core.TapUsability
import com.identitypass.core.Transition
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Seed 000 ("Get TAP") end to end through the exported flow, as a shell drives it: report,
 * render, perform effects. The test plays the runtime's part too (service answers, captures)
 * through `handleRuntimeEvent`, which only the test-support build has: a shell's `handle` takes
 * a `ShellEvent` and cannot name an answer. Mirrored in tests/swift/FlowTests.swift. The rules
 * themselves are tested in Rust (core/tests/seed_paths.rs); this proves they reach Kotlin intact.
 */
class FlowTest {
    private val t0 = 1_795_219_200_000L

    /** A shell whose clock advances one second before each event; the server's clock is the phone's. */
    private class Shell(var flow: OnboardingFlow, var now: Long) {
        /** The id of the last service call the flow made (the runtime answers it). */
        var lastCall: ULong? = null

        fun next() = now + 1_000
        fun send(event: ShellEvent): Transition = record(event) { flow.handle(event, it) }
        fun runtime(event: RuntimeEvent): Transition = record(event) { flow.handleRuntimeEvent(event, it) }
        fun answer(answer: ServiceAnswer): Transition =
            runtime(RuntimeEvent.Answered(checkNotNull(lastCall) { "no call in flight" }, ServiceOutcome.Answered(answer)))

        private fun record(event: Any, apply: (Long) -> Transition): Transition {
            now += 1_000
            val t = apply(now)
            assertNull(t.rejection, "$event was rejected")
            t.effects.filterIsInstance<Effect.Call>().lastOrNull()?.let { lastCall = it.id }
            return t
        }
    }

    private fun Transition.effectNames() = effects.map { if (it is Effect.Call) it.call::class.simpleName else it::class.simpleName }

    @Test
    fun seed000GetTapEndToEnd() {
        val s = Shell(OnboardingFlow(Locale.SIMPLIFIED_CHINESE, Platform.ANDROID, Distribution.CHINA), t0)
        val profile = DeviceProfile(
            Platform.ANDROID, 14u, 0u, Distribution.CHINA, true, true, true,
            listOf(RequiredApp.COMPANY_PORTAL, RequiredApp.AUTHENTICATOR),
        )
        assertIs<Screen.Permissions>(s.send(ShellEvent.DeviceChecked(profile)).view.screen)
        assertEquals(listOf(Effect.RequestPermission(Permission.CAMERA)), s.send(ShellEvent.Continue).effects)
        for (permission in Permission.entries) s.send(ShellEvent.PermissionReported(permission, PermissionStatus.GRANTED))
        assertIs<Screen.IdentityEntry>(s.send(ShellEvent.ConsentAnswered(true)).view.screen)

        val form = IdentityForm("alias@contoso.com", "123456", null, StaffKind.EMPLOYEE)
        // The state that records a call is saved before the call goes out.
        assertEquals(listOf("PersistState", "CreateRequest"), s.send(ShellEvent.IdentitySubmitted(form)).effectNames())
        val accepted = s.answer(ServiceAnswer.RequestCreated("req-1", OnboardingPath.GET_TAP, RolloutFlags(true, false), false, null, s.next()))
        assertIs<Screen.Selfie>(accepted.view.screen)
        assertTrue(accepted.view.title.text.any { it.code in 0x4E00..0x9FFF }, "Chinese build renders Chinese: ${accepted.view.title}")

        assertEquals(listOf("PersistState", "StartSelfie"), s.send(ShellEvent.Continue).effectNames())
        assertEquals(listOf("PersistState", "UploadSelfie"), s.runtime(RuntimeEvent.SelfieCaptured).effectNames())
        s.answer(ServiceAnswer.SelfieUploaded(s.next()))
        // Liveness: the service's challenge starts the camera; the phone's pass only sends the
        // frames, and the service's verdict moves the step.
        assertEquals(listOf("PersistState", "RequestLivenessChallenge"), s.send(ShellEvent.Continue).effectNames())
        val issuedAt = s.next()
        val challenged = s.answer(ServiceAnswer.LivenessChallengeIssued("lc-1", issuedAt + 120_000, issuedAt, listOf(Action.BLINK, Action.TURN_LEFT, Action.COME_CLOSER)))
        assertEquals(listOf(Effect.PersistState, Effect.StartLiveness("req-1", "lc-1")), challenged.effects)
        assertEquals(listOf("PersistState", "SubmitLivenessFrames"), s.runtime(RuntimeEvent.LivenessFinished(null)).effectNames())
        assertEquals(listOf("PersistState", "SubmitForReview"), s.answer(ServiceAnswer.LivenessJudged(true, null, s.next())).effectNames())
        val submittedAt = s.next()
        val waiting = s.runtime(RuntimeEvent.ReviewUpdated(ReviewStatus.WaitingForReviewer(submittedAt), submittedAt))
        assertTrue(Effect.ScheduleWake(submittedAt + 24 * 3_600_000L) in waiting.effects, "the reviewer has 24 h")

        // The app is killed while it waits for the reviewer, and resumes from its snapshot.
        s.flow = OnboardingFlow.restore(s.flow.snapshot())
        s.runtime(RuntimeEvent.ReviewUpdated(ReviewStatus.CallInvited("call-1"), s.next()))
        // Joining is a state of its own (the call's media connecting), so it is saved.
        assertEquals(listOf(Effect.PersistState, Effect.JoinCall("call-1")), s.send(ShellEvent.Continue).effects)
        s.send(ShellEvent.CallJoined)
        s.now += 20_000 // the user stays 20 s, more than the 15 s minimum
        s.send(ShellEvent.CallEnded)
        assertEquals(listOf("PersistState", "CreateTap"), s.runtime(RuntimeEvent.ReviewUpdated(ReviewStatus.Approved, s.next())).effectNames())

        val startAt = s.next()
        val tapShown = s.answer(ServiceAnswer.TapCreated(TapGrant("tap-1", "ABCD-1234", startAt, 30u, false, TapUsability.ENABLED_BY_POLICY), startAt))
        assertEquals("ABCD-1234", assertIs<Screen.Tap>(tapShown.view.screen).code)
        val wakes = tapShown.effects.filterIsInstance<Effect.ScheduleWake>()
        assertEquals(Effect.ScheduleWake(startAt + 25 * 60_000L), wakes[0], "a warning 5 minutes before expiry")
        assertEquals(Effect.ScheduleWake(startAt + 30 * 60_000L), wakes[1], "the TAP lives 30 minutes from the server's start")
        assertFalse(s.flow.snapshot().contains("ABCD-1234"), "the TAP never reaches the saved state")

        // "Secure your account": the TAP signs in at the service, which alone says what is done.
        assertEquals(listOf("PersistState", "SignInWithTap"), s.send(ShellEvent.Continue).effectNames())
        val signedIn = s.next()
        val policy = SecurityPolicy(listOf(SecurityMethodKind.AUTHENTICATOR_APP), false, 4u, 8u, true, 4u, emptyList())
        val fresh = AccountSecurity(signedIn, signedIn + 30 * 60_000L, null, false, emptyList(), false, false, false, policy)
        val checklist = assertIs<Screen.SecureAccount>(s.answer(ServiceAnswer.SecurityInfo(fresh, signedIn)).view.screen)
        assertTrue(checklist.view.options.none { it.done }, "nothing is done until the service says so")
        assertEquals(listOf("PersistState", "FetchSecurityInfo"), s.send(ShellEvent.Continue).effectNames())
        val app = RegisteredMethod("m-1", SecurityMethodKind.AUTHENTICATOR_APP, null, signedIn)
        val secured = fresh.copy(passwordSet = true, methods = listOf(app), securityQuestionsSet = true, complete = true)
        assertEquals("FLOW_ACTION_FINISH", s.answer(ServiceAnswer.SecurityInfo(secured, s.next())).view.primaryAction?.code)
        assertIs<Screen.Done>(s.send(ShellEvent.Continue).view.screen)
    }

    @Test
    fun anAnswerToACallTheFlowDidNotMakeIsRejected() {
        val flow = OnboardingFlow(Locale.ENGLISH, Platform.ANDROID, Distribution.GLOBAL)
        val before = flow.snapshot()
        val t = flow.handleRuntimeEvent(RuntimeEvent.Answered(7u, ServiceOutcome.Answered(ServiceAnswer.LivenessJudged(true, null, t0))), t0)
        assertEquals(Rejection.UNEXPECTED_EVENT, t.rejection)
        assertEquals(before, flow.snapshot())
    }

    @Test
    fun aDamagedSnapshotIsATypedError() {
        assertFailsWith<FlowException.Unreadable> { OnboardingFlow.restore("{") }
        assertFailsWith<FlowException.TooNew> { OnboardingFlow.restore("""{"version":9,"flow":{}}""") }
    }
}
