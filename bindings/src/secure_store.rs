//! The secure-store trait that Kotlin (Android Keystore) and Swift (iOS Keychain) implement.

use std::sync::Arc;

use identity_pass_core as core;

use crate::error::SecureStoreError;

/// Secure, persistent key-value storage provided by the platform.
///
/// Contract: `write` replaces a previous value atomically; `read` of a missing key returns
/// `null`/`nil`; `delete` of a missing key succeeds. Calls arrive on a background thread, never
/// the main thread. There must be no fallback to memory: throw `Unavailable` instead.
/// Keys are chosen by the core; values are opaque bytes.
#[uniffi::export(with_foreign)]
pub trait SecureStore: Send + Sync {
    /// The value stored under `key`, if any.
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, SecureStoreError>;
    /// Stores `value` under `key`.
    fn write(&self, key: String, value: Vec<u8>) -> Result<(), SecureStoreError>;
    /// Removes `key`.
    fn delete(&self, key: String) -> Result<(), SecureStoreError>;
}

/// Lets the core use a foreign store through its own trait.
pub(crate) struct ForeignSecureStore(pub(crate) Arc<dyn SecureStore>);

impl core::SecureStore for ForeignSecureStore {
    fn read(&self, key: core::StoreKey) -> Result<Option<Vec<u8>>, core::SecureStoreError> {
        Ok(self.0.read(key.as_str().to_owned())?)
    }

    fn write(&self, key: core::StoreKey, value: Vec<u8>) -> Result<(), core::SecureStoreError> {
        Ok(self.0.write(key.as_str().to_owned(), value)?)
    }

    fn delete(&self, key: core::StoreKey) -> Result<(), core::SecureStoreError> {
        Ok(self.0.delete(key.as_str().to_owned())?)
    }
}
