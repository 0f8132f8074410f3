package com.identitypass.core.tests

import com.identitypass.core.DeviceProfile
import com.identitypass.core.Distribution
import com.identitypass.core.Effect
import com.identitypass.core.Locale
import com.identitypass.core.OnboardingFlow
import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus
import com.identitypass.core.Platform
import com.identitypass.core.RequiredApp
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.kit.PermissionMapping
import com.identitypass.kit.PermissionMapping.ACCESS_COARSE_LOCATION
import com.identitypass.kit.PermissionMapping.ACCESS_FINE_LOCATION
import com.identitypass.kit.PermissionMapping.CAMERA
import com.identitypass.kit.PermissionMapping.POST_NOTIFICATIONS
import com.identitypass.kit.PermissionMapping.RECORD_AUDIO
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs

/**
 * Android's permission answers in the core's terms (android/kit PermissionMapping.kt), and what
 * the real flow does with them.
 */
class PermissionMappingTest {
    private val never: (String) -> Boolean = { false }
    private val always: (String) -> Boolean = { true }

    @Test
    fun eachCorePermissionIsItsAndroidPermissions() {
        assertEquals(listOf("android.permission.CAMERA"), PermissionMapping.androidPermissions(Permission.CAMERA))
        assertEquals(listOf("android.permission.RECORD_AUDIO"), PermissionMapping.androidPermissions(Permission.MICROPHONE))
        assertEquals(listOf("android.permission.POST_NOTIFICATIONS"), PermissionMapping.androidPermissions(Permission.NOTIFICATIONS))
        assertEquals(
            listOf("android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"),
            PermissionMapping.androidPermissions(Permission.LOCATION),
            "precise location is asked with coarse, as Android 12+ requires",
        )
    }

    @Test
    fun requestResults() {
        fun after(permission: Permission, granted: Map<String, Boolean>, rationale: (String) -> Boolean = never) =
            PermissionMapping.afterRequest(permission, granted, rationale)
        assertEquals(PermissionStatus.GRANTED, after(Permission.CAMERA, mapOf(CAMERA to true)))
        assertEquals(PermissionStatus.DENIED, after(Permission.MICROPHONE, mapOf(RECORD_AUDIO to false), always),
            "refused once: Android will ask again")
        assertEquals(PermissionStatus.PERMANENTLY_DENIED, after(Permission.NOTIFICATIONS, mapOf(POST_NOTIFICATIONS to false)),
            "refused with no rationale: don't ask again")
        assertEquals(PermissionStatus.PERMANENTLY_DENIED, after(Permission.CAMERA, emptyMap()),
            "a dialog that gave no answer is not a grant")
        assertEquals(PermissionStatus.GRANTED, after(Permission.LOCATION, mapOf(ACCESS_FINE_LOCATION to true, ACCESS_COARSE_LOCATION to true)))
        assertEquals(PermissionStatus.APPROXIMATE, after(Permission.LOCATION, mapOf(ACCESS_FINE_LOCATION to false, ACCESS_COARSE_LOCATION to true), always),
            "\"Approximate\" chosen: coarse only")
        assertEquals(PermissionStatus.DENIED, after(Permission.LOCATION, mapOf(ACCESS_FINE_LOCATION to false, ACCESS_COARSE_LOCATION to false)) { it == ACCESS_COARSE_LOCATION })
        assertEquals(PermissionStatus.PERMANENTLY_DENIED, after(Permission.LOCATION, mapOf(ACCESS_FINE_LOCATION to false, ACCESS_COARSE_LOCATION to false)))
    }

    @Test
    fun aRecheckWithoutARequest() {
        val grantedNow = setOf(CAMERA, ACCESS_COARSE_LOCATION)
        fun now(permission: Permission, rationale: (String) -> Boolean = never) =
            PermissionMapping.current(permission, { it in grantedNow }, rationale)
        assertEquals(PermissionStatus.GRANTED, now(Permission.CAMERA))
        assertEquals(PermissionStatus.APPROXIMATE, now(Permission.LOCATION))
        assertEquals(PermissionStatus.DENIED, now(Permission.MICROPHONE, always))
        // No rationale and no grant: never asked, a lapsed one-time grant, or "don't ask again";
        // Android cannot say which, so the core is told to ask (a permanent denial then answers at once).
        assertEquals(PermissionStatus.NOT_REQUESTED, now(Permission.NOTIFICATIONS))
        assertEquals(PermissionStatus.NOT_REQUESTED,
            PermissionMapping.current(Permission.NOTIFICATIONS, { it in grantedNow }, never, previous = PermissionStatus.GRANTED),
            "a one-time grant that lapsed: asked again")
        assertEquals(PermissionStatus.PERMANENTLY_DENIED,
            PermissionMapping.current(Permission.NOTIFICATIONS, { it in grantedNow }, never, previous = PermissionStatus.PERMANENTLY_DENIED),
            "a permanent denial already seen stays one (no request on every resume)")
        assertEquals(PermissionStatus.GRANTED,
            PermissionMapping.current(Permission.CAMERA, { it in grantedNow }, never, previous = PermissionStatus.PERMANENTLY_DENIED),
            "granted in the settings")
    }

    /** What the shell must do, without the state saves the runtime performs itself. */
    private fun com.identitypass.core.Transition.shellEffects() = effects.filterNot { it == Effect.PersistState }

    /** The flow at its permission step, as a shell finds it after the device check. */
    private fun flowAtPermissions(): Pair<OnboardingFlow, Long> {
        val flow = OnboardingFlow(Locale.ENGLISH, Platform.ANDROID, Distribution.GLOBAL)
        val now = 1_795_219_200_000L
        val profile = DeviceProfile(Platform.ANDROID, 14u, 0u, Distribution.GLOBAL, true, true, true,
            listOf(RequiredApp.COMPANY_PORTAL, RequiredApp.AUTHENTICATOR))
        assertIs<Screen.Permissions>(flow.handle(ShellEvent.DeviceChecked(profile), now).view.screen)
        return flow to now
    }

    @Test
    fun theCoreAsksAgainForPreciseLocationAndSendsAPermanentDenialToTheSettings() {
        val (flow, now) = flowAtPermissions()
        for (permission in listOf(Permission.CAMERA, Permission.MICROPHONE, Permission.NOTIFICATIONS)) {
            flow.handle(ShellEvent.PermissionReported(permission, PermissionMapping.afterRequest(permission, mapOf(
                CAMERA to true, RECORD_AUDIO to true, POST_NOTIFICATIONS to true), never)), now)
        }
        val approximate = PermissionMapping.afterRequest(Permission.LOCATION,
            mapOf(ACCESS_FINE_LOCATION to false, ACCESS_COARSE_LOCATION to true), always)
        assertEquals(listOf<Effect>(Effect.RequestPermission(Permission.LOCATION)),
            flow.handle(ShellEvent.PermissionReported(Permission.LOCATION, approximate), now + 1).shellEffects())

        val refused = PermissionMapping.afterRequest(Permission.LOCATION,
            mapOf(ACCESS_FINE_LOCATION to false, ACCESS_COARSE_LOCATION to false), never)
        flow.handle(ShellEvent.PermissionReported(Permission.LOCATION, refused), now + 2)
        assertEquals(listOf<Effect>(Effect.OpenAppSettings(Permission.LOCATION)), flow.handle(ShellEvent.Continue, now + 3).shellEffects())

        // A resume with nothing changed (the request's system activity paused ours): the
        // re-check keeps the permanent denial, and the core asks nothing more on its own.
        assertEquals(listOf<Effect>(Effect.CheckPermissions), flow.handle(ShellEvent.AppResumed, now + 4).shellEffects())
        val unchanged = PermissionMapping.current(Permission.LOCATION, { false }, never, previous = refused)
        assertEquals(emptyList(), flow.handle(ShellEvent.PermissionReported(Permission.LOCATION, unchanged), now + 4).shellEffects())

        // Back from the settings: the core re-checks, and a grant found there moves on.
        assertEquals(listOf<Effect>(Effect.CheckPermissions), flow.handle(ShellEvent.AppResumed, now + 4).shellEffects())
        val nowGranted = PermissionMapping.current(Permission.LOCATION, { true }, never)
        assertIs<Screen.Consent>(flow.handle(ShellEvent.PermissionReported(Permission.LOCATION, nowGranted), now + 5).view.screen)
    }
}
