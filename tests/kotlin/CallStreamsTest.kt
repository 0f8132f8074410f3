package com.identitypass.core.tests

import com.identitypass.core.ReviewerPicture
import com.identitypass.kit.CallStreams
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

/** The kit's streams of the reviewer's side of the call. Mirrored in tests/swift/CallStreamsTests.swift. */
class CallStreamsTest {
    private fun picture(shade: Byte) = ReviewerPicture(2u, 1u, byteArrayOf(shade, shade, shade, -1, shade, shade, shade, -1))

    @Test
    fun theScreenDrawsTheNewestPicture() {
        val call = CallStreams()
        assertNull(call.pictures.value, "no picture before the reviewer's video arrives")
        call.onReviewerPicture(picture(10))
        call.onReviewerPicture(picture(20))
        assertEquals(20, call.pictures.value?.rgba?.get(0)?.toInt(), "the newer picture")
    }

    @Test
    fun theSpeakerGetsTheVoiceInOrder() = runBlocking {
        val call = CallStreams()
        val heard = async(start = CoroutineStart.UNDISPATCHED) { call.audio.take(3).toList() }
        for (piece in 1..3) call.onReviewerAudio(listOf(piece.toShort(), 0))
        assertEquals(listOf(1, 2, 3), heard.await().map { it[0].toInt() })
    }

    /** A speaker stuck on one piece while 59 more arrive keeps the newest second (50 pieces). */
    @Test
    fun aSpeakerFarBehindLosesTheOldestPieces() = runBlocking {
        val call = CallStreams()
        val stuck = CompletableDeferred<Unit>()
        val heard = async(start = CoroutineStart.UNDISPATCHED) {
            val pieces = mutableListOf<Int>()
            call.audio.take(51).collect { piece ->
                pieces += piece[0].toInt()
                if (pieces.size == 1) stuck.await()
            }
            pieces
        }
        call.onReviewerAudio(listOf(1))
        yield()
        for (piece in 2..60) call.onReviewerAudio(listOf(piece.toShort()))
        stuck.complete(Unit)
        assertEquals(listOf(1) + (11..60).toList(), heard.await())
    }
}
