package com.identitypass.kit

import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus

/**
 * The core's permissions in Android's terms, and what Android answers in the core's. The core
 * decides what to ask next (approximate location asked again, a permanent denial sent to the
 * settings); this only reports what the OS said, so it holds no onboarding rule.
 *
 * The strings are `android.Manifest.permission` constants, written out so this file needs no
 * Android SDK and runs in the desktop tests.
 */
object PermissionMapping {
    const val CAMERA = "android.permission.CAMERA"
    const val RECORD_AUDIO = "android.permission.RECORD_AUDIO"
    const val POST_NOTIFICATIONS = "android.permission.POST_NOTIFICATIONS"
    const val ACCESS_FINE_LOCATION = "android.permission.ACCESS_FINE_LOCATION"
    const val ACCESS_COARSE_LOCATION = "android.permission.ACCESS_COARSE_LOCATION"

    /**
     * What to pass to `RequestMultiplePermissions` for [permission]. Precise location is asked
     * for with fine and coarse together, as Android 12+ requires: the dialog then offers
     * "Precise" and "Approximate", and asking for fine alone is ignored.
     */
    fun androidPermissions(permission: Permission): List<String> = when (permission) {
        Permission.CAMERA -> listOf(CAMERA)
        Permission.MICROPHONE -> listOf(RECORD_AUDIO)
        Permission.NOTIFICATIONS -> listOf(POST_NOTIFICATIONS)
        Permission.LOCATION -> listOf(ACCESS_FINE_LOCATION, ACCESS_COARSE_LOCATION)
    }

    /**
     * The status after a request: [granted] is `RequestMultiplePermissions`' result (a missing
     * entry, as when the dialog is dismissed by a configuration change, counts as not granted)
     * and [showRationale] is `shouldShowRequestPermissionRationale`, read after the result.
     *
     * Refused with no rationale to show means Android will not show the dialog again ("Don't
     * ask again", or a second refusal on Android 11+): permanently denied.
     *
     * Android's "Only this time" is indistinguishable from a lasting grant through any API, so
     * it is reported as Granted. The core re-checks on `AppResumed` (it emits `CheckPermissions`
     * while any permission is missing), and a lapsed one-time grant then reads as not granted.
     */
    fun afterRequest(permission: Permission, granted: Map<String, Boolean>, showRationale: (String) -> Boolean): PermissionStatus =
        status(permission, isGranted = { granted[it] == true }) { missing ->
            if (missing.any(showRationale)) PermissionStatus.DENIED else PermissionStatus.PERMANENTLY_DENIED
        }

    /**
     * The status now, without asking (the core's `CheckPermissions`): [isGranted] is
     * `checkSelfPermission(...) == PERMISSION_GRANTED`; [previous] is what this process last
     * reported for the permission, if anything.
     *
     * Not granted with a rationale to show means the user refused once: denied. With none,
     * Android cannot tell "never asked" (or a one-time grant that lapsed) from "never ask again".
     * A permanent denial this process already saw stays one; anything else is reported as not
     * requested, so the core asks, and a permanent denial then answers that request at once and
     * is reported by [afterRequest]. Keeping the permanent denial matters: the request's system
     * activity pauses and resumes ours, and the re-check on resume would otherwise ask again,
     * for ever.
     */
    fun current(
        permission: Permission,
        isGranted: (String) -> Boolean,
        showRationale: (String) -> Boolean,
        previous: PermissionStatus? = null,
    ): PermissionStatus =
        status(permission, isGranted) { missing ->
            when {
                missing.any(showRationale) -> PermissionStatus.DENIED
                previous == PermissionStatus.PERMANENTLY_DENIED -> PermissionStatus.PERMANENTLY_DENIED
                else -> PermissionStatus.NOT_REQUESTED
            }
        }

    private inline fun status(
        permission: Permission,
        isGranted: (String) -> Boolean,
        refused: (missing: List<String>) -> PermissionStatus,
    ): PermissionStatus {
        if (permission == Permission.LOCATION && !isGranted(ACCESS_FINE_LOCATION) && isGranted(ACCESS_COARSE_LOCATION)) {
            // The user picked "Approximate": location is granted, but not the precise one the
            // core needs. Reported as such; the core asks again.
            return PermissionStatus.APPROXIMATE
        }
        val missing = androidPermissions(permission).filterNot(isGranted)
        return if (missing.isEmpty()) PermissionStatus.GRANTED else refused(missing)
    }
}
