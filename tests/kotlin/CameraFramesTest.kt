package com.identitypass.core.tests

import com.identitypass.core.CameraFrame
import com.identitypass.core.FramePlane
import com.identitypass.core.PixelFormat
import com.identitypass.core.SelfieException
import com.identitypass.core.SelfieSession
import com.identitypass.core.SelfieVerdict
import com.identitypass.kit.CameraFrames
import com.identitypass.kit.CameraPlane
import java.nio.ByteBuffer
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * CameraX `YUV_420_888` planes to the core's frame (android/kit CameraFrames.kt): the planes are
 * built from the NV21 fixtures the way phones lay them out (odd row strides with padding,
 * interleaved chroma read through two views, the last row trimmed), and the real core must see
 * the same face as in the unpadded frame.
 */
class CameraFramesTest {
    private val width = 640
    private val height = 480

    /** How a phone lays out one image: where its bytes live and how they are strided. */
    private enum class Layout { SEMI_PLANAR, PLANAR }

    /**
     * The fixture [name] as `ImageProxy` planes: Y rows padded to [yStride], chroma rows to
     * [chromaStride], every plane ending right after its last sample as Android's do.
     */
    private fun planes(name: String, yStride: Int, chromaStride: Int, layout: Layout, direct: Boolean): List<CameraPlane> {
        val nv21 = Fixtures.bytes(name)
        val (cw, ch) = width / 2 to height / 2
        fun allocate(size: Int) = if (direct) ByteBuffer.allocateDirect(size) else ByteBuffer.allocate(size)

        val y = allocate((height - 1) * yStride + width)
        for (row in 0 until height) {
            y.position(row * yStride)
            y.put(nv21, row * width, width)
        }
        y.position(0)
        val vu = nv21.copyOfRange(width * height, nv21.size) // V U V U …, cw pairs per row
        return when (layout) {
            Layout.SEMI_PLANAR -> {
                // One interleaved buffer; V starts at its first byte, U one byte in, both with
                // pixel stride 2 and each trimmed after its own last sample.
                val shared = allocate((ch - 1) * chromaStride + 2 * cw)
                for (row in 0 until ch) {
                    shared.position(row * chromaStride)
                    shared.put(vu, row * 2 * cw, 2 * cw)
                }
                val trimmed = (ch - 1) * chromaStride + 2 * (cw - 1) + 1
                val v = shared.duplicate().apply { position(0); limit(trimmed) }.slice()
                val u = shared.duplicate().apply { position(1); limit(1 + trimmed) }.slice()
                listOf(CameraPlane(y, yStride, 1), CameraPlane(u, chromaStride, 2), CameraPlane(v, chromaStride, 2))
            }
            Layout.PLANAR -> {
                val u = allocate((ch - 1) * chromaStride + cw)
                val v = allocate((ch - 1) * chromaStride + cw)
                for (row in 0 until ch) for (col in 0 until cw) {
                    v.put(row * chromaStride + col, vu[row * 2 * cw + 2 * col])
                    u.put(row * chromaStride + col, vu[row * 2 * cw + 2 * col + 1])
                }
                listOf(CameraPlane(y, yStride, 1), CameraPlane(u, chromaStride, 1), CameraPlane(v, chromaStride, 1))
            }
        }
    }

    private fun nv21Frame(name: String, timestampMs: Long) =
        CameraFrame(width.toUInt(), height.toUInt(), PixelFormat.NV21, listOf(FramePlane(Fixtures.bytes(name), width.toUInt(), 1u)), timestampMs.toULong())

    /** What the core concluded, without the fields that carry no judgement of the image. */
    private fun SelfieVerdict.judgement() = listOf(guidance, messageCode, faces, goodStreak, captured)

    @Test
    fun stridesAndTrimmedRowsAreKeptAndTheBytesCopiedAsReadable() {
        val planes = planes("face_selfie_640x480.nv21", yStride = 653, chromaStride = 651, layout = Layout.SEMI_PLANAR, direct = true)
        val frame = CameraFrames.yuv420(width, height, planes, timestampNanos = 5_123_456_789L)
        assertEquals(PixelFormat.YUV420, frame.format)
        assertEquals(640u to 480u, frame.width to frame.height)
        assertEquals(5_123uL, frame.timestampMs, "nanoseconds to whole milliseconds")
        assertEquals(listOf(653u to 1u, 651u to 2u, 651u to 2u), frame.planes.map { it.rowStride to it.pixelStride })
        assertEquals(479 * 653 + 640, frame.planes[0].data.size, "the Y plane's last row is trimmed, as given")
        assertEquals(239 * 651 + 639, frame.planes[1].data.size, "the chroma views end at their last sample")
        planes.zip(frame.planes).forEach { (plane, converted) ->
            assertEquals(0, plane.buffer.position(), "the caller's buffer did not move")
            val expected = ByteArray(plane.buffer.remaining()).also { plane.buffer.duplicate().get(it) }
            assertContentEquals(expected, converted.data)
        }
    }

    @Test
    fun onlyTheBytesFromPositionToLimitAreCopied() {
        val heap = ByteBuffer.wrap(ByteArray(100) { it.toByte() }).apply { position(10); limit(90) }
        val frame = CameraFrames.yuv420(2, 2, List(3) { CameraPlane(heap, 40, 1) }, 0)
        assertContentEquals(ByteArray(80) { (it + 10).toByte() }, frame.planes[0].data)
        assertEquals(10 to 90, heap.position() to heap.limit())
    }

    /**
     * A front camera's frame says its preview is a mirror: the core then finds the face where
     * the user sees it, the mirror image of where it lies in the frame. Mirrored in
     * BgraCameraFrameTests.swift.
     */
    @Test
    fun aMirroredPreviewReachesTheCoreWhichReportsTheFaceWhereTheUserSeesIt() {
        val planes = planes("face_selfie_640x480.nv21", yStride = 640, chromaStride = 640, layout = Layout.SEMI_PLANAR, direct = false)
        assertEquals(false, CameraFrames.yuv420(width, height, planes, 0).previewMirrored, "not mirrored unless the app says so")
        // The left 480 columns (the strides still step over 640): the fixture's face, centred in
        // the whole frame, sits right of centre in them, so a flip moves it.
        val plain = SelfieSession("en-US").use { it.pushFrame(CameraFrames.yuv420(480, height, planes, 1_000_000_000L)) }
        val mirrored = SelfieSession("en-US").use {
            it.pushFrame(CameraFrames.yuv420(480, height, planes, 1_000_000_000L, previewMirrored = true))
        }
        val (face, seen) = plain.faces.single() to mirrored.faces.single()
        assertTrue(kotlin.math.abs(seen.left - (1f - face.left - face.width)) < 0.02f, "mirrored: $face → $seen")
        assertTrue(kotlin.math.abs(seen.top - face.top) < 0.02f && kotlin.math.abs(seen.width - face.width) < 0.02f, "$face → $seen")
        assertTrue(kotlin.math.abs(face.left + face.width / 2 - 0.5f) > 0.02f, "the fixture's face is off centre, so the test can tell")
    }

    @Test
    fun theSensorsRotationReachesTheCoreWhichRefusesAnythingButAQuarterTurn() {
        val planes = planes("face_selfie_640x480.nv21", yStride = 640, chromaStride = 640, layout = Layout.SEMI_PLANAR, direct = false)
        assertEquals(0u, CameraFrames.yuv420(width, height, planes, 0).rotationDegrees, "upright unless CameraX says otherwise")
        assertEquals(270u, CameraFrames.yuv420(width, height, planes, 0, rotationDegrees = 270).rotationDegrees)
        SelfieSession("en-US").use { session ->
            val error = assertFailsWith<SelfieException.InvalidFrame> {
                session.pushFrame(CameraFrames.yuv420(width, height, planes, 1_000_000_000L, rotationDegrees = 45))
            }
            assertEquals("FRAME_BAD_ROTATION", error.code)
            val upright = session.pushFrame(CameraFrames.yuv420(width, height, planes, 1_033_000_000L))
            SelfieSession("en-US").use { reference ->
                assertEquals(reference.pushFrame(nv21Frame("face_selfie_640x480.nv21", 1_033)).judgement(), upright.judgement())
            }
        }
    }

    @Test
    fun whatCameraXCannotGiveIsRefused() {
        val plane = CameraPlane(ByteBuffer.allocate(4), 2, 1)
        assertFailsWith<IllegalArgumentException> { CameraFrames.yuv420(2, 2, listOf(plane, plane), 0) }
        assertFailsWith<IllegalArgumentException> { CameraFrames.yuv420(2, 2, List(3) { plane }, -1) }
        assertFailsWith<IllegalArgumentException> { CameraFrames.yuv420(0, 2, List(3) { plane }, 0) }
        assertFailsWith<IllegalArgumentException> { CameraFrames.yuv420(2, 2, List(3) { CameraPlane(ByteBuffer.allocate(4), 0, 1) }, 0) }
    }

    @Test
    fun theCoreJudgesAConvertedFrameAsTheUnpaddedOne() {
        for (layout in Layout.entries) for (direct in listOf(true, false)) {
            val reference = SelfieSession("en-US")
            val converted = SelfieSession("en-US")
            try {
                for (i in 0 until 6) {
                    val timestampMs = 1_000L + 33L * i
                    val expected = reference.pushFrame(nv21Frame("face_selfie_640x480.nv21", timestampMs))
                    val planes = planes("face_selfie_640x480.nv21", yStride = 643, chromaStride = 645, layout = layout, direct = direct)
                    val actual = converted.pushFrame(CameraFrames.yuv420(width, height, planes, timestampMs * 1_000_000L + 999_999L))
                    assertEquals(expected.judgement(), actual.judgement(), "$layout, direct=$direct, frame $i")
                }
                assertTrue(converted.captureInfo() != null, "$layout, direct=$direct: a steady face is captured from converted frames")
            } finally {
                reference.destroy()
                converted.destroy()
            }
        }
    }

    @Test
    fun aDarkRoomIsStillADarkRoom() {
        SelfieSession("en-US").use { session ->
            val planes = planes("face_dark_640x480.nv21", yStride = 641, chromaStride = 647, layout = Layout.SEMI_PLANAR, direct = false)
            val verdict = session.pushFrame(CameraFrames.yuv420(width, height, planes, 1_000_000_000L))
            SelfieSession("en-US").use { reference ->
                assertEquals(reference.pushFrame(nv21Frame("face_dark_640x480.nv21", 1_000)).judgement(), verdict.judgement())
            }
        }
    }
}
