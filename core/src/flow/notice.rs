//! Explanations: why the last event did not do what the user expected (a missing permission,
//! a refused date, a failed request, a call left too early…), field and date errors, and the
//! reviewer's denials, each rendered from the catalog in the user's language.

use super::OnboardingFlow;
use super::clock::Timestamp;
use super::credential::TapUsability;
use super::date_of_birth::{DateOfBirthEntry, DobError, MAX_AGE_YEARS, MIN_AGE_YEARS};
use super::identity_entry::IdentityFieldError;
use super::permissions::{Permission, PermissionStatus};
use crate::messages::untrusted::display_code;
use crate::messages::{self, LocalizedMessage, MessageCode, flow as msg};

/// A transient explanation of the last event's outcome (cleared by the next event).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Notice {
    /// A permission is missing.
    PermissionNeeded {
        /// Which one.
        permission: Permission,
    },
    /// The consent was declined.
    ConsentRequired,
    /// A date-of-birth choice was refused.
    DateOfBirth {
        /// Why.
        error: DobError,
    },
    /// A request failed.
    RequestFailed {
        /// The service's code.
        code: String,
    },
    /// The selfie must be taken again (it was lost with the app's memory before its upload).
    SelfieRetakeNeeded,
    /// The partner rejected the ID.
    GovernmentIdRejected {
        /// The partner's reason.
        reason: String,
    },
    /// The partner session expired.
    GovernmentIdExpired,
    /// The liveness check failed.
    LivenessFailed {
        /// Why: the service's reason, or the phone's own challenge's code (`ACTION_TIMED_OUT`, `FACE_LOST`…).
        reason: String,
    },
    /// The user left the call too early.
    CallTooShort {
        /// How long they stayed.
        seconds: i64,
    },
    /// The TAP is not usable yet.
    TapNotUsable {
        /// Graph's reason.
        usability: TapUsability,
    },
    /// The passkey dialog was cancelled.
    PasskeyCancelled,
    /// The platform could not create a passkey.
    PasskeyFailed,
    /// The liveness check must be done again (its result was lost with the app's memory).
    LivenessRetakeNeeded,
    /// The app was closed during the reviewer's call: join again.
    CallInterrupted,
    /// The call's connection could not be made or was lost: join again.
    CallConnectionFailed,
    /// A voice call needs a PIN first (the call asks for it).
    PinNeededForVoiceCall,
    /// What the user typed (a code, a PIN, answers) was not sent before the app closed, and is
    /// never saved: type it again.
    TypeAgain,
    /// The verification call ended without the right PIN.
    VoiceCallFailed,
}

impl OnboardingFlow {
    /// The text of a notice.
    pub(super) fn notice_message(&self, notice: &Notice, now: Timestamp) -> LocalizedMessage {
        let l = self.locale;
        match notice {
            Notice::PermissionNeeded { permission } => {
                if self.permissions.status(*permission) == PermissionStatus::PermanentlyDenied {
                    return msg::NOTICE_PERMISSION_SETTINGS.text(l);
                }
                let code = match permission {
                    Permission::Camera => msg::NOTICE_PERMISSION_CAMERA,
                    Permission::Microphone => msg::NOTICE_PERMISSION_MICROPHONE,
                    Permission::Notifications => msg::NOTICE_PERMISSION_NOTIFICATIONS,
                    Permission::Location => msg::NOTICE_PERMISSION_LOCATION,
                };
                code.text(l)
            }
            Notice::ConsentRequired => msg::NOTICE_CONSENT_REQUIRED.text(l),
            Notice::DateOfBirth { error: DobError::YearOutOfRange } => {
                // Say why the years stop where they do: the age rule, not just the range.
                let years = DateOfBirthEntry::selectable_years(self.today(now));
                msg::DOB_YEAR_OUT_OF_RANGE.render(
                    l,
                    &[
                        ("min_age", &MIN_AGE_YEARS.to_string()),
                        ("max_age", &MAX_AGE_YEARS.to_string()),
                        ("first", &years.start().to_string()),
                        ("last", &years.end().to_string()),
                    ],
                )
            }
            Notice::DateOfBirth { error } => dob_error_code(*error).text(l),
            // The service's own explanation when it has one for users; the generic "something
            // went wrong (CODE)" for network failures and app faults. Codes from outside are
            // shown as codes only (`untrusted::display_code`); free text is bounded by `render`.
            Notice::RequestFailed { code } => crate::messages::service::service_error_message(code, l)
                .unwrap_or_else(|| msg::NOTICE_REQUEST_FAILED.render(l, &[("code", &display_code(code))])),
            Notice::SelfieRetakeNeeded => msg::NOTICE_SELFIE_RETAKE.text(l),
            Notice::GovernmentIdRejected { reason } => msg::NOTICE_GOV_ID_REJECTED.render(l, &[("reason", &display_code(reason))]),
            Notice::GovernmentIdExpired => msg::NOTICE_GOV_ID_EXPIRED.text(l),
            // The service's reason in the user's words when this app knows it (what to do
            // differently); any other code inside the generic notice.
            Notice::LivenessFailed { reason } => match messages::selfie::liveness_reason_code(reason) {
                Some(code) => code.text(l),
                None => msg::NOTICE_LIVENESS_FAILED.render(l, &[("reason", &display_code(reason))]),
            },
            Notice::CallTooShort { seconds } => msg::NOTICE_CALL_TOO_SHORT.render(l, &[("seconds", &seconds.to_string())]),
            // Each reason in the user's words (never the enum's name): waiting helps one, not the other.
            Notice::TapNotUsable { usability: TapUsability::DisabledByPolicy } => msg::NOTICE_TAP_DISABLED.text(l),
            Notice::TapNotUsable { .. } => msg::NOTICE_TAP_NOT_USABLE.text(l),
            Notice::PasskeyCancelled => msg::NOTICE_PASSKEY_CANCELLED.text(l),
            Notice::PasskeyFailed => msg::NOTICE_PASSKEY_FAILED.text(l),
            Notice::LivenessRetakeNeeded => msg::NOTICE_LIVENESS_RETAKE.text(l),
            Notice::CallInterrupted => msg::NOTICE_CALL_INTERRUPTED.text(l),
            Notice::CallConnectionFailed => msg::NOTICE_CALL_CONNECTION_FAILED.text(l),
            Notice::PinNeededForVoiceCall => msg::NOTICE_PIN_FOR_VOICE.text(l),
            Notice::TypeAgain => msg::NOTICE_TYPE_AGAIN.text(l),
            Notice::VoiceCallFailed => msg::NOTICE_VOICE_CALL_FAILED.text(l),
        }
    }
}

pub(super) fn field_error_code(error: IdentityFieldError) -> MessageCode {
    match error {
        IdentityFieldError::UpnMissing => msg::UPN_MISSING,
        IdentityFieldError::UpnInvalid => msg::UPN_INVALID,
        IdentityFieldError::EmployeeIdMissing => msg::EMPLOYEE_ID_MISSING,
        IdentityFieldError::EmployeeIdInvalid => msg::EMPLOYEE_ID_INVALID,
        IdentityFieldError::PersonalEmailInvalid => msg::PERSONAL_EMAIL_INVALID,
        IdentityFieldError::PersonalEmailSameAsUpn => msg::PERSONAL_EMAIL_SAME,
    }
}

pub(super) fn dob_error_code(error: DobError) -> MessageCode {
    match error {
        DobError::YearFirst => msg::DOB_YEAR_FIRST,
        DobError::MonthBeforeDay => msg::DOB_MONTH_FIRST,
        DobError::YearOutOfRange => msg::DOB_YEAR_OUT_OF_RANGE,
        DobError::InvalidMonth => msg::DOB_INVALID_MONTH,
        DobError::InvalidDay => msg::DOB_INVALID_DAY,
        DobError::Incomplete => msg::DOB_INCOMPLETE,
        DobError::InFuture => msg::DOB_IN_FUTURE,
        DobError::TooYoung => msg::DOB_TOO_YOUNG,
        DobError::TooOld => msg::DOB_TOO_OLD,
    }
}

/// The denial reasons this app explains in its own words: every `DenialReasonCode` of the
/// service's contract (a test reads `openapi.yaml` and fails on one missing here).
pub const DENIAL_REASONS: &[(&str, MessageCode)] = &[
    ("BADGE_PHOTO_MISMATCH", msg::DENIED_BADGE_PHOTO),
    ("IDENTITY_NOT_CONFIRMED", msg::DENIED_IDENTITY_MISMATCH),
    ("USER_DID_NOT_ANSWER", msg::DENIED_NO_ANSWER),
];

/// Denial codes this app knows get the catalog text in the user's language; others (from a
/// newer service) show the service's own message inside a translated frame (one line, bounded:
/// `MessageCode::render`).
pub fn denial_message(reason_code: &str, service_message: &str, locale: messages::Locale) -> LocalizedMessage {
    match DENIAL_REASONS.iter().find(|(code, _)| *code == reason_code) {
        Some((_, message)) => message.text(locale),
        None => msg::DENIED_OTHER.render(locale, &[("message", service_message)]),
    }
}
