package com.identitypass.app.camera

import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import com.identitypass.core.CameraFrame

/**
 * Where the selfie screens get camera frames: the front camera through CameraX in the app,
 * fixture frames in the UI test. [Frames] shows what the source shows (the camera preview) and
 * delivers frames to `onFrame` on a background thread while it is in the composition.
 */
interface FrameSource {
    /**
     * Whether what [Frames] shows is the mirror image of the frames it delivers (a front camera's
     * preview). Its frames carry it (`CameraFrame.previewMirrored`), so the core reports faces in
     * the image the user sees and reads "left" as the user's left.
     */
    val mirrored: Boolean

    @Composable
    fun Frames(onFrame: (CameraFrame) -> Unit, modifier: Modifier)
}
