package com.identitypass.app.call

import android.annotation.SuppressLint
import android.content.Context
import android.media.AudioAttributes
import android.media.AudioFormat
import android.media.AudioManager
import android.media.AudioRecord
import android.media.AudioTrack
import android.media.MediaRecorder
import android.media.audiofx.AcousticEchoCanceler
import android.util.Log
import com.identitypass.core.OnboardingSession
import com.identitypass.kit.CallStreams
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch

/**
 * The call's sound on the phone: the microphone into the session (`pushCallAudio`) and the
 * reviewer's voice from [CallStreams.audio] out of the speaker, both 48 kHz mono 16-bit PCM,
 * which is what the core's Opus codec takes and gives, so nothing is resampled here.
 *
 * The microphone is the voice-communication source (the platform's echo cancellation and noise
 * suppression, tuned for a phone held at arm's length on speaker) and the audio mode is
 * `MODE_IN_COMMUNICATION`, as a video-call app's. RECORD_AUDIO was granted on the permissions
 * screen (the core asks for the microphone there); without it nothing is recorded and the
 * reviewer hears silence, which the call survives.
 *
 * Sound runs while the call screen shows ([start] / [stop] from its composition): leaving the
 * app stops it, the service sees the media stop, and the time away is not counted.
 */
class CallAudio(context: Context, private val session: OnboardingSession, private val call: CallStreams) {
    private val audioManager = context.getSystemService(AudioManager::class.java)
    private var scope: CoroutineScope? = null

    @SuppressLint("MissingPermission") // granted on the core's permissions screen; checked by AudioRecord's state
    fun start() {
        if (scope != null) return
        val running = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        scope = running
        audioManager.mode = AudioManager.MODE_IN_COMMUNICATION
        running.launch { record() }
        running.launch { play() }
    }

    fun stop() {
        scope?.cancel()
        scope = null
        audioManager.mode = AudioManager.MODE_NORMAL
    }

    @SuppressLint("MissingPermission")
    private suspend fun record() {
        val minimum = AudioRecord.getMinBufferSize(SAMPLE_RATE, AudioFormat.CHANNEL_IN_MONO, AudioFormat.ENCODING_PCM_16BIT)
        val recorder = AudioRecord(
            MediaRecorder.AudioSource.VOICE_COMMUNICATION,
            SAMPLE_RATE,
            AudioFormat.CHANNEL_IN_MONO,
            AudioFormat.ENCODING_PCM_16BIT,
            maxOf(minimum, PIECE_SAMPLES * 2 * 4),
        )
        if (recorder.state != AudioRecord.STATE_INITIALIZED) {
            Log.w(TAG, "the microphone is unavailable; the reviewer hears silence")
            recorder.release()
            return
        }
        val echo = if (AcousticEchoCanceler.isAvailable()) AcousticEchoCanceler.create(recorder.audioSessionId) else null
        echo?.enabled = true
        val piece = ShortArray(PIECE_SAMPLES)
        try {
            recorder.startRecording()
            while (currentCoroutineContext().isActive) {
                val read = recorder.read(piece, 0, piece.size, AudioRecord.READ_BLOCKING)
                if (read <= 0) break
                session.pushCallAudio(piece.copyOf(read).toList())
            }
        } finally {
            recorder.stop()
            echo?.release()
            recorder.release()
        }
    }

    private suspend fun play() {
        val attributes = AudioAttributes.Builder()
            .setUsage(AudioAttributes.USAGE_VOICE_COMMUNICATION)
            .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH)
            .build()
        val format = AudioFormat.Builder()
            .setSampleRate(SAMPLE_RATE)
            .setChannelMask(AudioFormat.CHANNEL_OUT_MONO)
            .setEncoding(AudioFormat.ENCODING_PCM_16BIT)
            .build()
        val minimum = AudioTrack.getMinBufferSize(SAMPLE_RATE, AudioFormat.CHANNEL_OUT_MONO, AudioFormat.ENCODING_PCM_16BIT)
        val track = AudioTrack.Builder()
            .setAudioAttributes(attributes)
            .setAudioFormat(format)
            .setBufferSizeInBytes(maxOf(minimum, PIECE_SAMPLES * 2 * 4))
            .setTransferMode(AudioTrack.MODE_STREAM)
            .setPerformanceMode(AudioTrack.PERFORMANCE_MODE_LOW_LATENCY)
            .build()
        try {
            track.play()
            // Written in order as it comes; the track's buffer (80 ms) absorbs the network's
            // unevenness, and the stream drops the oldest when the speaker falls a second behind.
            call.audio.collect { piece -> track.write(piece, 0, piece.size, AudioTrack.WRITE_BLOCKING) }
        } finally {
            track.stop()
            track.release()
        }
    }

    private companion object {
        const val TAG = "CallAudio"
        const val SAMPLE_RATE = 48_000

        /** 20 ms, the Opus frame the core encodes. */
        const val PIECE_SAMPLES = 960
    }
}
