//! Everything that can happen to the flow: the user's actions, the shell's observations and
//! the service's answers. Service answers carry `server_time` (Unix ms) so that every deadline
//! is computed on the service's clock (see `clock.rs`).
//!
//! Two types, because two parties feed the flow. `ShellEvent` is what a shell may report (what
//! the user did, what the platform saw) and is the only event type the bindings export.
//! `Event` adds what only the runtime may feed: the service's answers, the selfie session's
//! results and the passkey API's, the status watch. A shell cannot claim that a TAP was issued.

use super::account_security::{OnwardLink, SecurityAnswer, SecurityTaskKind};
use super::clock::Timestamp;
use super::identity_entry::IdentityForm;
use super::permissions::{Permission, PermissionStatus};
use super::review::ReviewStatus;
use super::service_call::{CallId, CallOutcome};
use super::verification::PartnerStep;
use crate::eligibility::DeviceProfile;
use crate::secret::SecretString;

/// An input to `OnboardingFlow::handle`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    // --- the shell's observations ---
    /// The shell inspected the phone.
    DeviceChecked {
        /// What it found.
        profile: DeviceProfile,
    },
    /// The OS answered a permission prompt, or the shell re-checked a permission.
    PermissionReported {
        /// Which permission.
        permission: Permission,
        /// Its status now.
        status: PermissionStatus,
    },
    /// The app came back to the foreground (one-time grants may have lapsed).
    AppResumed,
    /// A wake-up the flow scheduled, or any periodic tick: deadlines are re-checked.
    Tick,

    // --- the user's actions ---
    /// The user pressed the screen's main button (its label is `ViewState::primary_action`).
    Continue,
    /// The user answered the consent notice.
    ConsentAnswered {
        /// "Yes" (true) or "No".
        accepted: bool,
    },
    /// The user submitted the identity form.
    IdentitySubmitted {
        /// The form as typed.
        form: IdentityForm,
    },
    /// The user picked a year of birth.
    DobYearSelected {
        /// The year.
        year: i32,
    },
    /// The user picked a month of birth.
    DobMonthSelected {
        /// The month, 1–12.
        month: u32,
    },
    /// The user picked a day of birth.
    DobDaySelected {
        /// The day of the month.
        day: u32,
    },
    /// The user went back from the date of birth or the identity answer to edit the form.
    EditIdentity,

    // --- external steps (partner, camera, call, Authenticator) ---
    /// The partner (AU10TIX) reports a finished sub-step.
    GovernmentIdProgress {
        /// The sub-step.
        step: PartnerStep,
    },
    /// The user came back from the partner's page. The phone has no verdict: the partner
    /// reports it to the service, and the flow asks the service for it.
    GovernmentIdHandoffEnded,
    /// The selfie was taken (its bytes stay in the capture module).
    SelfieCaptured,
    /// The liveness challenge ended on the phone (from the selfie session, by the runtime).
    LivenessFinished {
        /// Why it failed: the capture module's stable code; `None` when it passed.
        failure: Option<String>,
    },
    /// The user joined the reviewer's call (phone time is the event's `now`).
    CallJoined,
    /// The user left the call.
    CallEnded,
    /// The call's media could not connect, or lost its connection for good (from the runtime).
    CallConnectionFailed,
    /// The user opened a task on the security screen (or went back to the checklist).
    SecurityTaskChosen {
        /// Which.
        task: SecurityTaskKind,
    },
    /// The user entered a number for a text or a call.
    PhoneNumberEntered {
        /// As typed.
        phone_number: String,
        /// Voice: extension, as typed.
        extension: Option<String>,
        /// Voice: backup number, as typed.
        backup_phone_number: Option<String>,
    },
    /// The user entered a one-time code (the authenticator app's, or the text's).
    VerificationCodeEntered {
        /// The code.
        code: SecretString,
    },
    /// "Send the code again" / "Call me again".
    ResendVerificationCode,
    /// The user chose a PIN.
    PinEntered {
        /// The PIN.
        pin: SecretString,
        /// Typed again.
        confirmation: SecretString,
    },
    /// The user answered the security questions.
    SecurityAnswersEntered {
        /// One per chosen question.
        answers: Vec<SecurityAnswer>,
    },
    /// The user removed a method.
    SecurityMethodRemoved {
        /// Its id.
        method_id: String,
    },
    /// The user tapped an onward link (Authenticator, Company Portal, security info).
    OnwardLinkOpened {
        /// Which.
        link: OnwardLink,
    },
    /// The platform passkey API created a credential.
    PasskeyCreated {
        /// The WebAuthn attestation response (JSON).
        response_json: String,
    },
    /// The user cancelled the platform passkey dialog.
    PasskeyCancelled,
    /// The platform could not create a passkey (no screen lock, no provider, bad options).
    PasskeyFailed {
        /// The platform's diagnostic text.
        reason: String,
    },

    // --- the runtime's: answers and observations of the service ---
    /// A call the flow made ended (`Effect::Call`).
    Answered {
        /// The call's id.
        id: CallId,
        /// How it ended.
        outcome: CallOutcome,
    },
    /// The review moved on (the status watch, or a push).
    ReviewUpdated {
        /// The new status.
        status: ReviewStatus,
        /// The service's time.
        server_time: Timestamp,
    },
    /// A session started on a saved flow (the app was killed or closed): calls in flight are
    /// sent again, or given up where their input lived in the app's memory.
    SessionStarted,
}

/// What a shell may report: the user's actions and the platform's observations. The runtime
/// turns it into an `Event`; nothing a shell sends can stand for a service answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellEvent {
    /// The shell inspected the phone.
    DeviceChecked {
        /// What it found.
        profile: DeviceProfile,
    },
    /// The OS answered a permission prompt, or the shell re-checked a permission.
    PermissionReported {
        /// Which permission.
        permission: Permission,
        /// Its status now.
        status: PermissionStatus,
    },
    /// The app came back to the foreground.
    AppResumed,
    /// An OS wake-up the flow scheduled (`Effect::ScheduleWake`).
    Tick,
    /// The user pressed the screen's main button.
    Continue,
    /// The user answered the consent notice.
    ConsentAnswered {
        /// "Yes" (true) or "No".
        accepted: bool,
    },
    /// The user submitted the identity form.
    IdentitySubmitted {
        /// The form as typed.
        form: IdentityForm,
    },
    /// The user picked a year of birth.
    DobYearSelected {
        /// The year.
        year: i32,
    },
    /// The user picked a month of birth.
    DobMonthSelected {
        /// The month, 1–12.
        month: u32,
    },
    /// The user picked a day of birth.
    DobDaySelected {
        /// The day of the month.
        day: u32,
    },
    /// The user went back to edit the identity form.
    EditIdentity,
    /// The partner's SDK reports a finished sub-step.
    GovernmentIdProgress {
        /// The sub-step.
        step: PartnerStep,
    },
    /// The user came back from the partner's page (it carries no verdict: only the service
    /// learns the partner's verdict, and the flow asks the service for it).
    GovernmentIdHandoffEnded,
    /// The user joined the reviewer's call.
    CallJoined,
    /// The user left the call.
    CallEnded,
    /// The user opened a task on the security screen (or went back to the checklist).
    SecurityTaskChosen {
        /// Which.
        task: SecurityTaskKind,
    },
    /// The user entered a number for a text or a call.
    PhoneNumberEntered {
        /// As typed.
        phone_number: String,
        /// Voice: extension, as typed.
        extension: Option<String>,
        /// Voice: backup number, as typed.
        backup_phone_number: Option<String>,
    },
    /// The user entered a one-time code (the authenticator app's, or the text's).
    VerificationCodeEntered {
        /// The code.
        code: SecretString,
    },
    /// "Send the code again" / "Call me again".
    ResendVerificationCode,
    /// The user chose a PIN.
    PinEntered {
        /// The PIN.
        pin: SecretString,
        /// Typed again.
        confirmation: SecretString,
    },
    /// The user answered the security questions.
    SecurityAnswersEntered {
        /// One per chosen question.
        answers: Vec<SecurityAnswer>,
    },
    /// The user removed a method.
    SecurityMethodRemoved {
        /// Its id.
        method_id: String,
    },
    /// The user tapped an onward link (Authenticator, Company Portal, security info).
    OnwardLinkOpened {
        /// Which.
        link: OnwardLink,
    },
}

impl From<ShellEvent> for Event {
    fn from(event: ShellEvent) -> Self {
        match event {
            ShellEvent::DeviceChecked { profile } => Event::DeviceChecked { profile },
            ShellEvent::PermissionReported { permission, status } => Event::PermissionReported { permission, status },
            ShellEvent::AppResumed => Event::AppResumed,
            ShellEvent::Tick => Event::Tick,
            ShellEvent::Continue => Event::Continue,
            ShellEvent::ConsentAnswered { accepted } => Event::ConsentAnswered { accepted },
            ShellEvent::IdentitySubmitted { form } => Event::IdentitySubmitted { form },
            ShellEvent::DobYearSelected { year } => Event::DobYearSelected { year },
            ShellEvent::DobMonthSelected { month } => Event::DobMonthSelected { month },
            ShellEvent::DobDaySelected { day } => Event::DobDaySelected { day },
            ShellEvent::EditIdentity => Event::EditIdentity,
            ShellEvent::GovernmentIdProgress { step } => Event::GovernmentIdProgress { step },
            ShellEvent::GovernmentIdHandoffEnded => Event::GovernmentIdHandoffEnded,
            ShellEvent::CallJoined => Event::CallJoined,
            ShellEvent::CallEnded => Event::CallEnded,
            ShellEvent::SecurityTaskChosen { task } => Event::SecurityTaskChosen { task },
            ShellEvent::PhoneNumberEntered { phone_number, extension, backup_phone_number } => {
                Event::PhoneNumberEntered { phone_number, extension, backup_phone_number }
            }
            ShellEvent::VerificationCodeEntered { code } => Event::VerificationCodeEntered { code },
            ShellEvent::ResendVerificationCode => Event::ResendVerificationCode,
            ShellEvent::PinEntered { pin, confirmation } => Event::PinEntered { pin, confirmation },
            ShellEvent::SecurityAnswersEntered { answers } => Event::SecurityAnswersEntered { answers },
            ShellEvent::SecurityMethodRemoved { method_id } => Event::SecurityMethodRemoved { method_id },
            ShellEvent::OnwardLinkOpened { link } => Event::OnwardLinkOpened { link },
        }
    }
}
