//! This installation's device credential, kept in the platform's secure store.
//!
//! The secret is generated inside the core and never crosses the FFI: shells only ever see a
//! `DeviceSummary`. The stored form is a small versioned JSON envelope, so a later version of
//! the app can read what an older one wrote, and anything unreadable is reported as `Corrupted`
//! instead of being silently replaced (the user would lose their pending request).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::secret::SecretString;
use crate::secure_store::{SecureStore, SecureStoreError, StoreKey};

/// The envelope version this build writes.
const ENVELOPE_VERSION: u32 = 1;
/// Random bytes in a device id and in a device secret.
const DEVICE_ID_BYTES: usize = 16;
const DEVICE_SECRET_BYTES: usize = 32;

/// What the shells may know about the device credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSummary {
    /// The public identifier of this installation (32 lowercase hex digits).
    pub device_id: String,
}

/// Why the vault could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// The platform store refused or failed.
    #[error("secure storage failed: {0}")]
    Store(#[from] SecureStoreError),
    /// What the store holds is not a credential this build can read. Nothing was overwritten.
    #[error("the stored device credential is unreadable: {detail}")]
    Corrupted {
        /// What was wrong, without the stored bytes.
        detail: String,
    },
    /// A newer version of the app wrote the credential. Nothing was overwritten.
    #[error("the stored device credential has version {found}; this app reads up to {supported}")]
    UnsupportedVersion {
        /// The version found on the device.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The operating system could not provide random bytes.
    #[error("no secure randomness available")]
    NoRandomness,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    v: u32,
    device_id: String,
    device_secret: String,
}

/// The device credential: the id the service knows this installation by, and its secret.
pub struct DeviceCredential {
    /// Public identifier.
    pub device_id: String,
    /// Shared secret with the service; redacted in `Debug`.
    pub device_secret: SecretString,
}

impl std::fmt::Debug for DeviceCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCredential").field("device_id", &self.device_id).field("device_secret", &self.device_secret).finish()
    }
}

/// Reads and writes the device credential through a platform `SecureStore`.
#[derive(Clone)]
pub struct CredentialVault {
    store: Arc<dyn SecureStore>,
}

impl CredentialVault {
    /// A vault over the given platform store.
    pub fn new(store: Arc<dyn SecureStore>) -> Self {
        Self { store }
    }

    /// The stored credential, or a fresh one created and stored now.
    ///
    /// An unreadable stored value is an error, never a reason to mint a new identity.
    pub fn enroll_device(&self) -> Result<DeviceCredential, VaultError> {
        if let Some(existing) = self.device_credential()? {
            return Ok(existing);
        }
        let credential = DeviceCredential {
            device_id: random_hex(DEVICE_ID_BYTES)?,
            device_secret: SecretString::new(random_hex(DEVICE_SECRET_BYTES)?),
        };
        self.store_credential(&credential)?;
        Ok(credential)
    }

    /// Stores a credential (made here or registered with the service), replacing any earlier one.
    pub fn store_credential(&self, credential: &DeviceCredential) -> Result<(), VaultError> {
        if !is_device_id(&credential.device_id) {
            return Err(VaultError::Corrupted { detail: "malformed device id".to_owned() });
        }
        let envelope = Envelope {
            v: ENVELOPE_VERSION,
            device_id: credential.device_id.clone(),
            device_secret: credential.device_secret.expose_secret().to_owned(),
        };
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(&envelope).map_err(|e| VaultError::Corrupted { detail: format!("cannot encode the credential: {e}") })?,
        );
        self.store.write(StoreKey::DeviceCredential, bytes.to_vec())?;
        tracing::info!(device_id = %credential.device_id, "device credential stored");
        Ok(())
    }

    /// The stored credential, if this installation has one.
    pub fn device_credential(&self) -> Result<Option<DeviceCredential>, VaultError> {
        let Some(bytes) = self.store.read(StoreKey::DeviceCredential)? else {
            return Ok(None);
        };
        let bytes = zeroize::Zeroizing::new(bytes);
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| VaultError::Corrupted { detail: format!("not JSON ({})", e.classify_name()) })?;
        let version = value
            .get("v")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| VaultError::Corrupted { detail: "no envelope version".to_owned() })?;
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if version > ENVELOPE_VERSION {
            return Err(VaultError::UnsupportedVersion { found: version, supported: ENVELOPE_VERSION });
        }
        let envelope: Envelope =
            serde_json::from_value(value).map_err(|_| VaultError::Corrupted { detail: "missing or mistyped fields".to_owned() })?;
        if !is_device_id(&envelope.device_id) {
            return Err(VaultError::Corrupted { detail: "malformed device id".to_owned() });
        }
        Ok(Some(DeviceCredential { device_id: envelope.device_id, device_secret: SecretString::new(envelope.device_secret) }))
    }

    /// The public part of the stored credential.
    pub fn device_summary(&self) -> Result<Option<DeviceSummary>, VaultError> {
        Ok(self.device_credential()?.map(|c| DeviceSummary { device_id: c.device_id }))
    }

    /// Removes the credential (the user resets the app).
    pub fn forget_device(&self) -> Result<(), VaultError> {
        self.store.delete(StoreKey::DeviceCredential)?;
        Ok(())
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "i/o",
            serde_json::error::Category::Syntax => "syntax",
            serde_json::error::Category::Data => "data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

fn random_hex(len: usize) -> Result<String, VaultError> {
    let mut bytes = zeroize::Zeroizing::new(vec![0u8; len]);
    getrandom::fill(&mut bytes).map_err(|_| VaultError::NoRandomness)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Ids this app generates (hex) and ids the service issues (`dev_…`).
fn is_device_id(value: &str) -> bool {
    (1..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
fn is_lower_hex(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MemorySecureStore;

    fn vault() -> (CredentialVault, Arc<MemorySecureStore>) {
        let store = Arc::new(MemorySecureStore::default());
        (CredentialVault::new(store.clone()), store)
    }

    #[test]
    fn enrolling_twice_keeps_the_first_identity() {
        let (vault, _) = vault();
        let first = vault.enroll_device().expect("enroll");
        let second = vault.enroll_device().expect("enroll again");
        assert_eq!(first.device_id, second.device_id);
        assert_eq!(first.device_secret, second.device_secret);
        assert!(is_lower_hex(&first.device_id, 32));
    }

    #[test]
    fn garbage_in_the_store_is_reported_and_left_in_place() {
        let (vault, store) = vault();
        store.put_raw(StoreKey::DeviceCredential, b"\x00not json".to_vec());
        assert!(matches!(vault.enroll_device(), Err(VaultError::Corrupted { .. })));
        assert_eq!(store.raw(StoreKey::DeviceCredential), Some(b"\x00not json".to_vec()));
    }

    #[test]
    fn a_newer_envelope_is_not_overwritten() {
        let (vault, store) = vault();
        store.put_raw(StoreKey::DeviceCredential, br#"{"v":7,"device_id":"x"}"#.to_vec());
        assert_eq!(vault.device_summary().err(), Some(VaultError::UnsupportedVersion { found: 7, supported: 1 }));
    }

    #[test]
    fn store_failures_surface_as_store_errors() {
        let (vault, store) = vault();
        store.fail_with(Some("keystore locked"));
        assert!(matches!(vault.enroll_device(), Err(VaultError::Store(_))));
    }

    #[test]
    fn the_secret_never_appears_in_debug_output() {
        let (vault, _) = vault();
        let credential = vault.enroll_device().expect("enroll");
        let printed = format!("{credential:?}");
        assert!(!printed.contains(credential.device_secret.expose_secret()));
        assert!(printed.contains(&credential.device_id));
    }

    #[test]
    fn a_service_issued_credential_round_trips() {
        let (vault, _) = vault();
        let issued = DeviceCredential { device_id: "dev_0a1b".into(), device_secret: SecretString::new("s3cret".into()) };
        vault.store_credential(&issued).expect("store");
        let read = vault.device_credential().expect("read").expect("present");
        assert_eq!((read.device_id.as_str(), read.device_secret.expose_secret()), ("dev_0a1b", "s3cret"));
        let bad = DeviceCredential { device_id: "dev 0a1b\n".into(), device_secret: SecretString::new("x".into()) };
        assert!(matches!(vault.store_credential(&bad), Err(VaultError::Corrupted { .. })));
    }

    #[test]
    fn forgetting_removes_the_credential() {
        let (vault, _) = vault();
        vault.enroll_device().expect("enroll");
        vault.forget_device().expect("forget");
        assert_eq!(vault.device_summary(), Ok(None));
    }
}
