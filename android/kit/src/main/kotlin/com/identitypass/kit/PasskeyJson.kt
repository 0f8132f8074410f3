package com.identitypass.kit

import com.identitypass.core.PasskeyException

/**
 * Between the core's passkey JSON and Credential Manager's. The core hands over WebAuthn
 * creation options wrapped as the browser API takes them, `{"publicKey": {…}}` (base64url for
 * every binary field); `CreatePublicKeyCredentialRequest(requestJson)` wants the inner object.
 * Credential Manager answers with `registrationResponseJson`, the JSON form of a
 * `PublicKeyCredential`, which the core takes as it is once its shape is right.
 *
 * Failures are the core's [PasskeyException.Failed], so the flow says the passkey failed
 * rather than the shell crashing. Nothing here decides about the passkey itself: the service
 * verifies it.
 */
object PasskeyJson {
    private val BASE64URL = Regex("^[A-Za-z0-9_-]+$")

    /** The `requestJson` for `CreatePublicKeyCredentialRequest`: the options' `publicKey` member. */
    fun creationRequestJson(coreOptionsJson: String): String {
        val options = parse(coreOptionsJson, "the passkey options") as? Map<*, *>
            ?: throw failed("the passkey options are not a JSON object")
        val publicKey = options["publicKey"] as? Map<*, *>
            ?: throw failed("the passkey options have no publicKey object")
        if (publicKey["challenge"] !is String || publicKey["rp"] !is Map<*, *> || publicKey["user"] !is Map<*, *>) {
            throw failed("the passkey options lack a challenge, rp or user")
        }
        return Json.write(publicKey)
    }

    /**
     * The core's form of Credential Manager's `registrationResponseJson`, after checking it is a
     * WebAuthn registration: `id` and `rawId` (base64url), `type` "public-key",
     * `response.clientDataJSON` and `response.attestationObject` (base64url).
     */
    fun registrationResponseForCore(registrationResponseJson: String): String {
        val credential = parse(registrationResponseJson, "the passkey response") as? Map<*, *>
            ?: throw failed("the passkey response is not a JSON object")
        val response = credential["response"] as? Map<*, *>
            ?: throw failed("the passkey response has no response object")
        if (credential["type"] != "public-key") throw failed("the passkey response is not of type public-key")
        for ((name, value) in listOf(
            "id" to credential["id"],
            "rawId" to credential["rawId"],
            "response.clientDataJSON" to response["clientDataJSON"],
            "response.attestationObject" to response["attestationObject"],
        )) {
            if (value !is String || !BASE64URL.matches(value)) throw failed("the passkey response's $name is not base64url")
        }
        return registrationResponseJson
    }

    private fun parse(text: String, what: String): Any? = try {
        Json.parse(text)
    } catch (e: Json.Malformed) {
        // The message names a position, never the content (challenges and keys are in there).
        throw failed("could not read $what as JSON: ${e.message}")
    }

    private fun failed(reason: String) = PasskeyException.Failed(reason)
}
