package com.identitypass.app.effects

import android.content.Context
import androidx.credentials.CreatePublicKeyCredentialRequest
import androidx.credentials.CreatePublicKeyCredentialResponse
import androidx.credentials.CredentialManager
import androidx.credentials.exceptions.CreateCredentialCancellationException
import androidx.credentials.exceptions.CreateCredentialException
import com.identitypass.core.PasskeyException
import com.identitypass.core.PasskeyProvider
import com.identitypass.kit.PasskeyJson
import kotlinx.coroutines.runBlocking

/**
 * "Get Passkey" through Credential Manager (the framework's, Android 14+). The runtime calls
 * [createPasskey] on a background thread and waits; the system sheet needs the activity on
 * screen. The JSON is mapped both ways by the kit's [PasskeyJson], tested on the desktop JVM.
 */
class CredentialManagerPasskeys(
    context: Context,
    private val foreground: ForegroundActivity,
) : PasskeyProvider {
    private val credentialManager = CredentialManager.create(context.applicationContext)

    override fun createPasskey(optionsJson: String): String {
        val request = CreatePublicKeyCredentialRequest(requestJson = PasskeyJson.creationRequestJson(optionsJson))
        val activity = foreground.current ?: throw PasskeyException.Failed("no activity on screen for the passkey sheet")
        val response = try {
            // A blocking bridge is right here: the runtime's thread exists to wait for this.
            runBlocking { credentialManager.createCredential(activity, request) }
        } catch (_: CreateCredentialCancellationException) {
            throw PasskeyException.Cancelled()
        } catch (e: CreateCredentialException) {
            // The type names the failure (no provider, interrupted…); the message has no key material.
            throw PasskeyException.Failed("${e.type}: ${e.errorMessage}")
        }
        val created = response as? CreatePublicKeyCredentialResponse
            ?: throw PasskeyException.Failed("Credential Manager answered with ${response.type}, not a passkey")
        return PasskeyJson.registrationResponseForCore(created.registrationResponseJson)
    }
}
