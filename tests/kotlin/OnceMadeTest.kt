package com.identitypass.core.tests

import com.identitypass.kit.OnceMade
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertSame

/** The Keystore's make-or-load (android/kit OnceMade.kt): first use from many threads at once. */
class OnceMadeTest {
    @Test
    fun manyThreadsAtFirstUseGetOneKey() {
        val made = AtomicInteger()
        val loads = AtomicInteger()
        val key = OnceMade(load = { loads.incrementAndGet(); null }, make = {
            Thread.sleep(50) // a slow StrongBox generation, the window the race needs
            Any().also { made.incrementAndGet() }
        })
        val threads = 16
        val start = CountDownLatch(1)
        val pool = Executors.newFixedThreadPool(threads)
        try {
            val results = (1..threads).map { pool.submit<Any> { start.await(); key.get() } }
            start.countDown()
            val keys = results.map { it.get(10, TimeUnit.SECONDS) }
            assertEquals(1, made.get(), "one key made")
            assertEquals(1, loads.get(), "looked up once; later reads take the made key")
            keys.forEach { assertSame(keys.first(), it) }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun anExistingKeyIsLoadedNotMade() {
        val existing = Any()
        val key = OnceMade<Any>(load = { existing }, make = { error("must not make a second key") })
        assertSame(existing, key.get())
        assertSame(existing, key.get())
    }

    @Test
    fun aFailedGenerationIsTriedAgainNextTime() {
        val attempts = AtomicInteger()
        val key = OnceMade(load = { null }, make = { if (attempts.incrementAndGet() == 1) error("keystore busy") else "key" })
        runCatching { key.get() }
        assertEquals("key", key.get())
        assertEquals(2, attempts.get())
    }
}
