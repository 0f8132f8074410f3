#if canImport(Security)
import Foundation
import IdentityPassCore
import Security

/// The core's `SecureStore` on iOS: generic-password Keychain items, readable only on this
/// device after its first unlock, never synced to iCloud. The core chooses the keys and the
/// encoding; this type stores opaque bytes and holds no onboarding rule.
public final class KeychainSecureStore: SecureStore, @unchecked Sendable {
    private let service: String

    public init(service: String = "com.identitypass.core") {
        self.service = service
    }

    public func read(key: String) throws -> Data? {
        var query = baseQuery(key)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: AnyObject?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess: return result as? Data
        case errSecItemNotFound: return nil
        default: throw failure("read", status)
        }
    }

    public func write(key: String, value: Data) throws {
        let attributes: [String: Any] = [
            kSecValueData as String: value,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        let status = SecItemUpdate(baseQuery(key) as CFDictionary, attributes as CFDictionary)
        if status == errSecItemNotFound {
            let added = SecItemAdd(baseQuery(key).merging(attributes) { $1 } as CFDictionary, nil)
            guard added == errSecSuccess else { throw failure("add", added) }
        } else if status != errSecSuccess {
            throw failure("update", status)
        }
    }

    public func delete(key: String) throws {
        let status = SecItemDelete(baseQuery(key) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw failure("delete", status) }
    }

    private func baseQuery(_ key: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: key,
            kSecAttrSynchronizable as String: false,
        ]
    }

    private func failure(_ operation: String, _ status: OSStatus) -> SecureStoreError {
        let text = SecCopyErrorMessageString(status, nil) as String? ?? "OSStatus \(status)"
        return SecureStoreError.Unavailable(reason: "Keychain \(operation) failed: \(text)")
    }
}
#endif
