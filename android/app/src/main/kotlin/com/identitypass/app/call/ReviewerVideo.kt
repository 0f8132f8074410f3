package com.identitypass.app.call

import android.graphics.Bitmap
import androidx.compose.foundation.Image
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import com.identitypass.core.ReviewerPicture
import com.identitypass.kit.CallStreams
import java.nio.ByteBuffer

/**
 * The reviewer's video: their newest picture, drawn as it arrives. The core hands it over as
 * packed RGBA, which is `ARGB_8888`'s byte order in memory, so it is copied in as is.
 * `contentDescription` is the screen's: the picture is the reviewer, whom the title names.
 */
@Composable
fun ReviewerVideo(call: CallStreams, contentDescription: String?, modifier: Modifier) {
    val picture by call.pictures.collectAsStateWithLifecycle()
    val shown = picture ?: return
    val bitmap = remember(shown) { shown.toImageBitmap() }
    Image(bitmap, contentDescription, modifier, contentScale = ContentScale.Crop)
}

private fun ReviewerPicture.toImageBitmap(): ImageBitmap {
    val bitmap = Bitmap.createBitmap(width.toInt(), height.toInt(), Bitmap.Config.ARGB_8888)
    bitmap.copyPixelsFromBuffer(ByteBuffer.wrap(rgba))
    return bitmap.asImageBitmap()
}
