import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// A `PasskeyProvider` shaped like the app's AuthenticationServices one: it parses the core's
/// options with the kit (as the app does to build its `ASAuthorization` request), lets the core's
/// software authenticator stand in for the Secure Enclave, keeps from its answer only what an
/// `ASAuthorizationPlatformPublicKeyCredentialRegistration` gives (`credentialID`,
/// `rawClientDataJSON`, `rawAttestationObject`) and rebuilds the response with the kit.
final class AuthenticationServicesShapedPasskeys: PasskeyProvider, @unchecked Sendable {
    private let software: PasskeyProvider
    private let lock = NSLock()
    private var parsed: [PasskeyCreationRequest] = []
    private var clientData: [Data] = []

    init(origin: String) {
        software = softwarePasskeyProvider(origin: origin)
    }

    /// Every request parsed, in order.
    var requests: [PasskeyCreationRequest] { lock.withLock { parsed } }
    /// The client data of every registration.
    var clientDataJsons: [Data] { lock.withLock { clientData } }

    func createPasskey(optionsJson: String) throws -> String {
        let request = try PasskeyCreationRequest(optionsJson: optionsJson)
        lock.withLock { parsed.append(request) }
        let answer = try software.createPasskey(optionsJson: optionsJson)
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any],
              let rawId = (object["rawId"] as? String).flatMap(Base64Url.decode),
              let response = object["response"] as? [String: Any],
              let clientDataJson = (response["clientDataJSON"] as? String).flatMap(Base64Url.decode),
              let attestation = (response["attestationObject"] as? String).flatMap(Base64Url.decode)
        else { throw PasskeyError.Failed(reason: "the software authenticator's answer has no registration fields") }
        lock.withLock { clientData.append(clientDataJson) }
        return try PasskeyRegistrationResponse.json(credentialId: rawId, rawClientDataJSON: clientDataJson, rawAttestationObject: attestation)
    }
}

/// The kit's WebAuthn mapping for AuthenticationServices, field by field.
final class PasskeyMappingTests: XCTestCase {
    private let challenge = Data((0..<32).map { UInt8($0 * 7 % 256) })
    private let userId = Data([0xFB, 0xFF, 0x00, 0x3E, 0x3F])

    private func options(_ edit: (inout [String: Any]) -> Void = { _ in }) -> String {
        var publicKey: [String: Any] = [
            "rp": ["id": "id.contoso.example", "name": "Contoso"],
            "user": ["id": Base64Url.encode(userId), "name": "dave@contoso.example", "displayName": "Dave"],
            "challenge": Base64Url.encode(challenge),
            "pubKeyCredParams": [["type": "public-key", "alg": -7], ["type": "public-key", "alg": -257]],
            "timeout": 300_000,
            "attestation": "none",
            "excludeCredentials": [["type": "public-key", "id": Base64Url.encode(Data([1, 2, 3]))]],
            "authenticatorSelection": ["residentKey": "required", "userVerification": "required"],
        ]
        edit(&publicKey)
        let data = try! JSONSerialization.data(withJSONObject: ["publicKey": publicKey]) // test input, built here
        return String(decoding: data, as: UTF8.self)
    }

    private func failure(_ json: String) -> String? {
        do {
            _ = try PasskeyCreationRequest(optionsJson: json)
            return nil
        } catch PasskeyError.Failed(let reason) {
            return reason
        } catch {
            return "not a PasskeyError: \(error)"
        }
    }

    func testTheOptionsBecomeTheRegistrationRequestsValues() throws {
        let request = try PasskeyCreationRequest(optionsJson: options())
        XCTAssertEqual(request.relyingPartyId, "id.contoso.example")
        XCTAssertEqual(request.challenge, challenge)
        XCTAssertEqual(request.userName, "dave@contoso.example")
        XCTAssertEqual(request.userDisplayName, "Dave")
        XCTAssertEqual(request.userId, userId, "base64url's - and _ decoded")
        XCTAssertEqual(request.excludedCredentialIds, [Data([1, 2, 3])])
        XCTAssertEqual(request.userVerification, .required)
        XCTAssertEqual(request.attestation, PasskeyCreationRequest.Attestation.none)
    }

    func testAbsentMembersTakeWebAuthnsDefaults() throws {
        let request = try PasskeyCreationRequest(optionsJson: options {
            $0["excludeCredentials"] = nil; $0["authenticatorSelection"] = nil; $0["attestation"] = nil
            $0["user"] = ["id": Base64Url.encode(self.userId), "name": "dave@contoso.example"]
        })
        XCTAssertEqual(request.excludedCredentialIds, [])
        XCTAssertEqual(request.userVerification, .preferred)
        XCTAssertEqual(request.attestation, PasskeyCreationRequest.Attestation.none)
        XCTAssertEqual(request.userDisplayName, "dave@contoso.example")
        XCTAssertNoThrow(try PasskeyCreationRequest(optionsJson: options { $0["pubKeyCredParams"] = [[String: Any]]() }), "empty: the defaults, ES256 among them")
        XCTAssertEqual(try PasskeyCreationRequest(optionsJson: options { $0["authenticatorSelection"] = ["userVerification": "sometimes"] }).userVerification,
                       .preferred, "an unknown value is the default")
    }

    func testMalformedOptionsAreAPasskeyError() {
        XCTAssertNotNil(failure("not json"))
        XCTAssertNotNil(failure("{}"), "no publicKey")
        XCTAssertEqual(failure(options { $0["challenge"] = nil }), "passkey options: missing publicKey.challenge")
        XCTAssertNotNil(failure(options { $0["challenge"] = "a+b/" }), "standard base64 is not base64url")
        XCTAssertNotNil(failure(options { $0["challenge"] = "" }))
        XCTAssertNotNil(failure(options { $0["challenge"] = 12 }))
        XCTAssertNotNil(failure(options { $0["rp"] = ["name": "Contoso"] }), "no rp id")
        XCTAssertNotNil(failure(options { $0["user"] = ["id": "", "name": "dave@contoso.example"] }))
        XCTAssertNotNil(failure(options { $0["user"] = ["id": Base64Url.encode(Data(count: 65)), "name": "d"] }), "a user handle over 64 bytes")
        XCTAssertNotNil(failure(options { $0["user"] = ["id": Base64Url.encode(self.userId), "name": ""] }))
        XCTAssertNotNil(failure(options { $0["pubKeyCredParams"] = [["type": "public-key", "alg": -257]] }), "RS256 only")
        XCTAssertNotNil(failure(options { $0["excludeCredentials"] = [["type": "public-key", "id": "!!"]] }))
        let secret = Base64Url.encode(challenge)
        XCTAssertFalse(failure(options { $0["rp"] = ["name": "Contoso"] })?.contains(secret) ?? true, "no value in the reason")
    }

    func testTheResponseIsWhatABrowserSends() throws {
        let json = try PasskeyRegistrationResponse.json(
            credentialId: Data([0xFB, 0xEF, 0xFF]), rawClientDataJSON: Data(#"{"type":"webauthn.create"}"#.utf8), rawAttestationObject: Data([0xA3, 0x01]))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["id"] as? String, "--__")
        XCTAssertEqual(object["rawId"] as? String, "--__")
        XCTAssertEqual(object["type"] as? String, "public-key")
        XCTAssertEqual(object["authenticatorAttachment"] as? String, "platform")
        XCTAssertEqual((object["clientExtensionResults"] as? [String: Any])?.count, 0)
        let response = try XCTUnwrap(object["response"] as? [String: Any])
        XCTAssertEqual((response["clientDataJSON"] as? String).flatMap(Base64Url.decode), Data(#"{"type":"webauthn.create"}"#.utf8))
        XCTAssertEqual(response["attestationObject"] as? String, "owE")
        XCTAssertEqual(response["transports"] as? [String], ["hybrid", "internal"])
    }

    func testARegistrationWithoutAttestationIsAPasskeyError() {
        XCTAssertThrowsError(try PasskeyRegistrationResponse.json(credentialId: Data([1]), rawClientDataJSON: Data([1]), rawAttestationObject: nil)) {
            XCTAssertEqual($0 as? PasskeyError, .Failed(reason: "passkey registration: no attestation object"))
        }
        XCTAssertThrowsError(try PasskeyRegistrationResponse.json(credentialId: Data(), rawClientDataJSON: Data([1]), rawAttestationObject: Data([1])))
    }

    func testBase64UrlRoundTrips() {
        for length in 0..<40 {
            let bytes = Data((0..<length).map { UInt8(($0 * 97 + 251) % 256) })
            XCTAssertEqual(Base64Url.decode(Base64Url.encode(bytes)), bytes)
            XCTAssertFalse(Base64Url.encode(bytes).contains { "+/=".contains($0) })
        }
        XCTAssertEqual(Base64Url.decode("owE="), Data([0xA3, 0x01]), "padding tolerated")
        XCTAssertNil(Base64Url.decode("o"), "one character is no byte")
        XCTAssertNil(Base64Url.decode("ow E"))
    }
}
