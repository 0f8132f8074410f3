//! What the runtime needs from the platform it runs on, and nothing more: a clock, somewhere to
//! send what the user must see or do, and the platform's passkey API. Secure storage is the
//! core's `SecureStore`. The shells implement these (Kotlin, Swift); tests and the desktop
//! implement them in Rust.

use identity_pass_core::flow::Effect;
use identity_pass_core::flow::view::ViewState;
use identity_pass_core::selfie::call_picture::CallPicture;

/// Wall-clock time, injected so tests can move it.
pub trait Clock: Send + Sync {
    /// Unix milliseconds, phone time.
    fn now_ms(&self) -> i64;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
    }
}

/// The shell's side of a session.
pub trait SessionListener: Send + Sync {
    /// The screen to show now. Called after every change, from a runtime thread.
    fn on_view(&self, view: ViewState);
    /// Something only the platform can do: a permission prompt, the camera, the partner's
    /// ID check, Authenticator, the reviewer's call, a notification, a background wake-up.
    /// The shell reports the outcome with `OnboardingRuntime::send`.
    fn on_platform_effect(&self, effect: Effect);
    /// One decoded picture of the reviewer's video, to draw while the call is open; called
    /// from the call's task at the reviewer's frame rate. Shells that do not join the call's
    /// media themselves (`SessionConfig::joins_call_media` off) never get one.
    fn on_call_video(&self, picture: &CallPicture) {
        let _ = picture;
    }
    /// The reviewer's voice: 48 kHz mono PCM, 20 ms at a time, to play as it comes.
    fn on_call_audio(&self, samples: &[i16]) {
        let _ = samples;
    }
}

/// Why the platform passkey API produced no credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasskeyFailure {
    /// The user dismissed the system sheet.
    #[error("cancelled by the user")]
    Cancelled,
    /// The platform refused (no screen lock, no provider, bad options…).
    #[error("passkey creation failed: {reason}")]
    Failed {
        /// Diagnostic text.
        reason: String,
    },
}

/// The platform's passkey API: Credential Manager on Android, AuthenticationServices on iOS, a
/// software authenticator on the desktop and in tests.
pub trait PasskeyAuthenticator: Send + Sync {
    /// Creates a passkey for WebAuthn creation options (JSON, base64url binary fields) and
    /// returns the registration response (JSON). May block for the system sheet: the runtime
    /// calls it off its own threads.
    fn create_passkey(&self, options_json: &str) -> Result<String, PasskeyFailure>;
}

/// Why the device key could not be made, read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceKeyFailure {
    /// The platform refused (keystore locked or broken, key invalidated, no secure hardware
    /// and no fallback). Diagnostic text only; never key material.
    #[error("device key unavailable: {reason}")]
    Unavailable {
        /// Diagnostic text.
        reason: String,
    },
}

/// This installation's device key: ECDSA P-256, made on the device the first time it is asked
/// for and never leaving it — Android Keystore (StrongBox where present), the iOS Secure Enclave,
/// a software key on the desktop and in tests. Verified IDs are bound to it, and presenting one
/// means signing with it (core `device_binding`).
pub trait DeviceKey: Send + Sync {
    /// The public half, creating the key if there is none yet: the SEC1 uncompressed point or an
    /// X.509 SubjectPublicKeyInfo, whichever the platform hands out.
    fn public_key(&self) -> Result<Vec<u8>, DeviceKeyFailure>;
    /// ECDSA P-256 with SHA-256 over `message`, DER (X9.62) as the platforms sign, or r‖s.
    /// May block (hardware keys are slow): the runtime calls it off its own threads.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, DeviceKeyFailure>;
}
