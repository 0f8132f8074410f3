#if canImport(Security)
import Foundation
import IdentityPassCore
import Security

/// The core's device key on iOS: an EC P-256 signing key made inside the Secure Enclave, whose
/// private half never leaves it. Verified IDs are bound to its public half (`cnf.jwk`), and
/// presenting one means signing the service's nonce with it, so a Verified ID copied off this
/// phone is of no use elsewhere.
///
/// The core builds and checks everything around the key (the registration proof, the
/// key-binding JWT); this type only makes the key, hands out its public half and signs opaque
/// bytes, so it holds no onboarding rule. It hands them out as the platform encodes them — the
/// 65-byte X9.63 (SEC1 uncompressed) point and X9.62 DER signatures — and the core reads those
/// encodings itself.
///
/// The key is usable after the first unlock and only on this device (never in a backup or on
/// iCloud), without a biometric prompt: the core signs in the background. There is no Secure
/// Enclave in the Simulator, where every call throws `DeviceKeyError.Unavailable`; tests use the
/// core's `softwareDeviceKey(store:)` instead.
public final class SecureEnclaveDeviceKey: DeviceKeyProvider, @unchecked Sendable {
    /// One lock for every instance: lookup and creation are one step, so two threads (or two
    /// instances) asking at once end with one key, not two keys under one tag — which would
    /// leave the registered public key and the signing key different.
    private static let lock = NSLock()
    private let tag: Data

    public init(tag: String = "com.identitypass.device-key") {
        self.tag = Data(tag.utf8)
    }

    public func publicKey() throws -> Data {
        try Self.lock.withLock {
            let key = try privateKey()
            guard let publicKey = SecKeyCopyPublicKey(key) else {
                throw DeviceKeyError.Unavailable(reason: "the device key has no public key")
            }
            var error: Unmanaged<CFError>?
            guard let point = SecKeyCopyExternalRepresentation(publicKey, &error) as Data? else {
                throw failure("reading the public key", error)
            }
            return point
        }
    }

    public func sign(message: Data) throws -> Data {
        // Under the same lock: a key made by another thread mid-signature would be the same
        // mismatch as two keys.
        try Self.lock.withLock {
            let key = try privateKey()
            guard SecKeyIsAlgorithmSupported(key, .sign, .ecdsaSignatureMessageX962SHA256) else {
                throw DeviceKeyError.Unavailable(reason: "the device key cannot sign with ECDSA P-256 SHA-256")
            }
            var error: Unmanaged<CFError>?
            guard let signature = SecKeyCreateSignature(key, .ecdsaSignatureMessageX962SHA256, message as CFData, &error) as Data? else {
                throw failure("signing", error)
            }
            return signature
        }
    }

    /// The key, made if there is none. Called with the lock held.
    private func privateKey() throws -> SecKey {
        let query: [String: Any] = [
            kSecClass as String: kSecClassKey,
            kSecAttrKeyClass as String: kSecAttrKeyClassPrivate,
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrTokenID as String: kSecAttrTokenIDSecureEnclave,
            kSecAttrApplicationTag as String: tag,
            kSecReturnRef as String: true,
            kSecMatchLimit as String: kSecMatchLimitOne,
        ]
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            guard let result, CFGetTypeID(result) == SecKeyGetTypeID() else {
                throw DeviceKeyError.Unavailable(reason: "the Keychain item for the device key is not a key")
            }
            return result as! SecKey // a CF type: checked above, so the cast cannot fail
        case errSecItemNotFound:
            return try makeKey()
        default:
            let text = SecCopyErrorMessageString(status, nil) as String? ?? "OSStatus \(status)"
            throw DeviceKeyError.Unavailable(reason: "Keychain lookup of the device key failed: \(text)")
        }
    }

    private func makeKey() throws -> SecKey {
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            kCFAllocatorDefault, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, .privateKeyUsage, &error)
        else { throw failure("describing the key's access", error) }
        let attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecAttrTokenID as String: kSecAttrTokenIDSecureEnclave,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: tag,
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw failure("making the key in the Secure Enclave", error)
        }
        return key
    }

    /// Security's error as the one error the core understands. Its text names the operation and
    /// the OSStatus, never key material.
    private func failure(_ operation: String, _ error: Unmanaged<CFError>?) -> DeviceKeyError {
        let text = error.map { ($0.takeRetainedValue() as Error).localizedDescription } ?? "no reason given"
        return DeviceKeyError.Unavailable(reason: "Secure Enclave \(operation) failed: \(text)")
    }
}
#endif
