package com.identitypass.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import com.identitypass.app.call.CallAudio
import com.identitypass.core.CameraFrame
import com.identitypass.core.Control
import com.identitypass.core.SelfieVerdict
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState
import kotlinx.coroutines.flow.StateFlow

/**
 * The UI's view of the onboarding: the core's latest [ViewState] (from the kit's
 * SessionStreams) and the one way back, [send]. No state of its own beyond what the core says.
 */
class OnboardingViewModel(application: Application) : AndroidViewModel(application) {
    // MainActivity creates this model only once the session runs (otherwise it shows why not).
    private val onboarding = requireNotNull(AppSession.of(application)) { "the session is not running" }

    val view: StateFlow<ViewState?> = onboarding.streams.views
    val capturing: StateFlow<Boolean> = onboarding.capturing
    val verdict: StateFlow<SelfieVerdict?> = onboarding.verdict
    val frameSource = onboarding.environment.frameSource
    /** The reviewer's side of the video call. */
    val call = onboarding.call
    /** The call's microphone and speaker, run by the review screen while the call shows. */
    val callAudio = CallAudio(application, onboarding.session, onboarding.call)

    /**
     * A user action; the core's answer arrives as a new [view]. Sent in order, at once: `send`
     * only queues the event for the session's own thread.
     */
    fun send(event: ShellEvent) = onboarding.session.send(event)

    /**
     * The core's label for a control a screen draws besides its main button, in the session's
     * language: the screens name nothing themselves.
     */
    fun label(control: Control): String = onboarding.session.label(control).text

    fun pushFrame(frame: CameraFrame) = onboarding.pushFrame(frame)

    fun stopCapture() = onboarding.stopCapture()

    fun pushCallFrame(frame: CameraFrame) = onboarding.pushCallFrame(frame)

    override fun onCleared() = callAudio.stop()
}
