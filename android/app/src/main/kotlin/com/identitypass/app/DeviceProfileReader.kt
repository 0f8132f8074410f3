package com.identitypass.app

import android.content.Context
import android.content.pm.PackageManager
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import android.os.Build
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import com.identitypass.core.DeviceProfile
import com.identitypass.core.Platform
import com.identitypass.core.RequiredApp
import com.identitypass.kit.PermissionMapping

/**
 * Reads the facts the core's device check needs. It reports; it does not judge: whether
 * Android 13 or a missing app blocks the onboarding is the core's decision.
 */
object DeviceProfileReader {
    /** The required apps' packages; each is declared in the manifest's `<queries>`. */
    val packages = mapOf(
        RequiredApp.COMPANY_PORTAL to "com.microsoft.windowsintune.companyportal",
        RequiredApp.AUTHENTICATOR to "com.azure.authenticator",
    )

    fun read(context: Context): DeviceProfile {
        val pm = context.packageManager
        val connectivity = context.getSystemService(ConnectivityManager::class.java)
        val online = connectivity.getNetworkCapabilities(connectivity.activeNetwork)
            ?.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) == true
        return DeviceProfile(
            platform = Platform.ANDROID,
            osMajor = Build.VERSION.RELEASE.substringBefore('.').toUIntOrNull() ?: 0u,
            osMinor = Build.VERSION.RELEASE.substringAfter('.', "0").substringBefore('.').toUIntOrNull() ?: 0u,
            distribution = AppSession.distribution(),
            hasFrontCamera = pm.hasSystemFeature(PackageManager.FEATURE_CAMERA_FRONT),
            notificationsSupported = notificationsCanBeShown(context),
            networkAvailable = online,
            installedApps = packages.filterValues { isInstalled(pm, it) }.keys.toList(),
        )
    }

    /**
     * Whether this app's notifications can reach the user. On Android 13+ notifications read as
     * disabled until POST_NOTIFICATIONS is granted, which is the permission step's to ask; so
     * they count as blocked only when the permission is granted and the user still turned the
     * app's notifications off in the system settings.
     */
    private fun notificationsCanBeShown(context: Context): Boolean {
        val permitted = ContextCompat.checkSelfPermission(context, PermissionMapping.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
        return !permitted || NotificationManagerCompat.from(context).areNotificationsEnabled()
    }

    private fun isInstalled(pm: PackageManager, name: String) = try {
        pm.getPackageInfo(name, 0); true
    } catch (_: PackageManager.NameNotFoundException) {
        false
    }
}
