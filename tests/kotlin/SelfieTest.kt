package com.identitypass.core.tests

import com.identitypass.core.Action
import com.identitypass.core.CameraFrame
import com.identitypass.core.FramePlane
import com.identitypass.core.Guidance
import com.identitypass.core.LivenessFailure
import com.identitypass.core.LivenessState
import com.identitypass.core.PixelFormat
import com.identitypass.core.SelfieException
import com.identitypass.core.SelfieSession
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Camera frames through the bindings, as CameraX hands them over (NV21) and as iOS does (BGRA):
 * guidance per frame, then a capture whose bytes stay in the core. Mirrored in
 * tests/swift/SelfieTests.swift.
 */
class SelfieTest {
    private fun nv21(name: String, timestampMs: Long) =
        CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(Fixtures.bytes(name), 640u, 1u)), timestampMs.toULong())

    @Test
    fun aSteadyWellLitFaceIsGuidedThenCaptured() {
        val session = SelfieSession("zh-CN")
        val first = session.pushFrame(nv21("face_selfie_640x480.nv21", 1_000))
        assertEquals(Guidance.GOOD, first.guidance)
        assertEquals("SELFIE_GOOD", first.messageCode)
        assertTrue(first.messageText.any { it.code in 0x4E00..0x9FFF }, first.messageText)
        assertEquals(1, first.faces.size)
        assertNull(session.captureInfo())

        val verdicts = (1..5).map { session.pushFrame(nv21("face_selfie_640x480.nv21", 1_000L + 33 * it)) }
        assertTrue(verdicts.any { it.captured }, "several good frames in a row produce a capture")
        val capture = assertNotNull(session.captureInfo())
        assertTrue(capture.byteLen in 1_000uL..200_000uL, "JPEG size ${capture.byteLen}")
        session.retake()
        assertNull(session.captureInfo(), "a retake discards the capture")
        session.destroy()
    }

    @Test
    fun aDarkRoomIsExplained() {
        SelfieSession("en-US").use { session ->
            val verdict = session.pushFrame(nv21("face_dark_640x480.nv21", 1_000))
            assertEquals(Guidance.TOO_DARK, verdict.guidance)
            assertEquals("SELFIE_TOO_DARK", verdict.messageCode)
            assertFalse(verdict.captured)
        }
    }

    @Test
    fun bgraFramesFromIosAreAcceptedToo() {
        SelfieSession("en-US").use { session ->
            val frame = CameraFrame(640u, 480u, PixelFormat.BGRA, listOf(FramePlane(Fixtures.bytes("face_selfie_640x480.bgra"), 2560u, 4u)), 1_000u)
            assertEquals(Guidance.GOOD, session.pushFrame(frame).guidance)
        }
    }

    @Test
    fun aMalformedFrameIsATypedErrorNotACrash() {
        SelfieSession("en-US").use { session ->
            val error = assertFailsWith<SelfieException.InvalidFrame> {
                session.pushFrame(CameraFrame(640u, 480u, PixelFormat.NV21, emptyList(), 1_000u))
            }
            assertEquals("FRAME_PLANE_COUNT", error.code)
            assertFailsWith<SelfieException.InvalidFrame> {
                session.pushFrame(CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(ByteArray(10), 640u, 1u)), 2_000u))
            }
        }
    }

    @Test
    fun aWildTimestampIsRefusedAloneAndANewAttemptStartsTheClockAgain() {
        SelfieSession("en-US").use { session ->
            val wild = CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(Fixtures.bytes("face_selfie_640x480.nv21"), 640u, 1u)), ULong.MAX_VALUE)
            val error = assertFailsWith<SelfieException.InvalidFrame> { session.pushFrame(wild) }
            assertEquals("FRAME_TIMESTAMP_IMPLAUSIBLE", error.code)
            assertEquals(1, session.pushFrame(nv21("face_selfie_640x480.nv21", 1_000)).faces.size, "the next frame is not refused")
            assertEquals(1, session.pushFrame(nv21("face_selfie_640x480.nv21", 1_033)).faces.size)
            session.retake()
            assertEquals(1, session.pushFrame(nv21("face_selfie_640x480.nv21", 500)).faces.size, "a retake starts the frame clock again")
            session.startLivenessActions(listOf(Action.BLINK))
            assertNotNull(session.pushFrame(nv21("face_selfie_640x480.nv21", 100)).liveness, "so does a liveness challenge")
        }
    }

    @Test
    fun aStillFaceThatNeverBlinksFailsTheLivenessChallenge() {
        SelfieSession("en-US").use { session ->
            session.startLivenessActions(listOf(Action.BLINK))
            var t = 1_000L
            var last: LivenessState? = null
            while (t < 10_000L) { // each action must be done within 5 s
                last = session.pushFrame(nv21("face_selfie_640x480.nv21", t)).liveness
                if (t == 1_000L) assertEquals(LivenessState.DoAction(Action.BLINK, 0u, 1u), last)
                t += 250
            }
            assertEquals(LivenessState.Failed(LivenessFailure.ACTION_TIMED_OUT), last)
            val result = assertNotNull(session.livenessResult())
            assertEquals(LivenessFailure.ACTION_TIMED_OUT, result.failure)
            assertEquals("LIVENESS_ACTION_TIMED_OUT", result.messageCode)
            assertEquals(0u, result.evidenceFrames, "a failed check keeps no frames")
        }
    }
}
