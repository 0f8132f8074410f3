package com.identitypass.core.tests

import java.net.URLDecoder
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * The user's authenticator app, as far as the session tests need one: it reads an `otpauth://`
 * URI and computes the RFC 6238 code (HMAC-SHA1 from javax.crypto, base32 decoded here), with
 * nothing of the Rust side. Mirrored in tests/swift/Totp.swift, which brings its own SHA-1.
 */
object Totp {
    /** An `otpauth://` URI's parts, as an authenticator app reads them. */
    class OtpauthUri(val type: String, val label: String, val parameters: Map<String, String>) {
        val secret: ByteArray get() = base32(parameters["secret"] ?: error("no secret"))
        val algorithm: String get() = parameters["algorithm"] ?: "SHA1"
        val digits: Int get() = parameters["digits"]?.toInt() ?: 6
        val period: Long get() = parameters["period"]?.toLong() ?: 30

        /** The code the app shows at `unixSeconds`. */
        fun code(unixSeconds: Long): String {
            check(algorithm == "SHA1") { "this app knows SHA1 only, not $algorithm" }
            return code(secret, unixSeconds, digits, period)
        }

        companion object {
            fun parse(uri: String): OtpauthUri {
                val match = Regex("""^otpauth://([a-z]+)/([^?]*)\?(.*)$""").find(uri) ?: error("not an otpauth URI")
                val (type, label, query) = match.destructured
                val parameters = query.split('&').filter { it.isNotEmpty() }.associate {
                    val (key, value) = it.split('=', limit = 2).let { kv -> kv[0] to kv.getOrElse(1) { "" } }
                    decode(key) to decode(value)
                }
                return OtpauthUri(type, decode(label), parameters)
            }

            private fun decode(text: String) = URLDecoder.decode(text.replace("+", "%2B"), "UTF-8")
        }
    }

    /** RFC 4648 base32 (either case, padding optional). */
    fun base32(text: String): ByteArray {
        val alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        val out = java.io.ByteArrayOutputStream()
        var buffer = 0
        var bits = 0
        for (c in text.trimEnd('=').uppercase()) {
            val value = alphabet.indexOf(c)
            require(value >= 0) { "not base32: '$c'" }
            buffer = (buffer shl 5) or value
            bits += 5
            if (bits >= 8) {
                bits -= 8
                out.write((buffer shr bits) and 0xFF)
            }
        }
        return out.toByteArray()
    }

    /** RFC 6238 with HMAC-SHA1: the code for the time step holding `unixSeconds`. */
    fun code(secret: ByteArray, unixSeconds: Long, digits: Int = 6, period: Long = 30): String {
        val counter = java.nio.ByteBuffer.allocate(8).putLong(unixSeconds / period).array()
        val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec(secret, "HmacSHA1")) }.doFinal(counter)
        // RFC 4226's dynamic truncation.
        val offset = mac[mac.size - 1].toInt() and 0x0F
        val binary = ((mac[offset].toInt() and 0x7F) shl 24) or ((mac[offset + 1].toInt() and 0xFF) shl 16) or
            ((mac[offset + 2].toInt() and 0xFF) shl 8) or (mac[offset + 3].toInt() and 0xFF)
        var modulus = 1L
        repeat(digits) { modulus *= 10 }
        return (binary % modulus).toString().padStart(digits, '0')
    }
}

/** The helper against the RFCs' own vectors, so a session test's failure is never the helper's. Mirrored in TotpTests. */
class TotpTest {
    private val rfcSecret = "12345678901234567890".toByteArray()

    @Test
    fun matchesTheSha1VectorsOfRfc6238() {
        for ((time, expected) in listOf(
            59L to "94287082", 1_111_111_109L to "07081804", 1_111_111_111L to "14050471",
            1_234_567_890L to "89005924", 2_000_000_000L to "69279037", 20_000_000_000L to "65353130",
        )) {
            assertEquals(expected, Totp.code(rfcSecret, time, digits = 8), "T = $time")
        }
        assertEquals("287082", Totp.code(rfcSecret, 59), "6 digits by default")
    }

    @Test
    fun decodesBase32AsRfc4648() {
        for ((encoded, plain) in listOf(
            "" to "", "MY======" to "f", "MZXQ====" to "fo", "MZXW6===" to "foo", "MZXW6YQ=" to "foob",
            "MZXW6YTB" to "fooba", "MZXW6YTBOI======" to "foobar", "mzxw6ytboi" to "foobar",
        )) {
            assertEquals(plain, String(Totp.base32(encoded)), encoded)
        }
        assertFailsWith<IllegalArgumentException> { Totp.base32("MZXW1") }
    }

    @Test
    fun readsAnOtpauthUriAsAnAuthenticatorAppDoes() {
        val uri = Totp.OtpauthUri.parse(
            "otpauth://totp/Identity%20Pass:ada%40contoso.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" +
                "&issuer=Identity%20Pass&algorithm=SHA1&digits=8&period=30",
        )
        assertEquals("totp", uri.type)
        assertEquals("Identity Pass:ada@contoso.example", uri.label)
        assertEquals("Identity Pass", uri.parameters["issuer"])
        assertEquals("94287082", uri.code(59), "the RFC's secret, in base32")
    }
}
