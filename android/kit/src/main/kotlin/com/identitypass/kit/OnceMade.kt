package com.identitypass.kit

/**
 * A value that exists once per process and is expensive or unsafe to make twice — a Keystore
 * key. [get] loads it, or makes it when there is none, under one lock: two threads asking at
 * first use end with the same key, where a plain "load, else generate" lets both generate and
 * the second replace the first (data sealed under the first then never opens again, or a
 * registered public key no longer matches the signing key). Double-checked: once made, reads
 * take no lock.
 */
class OnceMade<T : Any>(private val load: () -> T?, private val make: () -> T) {
    @Volatile private var value: T? = null
    private val lock = Any()

    fun get(): T {
        value?.let { return it }
        synchronized(lock) {
            value?.let { return it }
            val made = load() ?: make()
            value = made
            return made
        }
    }
}
