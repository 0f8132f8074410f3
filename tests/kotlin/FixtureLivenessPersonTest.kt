package com.identitypass.core.tests

import com.identitypass.core.Action
import com.identitypass.core.CameraFrame
import com.identitypass.core.FramePlane
import com.identitypass.core.LivenessFailure
import com.identitypass.core.LivenessState
import com.identitypass.core.PixelFormat
import com.identitypass.core.SelfieSession
import com.identitypass.kit.FixtureLivenessPerson
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The UI tests' liveness person (the kit's [FixtureLivenessPerson]) through a real selfie
 * session running the actions a service could draw. Mirrored in
 * tests/swift/FixtureCameraFramesTests.swift.
 */
class FixtureLivenessPersonTest {
    private fun frame(name: String, timestampMs: Long) =
        CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(Fixtures.bytes(name), 640u, 1u)), timestampMs.toULong())

    @Test
    fun thePersonFollowingTheInstructionsPassesTheActionChallenge() {
        // One draw repeats an action with another between, as the service's draws can.
        for (asked in listOf(listOf(Action.TURN_LEFT, Action.COME_CLOSER, Action.BLINK), listOf(Action.TURN_RIGHT, Action.BLINK, Action.TURN_RIGHT))) {
            SelfieSession("en-US").use { session ->
                session.startLivenessActions(asked)
                val person = FixtureLivenessPerson(Fixtures::exists)
                var state: LivenessState? = null
                val shown = mutableListOf<String>()
                for (number in 0 until 150) {
                    val verdict = session.pushFrame(frame(person.nextFrame(state), 1_000L + 100 * number))
                    state = verdict.liveness
                    if (shown.lastOrNull() != verdict.messageCode) shown += verdict.messageCode
                    if (state is LivenessState.Passed || state is LivenessState.Failed) break
                }
                assertTrue(state is LivenessState.Passed, "$asked: $state after $shown")
                val result = assertNotNull(session.livenessResult())
                assertNull(result.failure)
                assertTrue(result.evidenceFrames >= 6u, "frames for the service to judge: ${result.evidenceFrames}")
            }
        }
    }

    @Test
    fun aPersonAskedNothingDoesNothing() {
        SelfieSession("en-US").use { session ->
            session.startLivenessActions(listOf(Action.BLINK))
            val person = FixtureLivenessPerson(Fixtures::exists)
            var state: LivenessState? = null
            for (number in 0 until 70) {
                state = session.pushFrame(frame(person.nextFrame(null), 1_000L + 100 * number)).liveness
            }
            assertEquals(LivenessState.Failed(LivenessFailure.ACTION_TIMED_OUT), state)
        }
    }

    @Test
    fun anActionIsDoneToTheEndThenAgainOnlyIfStillAskedASecondLater() {
        val person = FixtureLivenessPerson(Fixtures::exists)
        val blink = LivenessState.DoAction(Action.BLINK, 0u, 2u)
        val turn = LivenessState.DoAction(Action.TURN_LEFT, 1u, 2u)
        val blinkFrames = generateSequence(0) { it + 1 }.takeWhile { Fixtures.exists(FixtureLivenessPerson.frameName(Action.BLINK, it)) }.count()
        val expected = (0 until blinkFrames).map { FixtureLivenessPerson.frameName(Action.BLINK, it) }
        // Asked to turn halfway through the blink: the blink is finished first.
        val frames = (0 until blinkFrames).map { person.nextFrame(if (it < 3) blink else turn) }
        assertEquals(expected, frames, "the blink, frame by frame, to its end")
        assertEquals(FixtureLivenessPerson.frameName(Action.TURN_LEFT, 0), person.nextFrame(turn), "then the turn at once")

        val again = FixtureLivenessPerson(Fixtures::exists)
        val patient = (0 until 2 * blinkFrames + FixtureLivenessPerson.PATIENCE_FRAMES).map { again.nextFrame(blink) }
        assertEquals(expected, patient.take(blinkFrames))
        assertEquals(
            List(FixtureLivenessPerson.PATIENCE_FRAMES) { FixtureLivenessPerson.STEADY_FACE },
            patient.subList(blinkFrames, blinkFrames + FixtureLivenessPerson.PATIENCE_FRAMES),
            "a second facing the camera",
        )
        assertEquals(expected, patient.takeLast(blinkFrames), "still asked a second later: again")
        assertFailsWith<IllegalArgumentException> { FixtureLivenessPerson { false } }
    }
}
