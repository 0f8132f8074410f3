package com.identitypass.core.tests

import com.identitypass.core.Blocker
import com.identitypass.core.Control
import com.identitypass.core.CredentialVault
import com.identitypass.core.DeviceProfile
import com.identitypass.core.Distribution
import com.identitypass.core.OnboardingSession
import com.identitypass.core.Platform
import com.identitypass.core.RequiredApp
import com.identitypass.core.SessionSettings
import com.identitypass.core.VaultException
import com.identitypass.core.checkDevice
import com.identitypass.core.coreVersion
import com.identitypass.core.softwarePasskeyProvider
import com.identitypass.kit.SessionStreams
import kotlinx.coroutines.runBlocking
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * One test per FFI feature, mirrored by name in tests/swift/BindingTests.swift. They test the
 * binding (records, errors, objects, async, foreign traits), not the core's rules, which have
 * their own Rust tests. Written with kotlin.test so the same file runs on the desktop JVM
 * (JUnit 5) and as an instrumented test on an emulator (JUnit 4).
 */
class BindingTest {
    private val credentialKey = "identity-pass.device-credential"

    private fun phone(osMajor: UInt) = DeviceProfile(
        platform = Platform.ANDROID,
        osMajor = osMajor,
        osMinor = 0u,
        distribution = Distribution.CHINA,
        hasFrontCamera = true,
        notificationsSupported = true,
        networkAvailable = true,
        installedApps = listOf(RequiredApp.COMPANY_PORTAL),
    )

    @Test
    fun recordRoundTrip() {
        val profile = phone(13u)
        val check = checkDevice(profile)
        assertEquals(profile, check.profile, "the record comes back field for field")
        assertEquals(
            listOf(Blocker.OsTooOld(minimum = 14u, found = 13u), Blocker.MissingApp(RequiredApp.AUTHENTICATOR)),
            check.blockers,
        )
        assertTrue(coreVersion().isNotEmpty())
    }

    @Test
    fun rustErrorSurfacesAsKotlinException() = runBlocking {
        val store = InMemorySecureStore()
        CredentialVault(store).use { vault ->
            store.failure = "keystore locked"
            val locked = assertFailsWith<VaultException.StoreUnavailable> { vault.enrollDevice() }
            assertTrue(locked.reason.contains("keystore locked"), locked.reason)

            store.failure = null
            store.values[credentialKey] = byteArrayOf(0, 1, 2)
            assertFailsWith<VaultException.Corrupted> { vault.device() }
            assertTrue(store.values[credentialKey]!!.contentEquals(byteArrayOf(0, 1, 2)), "damaged data is left alone")
        }
    }

    @Test
    fun objectLifetime() = runBlocking {
        val store = InMemorySecureStore()
        val vault = CredentialVault(store)
        vault.release()
        assertFailsWith<VaultException.Closed> { vault.device() }
        vault.destroy()
        assertFailsWith<IllegalStateException> { runBlocking { vault.device() } }
        Unit
    }

    @Test
    fun asyncFunctionSuspendsAndResumes() = runBlocking {
        val vault = CredentialVault(InMemorySecureStore())
        val first = vault.enrollDevice()
        val second = vault.enrollDevice()
        assertEquals(first, second, "enrolling is idempotent")
        assertTrue(Regex("[0-9a-f]{32}").matches(first.deviceId), first.deviceId)
        vault.forgetDevice()
        assertNull(vault.device())
        assertNotEquals(first, vault.enrollDevice(), "a forgotten device gets a new identity")
        vault.destroy()
    }

    @Test
    fun foreignTraitIsCalledFromRust() = runBlocking {
        val store = InMemorySecureStore()
        val vault = CredentialVault(store)
        val device = vault.enrollDevice()
        assertEquals(1, store.writes.get(), "Rust wrote through the Kotlin store exactly once")
        assertEquals(setOf(credentialKey), store.values.keys, "the core chose the key")
        val stored = String(store.values.getValue(credentialKey))
        assertTrue(stored.contains(device.deviceId))
        vault.destroy()
    }

    /** A session in [language] against the runner's service, closed and freed after [use]. */
    private fun <T> session(language: String, use: (OnboardingSession) -> T): T {
        val session = OnboardingSession.start(
            SessionSettings(TestService.fromEnvironment().url, Platform.ANDROID, Distribution.CHINA, language, emptyList()),
            InMemorySecureStore(), SessionStreams(), softwarePasskeyProvider("https://id.contoso.example"), JcaDeviceKey(), null,
        )
        try {
            return use(session)
        } finally {
            session.closeSession()
            session.destroy()
        }
    }

    @Test
    fun controlLabelsComeInTheSessionLanguage() {
        val chinese = session("zh-CN") { s -> Control.entries.associateWith { s.label(it) } }
        val english = session("en-US") { s -> Control.entries.associateWith { s.label(it) } }
        assertEquals("我同意", chinese.getValue(Control.CONSENT_ACCEPT).text)
        assertEquals("I agree", english.getValue(Control.CONSENT_ACCEPT).text)
        for (control in Control.entries) {
            val zh = chinese.getValue(control)
            val en = english.getValue(control)
            assertTrue(zh.code.startsWith("FLOW_LABEL_"), "$control: ${zh.code}")
            assertEquals(zh.code, en.code, "$control: one message, two languages")
            assertTrue(zh.text.isNotBlank() && en.text.isNotBlank(), "$control has a label in both languages")
            assertNotEquals(zh.text, en.text, "$control is translated")
        }
    }
}
