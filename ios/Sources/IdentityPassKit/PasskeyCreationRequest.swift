import Foundation
import IdentityPassCore

/// The core's WebAuthn creation options (`{"publicKey": {...}}`, binary fields in base64url, as
/// the service's webauthn-rs writes them) as the values AuthenticationServices takes:
/// `ASAuthorizationPlatformPublicKeyCredentialProvider(relyingPartyIdentifier:)`, its
/// `createCredentialRegistrationRequest(challenge:name:userID:)`, and the request's
/// `displayName`, `userVerificationPreference`, `attestationPreference` and (iOS 17.4+)
/// `excludedCredentials`. Plain Foundation, so the Linux tests parse exactly what the app does.
///
/// Malformed options are `PasskeyError.Failed`, the error the session's `PasskeyProvider`
/// declares; its reason names the field, never a value (the challenge and ids are secrets of
/// the ceremony).
public struct PasskeyCreationRequest: Equatable, Sendable {
    /// How much user verification the relying party asks for. Raw values are WebAuthn's and
    /// those of `ASAuthorizationPublicKeyCredentialUserVerificationPreference`.
    public enum UserVerification: String, Sendable {
        case required, preferred, discouraged
    }

    /// Raw values are WebAuthn's and those of `ASAuthorizationPublicKeyCredentialAttestationKind`.
    public enum Attestation: String, Sendable {
        case none, indirect, direct, enterprise
    }

    /// `relyingPartyIdentifier`: the domain the passkey belongs to (the app's associated
    /// domain, `webcredentials:`).
    public let relyingPartyId: String
    public let challenge: Data
    /// `name`: the account name the system sheet shows (the user's UPN).
    public let userName: String
    public let userDisplayName: String
    /// `userID`: the relying party's opaque handle for the user (1 to 64 bytes).
    public let userId: Data
    /// Credentials the authenticator must not register again.
    public let excludedCredentialIds: [Data]
    public let userVerification: UserVerification
    public let attestation: Attestation

    /// COSE ES256, the only algorithm Apple's platform authenticator makes keys for.
    static let es256: Int = -7

    public init(optionsJson: String) throws {
        let options: Wire.Options
        do {
            options = try JSONDecoder().decode(Wire.Envelope.self, from: Data(optionsJson.utf8)).publicKey
        } catch let DecodingError.keyNotFound(key, context) {
            throw Self.malformed("missing \(Self.path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw Self.malformed("wrong type at \(Self.path(context.codingPath))")
        } catch let DecodingError.valueNotFound(_, context) {
            throw Self.malformed("null at \(Self.path(context.codingPath))")
        } catch {
            throw Self.malformed("not JSON")
        }
        guard let rpId = options.rp.id, !rpId.isEmpty else { throw Self.malformed("no rp.id (the platform needs the relying party's domain)") }
        guard let challenge = Base64Url.decode(options.challenge), !challenge.isEmpty else { throw Self.malformed("challenge is not base64url") }
        guard let userId = Base64Url.decode(options.user.id), (1...64).contains(userId.count) else {
            throw Self.malformed("user.id is not 1 to 64 bytes of base64url")
        }
        guard !options.user.name.isEmpty else { throw Self.malformed("user.name is empty") }
        // An empty list means the relying party takes the defaults, ES256 among them.
        let algorithms = options.pubKeyCredParams.filter { $0.type == "public-key" }.map(\.alg)
        guard options.pubKeyCredParams.isEmpty || algorithms.contains(Self.es256) else {
            throw Self.malformed("pubKeyCredParams has no ES256, the only key the platform makes")
        }
        var excluded: [Data] = []
        for descriptor in options.excludeCredentials ?? [] where descriptor.type == "public-key" {
            guard let id = Base64Url.decode(descriptor.id), !id.isEmpty else { throw Self.malformed("excludeCredentials[].id is not base64url") }
            excluded.append(id)
        }
        relyingPartyId = rpId
        self.challenge = challenge
        userName = options.user.name
        userDisplayName = options.user.displayName ?? options.user.name
        self.userId = userId
        excludedCredentialIds = excluded
        // WebAuthn: an absent or unknown value is the default, "preferred" / "none".
        userVerification = options.authenticatorSelection?.userVerification.flatMap(UserVerification.init(rawValue:)) ?? .preferred
        attestation = options.attestation.flatMap(Attestation.init(rawValue:)) ?? Attestation.none
    }

    private static func malformed(_ what: String) -> PasskeyError {
        PasskeyError.Failed(reason: "passkey options: \(what)")
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// The JSON as webauthn-rs writes it; members the platform has no use for are ignored.
    private enum Wire {
        struct Envelope: Decodable { let publicKey: Options }
        struct Options: Decodable {
            let rp: RelyingParty
            let user: User
            let challenge: String
            let pubKeyCredParams: [Parameter]
            let excludeCredentials: [Descriptor]?
            let authenticatorSelection: Selection?
            let attestation: String?
        }
        struct RelyingParty: Decodable { let id: String? }
        struct User: Decodable {
            let id: String
            let name: String
            let displayName: String?
        }
        struct Parameter: Decodable {
            let type: String
            let alg: Int
        }
        struct Descriptor: Decodable {
            let type: String
            let id: String
        }
        struct Selection: Decodable { let userVerification: String? }
    }
}
