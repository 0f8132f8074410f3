package com.identitypass.app.effects

import android.content.Context
import com.identitypass.core.CallId
import com.identitypass.core.Effect
import com.identitypass.core.LocalizedMessage
import com.identitypass.core.Permission
import com.identitypass.core.SecretString
import com.identitypass.core.ServiceCall
import com.identitypass.kit.EffectPerformer

/**
 * Effects while no activity is on screen. A notification and a wake-up need none and are
 * performed now (that is how the user hears of the reviewer's call); everything else needs the
 * user in front of the app and waits for the next activity, in order.
 */
class BackgroundEffects(private val context: Context) : EffectPerformer {
    private val waiting = ArrayDeque<Effect>()

    /** The effects kept for an activity, oldest first; none are kept after this. */
    fun drain(): List<Effect> = waiting.toList().also { waiting.clear() }

    private fun later(effect: Effect) {
        waiting.addLast(effect)
    }

    override fun showNotification(message: LocalizedMessage) = Notifications.show(context, message)
    override fun scheduleWake(atMs: Long) = WakeScheduler.schedule(context, atMs)

    override fun requestPermission(permission: Permission) = later(Effect.RequestPermission(permission))
    override fun requestFullAccuracyLocation() = later(Effect.RequestFullAccuracyLocation)
    override fun openAppSettings(permission: Permission) = later(Effect.OpenAppSettings(permission))
    override fun checkPermissions() = later(Effect.CheckPermissions)
    override fun startGovernmentIdCheck(requestId: String, handoffUrl: String) = later(Effect.StartGovernmentIdCheck(requestId, handoffUrl))
    override fun openAuthenticator() = later(Effect.OpenAuthenticator)
    override fun startSelfie() = later(Effect.StartSelfie)
    override fun startLiveness(requestId: String, challengeId: String) = later(Effect.StartLiveness(requestId, challengeId))
    override fun joinCall(callId: String) = later(Effect.JoinCall(callId))
    override fun openUrl(url: String) = later(Effect.OpenUrl(url))
    override fun openPasswordPage(url: SecretString) = later(Effect.OpenPasswordPage(url))
    override fun openOtpauthLink(uri: SecretString) = later(Effect.OpenOtpauthLink(uri))

    // The runtime performs these itself; they never reach a shell.
    override fun persistState() = Unit
    override fun call(id: CallId, call: ServiceCall) = Unit
    override fun watchStatus(requestId: String) = Unit
    override fun registerPasskey(optionsJson: String) = Unit
}
