//! The desktop's `SecureStore`: the OS keyring through keyring v4 (`keyring-core`), on Linux
//! the kernel's keyutils (`linux-keyutils-keyring-store`), which needs no D-Bus secret service.
//!
//! keyutils needs a *session keyring*. A process started without one (containers, ssh without
//! pam_keyinit, cron) falls back to the per-user `_uid_ses.<uid>` keyring, which it does not
//! possess: a write there creates a key the process can then neither link nor read back
//! (`EACCES`). So [`KeyringStore::open`] checks first and refuses with `Unavailable`, naming the
//! fix, before anything is written. Run the shell as `keyctl session - <command>` (Debian's
//! `keyutils`), which joins a fresh session keyring and then executes the command.
//!
//! Values are written to the session keyring and linked into the user's persistent keyring
//! (persistent-keyring(7)), so a later run in a new session finds them again. They live in
//! kernel memory: a reboot, or `/proc/sys/kernel/keys/persistent_keyring_expiry` (3 days here)
//! without use, forgets them; the core then enrols again. There is no fallback to memory:
//! every failure is `SecureStoreError::Unavailable` with the reason.
//!
//! Each value is stored as one format byte followed by the core's opaque bytes, so an empty
//! value can be stored (keyutils refuses empty payloads) and a later format can be recognised.

// main.rs only declares the module, and desktop/tests/keyring_store.rs compiles it on its own;
// neither uses every item.
#![allow(dead_code)]

use std::sync::Arc;

use identity_pass_core::{SecureStore, SecureStoreError, StoreKey};
use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use zeroize::Zeroize;

/// The keyring "service" under which the app's values are stored.
pub const SERVICE: &str = "identity-pass";

/// First byte of every stored value: version 1 = the core's bytes follow unchanged.
const FORMAT_V1: u8 = 1;

/// How to get a session keyring, quoted in every access error.
pub const SESSION_HINT: &str = "run the desktop shell in a session keyring: keyctl session - <command>";

/// Values in the OS keyring, one entry per `StoreKey` under one service name.
#[derive(Clone)]
pub struct KeyringStore {
    service: String,
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringStore").field("service", &self.service).finish_non_exhaustive()
    }
}

impl KeyringStore {
    /// The app's store, under [`SERVICE`].
    pub fn open() -> Result<Self, SecureStoreError> {
        Self::open_service(SERVICE)
    }

    /// A store under another service name (tests use one each so they cannot collide).
    pub fn open_service(service: &str) -> Result<Self, SecureStoreError> {
        Ok(Self { service: service.to_owned(), store: platform::open_store()? })
    }

    fn entry(&self, key: StoreKey, action: &str) -> Result<Entry, SecureStoreError> {
        self.store.build(&self.service, key.as_str(), None).map_err(|e| unavailable(action, e))
    }
}

impl SecureStore for KeyringStore {
    fn read(&self, key: StoreKey) -> Result<Option<Vec<u8>>, SecureStoreError> {
        let mut framed = match self.entry(key, "read")?.get_secret() {
            Ok(framed) => framed,
            Err(KeyringError::NoEntry) => return Ok(None),
            Err(error) => return Err(unavailable("read", error)),
        };
        let value = match framed.split_first() {
            Some((&FORMAT_V1, value)) => Ok(Some(value.to_vec())),
            // Left in place: a newer build may have written it.
            _ => Err(SecureStoreError::Unavailable {
                reason: format!("OS keyring, read: the value under {} has an unknown format", key.as_str()),
            }),
        };
        framed.zeroize();
        value
    }

    fn write(&self, key: StoreKey, mut value: Vec<u8>) -> Result<(), SecureStoreError> {
        let mut framed = Vec::with_capacity(value.len() + 1);
        framed.push(FORMAT_V1);
        framed.extend_from_slice(&value);
        value.zeroize();
        // keyutils' add_key replaces a key of the same description in one step.
        let result = self.entry(key, "write").and_then(|entry| entry.set_secret(&framed).map_err(|e| unavailable("write", e)));
        framed.zeroize();
        result
    }

    fn delete(&self, key: StoreKey) -> Result<(), SecureStoreError> {
        match self.entry(key, "delete")?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(error) => Err(unavailable("delete", error)),
        }
    }
}

/// A keyring error as the core's error. Variants that can carry stored bytes (`BadEncoding`,
/// `BadDataFormat`) are never formatted, so no value reaches a reason string or a log.
pub(crate) fn unavailable(action: &str, error: KeyringError) -> SecureStoreError {
    let why = match &error {
        KeyringError::NoStorageAccess(cause) => format!("access refused ({cause}); {SESSION_HINT}"),
        KeyringError::PlatformFailure(cause) => format!("the platform store failed ({cause})"),
        KeyringError::TooLong(what, limit) => format!("{what} exceeds the store's limit of {limit}"),
        KeyringError::Invalid(what, problem) => format!("{what}: {problem}"),
        KeyringError::NoEntry => "no such entry".to_owned(),
        KeyringError::NotSupportedByStore(what) => format!("not supported: {what}"),
        _ => "unexpected keyring error".to_owned(),
    };
    SecureStoreError::Unavailable { reason: format!("OS keyring, {action}: {why}") }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::collections::HashMap;
    use std::sync::Arc;

    use identity_pass_core::SecureStoreError;
    use keyring_core::CredentialStore;
    use linux_keyutils::{KeyRing, KeyRingIdentifier};

    use super::SESSION_HINT;

    /// The description the kernel falls back to when the process has no session keyring.
    const USER_SESSION_FALLBACK: &str = "_uid_ses.";

    /// The keyutils store, once the process is known to have its own session keyring.
    pub fn open_store() -> Result<Arc<CredentialStore>, SecureStoreError> {
        check_session_keyring()?;
        // The description format is pinned here ("keyring:<key>@<service>", the crate's
        // default today) because it is the on-disk format: a new default would orphan values.
        let config = HashMap::from([("prefix", "keyring:"), ("divider", "@"), ("suffix", ""), ("service_no_divider", "true")]);
        let store = linux_keyutils_keyring_store::Store::new_with_configuration(&config).map_err(|e| super::unavailable("open", e))?;
        Ok(store)
    }

    fn check_session_keyring() -> Result<(), SecureStoreError> {
        let refused = |why: String| SecureStoreError::Unavailable { reason: format!("OS keyring, open: {why}") };
        let session = KeyRing::from_special_id(KeyRingIdentifier::Session, false)
            .map_err(|e| refused(format!("no session keyring ({e}); {SESSION_HINT}")))?;
        let metadata = session.metadata().map_err(|e| refused(format!("the session keyring is not visible ({e}); {SESSION_HINT}")))?;
        if metadata.get_description().starts_with(USER_SESSION_FALLBACK) {
            return Err(refused(format!(
                "this process has no session keyring of its own (the kernel fell back to {}), so keys could be written but never read back; {SESSION_HINT}",
                metadata.get_description()
            )));
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use std::sync::Arc;

    use identity_pass_core::SecureStoreError;
    use keyring_core::CredentialStore;

    /// Only the Linux store is built; other desktops get a clear refusal, not a memory store.
    pub fn open_store() -> Result<Arc<CredentialStore>, SecureStoreError> {
        Err(SecureStoreError::Unavailable { reason: "OS keyring: this build has a keyring store for Linux (keyutils) only".to_owned() })
    }
}
