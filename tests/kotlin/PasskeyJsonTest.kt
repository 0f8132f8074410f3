package com.identitypass.core.tests

import com.identitypass.core.PasskeyException
import com.identitypass.core.PasskeyProvider
import com.identitypass.kit.Json
import com.identitypass.kit.PasskeyJson
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * The passkey provider the Android app gives the session, with Credential Manager replaced by
 * [platform]: the core's options go through the app's mapping to the `requestJson` that
 * `CreatePublicKeyCredentialRequest` takes, [platform] gets exactly that (re-wrapped as
 * `{"publicKey": …}`, the form the software authenticator reads), and its
 * `registrationResponseJson` goes back through the mapping to the core. Used by
 * SessionTest.getPasskeyEndToEndWithASoftwareAuthenticator, where the service must accept it.
 */
class CredentialManagerShapedPasskeys(private val platform: PasskeyProvider) : PasskeyProvider {
    val ceremonies = AtomicInteger()

    override fun createPasskey(optionsJson: String): String {
        val requestJson = PasskeyJson.creationRequestJson(optionsJson)
        val registrationResponseJson = platform.createPasskey(Json.write(mapOf("publicKey" to Json.parse(requestJson))))
        return PasskeyJson.registrationResponseForCore(registrationResponseJson).also { ceremonies.incrementAndGet() }
    }
}

/** android/kit PasskeyJson.kt and Json.kt on their own. */
class PasskeyJsonTest {
    private val options = """{"publicKey": {"rp": {"id": "id.contoso.example", "name": "Contoso"},
        "user": {"id": "dXNlcg", "name": "dave@contoso.example", "displayName": "Dave"},
        "challenge": "Y2hhbGxlbmdl", "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 300000, "attestation": "none",
        "authenticatorSelection": {"residentKey": "required", "userVerification": "required"}}}"""

    private val response = """{"id": "Y3JlZA", "rawId": "Y3JlZA", "type": "public-key", "authenticatorAttachment": "platform",
        "response": {"clientDataJSON": "e30", "attestationObject": "o2NmbXRkbm9uZQ", "transports": ["internal", "hybrid"]},
        "clientExtensionResults": {"credProps": {"rk": true}}}"""

    @Test
    fun theRequestIsTheInnerObjectWithEveryMemberKept() {
        val request = PasskeyJson.creationRequestJson(options)
        assertEquals((Json.parse(options) as Map<*, *>)["publicKey"], Json.parse(request))
        assertTrue(request.startsWith("{\"rp\":"), "member order is kept: $request")
        assertTrue("\"alg\":-257" in request && "\"timeout\":300000" in request, "numbers as written: $request")
    }

    @Test
    fun optionsThatAreNotWebAuthnAreAFailedPasskey() {
        for (bad in listOf("", "[]", "{\"publicKey\": []}", "{\"publicKey\": {\"rp\": {}}}", "{\"publicKey\": {", options + "x")) {
            assertFailsWith<PasskeyException.Failed>(bad) { PasskeyJson.creationRequestJson(bad) }
        }
    }

    @Test
    fun aRegistrationIsHandedOnAsCredentialManagerGaveIt() {
        assertEquals(response, PasskeyJson.registrationResponseForCore(response))
    }

    @Test
    fun aMalformedRegistrationIsAFailedPasskey() {
        val parsed = Json.parse(response) as Map<*, *>
        fun without(key: String) = Json.write(parsed - key)
        fun withResponse(change: (Map<*, *>) -> Map<*, *>) = Json.write(parsed + ("response" to change(parsed["response"] as Map<*, *>)))
        val broken = listOf(
            "not json", "null", "[]",
            without("id"), without("rawId"), without("response"),
            Json.write(parsed + ("type" to "password")),
            Json.write(parsed + ("rawId" to "a+b/c==")),
            withResponse { it - "clientDataJSON" },
            withResponse { it - "attestationObject" },
            withResponse { it + ("attestationObject" to Json.Number("1")) },
        )
        for (bad in broken) {
            val error = assertFailsWith<PasskeyException.Failed>(bad) { PasskeyJson.registrationResponseForCore(bad) }
            assertTrue("Y2hhbGxlbmdl" !in error.reason && "o2NmbXRkbm9uZQ" !in error.reason, "no material in the reason: ${error.reason}")
        }
    }

    @Test
    fun jsonRoundTrips() {
        val text = """{"a":[1,-0.5,2e10,true,false,null],"s":"quote \" backslash \\ slash / tab \t nl \n \u0001 é 😀","o":{}}"""
        val parsed = Json.parse(text)
        assertEquals(parsed, Json.parse(Json.write(parsed)))
        val s = (parsed as Map<*, *>)["s"] as String
        assertEquals("quote \" backslash \\ slash / tab \t nl \n \u0001 é 😀", s)
        assertEquals(listOf(Json.Number("1"), Json.Number("-0.5"), Json.Number("2e10"), true, false, null), parsed["a"])
        assertEquals("\"\\u0001\"", Json.write("\u0001"))
    }

    @Test
    fun jsonThatIsNotJsonIsRefused() {
        val bad = listOf("", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"", "\"a", "{\"a\":1,\"a\":2}", "tru", "[1] 2", "\"\u0001\"",
            "[".repeat(100) + "]".repeat(100))
        for (text in bad) assertFailsWith<Json.Malformed>(text) { Json.parse(text) }
    }
}
