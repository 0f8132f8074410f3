//! # Identity Pass bindings
//!
//! The single UniFFI crate: everything Kotlin and Swift can call is declared here, and nothing
//! else is. No rule lives in this crate; each export forwards to `identity_pass_core`. Core types
//! cross the boundary through `#[uniffi::remote]` declarations, which the compiler checks against
//! the core's own definitions, so there are no hand-written mirror types to drift.
//!
//! Errors are mapped in exactly one place per error type (`error.rs`).

#![deny(missing_docs)]

mod action_figure;
mod call_media;
mod credential_vault;
mod eligibility;
mod error;
mod flow;
#[cfg(feature = "test-support")]
mod obedient_camera;
#[cfg(feature = "test-support")]
mod reference_partner;
mod secure_store;
mod selfie;
mod session;

pub use action_figure::action_figure;
pub use call_media::{CallMediaOutput, ReviewerPicture};
pub use credential_vault::CredentialVault;
#[cfg(feature = "test-support")]
pub use error::PartnerCheckError;
pub use error::{FlowError, SecureStoreError, SelfieError, SessionError, VaultError};
pub use flow::{OnboardingFlow, Transition, locale_from_language_tag};
#[cfg(feature = "test-support")]
pub use obedient_camera::ObedientCamera;
#[cfg(feature = "test-support")]
pub use reference_partner::complete_reference_partner_check;
pub use secure_store::SecureStore;
pub use selfie::SelfieSession;
pub use session::{OnboardingSession, PasskeyProvider, PhoneClock, SessionObserver};

uniffi::setup_scaffolding!();

/// The core's version, for "about" screens and bug reports.
#[uniffi::export]
pub fn core_version() -> String {
    identity_pass_core::core_version().to_owned()
}
