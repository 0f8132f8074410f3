package com.identitypass.app.effects

import android.content.ActivityNotFoundException
import android.content.Intent
import android.net.Uri
import android.provider.Settings
import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContracts
import androidx.browser.customtabs.CustomTabsIntent
import androidx.core.content.ContextCompat
import android.content.pm.PackageManager
import com.identitypass.app.AppSession
import com.identitypass.app.DeviceProfileReader
import com.identitypass.core.CallId
import com.identitypass.core.LocalizedMessage
import com.identitypass.core.Permission
import com.identitypass.core.PermissionStatus
import com.identitypass.core.RequiredApp
import com.identitypass.core.SecretString
import com.identitypass.core.ServiceCall
import com.identitypass.core.ShellEvent
import com.identitypass.kit.EffectPerformer
import com.identitypass.kit.PermissionMapping

/**
 * The platform effects that need the activity, performed with Android's APIs; results go back
 * to the core as shell events. Created in `onCreate` (Activity Result launchers must be
 * registered before the activity starts), attached to the session from ON_START to ON_STOP.
 *
 * Links and tickets (`OpenPasswordPage`, `OpenOtpauthLink`) are secrets: handed to the
 * platform, never logged.
 */
class ActivityEffects(
    private val activity: ComponentActivity,
    private val onboarding: AppSession,
) : EffectPerformer {
    private fun session() = onboarding.session

    // Location asks for fine and coarse together; the result names the Android permissions,
    // which name the core's permission, so nothing is lost if the activity is recreated meanwhile.
    private val permissionRequest = activity.registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { granted ->
        val permission = Permission.entries.firstOrNull { PermissionMapping.androidPermissions(it).toSet() == granted.keys }
            ?: return@registerForActivityResult
        report(permission, PermissionMapping.afterRequest(permission, granted, activity::shouldShowRequestPermissionRationale))
    }

    // The partner's page in a Custom Tab, opened for a result: closing the tab (or the partner's
    // App Link back to us, see MainActivity) ends the handoff.
    private val partnerPage = activity.registerForActivityResult(ActivityResultContracts.StartActivityForResult()) {
        endGovernmentIdHandoff()
    }
    /** The user is back from the partner's page; reported once per handoff. */
    fun endGovernmentIdHandoff() {
        if (onboarding.endGovernmentIdHandoff()) session().send(ShellEvent.GovernmentIdHandoffEnded)
    }

    override fun requestPermission(permission: Permission) {
        permissionRequest.launch(PermissionMapping.androidPermissions(permission).toTypedArray())
    }

    // iOS only (temporary full accuracy); on Android precise location is asked for again.
    override fun requestFullAccuracyLocation() = requestPermission(Permission.LOCATION)

    override fun openAppSettings(permission: Permission) {
        // The core re-checks when the user comes back (ON_RESUME -> AppResumed -> CheckPermissions).
        activity.startActivity(
            Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", activity.packageName, null)),
        )
    }

    override fun checkPermissions() {
        for (permission in Permission.entries) {
            val status = PermissionMapping.current(
                permission,
                isGranted = { ContextCompat.checkSelfPermission(activity, it) == PackageManager.PERMISSION_GRANTED },
                showRationale = activity::shouldShowRequestPermissionRationale,
                previous = onboarding.reportedPermissions[permission],
            )
            report(permission, status)
        }
    }

    private fun report(permission: Permission, status: PermissionStatus) {
        onboarding.reportedPermissions[permission] = status
        session().send(ShellEvent.PermissionReported(permission, status))
    }

    override fun startGovernmentIdCheck(requestId: String, handoffUrl: String) {
        onboarding.startGovernmentIdHandoff()
        val tab = CustomTabsIntent.Builder().setShowTitle(true).build()
        tab.intent.data = Uri.parse(handoffUrl)
        try {
            partnerPage.launch(tab.intent)
        } catch (_: ActivityNotFoundException) {
            // No browser at all: the handoff cannot start; the core's view says what to do next.
            endGovernmentIdHandoff()
        }
    }

    override fun openAuthenticator() = openApp(RequiredApp.AUTHENTICATOR)

    override fun openUrl(url: String) = view(Uri.parse(url))

    override fun openPasswordPage(url: SecretString) {
        // A Custom Tab: the user sets the password in a real browser, not in the app.
        try {
            CustomTabsIntent.Builder().setShowTitle(true).build().launchUrl(activity, Uri.parse(url))
        } catch (_: ActivityNotFoundException) {
            view(Uri.parse(url))
        }
    }

    // otpauth:// is handled by the authenticator app (declared in <queries>). Not marked
    // BROWSABLE: the link comes from this app, not a web page, and an authenticator whose filter
    // lacks that category would otherwise not match at all.
    override fun openOtpauthLink(uri: SecretString) = start(Intent(Intent.ACTION_VIEW, Uri.parse(uri)))

    // The runtime resets the selfie session and the frames start flowing (AppSession.capturing).
    override fun startSelfie() = Unit
    override fun startLiveness(requestId: String, challengeId: String) = Unit

    /**
     * Nothing to do: the session joins the call's media itself (`SessionSettings.callMedia`) and
     * reports the join when it connects; the review screen, now on the call, runs the camera and
     * the microphone and shows the reviewer (ReviewScreen.kt).
     */
    override fun joinCall(callId: String) = Unit

    override fun scheduleWake(atMs: Long) = WakeScheduler.schedule(activity, atMs)

    override fun showNotification(message: LocalizedMessage) = Notifications.show(activity, message)

    // The runtime performs these itself (runtime/src/actor.rs); they never reach a shell.
    override fun persistState() = Unit
    override fun call(id: CallId, call: ServiceCall) = Unit
    override fun watchStatus(requestId: String) = Unit
    override fun registerPasskey(optionsJson: String) = Unit

    private fun openApp(app: RequiredApp) {
        val name = DeviceProfileReader.packages.getValue(app)
        val launch = activity.packageManager.getLaunchIntentForPackage(name)
            ?: Intent(Intent.ACTION_VIEW, Uri.parse("market://details?id=$name"))
        start(launch)
    }

    private fun view(uri: Uri) = start(Intent(Intent.ACTION_VIEW, uri).addCategory(Intent.CATEGORY_BROWSABLE))

    private fun start(intent: Intent) {
        try {
            activity.startActivity(intent)
        } catch (_: ActivityNotFoundException) {
            // Nothing on the phone opens it; the core's view still offers the way forward.
        }
    }
}
