//! Test doubles for what cannot exist on a build machine (a phone's keystore).
//! Compiled only for tests and for crates that opt into the `test-support` feature.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::secure_store::{SecureStore, SecureStoreError, StoreKey};

/// A `SecureStore` fake that keeps values in memory. **Not secure storage**: tests only.
#[derive(Default)]
pub struct MemorySecureStore {
    values: Mutex<HashMap<StoreKey, Vec<u8>>>,
    failure: Mutex<Option<String>>,
}

impl MemorySecureStore {
    /// Puts bytes in place as a platform store would hold them (to simulate old or damaged data).
    pub fn put_raw(&self, key: StoreKey, value: Vec<u8>) {
        self.lock_values().insert(key, value);
    }

    /// The bytes held under `key`.
    pub fn raw(&self, key: StoreKey) -> Option<Vec<u8>> {
        self.lock_values().get(&key).cloned()
    }

    /// Makes every later call fail with `Unavailable` (or succeed again with `None`).
    pub fn fail_with(&self, reason: Option<&str>) {
        *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = reason.map(str::to_owned);
    }

    fn check(&self) -> Result<(), SecureStoreError> {
        match &*self.failure.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(reason) => Err(SecureStoreError::Unavailable { reason: reason.clone() }),
            None => Ok(()),
        }
    }

    fn lock_values(&self) -> std::sync::MutexGuard<'_, HashMap<StoreKey, Vec<u8>>> {
        self.values.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecureStore for MemorySecureStore {
    fn read(&self, key: StoreKey) -> Result<Option<Vec<u8>>, SecureStoreError> {
        self.check()?;
        Ok(self.raw(key))
    }

    fn write(&self, key: StoreKey, value: Vec<u8>) -> Result<(), SecureStoreError> {
        self.check()?;
        self.put_raw(key, value);
        Ok(())
    }

    fn delete(&self, key: StoreKey) -> Result<(), SecureStoreError> {
        self.check()?;
        self.lock_values().remove(&key);
        Ok(())
    }
}
