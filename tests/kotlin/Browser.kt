package com.identitypass.core.tests

import java.io.ByteArrayOutputStream
import java.net.InetSocketAddress
import java.net.Socket
import java.net.URI
import java.net.URLEncoder

/**
 * The user's browser on the service's own pages (the password page), as far as these tests need
 * one: a GET and a form post over plain HTTP/1.1, with the headers a browser sends (`Origin` on
 * the post). A socket rather than an HTTP library: these tests also compile for the emulator,
 * whose Android SDK has no java.net.http, and the desktop JVM's HttpURLConnection silently drops
 * `Origin` (a restricted header). Mirrored in tests/swift/Browser.swift.
 */
object Browser {
    class Page(val status: Int, private val headers: Map<String, String>, val body: String) {
        /** A header's value, by its case-insensitive name. */
        fun header(name: String): String? = headers[name.lowercase()]
        override fun toString() = "$status $headers $body"
    }

    fun get(url: String): Page = exchange(URI(url), "GET", emptyMap(), null)

    /** Posts `fields` as `application/x-www-form-urlencoded`, as a submitted form does. */
    fun postForm(url: String, fields: List<Pair<String, String>>, origin: String): Page {
        val body = fields.joinToString("&") { (name, value) -> "${URLEncoder.encode(name, Charsets.UTF_8)}=${URLEncoder.encode(value, Charsets.UTF_8)}" }
        return exchange(URI(url), "POST", mapOf("Origin" to origin, "Content-Type" to "application/x-www-form-urlencoded"), body.toByteArray())
    }

    /** The origin (`scheme://host:port`) of a URL, as a browser names it in `Origin`. */
    fun originOf(url: String): String {
        val uri = URI(url)
        return "${uri.scheme}://${uri.host}${if (uri.port >= 0) ":${uri.port}" else ""}"
    }

    private fun exchange(uri: URI, method: String, headers: Map<String, String>, body: ByteArray?): Page {
        require(uri.scheme == "http") { "this browser speaks plain HTTP only: $uri" }
        val port = if (uri.port >= 0) uri.port else 80
        val target = uri.rawPath.ifEmpty { "/" } + (uri.rawQuery?.let { "?$it" } ?: "")
        Socket().use { socket ->
            socket.connect(InetSocketAddress(uri.host, port), 10_000)
            socket.soTimeout = 30_000
            val request = buildString {
                append("$method $target HTTP/1.1\r\n")
                append("Host: ${uri.host}:$port\r\n")
                append("Accept: text/html\r\n")
                append("Connection: close\r\n")
                for ((name, value) in headers) append("$name: $value\r\n")
                if (body != null) append("Content-Length: ${body.size}\r\n")
                append("\r\n")
            }
            socket.getOutputStream().apply { write(request.toByteArray()); body?.let { write(it) }; flush() }
            val raw = socket.getInputStream().readBytes()
            val split = (0..raw.size - 4).firstOrNull { i ->
                raw[i] == '\r'.code.toByte() && raw[i + 1] == '\n'.code.toByte() && raw[i + 2] == '\r'.code.toByte() && raw[i + 3] == '\n'.code.toByte()
            } ?: error("no HTTP answer from $uri: ${String(raw)}")
            val head = String(raw, 0, split, Charsets.ISO_8859_1).split("\r\n")
            val status = head.first().split(' ').getOrNull(1)?.toIntOrNull() ?: error("not an HTTP status line: ${head.first()}")
            val answerHeaders = head.drop(1).associate { line ->
                line.substringBefore(':').trim().lowercase() to line.substringAfter(':').trim()
            }
            var content = raw.copyOfRange(split + 4, raw.size)
            if (answerHeaders["transfer-encoding"]?.contains("chunked", ignoreCase = true) == true) content = dechunk(content)
            answerHeaders["content-length"]?.toIntOrNull()?.let { if (it <= content.size) content = content.copyOf(it) }
            return Page(status, answerHeaders, String(content, Charsets.UTF_8))
        }
    }

    private fun dechunk(chunked: ByteArray): ByteArray {
        val out = ByteArrayOutputStream()
        var at = 0
        while (at < chunked.size) {
            var end = at
            while (end + 1 < chunked.size && !(chunked[end] == '\r'.code.toByte() && chunked[end + 1] == '\n'.code.toByte())) end++
            val size = String(chunked, at, end - at, Charsets.ISO_8859_1).substringBefore(';').trim().toInt(16)
            if (size == 0) break
            out.write(chunked, end + 2, size)
            at = end + 2 + size + 2
        }
        return out.toByteArray()
    }
}
