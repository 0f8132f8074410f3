package com.identitypass.core.tests

import java.net.HttpURLConnection
import java.net.URI
import java.util.UUID

/**
 * The real reference service the runner started for these tests (its URL and reviewer token
 * come in the environment or as system properties), and the reviewer's side of it, spoken over
 * plain HTTP as the reviewer console does.
 */
class TestService private constructor(val url: String, private val reviewerToken: String) {
    companion object {
        fun fromEnvironment(): TestService {
            fun setting(name: String) = System.getenv(name) ?: System.getProperty(name) ?: instrumentationArgument(name)
                ?: error("$name is not set; run the tests through tests/run-kotlin-jvm.sh, which starts the service")
            return TestService(setting("IDENTITY_PASS_SERVICE_URL").trimEnd('/'), setting("IDENTITY_PASS_REVIEWER_TOKEN"))
        }

        /**
         * On an emulator the runner passes settings as instrumentation arguments. Read reflectively,
         * so this file also compiles for the desktop JVM, where androidx.test does not exist.
         */
        private fun instrumentationArgument(name: String): String? = runCatching {
            val registry = Class.forName("androidx.test.platform.app.InstrumentationRegistry")
            val arguments = registry.getMethod("getArguments").invoke(null)
            arguments.javaClass.getMethod("getString", String::class.java).invoke(arguments, name) as String?
        }.getOrNull()
    }

    /** A reviewer action (`call`, `join`, `leave`, `decision`) on a request. */
    fun review(requestId: String, action: String, json: String = "{}") {
        val connection = URI("$url/v1/review/requests/$requestId/$action").toURL().openConnection() as HttpURLConnection
        connection.requestMethod = "POST"
        connection.doOutput = true
        connection.setRequestProperty("Authorization", "Bearer $reviewerToken")
        connection.setRequestProperty("Idempotency-Key", UUID.randomUUID().toString())
        connection.setRequestProperty("Content-Type", "application/json")
        connection.outputStream.use { it.write(json.toByteArray()) }
        val status = connection.responseCode
        val body = (if (status < 400) connection.inputStream else connection.errorStream)?.use { String(it.readBytes()) }
        check(status in 200..299) { "reviewer $action: $status $body" }
    }
}
