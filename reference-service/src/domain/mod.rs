//! The onboarding rules, and nothing else: request states and the gates every step passes, the
//! identity step and the path decision, the date-of-birth guessing limit, evidence checks,
//! submission requirements, the reviewer's call (the 15-second rule) and decision, TAPs with
//! Entra's semantics, Verified ID, retention periods.
//!
//! Pure: no HTTP, no SQL, no clock of its own (times come in as Unix seconds). Functions take
//! values and return values or a [`DomainError`], so every rule is unit-tested here without a
//! server or a database. This layer imports only the leaf modules `clock` (RFC 3339 parsing)
//! and `secrets` (hashing); `store` and `http` depend on it, never the other way round
//! (`tests/layers.rs` checks).

pub mod account_security;
pub mod app_links;
pub mod audit;
pub mod call;
pub mod call_network;
pub mod consent;
pub mod date_of_birth;
pub mod denial_reasons;
pub mod device;
pub mod directory;
pub mod directory_seed;
pub mod error;
pub mod evidence;
pub mod face_check;
pub mod face_image;
pub mod identity_step;
pub mod liveness_check;
pub mod partner;
pub mod passkey;
pub mod presentation;
pub mod push_registration;
pub mod request;
pub mod request_state;
pub mod retention;
pub mod review;
pub mod review_evidence;
pub mod reviewer;
pub mod submission;
pub mod tap;
pub mod tap_issuance;
pub mod verified_id;

pub use error::DomainError;
