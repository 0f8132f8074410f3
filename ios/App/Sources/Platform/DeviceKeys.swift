import CryptoKit
import Foundation
import IdentityPassCore
import IdentityPassKit

/// The device key for this phone: the Secure Enclave's. The Simulator has no Secure Enclave, so a
/// simulator build (the UI tests) uses a P-256 key made with CryptoKit and kept in the Keychain,
/// handing out the same encodings (X9.63 point, DER signatures). A device build has no such
/// fallback: there a missing Secure Enclave is an error, never a weaker key.
enum DeviceKeys {
    static func forThisDevice() -> DeviceKeyProvider {
        // Explicit returns: a body made of an `#if` is not a single expression to the compiler.
        #if targetEnvironment(simulator)
        return SimulatorDeviceKey(store: KeychainSecureStore(service: "com.identitypass.simulator-device-key"))
        #else
        return SecureEnclaveDeviceKey()
        #endif
    }
}

#if targetEnvironment(simulator)
/// The Simulator's stand-in for the Secure Enclave key.
private final class SimulatorDeviceKey: DeviceKeyProvider, @unchecked Sendable {
    private let store: SecureStore
    private let lock = NSLock()
    private static let storeKey = "p256-private-key"

    init(store: SecureStore) {
        self.store = store
    }

    func publicKey() throws -> Data {
        try lock.withLock { try key().publicKey.x963Representation }
    }

    func sign(message: Data) throws -> Data {
        try lock.withLock {
            do {
                return try key().signature(for: message).derRepresentation
            } catch let error as DeviceKeyError {
                throw error
            } catch {
                throw DeviceKeyError.Unavailable(reason: "signing failed")
            }
        }
    }

    /// Read or made in one step, under the lock: one key, never two.
    private func key() throws -> P256.Signing.PrivateKey {
        do {
            if let stored = try store.read(key: Self.storeKey) {
                return try P256.Signing.PrivateKey(rawRepresentation: stored)
            }
            let made = P256.Signing.PrivateKey()
            try store.write(key: Self.storeKey, value: made.rawRepresentation)
            return made
        } catch {
            throw DeviceKeyError.Unavailable(reason: "the simulator's device key is unavailable")
        }
    }
}
#endif
