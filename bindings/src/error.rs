//! The one place where core errors become the errors Kotlin and Swift see.
//!
//! Public errors carry a stable `code` a shell can branch on and a diagnostic string that never
//! holds a secret. Named `…Error` so Kotlin gets `…Exception` and Swift an `Error` enum.

use identity_pass_core as core;
use identity_pass_core::messages::{Locale, LocalizedMessage};

/// The platform secure store failed. Thrown by Kotlin/Swift implementations of `SecureStore`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SecureStoreError {
    /// The store cannot be used now (device locked, no keystore, user cancelled).
    #[error("secure storage unavailable: {reason}")]
    Unavailable {
        /// Diagnostic text; never a stored value.
        reason: String,
    },
}

// A foreign implementation that throws something undeclared (a Kotlin RuntimeException, say)
// must not crash the core: it becomes an ordinary store failure.
impl From<uniffi::UnexpectedUniFFICallbackError> for SecureStoreError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        SecureStoreError::Unavailable { reason: format!("unexpected error from the platform store: {}", error.reason) }
    }
}

/// What a shell's `SessionObserver` or `PhoneClock` threw. The session catches it here, logs it
/// and goes on; it never becomes a panic inside the session's task.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ShellCallbackError {
    /// The shell's code failed.
    #[error("the shell's callback failed: {reason}")]
    Failed {
        /// Diagnostic text.
        reason: String,
    },
}

// Anything a Kotlin or Swift implementation throws (a RuntimeException, any Swift `Error`).
impl From<uniffi::UnexpectedUniFFICallbackError> for ShellCallbackError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        ShellCallbackError::Failed { reason: error.reason }
    }
}

impl From<SecureStoreError> for core::SecureStoreError {
    fn from(error: SecureStoreError) -> Self {
        match error {
            SecureStoreError::Unavailable { reason } => core::SecureStoreError::Unavailable { reason },
        }
    }
}

/// Why a `CredentialVault` call failed.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum VaultError {
    /// The platform store failed; retrying later may work.
    #[error("secure storage unavailable: {reason}")]
    StoreUnavailable {
        /// Diagnostic text.
        reason: String,
    },
    /// The stored credential is unreadable by this version; it was left untouched.
    #[error("stored credential unreadable: {detail}")]
    Corrupted {
        /// Diagnostic text, without stored bytes.
        detail: String,
    },
    /// The vault was closed; create a new one.
    #[error("the vault is closed")]
    Closed,
}

impl From<core::VaultError> for VaultError {
    fn from(error: core::VaultError) -> Self {
        let mapped = match error {
            core::VaultError::Store(core::SecureStoreError::Unavailable { reason }) => VaultError::StoreUnavailable { reason },
            core::VaultError::Corrupted { detail } => VaultError::Corrupted { detail },
            core::VaultError::UnsupportedVersion { found, supported } => {
                VaultError::Corrupted { detail: format!("written by a newer app (format {found}, this app reads {supported})") }
            }
            core::VaultError::NoRandomness => VaultError::StoreUnavailable { reason: "no secure randomness".to_owned() },
        };
        tracing::warn!(error = %mapped, "vault call failed");
        mapped
    }
}

/// Why a saved onboarding cannot be resumed. The shell starts a new one and, if it wants,
/// tells the user their progress could not be restored.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FlowError {
    /// The saved document is damaged or not an onboarding snapshot.
    #[error("the saved onboarding is unreadable: {detail}")]
    Unreadable {
        /// Diagnostic text (never contains the TAP, which is not saved).
        detail: String,
    },
    /// Saved by a newer version of the app (after a downgrade).
    #[error("the saved onboarding is from a newer app (format {found}, this app reads up to {supported})")]
    TooNew {
        /// The document's format version.
        found: u32,
        /// The newest format this app reads.
        supported: u32,
    },
    /// Saved by a version too old to migrate from.
    #[error("the saved onboarding is too old (format {found}, this app reads from {oldest})")]
    TooOld {
        /// The document's format version.
        found: u32,
        /// The oldest format this app reads.
        oldest: u32,
    },
}

impl From<core::flow::SnapshotError> for FlowError {
    fn from(error: core::flow::SnapshotError) -> Self {
        let mapped = match error {
            core::flow::SnapshotError::Unreadable { detail } => FlowError::Unreadable { detail },
            core::flow::SnapshotError::TooNew { found, supported } => FlowError::TooNew { found, supported },
            core::flow::SnapshotError::TooOld { found, oldest } => FlowError::TooOld { found, oldest },
        };
        tracing::warn!(error = %mapped, "saved onboarding not restored");
        mapped
    }
}

/// Why a selfie frame was refused. The session is unchanged; keep sending frames.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SelfieError {
    /// The frame's size, planes or strides do not match its format, or its timestamp went back
    /// or is implausible (`FRAME_TIMESTAMP_IMPLAUSIBLE`).
    #[error("invalid camera frame ({code}): {detail}")]
    InvalidFrame {
        /// Stable code, e.g. `FRAME_SHORT_BUFFER`.
        code: String,
        /// Diagnostic text (sizes only; never pixels).
        detail: String,
    },
    /// The face model could not be loaded: a broken build.
    #[error("face detector unavailable: {detail}")]
    DetectorUnavailable {
        /// Diagnostic text.
        detail: String,
    },
    /// The onboarding session was closed; frames go nowhere.
    #[error("the session is closed")]
    SessionClosed,
}

impl From<core::selfie::FrameError> for SelfieError {
    fn from(error: core::selfie::FrameError) -> Self {
        SelfieError::InvalidFrame { code: error.code().to_owned(), detail: error.to_string() }
    }
}

impl From<core::selfie::SessionError> for SelfieError {
    fn from(error: core::selfie::SessionError) -> Self {
        match error {
            core::selfie::SessionError::Frame(frame) => frame.into(),
            core::selfie::SessionError::Model(model) => SelfieError::DetectorUnavailable { detail: model.to_string() },
        }
    }
}

/// Why an onboarding session could not start. Each case carries what to tell the user
/// (`explanation`, in the session's language): a shell shows it with a "Try again"
/// (`Control::TryAgain`) instead of failing silently or crashing.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SessionError {
    /// The settings are unusable (plain HTTP to a remote host, a malformed pin…).
    #[error("invalid session settings: {detail}")]
    Configuration {
        /// What is wrong.
        detail: String,
        /// What to tell the user.
        explanation: LocalizedMessage,
    },
    /// The secure store failed; retrying later may work.
    #[error("secure storage unavailable: {reason}")]
    StoreUnavailable {
        /// Diagnostic text.
        reason: String,
        /// What to tell the user.
        explanation: LocalizedMessage,
    },
    /// The saved onboarding belongs to another app version or is damaged; it was left as is.
    #[error("the saved onboarding cannot be resumed: {detail}")]
    SavedStateUnreadable {
        /// Diagnostic text.
        detail: String,
        /// What to tell the user.
        explanation: LocalizedMessage,
    },
}

impl SessionError {
    /// The one mapping from the runtime's start errors, with the user's explanation in `locale`.
    pub(crate) fn from_start(error: identity_pass_runtime::StartError, locale: Locale) -> Self {
        use core::messages::flow as msg;
        use identity_pass_runtime::StartError as E;
        let mapped = match error {
            E::Transport(e) => SessionError::Configuration { detail: e.to_string(), explanation: msg::START_MISCONFIGURED.text(locale) },
            E::Store(core::SecureStoreError::Unavailable { reason }) => {
                SessionError::StoreUnavailable { reason, explanation: msg::START_STORE_UNAVAILABLE.text(locale) }
            }
            E::Snapshot(detail) => {
                SessionError::SavedStateUnreadable { detail, explanation: msg::START_SAVED_STATE_UNREADABLE.text(locale) }
            }
            E::Runtime(detail) => SessionError::Configuration { detail, explanation: msg::START_MISCONFIGURED.text(locale) },
        };
        tracing::warn!(error = %mapped, "session did not start");
        mapped
    }
}

/// Why the platform passkey API produced no passkey. Thrown by `PasskeyProvider`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PasskeyError {
    /// The user dismissed the system sheet.
    #[error("cancelled")]
    Cancelled,
    /// The platform refused.
    #[error("passkey creation failed: {reason}")]
    Failed {
        /// Diagnostic text.
        reason: String,
    },
}

// Anything else a provider throws is a failed passkey, never a cancellation the user did not make.
impl From<uniffi::UnexpectedUniFFICallbackError> for PasskeyError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        PasskeyError::Failed { reason: error.reason }
    }
}

impl From<PasskeyError> for identity_pass_runtime::PasskeyFailure {
    fn from(error: PasskeyError) -> Self {
        match error {
            PasskeyError::Cancelled => identity_pass_runtime::PasskeyFailure::Cancelled,
            PasskeyError::Failed { reason } => identity_pass_runtime::PasskeyFailure::Failed { reason },
        }
    }
}

impl From<identity_pass_runtime::PasskeyFailure> for PasskeyError {
    fn from(failure: identity_pass_runtime::PasskeyFailure) -> Self {
        match failure {
            identity_pass_runtime::PasskeyFailure::Cancelled => PasskeyError::Cancelled,
            identity_pass_runtime::PasskeyFailure::Failed { reason } => PasskeyError::Failed { reason },
        }
    }
}

/// Why `completeReferencePartnerCheck` (test support only) got no result from the partner.
#[cfg(feature = "test-support")]
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PartnerCheckError {
    /// The hand-off URL is not a page this function can submit to.
    #[error("unusable hand-off URL: {detail}")]
    InvalidUrl {
        /// What is wrong with it.
        detail: String,
    },
    /// The partner's page could not be reached, refused the submission or answered without a
    /// result.
    #[error("the partner's check failed: {detail}")]
    Failed {
        /// Diagnostic text (the status and the partner's code; never the images).
        detail: String,
    },
}

impl SessionError {
    /// A malformed certificate pin in the settings.
    pub(crate) fn from_pin(error: identity_pass_runtime::pinning::PinError, locale: Locale) -> Self {
        SessionError::Configuration { detail: error.to_string(), explanation: core::messages::flow::START_MISCONFIGURED.text(locale) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unexpected(reason: &str) -> uniffi::UnexpectedUniFFICallbackError {
        uniffi::UnexpectedUniFFICallbackError { reason: reason.into() }
    }

    #[test]
    fn whatever_a_foreign_callback_throws_becomes_a_typed_error() {
        assert!(matches!(SecureStoreError::from(unexpected("boom")), SecureStoreError::Unavailable { reason } if reason.contains("boom")));
        assert!(matches!(ShellCallbackError::from(unexpected("ui gone")), ShellCallbackError::Failed { reason } if reason == "ui gone"));
        assert!(matches!(PasskeyError::from(unexpected("npe")), PasskeyError::Failed { reason } if reason == "npe"));
    }

    #[test]
    fn passkey_outcomes_map_both_ways_without_turning_a_failure_into_a_cancel() {
        use identity_pass_runtime::PasskeyFailure;
        assert_eq!(PasskeyFailure::from(PasskeyError::Cancelled), PasskeyFailure::Cancelled);
        assert_eq!(
            PasskeyFailure::from(PasskeyError::Failed { reason: "no lock".into() }),
            PasskeyFailure::Failed { reason: "no lock".into() }
        );
        assert!(matches!(PasskeyError::from(PasskeyFailure::Cancelled), PasskeyError::Cancelled));
        assert!(
            matches!(PasskeyError::from(PasskeyFailure::Failed { reason: "x".into() }), PasskeyError::Failed { reason } if reason == "x")
        );
    }

    #[test]
    fn a_foreign_store_error_reaches_the_core_as_a_store_error() {
        let core_error: core::SecureStoreError = SecureStoreError::Unavailable { reason: "locked".into() }.into();
        assert_eq!(core_error, core::SecureStoreError::Unavailable { reason: "locked".into() });
    }

    #[test]
    fn every_start_error_maps_to_one_session_error() {
        use identity_pass_runtime::StartError as E;
        let cases = [
            (E::Transport(identity_pass_runtime::TransportError::InsecureUrl { host: "h".into() }), "Configuration"),
            (E::Store(core::SecureStoreError::Unavailable { reason: "locked".into() }), "StoreUnavailable"),
            (E::Snapshot("damaged".into()), "SavedStateUnreadable"),
            (E::Runtime("no threads".into()), "Configuration"),
        ];
        for (error, kind) in cases {
            let mapped = format!("{:?}", SessionError::from_start(error, Locale::English));
            assert!(mapped.starts_with(kind), "{mapped}");
        }
        assert!(matches!(
            SessionError::from_start(E::Snapshot("damaged".into()), Locale::SimplifiedChinese),
            SessionError::SavedStateUnreadable { explanation, .. } if explanation.code == "FLOW_START_SAVED_STATE_UNREADABLE"
        ));
        assert!(matches!(
            SessionError::from_pin(identity_pass_runtime::pinning::PinError::Malformed, Locale::English),
            SessionError::Configuration { .. }
        ));
    }

    #[test]
    fn every_core_vault_error_maps_to_an_actionable_public_error() {
        let cases = [
            (core::VaultError::Store(core::SecureStoreError::Unavailable { reason: "locked".into() }), "StoreUnavailable"),
            (core::VaultError::Corrupted { detail: "x".into() }, "Corrupted"),
            (core::VaultError::UnsupportedVersion { found: 9, supported: 1 }, "Corrupted"),
            (core::VaultError::NoRandomness, "StoreUnavailable"),
        ];
        for (error, expected) in cases {
            let mapped = format!("{:?}", VaultError::from(error));
            assert!(mapped.starts_with(expected), "{mapped} should be {expected}");
        }
    }

    #[test]
    fn every_snapshot_error_keeps_its_kind_and_numbers() {
        use identity_pass_core::flow::SnapshotError as S;
        assert!(matches!(FlowError::from(S::Unreadable { detail: "x".into() }), FlowError::Unreadable { .. }));
        assert!(matches!(FlowError::from(S::TooNew { found: 3, supported: 1 }), FlowError::TooNew { found: 3, supported: 1 }));
        assert!(matches!(FlowError::from(S::TooOld { found: 0, oldest: 1 }), FlowError::TooOld { found: 0, oldest: 1 }));
    }
}

/// Why the device key could not be made or used. Thrown by `DeviceKeyProvider`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum DeviceKeyError {
    /// The platform's key store refused (locked, broken, key invalidated). Diagnostic text only.
    #[error("device key unavailable: {reason}")]
    Unavailable {
        /// Diagnostic text; never key material.
        reason: String,
    },
}

// Anything else a provider throws is an unavailable key.
impl From<uniffi::UnexpectedUniFFICallbackError> for DeviceKeyError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        DeviceKeyError::Unavailable { reason: error.reason }
    }
}

impl From<DeviceKeyError> for identity_pass_runtime::DeviceKeyFailure {
    fn from(error: DeviceKeyError) -> Self {
        match error {
            DeviceKeyError::Unavailable { reason } => Self::Unavailable { reason },
        }
    }
}

impl From<identity_pass_runtime::DeviceKeyFailure> for DeviceKeyError {
    fn from(failure: identity_pass_runtime::DeviceKeyFailure) -> Self {
        match failure {
            identity_pass_runtime::DeviceKeyFailure::Unavailable { reason } => Self::Unavailable { reason },
        }
    }
}
