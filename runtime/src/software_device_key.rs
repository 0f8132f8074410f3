//! The desktop's device key: ECDSA P-256 in software, its PKCS#8 kept in the platform's secure
//! store (the desktop's kernel keyring), made the first time it is asked for. Phones never use
//! this: their key lives in the Keystore or the Secure Enclave and cannot be read out, which is
//! what makes a Verified ID copied off the phone useless. A desktop key is only as safe as the
//! keyring it sits in, and the README says so.

use std::sync::{Arc, Mutex};

use identity_pass_core::device_binding::SoftwareDeviceKey;
use identity_pass_core::{SecureStore, StoreKey};

use crate::platform::{DeviceKey, DeviceKeyFailure};

/// A software device key persisted in `store`.
pub struct StoredSoftwareDeviceKey {
    store: Arc<dyn SecureStore>,
    /// The loaded key. The lock also makes "read, else generate and write" one step, so two
    /// threads asking at once cannot make two keys.
    key: Mutex<Option<Arc<SoftwareDeviceKey>>>,
}

impl StoredSoftwareDeviceKey {
    /// The key kept in `store` (made on first use).
    pub fn new(store: Arc<dyn SecureStore>) -> Self {
        Self { store, key: Mutex::new(None) }
    }

    fn key(&self) -> Result<Arc<SoftwareDeviceKey>, DeviceKeyFailure> {
        let unavailable = |reason: String| DeviceKeyFailure::Unavailable { reason };
        let mut loaded = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(key) = loaded.as_ref() {
            return Ok(key.clone());
        }
        let key = match self.store.read(StoreKey::SoftwareDeviceKey).map_err(|e| unavailable(e.to_string()))? {
            Some(pkcs8) => SoftwareDeviceKey::from_pkcs8(&zeroize::Zeroizing::new(pkcs8)).map_err(|e| unavailable(e.to_string()))?,
            None => {
                let pkcs8 = SoftwareDeviceKey::generate_pkcs8().map_err(|e| unavailable(e.to_string()))?;
                let key = SoftwareDeviceKey::from_pkcs8(&pkcs8).map_err(|e| unavailable(e.to_string()))?;
                self.store.write(StoreKey::SoftwareDeviceKey, pkcs8.to_vec()).map_err(|e| unavailable(e.to_string()))?;
                key
            }
        };
        let key = Arc::new(key);
        *loaded = Some(key.clone());
        Ok(key)
    }
}

impl DeviceKey for StoredSoftwareDeviceKey {
    fn public_key(&self) -> Result<Vec<u8>, DeviceKeyFailure> {
        Ok(self.key()?.public_key().sec1().to_vec())
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, DeviceKeyFailure> {
        self.key()?.sign_der(message).map_err(|e| DeviceKeyFailure::Unavailable { reason: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use identity_pass_core::device_binding::DevicePublicKey;
    use identity_pass_core::testing::MemorySecureStore;

    use super::*;

    #[test]
    fn the_key_is_made_once_kept_and_the_same_after_a_restart() {
        let store: Arc<dyn SecureStore> = Arc::new(MemorySecureStore::default());
        let first = StoredSoftwareDeviceKey::new(store.clone());
        let public = first.public_key().expect("made");
        assert_eq!(first.public_key().expect("again"), public);
        let restarted = StoredSoftwareDeviceKey::new(store.clone());
        assert_eq!(restarted.public_key().expect("read back"), public, "the same key after a restart");
        let signature = restarted.sign(b"nonce").expect("signs");
        let key = DevicePublicKey::from_platform(&public).expect("P-256");
        assert_eq!(key.verify(b"nonce", &signature), Ok(()));
    }

    #[test]
    fn two_threads_asking_at_once_get_one_key() {
        let store: Arc<dyn SecureStore> = Arc::new(MemorySecureStore::default());
        let key = Arc::new(StoredSoftwareDeviceKey::new(store));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let key = key.clone();
                std::thread::spawn(move || key.public_key().expect("key"))
            })
            .collect();
        let keys: Vec<Vec<u8>> = threads.into_iter().map(|t| t.join().expect("thread")).collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "one key, however many ask at once");
    }
}
