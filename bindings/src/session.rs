//! Exports the onboarding session: the runtime that performs the flow's effects against the
//! Identity Pass service. The shells give it their secure store, an observer for views and
//! platform effects, and their passkey API; they report user actions and platform results with
//! `send`, and push camera frames during the selfie and liveness steps and the reviewer's call.

use std::sync::{Arc, Mutex};

use identity_pass_core::eligibility::{Distribution, Platform};
use identity_pass_core::flow::control_label::Control;
use identity_pass_core::flow::{Effect, ShellEvent, ViewState};
use identity_pass_core::messages::{Locale, LocalizedMessage};
use identity_pass_core::selfie::call_picture::CallPicture;
use identity_pass_runtime::{self as runtime, OnboardingRuntime, PushKind, SessionConfig, SpkiPin, StatusMode, SystemClock};

use crate::call_media::{CallMediaOutput, ForeignCallOutput};
use crate::error::{DeviceKeyError, PasskeyError, SelfieError, SessionError, ShellCallbackError};
use crate::secure_store::{ForeignSecureStore, SecureStore};
use crate::selfie::{CameraFrame, SelfieVerdict, verdict_record, with_frame};

/// Which push service a token belongs to.
#[uniffi::remote(Enum)]
enum PushKind {
    Fcm,
    Apns,
}

/// A control a shell labels with `OnboardingSession::label` (besides the screen's main button).
#[uniffi::remote(Enum)]
enum Control {
    ConsentAccept,
    ConsentDecline,
    WorkEmailField,
    EmployeeIdField,
    PersonalEmailField,
    StaffKindField,
    StaffKindEmployee,
    StaffKindExternal,
    BirthYearField,
    BirthMonthField,
    BirthDayField,
    TapCode,
    ActivationCode,
    ActivationUrl,
    PhoneNumberField,
    PhoneExtensionField,
    BackupPhoneNumberField,
    VerificationCodeField,
    PinField,
    PinAgainField,
    SecurityAnswerField,
    ChooseQuestion,
    TaskDone,
    SendForm,
    BackToChecklist,
    RemoveMethod,
    LeaveCall,
    TryAgain,
}

/// How to reach the service and which build this is.
#[derive(uniffi::Record)]
pub struct SessionSettings {
    /// The service, `https://…` (plain `http://` only to this machine, for tests and demos).
    pub service_url: String,
    /// OS family.
    pub platform: Platform,
    /// Google Play / App Store build, or the China build (no push: status is long-polled).
    pub distribution: Distribution,
    /// The OS language (BCP-47), e.g. `zh-CN`.
    pub language_tag: String,
    /// Optional pins (base64 SHA-256 of the service key's SubjectPublicKeyInfo).
    pub pinned_keys: Vec<String>,
    /// Where the reviewer's pictures and voice go during the video call. With one, the session
    /// joins the call's media itself (camera frames from `pushFrame`, the microphone from
    /// `pushCallAudio`); without one (`null`/`nil`), the shell reports `CallJoined` and
    /// `CallEnded` and the reviewer records the call by hand.
    #[uniffi(default = None)]
    pub call_media: Option<Arc<dyn CallMediaOutput>>,
}

/// Receives what the shell must show and do. Called on a runtime thread: hop to the UI thread.
///
/// Whatever an implementation throws is caught at this boundary and logged; the session goes
/// on (the next view is delivered as usual). A throwing observer never takes the session down.
#[uniffi::export(with_foreign)]
pub trait SessionObserver: Send + Sync {
    /// The screen to show now.
    fn on_view(&self, view: ViewState) -> Result<(), ShellCallbackError>;
    /// A platform effect: permission prompts, camera, partner ID check, Authenticator, call,
    /// notification, background wake-up. Report the outcome with `OnboardingSession.send`.
    fn on_platform_effect(&self, effect: Effect) -> Result<(), ShellCallbackError>;
}

/// The platform passkey API (Credential Manager, AuthenticationServices).
#[uniffi::export(with_foreign)]
pub trait PasskeyProvider: Send + Sync {
    /// Creates a passkey for WebAuthn creation options (JSON) and returns the registration
    /// response (JSON). Called off the main thread; may block while the system sheet is up.
    fn create_passkey(&self, options_json: String) -> Result<String, PasskeyError>;
}

/// This installation's device key, which Verified IDs are bound to: ECDSA P-256 made on the
/// device the first time `public_key` is called and never exported — Android Keystore
/// (StrongBox where present), the iOS Secure Enclave. Make and sign under one lock: two threads
/// asking at once must get one key. Called off the main thread.
#[uniffi::export(with_foreign)]
pub trait DeviceKeyProvider: Send + Sync {
    /// The public half, as the platform encodes it: the SEC1 uncompressed point (iOS
    /// `SecKeyCopyExternalRepresentation`) or the X.509 SubjectPublicKeyInfo (Android
    /// `PublicKey.getEncoded()`). Creates the key if there is none.
    fn public_key(&self) -> Result<Vec<u8>, DeviceKeyError>;
    /// ECDSA P-256 / SHA-256 over `message`, DER as the platform signs (Android
    /// `SHA256withECDSA`, iOS `ecdsaSignatureMessageX962SHA256`).
    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, DeviceKeyError>;
}

struct ForeignDeviceKey(Arc<dyn DeviceKeyProvider>);

impl runtime::DeviceKey for ForeignDeviceKey {
    fn public_key(&self) -> Result<Vec<u8>, runtime::DeviceKeyFailure> {
        Ok(self.0.public_key()?)
    }
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, runtime::DeviceKeyFailure> {
        Ok(self.0.sign(message.to_vec())?)
    }
}

/// The phone's wall clock. Apps pass none (the OS clock is used); tests pass one they can move,
/// to cross a TAP's lifetime or the reviewer's 24 hours without waiting.
/// A clock that throws is caught at this boundary: the OS clock answers instead.
#[uniffi::export(with_foreign)]
pub trait PhoneClock: Send + Sync {
    /// Unix milliseconds.
    fn now_ms(&self) -> Result<i64, ShellCallbackError>;
}

struct ForeignClock(Arc<dyn PhoneClock>);

impl runtime::Clock for ForeignClock {
    fn now_ms(&self) -> i64 {
        self.0.now_ms().unwrap_or_else(|error| {
            tracing::error!(%error, "the shell's clock failed; using the system clock");
            runtime::Clock::now_ms(&SystemClock)
        })
    }
}

struct ForeignObserver {
    observer: Arc<dyn SessionObserver>,
    call: Option<ForeignCallOutput>,
}

impl runtime::SessionListener for ForeignObserver {
    fn on_view(&self, view: ViewState) {
        if let Err(error) = self.observer.on_view(view) {
            tracing::error!(%error, "the shell's observer failed on a view; the session goes on");
        }
    }
    fn on_platform_effect(&self, effect: Effect) {
        let name = effect.name();
        if let Err(error) = self.observer.on_platform_effect(effect) {
            tracing::error!(%error, effect = name, "the shell's observer failed on an effect; the session goes on");
        }
    }
    fn on_call_video(&self, picture: &CallPicture) {
        if let Some(call) = &self.call {
            call.picture(picture);
        }
    }
    fn on_call_audio(&self, samples: &[i16]) {
        if let Some(call) = &self.call {
            call.audio(samples);
        }
    }
}

struct ForeignPasskeys(Arc<dyn PasskeyProvider>);

impl runtime::PasskeyAuthenticator for ForeignPasskeys {
    fn create_passkey(&self, options_json: &str) -> Result<String, runtime::PasskeyFailure> {
        Ok(self.0.create_passkey(options_json.to_owned())?)
    }
}

/// One onboarding on this phone, for real: the flow, the service, storage and the camera.
#[derive(uniffi::Object)]
pub struct OnboardingSession {
    runtime: Mutex<Option<OnboardingRuntime>>,
    locale: Locale,
}

#[uniffi::export]
impl OnboardingSession {
    /// Starts (or resumes, from the secure store) the onboarding. `device_key`: the platform's
    /// key store (`KeystoreDeviceKey`, `SecureEnclaveDeviceKey`). `clock`: `null`/`nil` in apps
    /// (the OS clock); a movable clock in tests.
    #[uniffi::constructor]
    pub fn start(
        settings: SessionSettings,
        store: Arc<dyn SecureStore>,
        observer: Arc<dyn SessionObserver>,
        passkeys: Arc<dyn PasskeyProvider>,
        device_key: Arc<dyn DeviceKeyProvider>,
        clock: Option<Arc<dyn PhoneClock>>,
    ) -> Result<Arc<Self>, SessionError> {
        let locale = Locale::from_language_tag(&settings.language_tag);
        let mut config = SessionConfig::new(settings.service_url, settings.platform, settings.distribution);
        config.locale = locale;
        config.status_mode = StatusMode::LongPoll { wait_seconds: 25 };
        config.joins_call_media = settings.call_media.is_some();
        for pin in &settings.pinned_keys {
            config.transport.pins.push(SpkiPin::from_base64(pin).map_err(|e| SessionError::from_pin(e, locale))?);
        }
        let runtime = OnboardingRuntime::start(
            config,
            Arc::new(ForeignSecureStore(store)),
            Arc::new(ForeignObserver { observer, call: settings.call_media.map(ForeignCallOutput::new) }),
            Arc::new(ForeignPasskeys(passkeys)),
            Arc::new(ForeignDeviceKey(device_key)),
            match clock {
                Some(clock) => Arc::new(ForeignClock(clock)),
                None => Arc::new(SystemClock),
            },
        )
        .map_err(|e| SessionError::from_start(e, locale))?;
        Ok(Arc::new(Self { runtime: Mutex::new(Some(runtime)), locale }))
    }

    /// Reports a user action or a platform result.
    pub fn send(&self, event: ShellEvent) {
        if let Some(runtime) = self.lock().as_ref() {
            runtime.send(event);
        }
    }

    /// One camera frame during the selfie or liveness step, or while the reviewer's call is
    /// open. Guidance comes back at once; the capture and the liveness result go to the service
    /// without anything more from the shell. During the call the frame goes to the reviewer
    /// (with `SessionSettings.callMedia`) and the verdict is empty: no faces, nothing captured.
    pub fn push_frame(&self, frame: CameraFrame) -> Result<SelfieVerdict, SelfieError> {
        let guard = self.lock();
        let runtime = guard.as_ref().ok_or(SelfieError::SessionClosed)?;
        let verdict = with_frame(&frame, |view, orientation| runtime.push_rotated_frame(view, orientation, frame.timestamp_ms))??;
        Ok(verdict_record(verdict, self.locale))
    }

    /// The microphone during the reviewer's call: 48 kHz mono PCM, in pieces of any size (20 ms
    /// is usual). Outside a call, or without `SessionSettings.callMedia`, the samples go nowhere.
    pub fn push_call_audio(&self, samples: Vec<i16>) {
        if let Some(runtime) = self.lock().as_ref() {
            runtime.push_call_audio(&samples);
        }
    }

    /// A push notification for this app arrived (global builds): look at the status now.
    pub fn push_received(&self) {
        if let Some(runtime) = self.lock().as_ref() {
            runtime.push_received();
        }
    }

    /// The platform's push token for this installation (FCM on global Android builds, APNs on
    /// iOS; China builds have none and follow the status by long-poll). Sent to the service
    /// once the device is registered, again whenever the platform hands out a new one. The
    /// token is kept as a secret: it never reaches a log.
    pub fn register_push_token(&self, kind: PushKind, token: String) {
        if let Some(runtime) = self.lock().as_ref() {
            runtime.register_push_token(kind, identity_pass_core::SecretString::new(token));
        }
    }

    /// The label of a control the screen draws besides its main button (consent answers, form
    /// fields, the security screen's inputs), in the session's language: no word on a phone's
    /// screen is the shell's own.
    pub fn label(&self, control: Control) -> LocalizedMessage {
        control.label(self.locale)
    }

    /// The current view.
    pub fn view(&self) -> Option<ViewState> {
        self.lock().as_ref().map(|r| r.view().view)
    }

    /// Stops the session's work now (the app is going away). What was saved stays saved; a new
    /// session resumes it.
    pub fn close_session(&self) {
        if let Some(runtime) = self.lock().take() {
            runtime.shutdown();
        }
    }
}

impl OnboardingSession {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<OnboardingRuntime>> {
        self.runtime.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A control's label in the language of `language_tag`, for a shell with no session to ask: the
/// "Try again" beside a `SessionError`'s explanation when the session could not start.
#[uniffi::export]
pub fn control_label(control: Control, language_tag: String) -> LocalizedMessage {
    control.label(Locale::from_language_tag(&language_tag))
}

/// A software passkey authenticator for tests and the desktop (feature `software-passkey`,
/// never in the phone builds): keys in memory, user always "present and verified".
#[cfg(feature = "software-passkey")]
#[uniffi::export]
pub fn software_passkey_provider(origin: String) -> Arc<dyn PasskeyProvider> {
    struct Software(runtime::software_passkey::SoftwarePasskeyAuthenticator);
    impl PasskeyProvider for Software {
        fn create_passkey(&self, options_json: String) -> Result<String, PasskeyError> {
            Ok(runtime::PasskeyAuthenticator::create_passkey(&self.0, &options_json)?)
        }
    }
    Arc::new(Software(runtime::software_passkey::SoftwarePasskeyAuthenticator::new(origin)))
}

/// A device key in software, kept in `store` (feature `test-support`, never in the phone
/// builds): what the Linux Swift tests stand in for the Secure Enclave with, which Linux lacks.
#[cfg(feature = "test-support")]
#[uniffi::export]
pub fn software_device_key(store: Arc<dyn SecureStore>) -> Arc<dyn DeviceKeyProvider> {
    struct Software(runtime::software_device_key::StoredSoftwareDeviceKey);
    impl DeviceKeyProvider for Software {
        fn public_key(&self) -> Result<Vec<u8>, DeviceKeyError> {
            Ok(runtime::DeviceKey::public_key(&self.0)?)
        }
        fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, DeviceKeyError> {
            Ok(runtime::DeviceKey::sign(&self.0, &message)?)
        }
    }
    Arc::new(Software(runtime::software_device_key::StoredSoftwareDeviceKey::new(Arc::new(ForeignSecureStore(store)))))
}
