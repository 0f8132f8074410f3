//! Exports the device-credential vault as an object with `suspend`/`async` methods.
//!
//! Keystore and Keychain calls can block for a user prompt or a slow secure element, so every
//! method runs the store on a blocking worker of the core's runtime and never on the caller's
//! (often the UI) thread.

use std::sync::{Arc, Mutex};

use identity_pass_core::{self as core, DeviceSummary};

use crate::error::VaultError;
use crate::secure_store::{ForeignSecureStore, SecureStore};

#[uniffi::remote(Record)]
struct DeviceSummary {
    device_id: String,
}

/// This installation's device credential, kept in the platform's secure store.
/// The secret is generated and read inside the core; Kotlin and Swift only see the device id.
#[derive(uniffi::Object)]
pub struct CredentialVault {
    // `None` once closed: releases the foreign store before the object itself is collected.
    inner: Mutex<Option<core::CredentialVault>>,
}

#[uniffi::export(async_runtime = "tokio")]
impl CredentialVault {
    /// A vault over the platform's store.
    #[uniffi::constructor]
    pub fn new(store: Arc<dyn SecureStore>) -> Arc<Self> {
        let vault = core::CredentialVault::new(Arc::new(ForeignSecureStore(store)));
        Arc::new(Self { inner: Mutex::new(Some(vault)) })
    }

    /// The stored device, or a new one enrolled now. Idempotent.
    pub async fn enroll_device(&self) -> Result<DeviceSummary, VaultError> {
        let vault = self.vault()?;
        run_blocking(move || vault.enroll_device().map(|c| DeviceSummary { device_id: c.device_id })).await
    }

    /// The enrolled device, if any.
    pub async fn device(&self) -> Result<Option<DeviceSummary>, VaultError> {
        let vault = self.vault()?;
        run_blocking(move || vault.device_summary()).await
    }

    /// Removes the device credential (app reset).
    pub async fn forget_device(&self) -> Result<(), VaultError> {
        let vault = self.vault()?;
        run_blocking(move || vault.forget_device()).await
    }

    /// Releases the platform store now; later calls fail with `Closed`. (Not `close`: Kotlin
    /// objects already have `close()` from `AutoCloseable`, which frees the Rust object.)
    pub fn release(&self) {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

impl CredentialVault {
    fn vault(&self) -> Result<core::CredentialVault, VaultError> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or(VaultError::Closed)
    }
}

async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, core::VaultError> + Send + 'static) -> Result<T, VaultError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(VaultError::from),
        Err(join_error) => Err(VaultError::StoreUnavailable { reason: format!("the store call did not complete: {join_error}") }),
    }
}
