//! An in-memory `SecureStore` for the demo. It is not secure storage and says so: nothing
//! outlives the process.

use std::collections::HashMap;
use std::sync::Mutex;

use identity_pass_core::{SecureStore, SecureStoreError, StoreKey};

/// Values in memory for the lifetime of the demo process.
#[derive(Default)]
pub struct EphemeralDemoStore(Mutex<HashMap<StoreKey, Vec<u8>>>);

impl EphemeralDemoStore {
    fn values(&self) -> std::sync::MutexGuard<'_, HashMap<StoreKey, Vec<u8>>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SecureStore for EphemeralDemoStore {
    fn read(&self, key: StoreKey) -> Result<Option<Vec<u8>>, SecureStoreError> {
        Ok(self.values().get(&key).cloned())
    }

    fn write(&self, key: StoreKey, value: Vec<u8>) -> Result<(), SecureStoreError> {
        self.values().insert(key, value);
        Ok(())
    }

    fn delete(&self, key: StoreKey) -> Result<(), SecureStoreError> {
        self.values().remove(&key);
        Ok(())
    }
}
