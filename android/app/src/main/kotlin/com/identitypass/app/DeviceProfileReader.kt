package com.identitypass.app

import android.content.Context
import android.content.pm.PackageManager
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import android.os.Build
import com.identitypass.core.DeviceProfile
import com.identitypass.core.Distribution
import com.identitypass.core.Platform
import com.identitypass.core.RequiredApp

/**
 * Reads the facts the core's device check needs. It reports; it does not judge: whether
 * Android 13 or a missing app blocks the onboarding is the core's decision.
 */
object DeviceProfileReader {
    private val packages = mapOf(
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
            distribution = if (BuildConfig.DISTRIBUTION == "CHINA") Distribution.CHINA else Distribution.GLOBAL,
            hasFrontCamera = pm.hasSystemFeature(PackageManager.FEATURE_CAMERA_FRONT),
            // Every Android 14 phone can post notifications; whether the user allows them is the
            // permission step, which the core drives separately.
            notificationsSupported = true,
            networkAvailable = online,
            installedApps = packages.filterValues { isInstalled(pm, it) }.keys.toList(),
        )
    }

    private fun isInstalled(pm: PackageManager, name: String) = try {
        pm.getPackageInfo(name, 0); true
    } catch (_: PackageManager.NameNotFoundException) {
        false
    }
}
