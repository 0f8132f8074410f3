import Foundation
import IdentityPassCore

/// A test double of the Keychain-backed store: values in memory. NOT secure storage; it exists
/// so the binding tests can watch what the core asks the platform to do.
final class InMemorySecureStore: SecureStore, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Data] = [:]
    private var writeCount = 0
    private var failure: String?

    func read(key: String) throws -> Data? {
        try lock.withLock {
            if let failure { throw SecureStoreError.Unavailable(reason: failure) }
            return values[key]
        }
    }

    func write(key: String, value: Data) throws {
        try lock.withLock {
            if let failure { throw SecureStoreError.Unavailable(reason: failure) }
            writeCount += 1
            values[key] = value
        }
    }

    func delete(key: String) throws {
        try lock.withLock {
            if let failure { throw SecureStoreError.Unavailable(reason: failure) }
            values[key] = nil
        }
    }

    func fail(with reason: String?) { lock.withLock { failure = reason } }
    func put(_ key: String, _ value: Data) { lock.withLock { values[key] = value } }
    func value(_ key: String) -> Data? { lock.withLock { values[key] } }
    var keys: Set<String> { lock.withLock { Set(values.keys) } }
    var writes: Int { lock.withLock { writeCount } }
}
