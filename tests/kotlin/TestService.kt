package com.identitypass.core.tests

import java.net.HttpURLConnection
import java.net.URI
import java.util.UUID

/**
 * The real reference service the runner started for these tests (its URL and the seeded reviewer
 * accounts' password come in the environment or as system properties), and the reviewer's side
 * of it: the seeded manager signs in as a script does and acts over plain HTTP, as the console.
 */
class TestService private constructor(val url: String, private val reviewerPassword: String) {
    companion object {
        /** The seeded people's manager, who reviews their requests. */
        private const val REVIEWER = "maria@contoso.example"

        fun fromEnvironment(): TestService {
            fun setting(name: String) = System.getenv(name) ?: System.getProperty(name) ?: instrumentationArgument(name)
                ?: error("$name is not set; run the tests through tests/run-kotlin-jvm.sh, which starts the service")
            return TestService(setting("IDENTITY_PASS_SERVICE_URL").trimEnd('/'), setting("IDENTITY_PASS_REVIEWER_PASSWORD"))
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

    /** The seeded manager's bearer token, signed in once (a session lasts the working day). */
    private val reviewerToken: String by lazy {
        val body = post("/v1/review/tokens", null, """{"upn":"$REVIEWER","password":"$reviewerPassword"}""", "reviewer sign-in")
        Regex("\"token\"\\s*:\\s*\"([0-9a-f]+)\"").find(body)?.groupValues?.get(1) ?: error("no token in the sign-in answer")
    }

    /** A reviewer action (`call`, `join`, `leave`, `decision`) on a request. */
    fun review(requestId: String, action: String, json: String = "{}") {
        post("/v1/review/requests/$requestId/$action", reviewerToken, json, "reviewer $action")
    }

    /**
     * The id of [upn]'s latest request in the reviewer's queue, as the console lists it: for a
     * test that drives the app's UI and so never sees the effects that carry the id.
     */
    fun latestRequestOf(upn: String): String? {
        val connection = URI("$url/v1/review/requests").toURL().openConnection() as HttpURLConnection
        connection.setRequestProperty("Authorization", "Bearer $reviewerToken")
        val status = connection.responseCode
        check(status == 200) { "reviewer queue: $status" }
        val body = connection.inputStream.use { String(it.readBytes()) }
        val entry = Regex(""""request_id"\s*:\s*"([^"]+)"\s*,\s*"upn"\s*:\s*"${Regex.escape(upn)}"""")
        return entry.findAll(body).lastOrNull()?.groupValues?.get(1)
    }

    private fun post(path: String, bearer: String?, json: String, what: String): String {
        val connection = URI("$url$path").toURL().openConnection() as HttpURLConnection
        connection.requestMethod = "POST"
        connection.doOutput = true
        bearer?.let { connection.setRequestProperty("Authorization", "Bearer $it") }
        connection.setRequestProperty("Idempotency-Key", UUID.randomUUID().toString())
        connection.setRequestProperty("Content-Type", "application/json")
        connection.outputStream.use { it.write(json.toByteArray()) }
        val status = connection.responseCode
        val body = (if (status < 400) connection.inputStream else connection.errorStream)?.use { String(it.readBytes()) }
        check(status in 200..299) { "$what: $status $body" }
        return body ?: ""
    }
}
