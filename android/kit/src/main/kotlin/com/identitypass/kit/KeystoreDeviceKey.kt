package com.identitypass.kit

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import com.identitypass.core.DeviceKeyException
import com.identitypass.core.DeviceKeyProvider
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import java.util.concurrent.ConcurrentHashMap

/**
 * The core's device key on Android: an EC P-256 signing key made inside the Android Keystore —
 * StrongBox where the phone has one, the TEE otherwise — whose private half can never be read
 * out. Verified IDs are bound to its public half (`cnf.jwk`), and presenting one means signing
 * the service's nonce with it, so a Verified ID copied off this phone is of no use elsewhere.
 *
 * The core builds and checks everything around the key (the registration proof, the key-binding
 * JWT); this class only makes the key, hands out its public half and signs opaque bytes, so it
 * holds no onboarding rule. It hands them out as the platform encodes them — the X.509
 * SubjectPublicKeyInfo of the key's certificate and DER signatures from `SHA256withECDSA` — and
 * the core reads those encodings itself.
 *
 * The core calls it off the main thread; StrongBox can take a noticeable time to sign.
 */
class KeystoreDeviceKey(private val alias: String = DEFAULT_ALIAS) : DeviceKeyProvider {

    override fun publicKey(): ByteArray = guarded {
        entry().certificate.publicKey.encoded
    }

    override fun sign(message: ByteArray): ByteArray = guarded {
        val signature = Signature.getInstance(SIGNATURE_ALGORITHM)
        signature.initSign(entry().privateKey)
        signature.update(message)
        signature.sign()
    }

    /**
     * The key, made if there is none. One [OnceMade] per alias for the whole process (every
     * instance shares it): two threads, or two instances, asking at first use end with one key,
     * not two generations racing for the alias, which would leave the registered public key and
     * the signing key different. Once made the key is never replaced, so signing needs no lock.
     */
    private fun entry(): KeyStore.PrivateKeyEntry =
        ENTRIES.computeIfAbsent(alias) { OnceMade(load = ::loadEntry, make = { generate(); loadEntry() ?: unreadable() }) }.get()

    private fun loadEntry(): KeyStore.PrivateKeyEntry? {
        val keyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        if (!keyStore.containsAlias(alias)) return null
        return keyStore.getEntry(alias, null) as? KeyStore.PrivateKeyEntry ?: unreadable()
    }

    private fun unreadable(): Nothing =
        throw DeviceKeyException.Unavailable("the Keystore entry '$alias' is not a private key")

    /** Called by [OnceMade] under its lock. StrongBox first; the TEE when the phone has no StrongBox. */
    private fun generate() {
        try {
            generate(strongBox = true)
        } catch (e: Exception) {
            if (!isStrongBoxUnavailable(e)) throw e
            generate(strongBox = false)
        }
    }

    private fun generate(strongBox: Boolean) {
        val generator = KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, ANDROID_KEYSTORE)
        generator.initialize(
            KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
                .setAlgorithmParameterSpec(ECGenParameterSpec(CURVE))
                .setDigests(KeyProperties.DIGEST_SHA256)
                .setIsStrongBoxBacked(strongBox)
                .build(),
        )
        generator.generateKeyPair()
    }

    // StrongBoxUnavailableException is normally thrown as is, but some Keystore versions wrap it.
    private fun isStrongBoxUnavailable(e: Throwable): Boolean =
        generateSequence(e) { it.cause }.take(MAX_CAUSES).any { it is StrongBoxUnavailableException }

    // Platform exceptions become the one error the core understands. Keystore messages name
    // aliases and error codes, never key material.
    private inline fun <T> guarded(block: () -> T): T = try {
        block()
    } catch (e: DeviceKeyException) {
        throw e
    } catch (e: Exception) {
        throw DeviceKeyException.Unavailable("${e::class.java.simpleName}: ${e.message}")
    }

    companion object {
        /** The Keystore alias of the app's device key. */
        const val DEFAULT_ALIAS = "identity-pass.device-key"

        private const val ANDROID_KEYSTORE = "AndroidKeyStore"
        private const val CURVE = "secp256r1"
        private const val SIGNATURE_ALGORITHM = "SHA256withECDSA"
        private const val MAX_CAUSES = 8
        private val ENTRIES = ConcurrentHashMap<String, OnceMade<KeyStore.PrivateKeyEntry>>()
    }
}
