package com.identitypass.app

import androidx.compose.foundation.layout.Box
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.ui.Modifier
import com.identitypass.app.camera.FrameSource
import com.identitypass.core.CameraFrame
import com.identitypass.core.FramePlane
import com.identitypass.core.LivenessState
import com.identitypass.core.PixelFormat
import com.identitypass.core.tests.Fixtures
import com.identitypass.kit.FixtureLivenessPerson
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.withContext
import kotlin.random.Random

/**
 * The camera of the UI test: the fixture frames (NV21, 640×480) at 10 per second, off the main
 * thread as CameraX delivers them. The test chooses what the camera sees ([showSteadyFace],
 * [showPersonFollowingInstructions]).
 */
class FixtureFrameSource : FrameSource {
    override val mirrored = false

    @Volatile private var frames: Iterator<String> = emptyList<String>().iterator()
    @Volatile private var band = ByteArray(0)
    private var timestampMs = 1_000L
    private var serial = 0L

    /** A steady, well-lit face, for as long as the selfie lasts. */
    fun showSteadyFace() {
        frames = generateSequence { FixtureLivenessPerson.STEADY_FACE }.iterator()
    }

    /**
     * The liveness step: the kit's [FixtureLivenessPerson] doing what the latest verdict
     * ([liveness]) asks. The service refuses frames it has judged before, so each run's frames
     * differ by a band of noise along the top edge, far from the face, and each frame carries
     * its own number in the band.
     */
    fun showPersonFollowingInstructions(liveness: () -> LivenessState?) {
        band = Random.nextBytes(640 * 4)
        val person = FixtureLivenessPerson(Fixtures::exists)
        frames = generateSequence { person.nextFrame(liveness()) }.iterator()
    }

    @Composable
    override fun Frames(onFrame: (CameraFrame) -> Unit, modifier: Modifier) {
        Box(modifier)
        LaunchedEffect(Unit) {
            withContext(Dispatchers.Default) {
                while (isActive) {
                    nextFrame()?.let(onFrame)
                    delay(100)
                }
            }
        }
    }

    private fun nextFrame(): CameraFrame? {
        val source = frames
        if (!source.hasNext()) return null
        val bytes = Fixtures.bytes(source.next())
        band.copyInto(bytes)
        serial += 1
        if (band.isNotEmpty()) (0 until 8).forEach { bytes[it] = (serial ushr (8 * it)).toByte() }
        timestampMs += 100
        return CameraFrame(640u, 480u, PixelFormat.NV21, listOf(FramePlane(bytes, 640u, 1u)), timestampMs.toULong())
    }
}
