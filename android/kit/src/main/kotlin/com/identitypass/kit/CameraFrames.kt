package com.identitypass.kit

import com.identitypass.core.CameraFrame
import com.identitypass.core.FramePlane
import com.identitypass.core.PixelFormat
import java.nio.ByteBuffer

/**
 * One plane of a camera image as CameraX's `ImageProxy.PlaneProxy` hands it over: its buffer
 * (direct, usually), the bytes from one row to the next and from one sample to the next. A
 * plain holder, so the conversion below is tested on the desktop JVM.
 */
class CameraPlane(val buffer: ByteBuffer, val rowStride: Int, val pixelStride: Int)

/**
 * CameraX `YUV_420_888` images as the core's [CameraFrame]. Nothing is repacked: the core reads
 * rows and samples through the strides, so padding at row ends and interleaved chroma (pixel
 * stride 2, U and V being two views of one buffer) cost nothing here, and the last row that
 * Android trims right after its final sample is accepted as it is.
 */
object CameraFrames {
    private const val NANOS_PER_MILLI = 1_000_000L

    /**
     * The frame of `width` × `height` pixels whose Y, U and V planes are [planes] (in the order
     * `ImageProxy.getPlanes()` gives them), taken at [timestampNanos] (`ImageInfo.getTimestamp()`),
     * which must be turned [rotationDegrees] clockwise to stand upright (`ImageInfo.getRotationDegrees()`:
     * the front sensor is mounted sideways). The core turns it as it reads it, so CameraX need not
     * rotate every frame on the CPU; a rotation that is not a quarter turn is the core's to refuse.
     * [previewMirrored]: whether the preview shows the frame as a mirror image, as `PreviewView`
     * shows a front camera's (whose `ImageAnalysis` frames are the camera's own view); the core
     * then judges the selfie and the liveness actions on that mirror image, as the user sees it.
     *
     * Each plane's readable bytes (position to limit) are copied: the image goes back to CameraX
     * as soon as the analyzer returns, so the core cannot hold on to its buffers. The caller's
     * buffers are read through duplicates, so their positions do not move.
     */
    fun yuv420(
        width: Int,
        height: Int,
        planes: List<CameraPlane>,
        timestampNanos: Long,
        rotationDegrees: Int = 0,
        previewMirrored: Boolean = false,
    ): CameraFrame {
        require(width > 0 && height > 0) { "a frame has pixels: $width × $height" }
        require(planes.size == 3) { "YUV_420_888 has three planes, not ${planes.size}" }
        require(timestampNanos >= 0) { "camera timestamps are not negative: $timestampNanos" }
        return CameraFrame(
            width = width.toUInt(),
            height = height.toUInt(),
            format = PixelFormat.YUV420,
            planes = planes.map(::framePlane),
            timestampMs = (timestampNanos / NANOS_PER_MILLI).toULong(),
            rotationDegrees = rotationDegrees.toUInt(),
            previewMirrored = previewMirrored,
        )
    }

    private fun framePlane(plane: CameraPlane): FramePlane {
        require(plane.rowStride > 0 && plane.pixelStride > 0) {
            "strides are positive (row ${plane.rowStride}, pixel ${plane.pixelStride})"
        }
        return FramePlane(readableBytes(plane.buffer), plane.rowStride.toUInt(), plane.pixelStride.toUInt())
    }

    /** The bytes from the buffer's position to its limit, the buffer itself left untouched. */
    private fun readableBytes(buffer: ByteBuffer): ByteArray {
        val view = buffer.duplicate()
        val bytes = ByteArray(view.remaining())
        view.get(bytes)
        return bytes
    }
}
