//! The consent notice (seed 000 step 5, seed 001 "Review the consent notice and select Yes").
//!
//! What is recorded is the version of the terms the user saw and when they accepted, so the
//! service can prove which text was agreed to.

use super::clock::Timestamp;

/// The terms version this build of the app shows. Bump it with the text.
pub const CURRENT_TERMS_VERSION: &str = "2026-11";

/// An accepted consent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsentRecord {
    /// The version of the terms shown.
    pub terms_version: String,
    /// When the user accepted (phone time, converted to server time when a clock offset is known).
    pub accepted_at: Timestamp,
}
