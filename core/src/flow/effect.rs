//! What the flow asks the shell (or the runtime) to do. Effects are data; performing them is
//! the shell's job, and their results come back as `Event`s.

use super::clock::Timestamp;
use super::identity_entry::StaffKind;
use super::permissions::Permission;
use crate::messages::LocalizedMessage;

/// An output of `OnboardingFlow::handle`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The state changed: save `OnboardingFlow::snapshot()` so a killed app resumes here.
    PersistState,
    /// Show the OS prompt for a permission (location: fine and coarse together).
    RequestPermission {
        /// Which permission.
        permission: Permission,
    },
    /// iOS: request temporary full location accuracy.
    RequestFullAccuracyLocation,
    /// Open the app's page in the system settings (after a permanent denial).
    OpenAppSettings {
        /// The permission to enable there.
        permission: Permission,
    },
    /// Re-read every permission and report each with `PermissionReported`.
    CheckPermissions,
    /// `POST` the identity (contract: identity submission).
    SubmitIdentity {
        /// Work email.
        upn: String,
        /// Employee ID.
        employee_id: String,
        /// Optional personal email.
        personal_email: Option<String>,
        /// Employee or external.
        staff_kind: StaffKind,
        /// Terms version accepted.
        terms_version: String,
        /// When the terms were accepted.
        consent_accepted_at: Timestamp,
    },
    /// Send the date of birth (`YYYY-MM-DD`) on the legacy path.
    SubmitDateOfBirth {
        /// The request.
        request_id: String,
        /// ISO date.
        date_of_birth: String,
    },
    /// Hand off to the government-ID partner (AU10TIX).
    StartGovernmentIdCheck {
        /// The request.
        request_id: String,
    },
    /// Open Microsoft Authenticator so the user can add the Verified ID.
    OpenAuthenticator,
    /// Open the selfie camera.
    StartSelfie,
    /// Upload the captured selfie.
    UploadSelfie {
        /// The request.
        request_id: String,
    },
    /// Start the liveness check.
    StartLiveness {
        /// The request.
        request_id: String,
    },
    /// Ask Authenticator to present the Verified ID to the service.
    RequestVerifiedIdPresentation {
        /// The request.
        request_id: String,
    },
    /// Submit the request to the reviewer.
    SubmitForReview {
        /// The request.
        request_id: String,
    },
    /// Follow the review status (long-poll; push where available).
    WatchStatus {
        /// The request.
        request_id: String,
    },
    /// Join the reviewer's video call.
    JoinCall {
        /// The call.
        call_id: String,
    },
    /// Fetch the TAP.
    FetchTap {
        /// The request.
        request_id: String,
        /// Through the 30-day fast path (liveness only, no call).
        fast_path: bool,
    },
    /// Fetch WebAuthn creation options.
    FetchPasskeyOptions {
        /// The request.
        request_id: String,
    },
    /// Call the platform passkey API with these options.
    RegisterPasskey {
        /// WebAuthn creation options (JSON).
        options_json: String,
    },
    /// Send the attestation response to the service.
    SubmitPasskey {
        /// The request.
        request_id: String,
        /// WebAuthn attestation response (JSON).
        response_json: String,
    },
    /// Wake the flow (deliver `Tick`) at this phone time, even if the app is in the background.
    ScheduleWake {
        /// Phone time, Unix ms.
        at: Timestamp,
    },
    /// Show a local notification.
    ShowNotification {
        /// Its text.
        message: LocalizedMessage,
    },
}
