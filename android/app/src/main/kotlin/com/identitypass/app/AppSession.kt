package com.identitypass.app

import android.content.Context
import com.identitypass.app.effects.BackgroundEffects
import com.identitypass.app.effects.CredentialManagerPasskeys
import com.identitypass.core.CameraFrame
import com.identitypass.core.Distribution
import com.identitypass.core.Effect
import com.identitypass.core.OnboardingSession
import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus
import com.identitypass.core.Platform
import com.identitypass.core.SelfieException
import com.identitypass.core.SelfieVerdict
import com.identitypass.core.SessionSettings
import com.identitypass.kit.CallStreams
import com.identitypass.kit.EffectPerformer
import com.identitypass.kit.KeystoreDeviceKey
import com.identitypass.kit.KeystoreSecureStore
import com.identitypass.kit.SessionStreams
import com.identitypass.kit.dispatch
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import java.util.Locale

/**
 * The running onboarding: the core's session, its streams, and where its effects go. The core
 * saves its own state (Keystore-sealed), so a new process resumes where the last one stopped.
 *
 * Effects are collected for the whole process, not by the activity: a reviewer's call arrives
 * while the app is in the background, and its notification must be shown then. With an activity
 * on screen every effect goes to its performer; without one, [BackgroundEffects] shows
 * notifications and schedules wake-ups, and keeps the rest for the next activity.
 */
class AppSession private constructor(
    val session: OnboardingSession,
    val streams: SessionStreams,
    /** The reviewer's pictures and voice during the video call, which the session joins itself. */
    val call: CallStreams,
    val environment: AppEnvironment,
    private val background: BackgroundEffects,
) {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)
    @Volatile private var attached: EffectPerformer? = null

    private val capturingState = MutableStateFlow(false)
    private val verdictState = MutableStateFlow<SelfieVerdict?>(null)

    /** Whether the core asked for camera frames (`StartSelfie` / `StartLiveness`) on this screen. */
    val capturing: StateFlow<Boolean> = capturingState.asStateFlow()

    /** The core's verdict on the latest frame: guidance text and face boxes. */
    val verdict: StateFlow<SelfieVerdict?> = verdictState.asStateFlow()

    init {
        scope.launch {
            streams.effects.collect { effect ->
                if (effect == Effect.StartSelfie || effect is Effect.StartLiveness) startCapture()
                dispatch(effect, attached ?: background)
            }
        }
    }

    /** The activity's performer, from ON_START to ON_STOP; effects kept meanwhile go to it now. */
    fun attach(performer: EffectPerformer) {
        attached = performer
        background.drain().forEach { dispatch(it, performer) }
    }

    fun detach(performer: EffectPerformer) {
        if (attached === performer) attached = null
    }

    /**
     * What the shell last reported for each permission, for the re-check that cannot tell
     * "never asked" from "never ask again" (PermissionMapping.current). Process-wide, as the
     * activity is recreated.
     */
    val reportedPermissions: MutableMap<Permission, PermissionStatus> = java.util.concurrent.ConcurrentHashMap()

    // Whether the partner's page is open; process-wide, as the activity may be recreated while
    // the user is in the browser.
    private val handoffOpen = java.util.concurrent.atomic.AtomicBoolean(false)

    fun startGovernmentIdHandoff() = handoffOpen.set(true)

    /** True once per handoff: the tab closing and the partner's App Link may both report it. */
    fun endGovernmentIdHandoff(): Boolean = handoffOpen.getAndSet(false)

    private fun startCapture() {
        verdictState.value = null
        capturingState.value = true
    }

    /** The selfie or liveness screen is gone: no more frames until the core asks again. */
    fun stopCapture() {
        capturingState.value = false
    }

    /**
     * One camera frame, on the camera's analysis thread (the core's detector takes milliseconds;
     * never the main thread). A frame the core refuses is skipped, the next one is judged.
     */
    fun pushFrame(frame: CameraFrame) {
        if (!capturingState.value) return
        try {
            verdictState.value = session.pushFrame(frame)
        } catch (_: SelfieException) {
            // A malformed or out-of-order frame: the camera will send another within 33 ms.
        }
    }

    /**
     * One camera frame during the video call, on the camera's thread: the session sends it to
     * the reviewer (the verdict it returns judges nothing and is not shown).
     */
    fun pushCallFrame(frame: CameraFrame) {
        try {
            session.pushFrame(frame)
        } catch (_: SelfieException) {
            // A malformed frame: the next one follows within 33 ms.
        }
    }

    companion object {
        fun start(app: IdentityPassApp, environment: AppEnvironment): AppSession {
            val streams = SessionStreams()
            val call = CallStreams()
            val settings = SessionSettings(
                serviceUrl = environment.serviceUrl,
                platform = Platform.ANDROID,
                distribution = distribution(),
                // The user's language: every text on screen comes from the core in it.
                languageTag = Locale.getDefault().toLanguageTag(),
                pinnedKeys = emptyList(),
                // The session joins the reviewer's call itself (WebRTC in the core); the review
                // screen feeds it the camera and the microphone and shows the reviewer.
                callMedia = call,
            )
            val session = OnboardingSession.start(
                settings,
                KeystoreSecureStore(app),
                streams,
                CredentialManagerPasskeys(app, app.foregroundActivity),
                KeystoreDeviceKey(),
                null,
            )
            return AppSession(session, streams, call, environment, BackgroundEffects(app))
        }

        fun distribution(): Distribution =
            if (BuildConfig.DISTRIBUTION == "CHINA") Distribution.CHINA else Distribution.GLOBAL

        /** The process's session, or `null` while it cannot start (`IdentityPassApp.startFailure`). */
        fun of(context: Context): AppSession? = (context.applicationContext as IdentityPassApp).onboarding()
    }
}
