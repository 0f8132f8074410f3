package com.identitypass.kit

import com.identitypass.core.CallMediaOutput
import com.identitypass.core.ReviewerPicture
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The reviewer's side of the video call as coroutine streams, for `SessionSettings.callMedia`:
 * their picture as a [StateFlow] (a UI draws the newest and skips what it was too slow for),
 * their voice as a [Flow] of 20-ms pieces of 48 kHz mono PCM in order, for an `AudioTrack`.
 * A speaker that falls more than a second behind loses the oldest pieces rather than making the
 * call lag. Pure Kotlin and coroutines, so the desktop JVM tests use the same class as the app.
 */
class CallStreams : CallMediaOutput {
    private val latestPicture = MutableStateFlow<ReviewerPicture?>(null)
    private val voice = MutableSharedFlow<ShortArray>(extraBufferCapacity = AUDIO_PIECES_BUFFERED, onBufferOverflow = BufferOverflow.DROP_OLDEST)

    /** The reviewer's newest picture; `null` until their video arrives. */
    val pictures: StateFlow<ReviewerPicture?> = latestPicture.asStateFlow()

    /** The reviewer's voice, piece by piece, to write to the speaker as it comes. */
    val audio: Flow<ShortArray> = voice.asSharedFlow()

    override fun onReviewerPicture(picture: ReviewerPicture) {
        latestPicture.value = picture
    }

    override fun onReviewerAudio(samples: List<Short>) {
        voice.tryEmit(samples.toShortArray())
    }

    private companion object {
        /** One second of 20-ms pieces. */
        const val AUDIO_PIECES_BUFFERED = 50
    }
}
