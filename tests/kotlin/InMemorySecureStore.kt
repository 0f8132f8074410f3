package com.identitypass.core.tests

import com.identitypass.core.SecureStore
import com.identitypass.core.SecureStoreException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * A test double of the Android Keystore-backed store: values in memory. NOT secure storage;
 * it exists so the binding tests can watch what the core asks the platform to do.
 */
class InMemorySecureStore : SecureStore {
    val values = ConcurrentHashMap<String, ByteArray>()
    val writes = AtomicInteger(0)
    @Volatile var failure: String? = null

    override fun read(key: String): ByteArray? {
        failure?.let { throw SecureStoreException.Unavailable(it) }
        return values[key]
    }

    override fun write(key: String, value: ByteArray) {
        failure?.let { throw SecureStoreException.Unavailable(it) }
        writes.incrementAndGet()
        values[key] = value
    }

    override fun delete(key: String) {
        failure?.let { throw SecureStoreException.Unavailable(it) }
        values.remove(key)
    }
}
