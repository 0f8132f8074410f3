//! # Identity Pass runtime
//!
//! The core (`identity_pass_core`) decides; this crate acts. It owns the tokio runtime, talks
//! HTTPS to the Identity Pass service and performs the flow's effects, so that the shells are
//! left with only what needs a platform (camera, permission prompts, secure storage, passkeys).

mod actor;
pub mod call_media;
mod calls;
pub mod idempotency;
pub mod outbox;
pub mod pinning;
pub mod platform;
#[cfg(feature = "reference-partner-client")]
pub mod reference_partner;
pub mod retry;
pub mod service_client;
pub mod session;
pub mod software_device_key;
#[cfg(feature = "software-passkey")]
pub mod software_passkey;
mod stored_verified_id;
pub mod transport;
pub mod watcher;

#[cfg(test)]
mod redaction_tests;

pub use idempotency::IdempotencyKey;
pub use pinning::SpkiPin;
pub use platform::{Clock, DeviceKey, DeviceKeyFailure, PasskeyAuthenticator, PasskeyFailure, SessionListener, SystemClock};
pub use retry::RetryPolicy;
pub use service_client::PushKind;
pub use session::{OnboardingRuntime, SessionConfig, SessionView, StartError};
pub use transport::{HttpTransport, TransportConfig, TransportError};
pub use watcher::StatusMode;
