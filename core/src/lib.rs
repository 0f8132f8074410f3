//! # Identity Pass core
//!
//! The onboarding logic shared by the Android and iOS apps and the desktop shell. This crate is
//! FFI-agnostic and performs no I/O of its own: platform services (secure storage today; HTTP,
//! clocks and cameras as they arrive) come in through traits, so every rule here can be tested
//! on a laptop without a phone, a network or a real clock. `bindings/` exports it through UniFFI.
//!
//! See `docs/ARCHITECTURE.md` for the layer diagram.

pub mod credential_vault;
pub mod device_binding;
pub mod eligibility;
pub mod flow;
pub mod messages;
pub mod secret;
pub mod secure_store;
pub mod selfie;

#[cfg(test)]
mod redaction_tests;
#[cfg(any(test, feature = "simulated-person"))]
pub mod simulated_person;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;

pub use credential_vault::{CredentialVault, DeviceSummary, VaultError};
pub use eligibility::{Blocker, DeviceCheck, DeviceProfile, Distribution, Platform, RequiredApp, check_device};
pub use flow::{Effect, Event, OnboardingFlow, ViewState};
pub use secret::SecretString;
pub use secure_store::{SecureStore, SecureStoreError, StoreKey};

/// The core's semantic version, as the shells show it in their "about" screens.
pub fn core_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
