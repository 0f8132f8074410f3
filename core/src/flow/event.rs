//! Everything that can happen to the flow: the user's actions, the shell's observations and
//! the service's answers. Service answers carry `server_time` (Unix ms) so that every deadline
//! is computed on the service's clock (see `clock.rs`).

use super::clock::Timestamp;
use super::credential::{ChecklistItem, TapGrant};
use super::identity_entry::IdentityForm;
use super::path::{OnboardingPath, RolloutFlags};
use super::permissions::{Permission, PermissionStatus};
use super::review::ReviewStatus;
use super::verification::{GovernmentIdOutcome, PartnerStep};
use crate::eligibility::DeviceProfile;

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
    /// The partner's verdict.
    GovernmentIdFinished {
        /// The verdict.
        outcome: GovernmentIdOutcome,
    },
    /// The selfie was taken (its bytes stay in the capture module).
    SelfieCaptured,
    /// The selfie reached the service.
    SelfieUploaded {
        /// The service's time.
        server_time: Timestamp,
    },
    /// The liveness check passed.
    LivenessPassed,
    /// The liveness check failed; the user may try again.
    LivenessFailed {
        /// A code from the capture module (e.g. `TOO_DARK`, `FACE_COVERED`).
        reason: String,
    },
    /// The user joined the reviewer's call (phone time is the event's `now`).
    CallJoined,
    /// The user left the call.
    CallEnded,
    /// The user finished a checklist item after receiving a TAP.
    ChecklistItemDone {
        /// Which one.
        item: ChecklistItem,
    },
    /// The user signed in with the TAP (starts the 10-minute rule for a one-time TAP).
    SignedInWithTap,
    /// The platform passkey API created a credential.
    PasskeyCreated {
        /// The WebAuthn attestation response (JSON).
        response_json: String,
    },
    /// The user cancelled the platform passkey dialog.
    PasskeyCancelled,

    // --- the service's answers ---
    /// The service accepted the identity and chose the path.
    IdentityAccepted {
        /// The onboarding request id.
        request_id: String,
        /// The chosen path.
        path: OnboardingPath,
        /// Rollout flags.
        flags: RolloutFlags,
        /// When this user's latest Verified ID was issued (server time), if they have one.
        verified_id_issued_at: Option<Timestamp>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// The service accepted the date of birth (legacy path).
    DateOfBirthAccepted {
        /// The service's time.
        server_time: Timestamp,
    },
    /// A Verified ID was issued to the user.
    VerifiedIdIssued {
        /// `iat`, server time.
        issued_at: Timestamp,
        /// `exp`, server time.
        expires_at: Timestamp,
        /// The service's time.
        server_time: Timestamp,
    },
    /// The service received the Verified ID presentation.
    VerifiedIdPresented {
        /// The service's time.
        server_time: Timestamp,
    },
    /// The review moved on (an answer to `SubmitForReview` or `WatchStatus`).
    ReviewUpdated {
        /// The new status.
        status: ReviewStatus,
        /// The service's time.
        server_time: Timestamp,
    },
    /// The service issued a TAP (its code is shown once).
    TapIssued {
        /// The TAP.
        tap: TapGrant,
        /// The service's time.
        server_time: Timestamp,
    },
    /// The service sent WebAuthn creation options.
    PasskeyOptionsReceived {
        /// The options (JSON), passed to the platform API as they are.
        options_json: String,
    },
    /// The service verified and stored the passkey.
    PasskeyRegistered {
        /// The service's time.
        server_time: Timestamp,
    },
    /// A request failed; the step stays where it was and `Continue` retries.
    RequestFailed {
        /// The service's stable error code (or a transport code such as `NETWORK`).
        code: String,
    },
}
