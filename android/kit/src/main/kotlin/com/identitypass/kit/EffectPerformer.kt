package com.identitypass.kit

import com.identitypass.core.CallId
import com.identitypass.core.Effect
import com.identitypass.core.LocalizedMessage
import com.identitypass.core.Permission
import com.identitypass.core.SecretString
import com.identitypass.core.ServiceCall

/**
 * One method per variant of the core's [Effect]. The app's performer implements it; [dispatch]
 * routes with an exhaustive `when`, so a variant added to the core stops the build until the
 * app decides what to do with it.
 *
 * Four variants are the runtime's and never reach a shell (the runtime performs them itself:
 * `PersistState`, `Call`, `WatchStatus`, `RegisterPasskey`, the last through the
 * `PasskeyProvider` the app gives the session). They keep their methods so the mapping stays
 * total and a change in that split is seen here.
 */
interface EffectPerformer {
    fun persistState()
    fun requestPermission(permission: Permission)
    fun requestFullAccuracyLocation()
    fun openAppSettings(permission: Permission)
    fun checkPermissions()
    fun call(id: CallId, call: ServiceCall)
    fun startGovernmentIdCheck(requestId: String, handoffUrl: String)
    fun openAuthenticator()
    fun startSelfie()
    fun startLiveness(requestId: String, challengeId: String)
    fun watchStatus(requestId: String)
    fun joinCall(callId: String)
    fun registerPasskey(optionsJson: String)
    fun scheduleWake(atMs: Long)
    fun showNotification(message: LocalizedMessage)
    fun openUrl(url: String)
    fun openPasswordPage(url: SecretString)
    fun openOtpauthLink(uri: SecretString)
}

/** Hands [effect] to its method on [performer]. */
fun dispatch(effect: Effect, performer: EffectPerformer) {
    when (effect) {
        Effect.PersistState -> performer.persistState()
        is Effect.RequestPermission -> performer.requestPermission(effect.permission)
        Effect.RequestFullAccuracyLocation -> performer.requestFullAccuracyLocation()
        is Effect.OpenAppSettings -> performer.openAppSettings(effect.permission)
        Effect.CheckPermissions -> performer.checkPermissions()
        is Effect.Call -> performer.call(effect.id, effect.call)
        is Effect.StartGovernmentIdCheck -> performer.startGovernmentIdCheck(effect.requestId, effect.handoffUrl)
        Effect.OpenAuthenticator -> performer.openAuthenticator()
        Effect.StartSelfie -> performer.startSelfie()
        is Effect.StartLiveness -> performer.startLiveness(effect.requestId, effect.challengeId)
        is Effect.WatchStatus -> performer.watchStatus(effect.requestId)
        is Effect.JoinCall -> performer.joinCall(effect.callId)
        is Effect.RegisterPasskey -> performer.registerPasskey(effect.optionsJson)
        is Effect.ScheduleWake -> performer.scheduleWake(effect.at)
        is Effect.ShowNotification -> performer.showNotification(effect.message)
        is Effect.OpenUrl -> performer.openUrl(effect.url)
        is Effect.OpenPasswordPage -> performer.openPasswordPage(effect.url)
        is Effect.OpenOtpauthLink -> performer.openOtpauthLink(effect.uri)
    }
}
