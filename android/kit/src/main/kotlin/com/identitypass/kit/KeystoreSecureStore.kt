package com.identitypass.kit

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import com.identitypass.core.SecureStore
import com.identitypass.core.SecureStoreException
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's SecureStore on Android: each value is sealed with AES-256-GCM under a key that
 * never leaves the Android Keystore, and the sealed bytes live in app-private preferences
 * (excluded from backup in the app manifest). The core chooses the keys and the encoding; this
 * class only seals and unseals opaque bytes, so it holds no onboarding rule.
 */
class KeystoreSecureStore(context: Context) : SecureStore {
    private val prefs = context.getSharedPreferences("identity-pass.secure", Context.MODE_PRIVATE)

    override fun read(key: String): ByteArray? = guarded {
        val sealed = prefs.getString(key, null) ?: return@guarded null
        val bytes = Base64.decode(sealed, Base64.NO_WRAP)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(128, bytes, 0, IV_BYTES))
        cipher.updateAAD(key.toByteArray())
        cipher.doFinal(bytes, IV_BYTES, bytes.size - IV_BYTES)
    }

    override fun write(key: String, value: ByteArray) = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key())
        cipher.updateAAD(key.toByteArray())
        val sealed = cipher.iv + cipher.doFinal(value)
        // commit(), not apply(): the core treats a returned write as durable.
        if (!prefs.edit().putString(key, Base64.encodeToString(sealed, Base64.NO_WRAP)).commit()) {
            throw SecureStoreException.Unavailable("could not persist the sealed value")
        }
    }

    override fun delete(key: String) = guarded {
        if (!prefs.edit().remove(key).commit()) {
            throw SecureStoreException.Unavailable("could not delete the value")
        }
    }

    private fun key(): SecretKey = STORE_KEY.get()

    // Platform exceptions become the one error the core understands; their messages carry no
    // stored values.
    private inline fun <T> guarded(block: () -> T): T = try {
        block()
    } catch (e: SecureStoreException) {
        throw e
    } catch (e: Exception) {
        throw SecureStoreException.Unavailable("${e::class.java.simpleName}: ${e.message}")
    }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val KEY_ALIAS = "identity-pass.store-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12

        /**
         * The sealing key, loaded or made once per process under one lock. Without it two
         * threads at first use could each generate a key under the alias, and whatever the
         * first sealed would never open again.
         */
        val STORE_KEY = OnceMade(load = ::loadKey, make = ::generateKey)

        fun loadKey(): SecretKey? {
            val keyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
            return keyStore.getKey(KEY_ALIAS, null) as? SecretKey
        }

        fun generateKey(): SecretKey {
            val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
            generator.init(
                KeyGenParameterSpec.Builder(KEY_ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                    .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                    .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                    .setKeySize(256)
                    .build(),
            )
            return generator.generateKey()
        }
    }
}
