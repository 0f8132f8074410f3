package com.identitypass.kit

import com.identitypass.core.Effect
import com.identitypass.core.SessionObserver
import com.identitypass.core.ViewState
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.receiveAsFlow

/**
 * The session's observer as coroutine streams: the view as a [StateFlow] (the latest screen
 * is all a UI needs), platform effects as a [Flow] that never drops one (each is an action the
 * shell must perform exactly once). Pure Kotlin and coroutines, so the desktop JVM tests use
 * the same class as the app.
 */
class SessionStreams : SessionObserver {
    private val latestView = MutableStateFlow<ViewState?>(null)
    private val pendingEffects = Channel<Effect>(Channel.UNLIMITED)

    /** The screen to show; `null` until the session published its first view. */
    val views: StateFlow<ViewState?> = latestView.asStateFlow()

    /** Platform effects, in order, each delivered to one collector once. */
    val effects: Flow<Effect> = pendingEffects.receiveAsFlow()

    override fun onView(view: ViewState) {
        latestView.value = view
    }

    override fun onPlatformEffect(effect: Effect) {
        pendingEffects.trySend(effect)
    }
}
