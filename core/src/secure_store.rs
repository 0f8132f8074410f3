//! The platform's secure storage, as the core sees it.
//!
//! Android implements it with the Keystore, iOS with the Keychain, the desktop with the OS
//! keyring. The core owns the key names (`StoreKey`) and the encoding of every value, so the
//! shells store opaque bytes and never learn what they hold.

/// What the core keeps in secure storage. The names are part of the on-device format:
/// renaming one orphans what existing installations stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKey {
    /// This installation's device credential (see `credential_vault`).
    DeviceCredential,
    /// The serialized onboarding flow, so the app resumes where it was killed.
    FlowState,
    /// The Verified ID credential issued after verification (30-day fast path).
    VerifiedId,
    /// Service calls sent but not yet answered, with their idempotency keys, so a call
    /// interrupted by the app being killed is resent as the same call, never as a new one.
    Outbox,
    /// A software device key's PKCS#8 (desktop only: phones keep theirs in the Keystore or the
    /// Secure Enclave, where it cannot be read out).
    SoftwareDeviceKey,
}

impl StoreKey {
    /// The key under which the value is stored on the device.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKey::DeviceCredential => "identity-pass.device-credential",
            StoreKey::FlowState => "identity-pass.flow-state",
            StoreKey::VerifiedId => "identity-pass.verified-id",
            StoreKey::Outbox => "identity-pass.outbox",
            StoreKey::SoftwareDeviceKey => "identity-pass.software-device-key",
        }
    }
}

/// Why the platform store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecureStoreError {
    /// The store cannot be used now (locked device, no keyring service, user cancelled).
    #[error("secure storage is unavailable: {reason}")]
    Unavailable {
        /// The platform's explanation, for diagnostics. Never contains stored values.
        reason: String,
    },
}

/// Secure, persistent key-value storage provided by the platform.
///
/// Contract for implementers: `write` replaces any previous value atomically; `read` of a
/// missing key is `Ok(None)`, not an error; `delete` of a missing key succeeds. There must be
/// no silent fallback to memory: a platform without secure storage returns `Unavailable`.
pub trait SecureStore: Send + Sync {
    /// The value stored under `key`, if any.
    fn read(&self, key: StoreKey) -> Result<Option<Vec<u8>>, SecureStoreError>;
    /// Stores `value` under `key`, replacing what was there.
    fn write(&self, key: StoreKey, value: Vec<u8>) -> Result<(), SecureStoreError>;
    /// Removes `key`.
    fn delete(&self, key: StoreKey) -> Result<(), SecureStoreError>;
}
