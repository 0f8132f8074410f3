//! What the flow asks the shell (or the runtime) to do. Effects are data; performing them is
//! the shell's job, and their results come back as `Event`s.

use super::clock::Timestamp;
use super::permissions::Permission;
use super::service_call::{CallId, ServiceCall};
use crate::messages::LocalizedMessage;
use crate::secret::SecretString;

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
    /// Send this call to the service and answer with `Event::Answered { id, .. }`. The same
    /// id again is the same call (send it with the same idempotency key).
    Call {
        /// The call's id.
        id: CallId,
        /// What to send.
        call: ServiceCall,
    },
    /// Hand off to the government-ID partner (AU10TIX): open `handoff_url`, and report
    /// `GovernmentIdHandoffEnded` when the user comes back.
    StartGovernmentIdCheck {
        /// The request.
        request_id: String,
        /// The partner's page for this session, from the service.
        handoff_url: String,
    },
    /// Open Microsoft Authenticator so the user can add the Verified ID.
    OpenAuthenticator,
    /// Open the selfie camera.
    StartSelfie,
    /// Start the liveness check: the camera, and the selfie session's challenge, whose frames
    /// the service then judges for this challenge.
    StartLiveness {
        /// The request.
        request_id: String,
        /// The service's challenge the frames are captured for.
        challenge_id: String,
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
    /// Call the platform passkey API with these options.
    RegisterPasskey {
        /// WebAuthn creation options (JSON).
        options_json: String,
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
    /// Open a link outside the app (an app store page, the security-info page).
    OpenUrl {
        /// The link.
        url: String,
    },
    /// Open the one-time password page in the browser; report `AppResumed` on return (the
    /// service then says whether the password was set). The URL carries a ticket: a secret.
    OpenPasswordPage {
        /// The page.
        url: SecretString,
    },
    /// Hand the `otpauth://` link to the authenticator app on this phone (it holds the TOTP
    /// secret: never log it).
    OpenOtpauthLink {
        /// The link.
        uri: SecretString,
    },
}

impl Effect {
    /// A stable name for logs and tests: the variant's, or for a service call the call's
    /// (never the data, which can hold personal details).
    pub fn name(&self) -> &'static str {
        match self {
            Effect::PersistState => "PersistState",
            Effect::RequestPermission { .. } => "RequestPermission",
            Effect::RequestFullAccuracyLocation => "RequestFullAccuracyLocation",
            Effect::OpenAppSettings { .. } => "OpenAppSettings",
            Effect::CheckPermissions => "CheckPermissions",
            Effect::Call { call, .. } => call.name(),
            Effect::StartGovernmentIdCheck { .. } => "StartGovernmentIdCheck",
            Effect::OpenAuthenticator => "OpenAuthenticator",
            Effect::StartSelfie => "StartSelfie",
            Effect::StartLiveness { .. } => "StartLiveness",
            Effect::WatchStatus { .. } => "WatchStatus",
            Effect::JoinCall { .. } => "JoinCall",
            Effect::RegisterPasskey { .. } => "RegisterPasskey",
            Effect::ScheduleWake { .. } => "ScheduleWake",
            Effect::ShowNotification { .. } => "ShowNotification",
            Effect::OpenUrl { .. } => "OpenUrl",
            Effect::OpenPasswordPage { .. } => "OpenPasswordPage",
            Effect::OpenOtpauthLink { .. } => "OpenOtpauthLink",
        }
    }
}
