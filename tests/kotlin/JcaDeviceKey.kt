package com.identitypass.core.tests

import com.identitypass.core.DeviceKeyProvider
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.Signature
import java.security.interfaces.ECPublicKey
import java.security.spec.ECGenParameterSpec
import java.util.concurrent.atomic.AtomicInteger

/**
 * A test double of the kit's `KeystoreDeviceKey`: an EC P-256 key from plain JCA instead of the
 * Android Keystore, which the desktop JVM does not have. It hands the core the same encodings
 * the Keystore does (the X.509 SubjectPublicKeyInfo from `PublicKey.getEncoded()`, DER
 * signatures from `SHA256withECDSA`), so the core's handling of them is exercised from Kotlin.
 * NOT a secure key: it lives in memory and dies with the test.
 */
class JcaDeviceKey : DeviceKeyProvider {
    private var pair: KeyPair? = null
    /** How often the core asked for a signature (the registration proof, each presentation). */
    val signatures = AtomicInteger(0)

    /** The public key, made on first use like the real one. */
    val ecPublicKey: ECPublicKey get() = keyPair().public as ECPublicKey

    // One lock around "made yet? else make": two threads asking at once get one key.
    @Synchronized
    private fun keyPair(): KeyPair = pair ?: KeyPairGenerator.getInstance("EC")
        .apply { initialize(ECGenParameterSpec("secp256r1")) }
        .generateKeyPair()
        .also { pair = it }

    override fun publicKey(): ByteArray = keyPair().public.encoded

    override fun sign(message: ByteArray): ByteArray {
        signatures.incrementAndGet()
        return Signature.getInstance("SHA256withECDSA").run {
            initSign(keyPair().private)
            update(message)
            sign()
        }
    }
}
