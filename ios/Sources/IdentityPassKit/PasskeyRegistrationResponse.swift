import Foundation
import IdentityPassCore

/// The registration response the core hands the service (WebAuthn's `RegistrationResponseJSON`,
/// as a browser's `PublicKeyCredential.toJSON()` writes it), built from the three fields an
/// `ASAuthorizationPlatformPublicKeyCredentialRegistration` gives: `credentialID`,
/// `rawClientDataJSON` and `rawAttestationObject`. The service verifies the attestation; this
/// only encodes. Plain Foundation, so the Linux tests build exactly what the app sends.
public enum PasskeyRegistrationResponse {
    /// How a platform passkey can be reached again: on this phone, and from another device
    /// over hybrid (caBLE), as iCloud Keychain passkeys are. Lexicographic, as WebAuthn's
    /// `getTransports()` returns them.
    public static let platformTransports = ["hybrid", "internal"]

    /// The JSON string for the core. `rawAttestationObject` is optional in AuthenticationServices;
    /// without it (or with an empty id or client data) there is nothing the service could verify,
    /// which is `PasskeyError.Failed`.
    public static func json(credentialId: Data, rawClientDataJSON: Data, rawAttestationObject: Data?) throws -> String {
        guard !credentialId.isEmpty else { throw PasskeyError.Failed(reason: "passkey registration: no credential id") }
        guard !rawClientDataJSON.isEmpty else { throw PasskeyError.Failed(reason: "passkey registration: no client data") }
        guard let attestation = rawAttestationObject, !attestation.isEmpty else {
            throw PasskeyError.Failed(reason: "passkey registration: no attestation object")
        }
        let id = Base64Url.encode(credentialId)
        let response: [String: Any] = [
            "id": id,
            "rawId": id,
            "type": "public-key",
            "response": [
                "clientDataJSON": Base64Url.encode(rawClientDataJSON),
                "attestationObject": Base64Url.encode(attestation),
                "transports": platformTransports,
            ] as [String: Any],
            "authenticatorAttachment": "platform",
            "clientExtensionResults": [String: Any](),
        ]
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: response, options: [.sortedKeys])
        } catch {
            throw PasskeyError.Failed(reason: "passkey registration: not encodable")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
