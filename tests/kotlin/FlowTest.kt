package com.identitypass.core.tests

import com.identitypass.core.ChecklistItem
import com.identitypass.core.DeviceProfile
import com.identitypass.core.Distribution
import com.identitypass.core.Effect
import com.identitypass.core.Event
import com.identitypass.core.FlowException
import com.identitypass.core.IdentityForm
import com.identitypass.core.Locale
import com.identitypass.core.OnboardingFlow
import com.identitypass.core.OnboardingPath
import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus
import com.identitypass.core.Platform
import com.identitypass.core.RequiredApp
import com.identitypass.core.ReviewStatus
import com.identitypass.core.RolloutFlags
import com.identitypass.core.Screen
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
 * render, perform effects. Mirrored in tests/swift/FlowTests.swift. The rules themselves are
 * tested in Rust (core/tests/seed_paths.rs); this proves they reach Kotlin intact.
 */
class FlowTest {
    private val t0 = 1_795_219_200_000L

    /** A shell whose clock advances one second before each event; the server's clock is the phone's. */
    private class Shell(var flow: OnboardingFlow, var now: Long) {
        fun next() = now + 1_000
        fun send(event: Event): Transition {
            now += 1_000
            val t = flow.handle(event, now)
            assertNull(t.rejection, "$event was rejected")
            return t
        }
    }

    private fun Transition.effectNames() = effects.map { it::class.simpleName }

    @Test
    fun seed000GetTapEndToEnd() {
        val s = Shell(OnboardingFlow(Locale.SIMPLIFIED_CHINESE, Platform.ANDROID, Distribution.CHINA), t0)
        val profile = DeviceProfile(
            Platform.ANDROID, 14u, 0u, Distribution.CHINA, true, true, true,
            listOf(RequiredApp.COMPANY_PORTAL, RequiredApp.AUTHENTICATOR),
        )
        assertIs<Screen.Permissions>(s.send(Event.DeviceChecked(profile)).view.screen)
        assertEquals(listOf(Effect.RequestPermission(Permission.CAMERA)), s.send(Event.Continue).effects)
        for (permission in Permission.entries) s.send(Event.PermissionReported(permission, PermissionStatus.GRANTED))
        assertIs<Screen.IdentityEntry>(s.send(Event.ConsentAnswered(true)).view.screen)

        val form = IdentityForm("alias@contoso.com", "123456", null, StaffKind.EMPLOYEE)
        assertEquals(listOf("SubmitIdentity", "PersistState"), s.send(Event.IdentitySubmitted(form)).effectNames())
        val accepted = s.send(Event.IdentityAccepted("req-1", OnboardingPath.GET_TAP, RolloutFlags(true, false), null, s.next()))
        assertIs<Screen.Selfie>(accepted.view.screen)
        assertTrue(accepted.view.title.text.any { it.code in 0x4E00..0x9FFF }, "Chinese build renders Chinese: ${accepted.view.title}")

        assertEquals(listOf("StartSelfie", "PersistState"), s.send(Event.Continue).effectNames())
        assertEquals(listOf("UploadSelfie", "PersistState"), s.send(Event.SelfieCaptured).effectNames())
        s.send(Event.SelfieUploaded(s.next()))
        assertEquals(listOf("StartLiveness", "PersistState"), s.send(Event.Continue).effectNames())
        assertEquals(listOf("SubmitForReview", "PersistState"), s.send(Event.LivenessPassed).effectNames())
        val submittedAt = s.next()
        val waiting = s.send(Event.ReviewUpdated(ReviewStatus.WaitingForReviewer(submittedAt), submittedAt))
        assertEquals(Effect.ScheduleWake(submittedAt + 24 * 3_600_000L), waiting.effects[1], "the reviewer has 24 h")

        // The app is killed while it waits for the reviewer, and resumes from its snapshot.
        s.flow = OnboardingFlow.restore(s.flow.snapshot())
        s.send(Event.ReviewUpdated(ReviewStatus.CallInvited("call-1"), s.next()))
        assertEquals(listOf<Effect>(Effect.JoinCall("call-1")), s.send(Event.Continue).effects)
        s.send(Event.CallJoined)
        s.now += 20_000 // the user stays 20 s, more than the 15 s minimum
        s.send(Event.CallEnded)
        assertEquals(listOf("FetchTap", "PersistState"), s.send(Event.ReviewUpdated(ReviewStatus.Approved, s.next())).effectNames())

        val startAt = s.next()
        val tapShown = s.send(Event.TapIssued(TapGrant("tap-1", "ABCD-1234", startAt, 30u, false, TapUsability.ENABLED_BY_POLICY), startAt))
        assertEquals("ABCD-1234", assertIs<Screen.Tap>(tapShown.view.screen).code)
        assertEquals(Effect.ScheduleWake(startAt + 25 * 60_000L), tapShown.effects[0], "a warning 5 minutes before expiry")
        assertEquals(Effect.ScheduleWake(startAt + 30 * 60_000L), tapShown.effects[1], "the TAP lives 30 minutes from the server's start")
        assertFalse(s.flow.snapshot().contains("ABCD-1234"), "the TAP never reaches the saved state")

        s.send(Event.ChecklistItemDone(ChecklistItem.PASSWORD_SET))
        assertIs<Screen.Done>(s.send(Event.ChecklistItemDone(ChecklistItem.MFA_REGISTERED)).view.screen)
    }

    @Test
    fun aDamagedSnapshotIsATypedError() {
        assertFailsWith<FlowException.Unreadable> { OnboardingFlow.restore("{") }
        assertFailsWith<FlowException.TooNew> { OnboardingFlow.restore("""{"version":9,"flow":{}}""") }
    }
}
