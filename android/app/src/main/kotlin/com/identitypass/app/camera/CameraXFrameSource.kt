package com.identitypass.app.camera

import android.util.Size
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.UseCase
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import com.identitypass.core.CameraFrame
import com.identitypass.kit.CameraFrames
import com.identitypass.kit.CameraPlane
import java.util.concurrent.Executors

/**
 * The front camera: a [PreviewView] for the user and an [ImageAnalysis] for the core, bound to
 * the screen's lifecycle. Frames are `YUV_420_888` with strides as the device lays them out
 * (the kit's [CameraFrames] keeps them; the core honours them), the latest only (a slow frame
 * is dropped, never queued), turned upright by CameraX so the core sees faces as the user
 * holds the phone, and analysed on a background executor.
 */
object CameraXFrameSource : FrameSource {
    // VGA: what the core's detector is tuned for, and cheap to copy 30 times a second.
    private val analysisSize = Size(640, 480)

    // PreviewView mirrors the front camera, as users expect of a selfie; the analysed frames are
    // the camera's own view, and each says so: the core judges them as the preview shows them.
    override val mirrored = true

    @Composable
    override fun Frames(onFrame: (CameraFrame) -> Unit, modifier: Modifier) {
        val context = LocalContext.current
        val lifecycleOwner = LocalLifecycleOwner.current
        val deliver by rememberUpdatedState(onFrame)
        val previewView = remember {
            PreviewView(context).apply {
                scaleType = PreviewView.ScaleType.FILL_CENTER
                // A TextureView: the preview sits in a scrolling column under a Compose overlay,
                // where a SurfaceView lags behind the scroll.
                implementationMode = PreviewView.ImplementationMode.COMPATIBLE
            }
        }
        DisposableEffect(lifecycleOwner) {
            val executor = Executors.newSingleThreadExecutor()
            val providerFuture = ProcessCameraProvider.getInstance(context)
            var bound: List<UseCase> = emptyList()
            // The provider may arrive after the screen has gone (both on the main thread): it must
            // then bind nothing, or the camera would run, bound to the activity, into a shut executor.
            var disposed = false
            providerFuture.addListener({
                if (disposed) return@addListener
                val provider = providerFuture.get()
                val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
                val analysis = ImageAnalysis.Builder()
                    .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                    .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                    // The core turns the frame as it reads it (rotationDegrees below): no
                    // per-frame rotation copy on the CPU here.
                    .setOutputImageRotationEnabled(false)
                    .setResolutionSelector(
                        ResolutionSelector.Builder()
                            .setResolutionStrategy(ResolutionStrategy(analysisSize, ResolutionStrategy.FALLBACK_RULE_CLOSEST_HIGHER_THEN_LOWER))
                            .build(),
                    )
                    .build()
                analysis.setAnalyzer(executor) { image -> image.use { deliver(it.toCameraFrame()) } }
                bound = listOf(preview, analysis)
                provider.unbindAll()
                provider.bindToLifecycle(lifecycleOwner, CameraSelector.DEFAULT_FRONT_CAMERA, preview, analysis)
            }, ContextCompat.getMainExecutor(context))
            onDispose {
                disposed = true
                if (providerFuture.isDone) providerFuture.get().unbind(*bound.toTypedArray())
                executor.shutdown()
            }
        }
        AndroidView(factory = { previewView }, modifier = modifier)
    }

    private fun ImageProxy.toCameraFrame(): CameraFrame = CameraFrames.yuv420(
        width = width,
        height = height,
        planes = planes.map { CameraPlane(it.buffer, it.rowStride, it.pixelStride) },
        timestampNanos = imageInfo.timestamp,
        rotationDegrees = imageInfo.rotationDegrees,
        previewMirrored = mirrored,
    )
}
