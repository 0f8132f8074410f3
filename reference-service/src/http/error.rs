//! The one error type every handler returns: an HTTP status plus a JSON body
//! `{ "code": "STABLE_CODE", "message": "…" }` (contract.md, "Errors").
//!
//! Codes are stable identifiers the core maps to its message catalog; messages are English help
//! for developers and never contain secrets or the rejected input itself.
//!
//! This file is the one mapping from the lower layers' errors to the wire: every
//! [`DomainError`] and [`StoreError`] gets its status, code and message here and nowhere else.
//! Handlers build an [`ApiError`] directly only for what is HTTP's own business — credentials,
//! headers, malformed JSON or query strings, idempotency keys, routing, the WebAuthn protocol.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::call_media::MediaError;
use crate::domain::DomainError;
use crate::secrets::RandomnessUnavailable;
use crate::store::{Missing, StoreError};

/// A failed call: status, stable code and a human-readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status (4xx for the caller's mistakes, 5xx for ours).
    pub status: StatusCode,
    /// The stable machine-readable code, e.g. `IDENTITY_NOT_FOUND`.
    pub code: &'static str,
    /// English explanation for developers.
    pub message: String,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// Stable code.
    pub code: &'a str,
    /// Explanation.
    pub message: &'a str,
}

impl ApiError {
    /// Builds an error with any status.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into() }
    }
    /// 400: the input is malformed.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    /// 401: missing or wrong credentials.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }
    /// 403: authenticated, but not allowed.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }
    /// 404: no such thing (or not visible to this caller).
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }
    /// 409: the request conflicts with the current state.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    /// 422: well-formed, but semantically unacceptable.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    /// 500: our fault; the detail goes to the log, not to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error")
    }
}

impl ApiError {
    /// The JSON body this error answers (what a stored refusal replays).
    pub fn body(&self) -> Result<Vec<u8>, ApiError> {
        serde_json::to_vec(&ErrorBody { code: self.code, message: &self.message }).map_err(ApiError::internal)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { code: self.code, message: &self.message };
        (self.status, axum::Json(body)).into_response()
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<MediaError> for ApiError {
    fn from(error: MediaError) -> Self {
        match error {
            MediaError::InvalidOffer(why) => {
                tracing::debug!(%why, "call offer refused");
                Self::unprocessable("CALL_OFFER_INVALID", "the offer is not a WebRTC offer with audio or video in Opus or H.264")
            }
            MediaError::Unavailable(detail) => {
                tracing::warn!(%detail, "call media unavailable");
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "CALL_MEDIA_UNAVAILABLE", "the call's media could not be set up; try again")
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(Missing::Request) => Self::not_found("REQUEST_NOT_FOUND", "no such request"),
            StoreError::NotFound(Missing::Tap) => Self::not_found("TAP_NOT_FOUND", "no Temporary Access Pass for this user"),
            StoreError::NotFound(Missing::VerifiedId) => Self::not_found("VERIFIED_ID_NOT_ISSUED", "no Verified ID for this request"),
            StoreError::NotFound(Missing::LivenessChallenge) => {
                Self::not_found("LIVENESS_CHALLENGE_UNKNOWN", "no such liveness challenge for this request")
            }
            StoreError::NotFound(Missing::PartnerSession) => Self::not_found("PARTNER_SESSION_UNKNOWN", "no such partner session"),
            StoreError::Sqlite(_) | StoreError::Poisoned | StoreError::SigningKey(_) | StoreError::Randomness(_) => Self::internal(error),
        }
    }
}

impl From<RandomnessUnavailable> for ApiError {
    fn from(error: RandomnessUnavailable) -> Self {
        Self::internal(error)
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        use DomainError as E;
        match error {
            // The identity step and the directory.
            E::PersonalEmailInvalid => Self::bad_request("PERSONAL_EMAIL_INVALID", "not an email address"),
            E::ConsentIncomplete => Self::bad_request("CONSENT_INCOMPLETE", "send terms_version and consent_accepted_at together"),
            E::TermsVersionInvalid => Self::bad_request("TERMS_VERSION_INVALID", "terms_version must be 1–64 characters"),
            E::AcceptedAtInvalid => Self::bad_request("ACCEPTED_AT_INVALID", "accepted_at must be RFC 3339"),
            E::DateOfBirthInvalid => Self::bad_request("DATE_OF_BIRTH_INVALID", "date_of_birth must be YYYY-MM-DD"),
            E::EmployeeIdRequired => Self::bad_request("EMPLOYEE_ID_REQUIRED", "the employee ID is required"),
            E::IdentityNotMatched => {
                Self::unprocessable("IDENTITY_NOT_MATCHED", "the work email, employee ID or date of birth does not match our records")
            }
            E::BadgePhotoMissing => {
                Self::unprocessable("BADGE_PHOTO_MISSING", "no badge photo on file; ask your manager to have your badge picture updated")
            }
            E::DateOfBirthNotNeeded => Self::conflict("DATE_OF_BIRTH_NOT_NEEDED", "this request is not asked for a date of birth"),
            E::DateOfBirthNotConfirmed => {
                Self::conflict("DATE_OF_BIRTH_NOT_CONFIRMED", "confirm the date of birth first (POST /v1/requests/{id}/date-of-birth)")
            }
            E::IdentityLocked => Self::conflict(
                "IDENTITY_LOCKED",
                "too many wrong dates of birth; this request is locked — start again later or ask your manager",
            ),

            // Where a request stands.
            E::RequestAlreadySubmitted => Self::conflict("REQUEST_ALREADY_SUBMITTED", "the request was already submitted"),
            E::RequestNotPending(state) => Self::conflict("REQUEST_NOT_PENDING", format!("the request is {}", state.as_str())),
            E::RequestNotApproved => Self::conflict("REQUEST_NOT_APPROVED", "the request is not approved"),

            // Submission requirements.
            E::ConsentRequired => Self::conflict("CONSENT_REQUIRED", "accept the terms first"),
            E::GovernmentIdNotVerified => Self::conflict("GOVERNMENT_ID_NOT_VERIFIED", "the government ID check has not passed"),
            E::SelfieRequired => Self::conflict("SELFIE_REQUIRED", "upload a selfie first"),
            E::LivenessRequired => Self::conflict("LIVENESS_REQUIRED", "the liveness check has not passed"),
            E::VerifiedIdNotPresented => Self::conflict("VERIFIED_ID_NOT_PRESENTED", "present the Verified ID first"),

            // The reviewer's call and decision.
            E::CallAlreadyStarted => Self::conflict("CALL_ALREADY_STARTED", "the call was already started"),
            E::CallNotStarted => Self::conflict("CALL_NOT_STARTED", "start the call first"),
            E::UserAlreadyInCall => Self::conflict("USER_ALREADY_IN_CALL", "the user is already in the call"),
            E::UserNotInCall => Self::conflict("USER_NOT_IN_CALL", "the user is not in the call"),
            E::CallMeasuredByService => Self::conflict(
                "CALL_MEASURED_BY_SERVICE",
                "the user's device is in the call's media session: the service records their join and leave itself",
            ),
            E::CallTooShort { minimum_seconds } => {
                Self::conflict("CALL_TOO_SHORT", format!("the user must stay in the call at least {minimum_seconds} seconds"))
            }
            E::DecisionInvalid => Self::bad_request("DECISION_INVALID", "decision must be approve or deny"),
            E::ReasonCodeInvalid => Self::bad_request("REASON_CODE_INVALID", "reason_code must be one of DenialReasonCode in openapi.yaml"),
            E::DenialMessageRequired => Self::bad_request("DENIAL_MESSAGE_REQUIRED", "give a message of 1–500 characters"),

            // Evidence.
            E::ImageTooLarge { max_bytes } => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, "IMAGE_TOO_LARGE", format!("at most {max_bytes} bytes"))
            }
            E::ImageTooSmall { min_bytes } => Self::bad_request("IMAGE_TOO_SMALL", format!("at least {min_bytes} bytes")),
            E::ImageNotJpeg => Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "IMAGE_NOT_JPEG", "only JPEG images are accepted"),
            E::ImageTruncated => Self::bad_request("IMAGE_UNREADABLE", "the JPEG is truncated"),
            E::ImageUndecodable => Self::bad_request("IMAGE_UNREADABLE", "the JPEG does not decode"),
            E::ImageDimensionsInvalid { min, max } => {
                Self::unprocessable("IMAGE_DIMENSIONS_INVALID", format!("width and height must be {min}–{max} pixels"))
            }
            E::NoFaceDetected => Self::unprocessable("NO_FACE_DETECTED", "no face found; face the camera in good light"),
            E::MultipleFacesDetected => {
                Self::unprocessable("MULTIPLE_FACES_DETECTED", "more than one face; only the applicant may be in the picture")
            }
            E::FaceCheckFailed(failure) => Self::internal(failure),
            E::GovernmentIdReasonRequired => Self::bad_request("REASON_REQUIRED", "a rejected result needs a reason"),
            E::GovernmentIdResultInvalid => Self::bad_request("RESULT_INVALID", "result must be verified, rejected or expired"),
            E::LivenessChallengeUsed => Self::conflict("LIVENESS_CHALLENGE_USED", "this challenge was judged already; ask for a new one"),
            E::LivenessChallengeExpired => {
                Self::new(StatusCode::GONE, "LIVENESS_CHALLENGE_EXPIRED", "this challenge expired; ask for a new one")
            }
            E::LivenessActionUnknown => Self::internal("a stored liveness challenge names an action the service cannot judge"),
            E::LivenessFramesRequired { min } => {
                Self::bad_request("LIVENESS_FRAMES_REQUIRED", format!("send the challenge's frames, at least {min}"))
            }
            E::LivenessFramesTooMany { max } => Self::bad_request("LIVENESS_FRAMES_TOO_MANY", format!("at most {max} frames")),
            E::LivenessFramesOutOfOrder => Self::bad_request("LIVENESS_FRAMES_OUT_OF_ORDER", "frame timestamps must increase"),
            E::LivenessFramesReused => Self::conflict("LIVENESS_FRAMES_REUSED", "these frames were sent for another challenge"),

            // The reviewer's evidence. A draft answers like a request that does not exist: the
            // reviewer has nothing to look at before submission.
            E::RequestNotSubmitted => Self::not_found("REQUEST_NOT_FOUND", "no such request"),
            E::EvidenceExpired => Self::new(
                StatusCode::GONE,
                "EVIDENCE_EXPIRED",
                "deleted under the retention rules (selfies are kept 24 h, liveness captures 48 h)",
            ),
            E::EvidenceNotFound => Self::not_found("EVIDENCE_NOT_FOUND", "no such image for this request"),

            // Reviewer accounts. A request assigned to someone else answers like one that does
            // not exist: a reviewer cannot learn whose requests are pending.
            E::NotAssignedToReviewer => Self::not_found("REQUEST_NOT_FOUND", "no such request"),
            E::ReviewerSignInFailed => Self::unauthorized("REVIEWER_SIGN_IN_FAILED", "wrong account name or password"),
            E::ReviewerSignInLocked { retry_after_seconds } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "REVIEWER_SIGN_IN_LOCKED",
                format!("too many wrong passwords; try again in {} minutes", (retry_after_seconds + 59) / 60),
            ),
            E::ReviewerPasswordTooWeak { min_chars } => {
                Self::unprocessable("REVIEWER_PASSWORD_TOO_WEAK", format!("a reviewer password has at least {min_chars} characters"))
            }
            E::AdminRequired => Self::forbidden("ADMIN_REQUIRED", "only an administrator may do this"),
            E::DelegateUnknown => Self::unprocessable("DELEGATE_UNKNOWN", "the delegate must be a reviewer account"),
            E::DelegateIsSelf => Self::unprocessable("DELEGATE_IS_SELF", "delegate to somebody else"),
            E::PersonNotAssigned => Self::forbidden("PERSON_NOT_ASSIGNED", "this person's reviews are not yours"),

            // Verified ID.
            E::VerifiedIdSignatureInvalid => Self::unprocessable("VERIFIED_ID_INVALID", "the Verified ID's signature does not verify"),
            E::VerifiedIdOfSomebodyElse => Self::unprocessable("VERIFIED_ID_INVALID", "the Verified ID belongs to somebody else"),
            E::VerifiedIdExpired => Self::unprocessable("VERIFIED_ID_EXPIRED", "the Verified ID is older than 30 days"),
            E::VerifiedIdNotOnRecord => Self::unprocessable("VERIFIED_ID_INVALID", "the Verified ID is not on record"),
            E::VerifiedIdNotBound => Self::unprocessable("VERIFIED_ID_NOT_BOUND", "the Verified ID is bound to no device key"),
            E::VerifiedIdOfAnotherDevice => Self::forbidden("VERIFIED_ID_OTHER_DEVICE", "the Verified ID was issued to another device"),
            E::VerifiedIdRevoked => Self::forbidden("VERIFIED_ID_REVOKED", "the Verified ID was revoked"),
            E::PresentationProofInvalid => {
                Self::unauthorized("PRESENTATION_PROOF_INVALID", "the key binding is not the credential key's signature over this nonce")
            }
            E::PresentationNonceUnknown => Self::conflict("PRESENTATION_NONCE_UNKNOWN", "this device was not given that nonce"),
            E::PresentationNonceExpired => Self::conflict("PRESENTATION_NONCE_EXPIRED", "the nonce expired; ask for a new one"),
            E::PresentationNonceUsed => Self::conflict("PRESENTATION_NONCE_USED", "the nonce was spent by an earlier presentation"),
            E::PresentationNoncesOutstanding => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "PRESENTATION_NONCES_OUTSTANDING",
                "too many unspent nonces; use one or wait two minutes",
            ),
            E::DeviceAlreadyRegistered => {
                Self::conflict("DEVICE_ALREADY_REGISTERED", "this device secret is registered already, with another platform or key")
            }
            E::PasskeyCredentialTaken => {
                Self::conflict("PASSKEY_ALREADY_REGISTERED", "a passkey with this credential id is registered already")
            }
            E::DeviceKeyInvalid => Self::bad_request("DEVICE_KEY_INVALID", "device_key must be a P-256 key with its registration proof"),
            E::GovernmentIdAlreadyVerified => {
                Self::conflict("GOVERNMENT_ID_ALREADY_VERIFIED", "the government ID was verified and the Verified ID issued")
            }

            // The government-ID partner.
            E::PartnerSessionNotOpened => {
                Self::conflict("PARTNER_SESSION_NOT_OPENED", "open the ID check first (POST /v1/requests/{id}/government-id/session)")
            }
            E::PartnerSessionClosed => Self::conflict("PARTNER_SESSION_CLOSED", "this session has its verdict or ended"),

            // Temporary Access Pass.
            E::TapPolicyDisabled => Self::forbidden("TAP_POLICY_DISABLED", "the Temporary Access Pass policy is disabled"),
            E::TapUserNotInScope => Self::forbidden("TAP_USER_NOT_IN_SCOPE", "the user is not in the Temporary Access Pass policy's scope"),
            E::TapLifetimeOutOfRange { min, max } => Self::bad_request(
                "TAP_LIFETIME_OUT_OF_RANGE",
                format!("Invalid LifetimeInMinutes specified. The valid range between {min} and {max}."),
            ),
            E::TapMultiUseNotAllowed => Self::bad_request("TAP_MULTI_USE_NOT_ALLOWED", "the policy only allows one-time passes"),
            E::TapStartInvalid => Self::bad_request("TAP_START_INVALID", "startDateTime must be RFC 3339"),
            E::TapStartInPast => Self::bad_request("TAP_START_IN_PAST", "startDateTime is in the past"),
            E::TapAlreadyIssued => Self::conflict(
                "TAP_ALREADY_ISSUED",
                "this approval's Temporary Access Pass was issued and is shown only once; ask for a replacement if it was lost",
            ),
            E::TapReplacementLimit { max } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TAP_REPLACEMENT_LIMIT",
                format!("a lost Temporary Access Pass can be replaced at most {max} times; ask your manager"),
            ),
            E::TapReplacementTooSoon { retry_after_seconds } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TAP_REPLACEMENT_TOO_SOON",
                format!("wait {retry_after_seconds} s before asking for another replacement"),
            ),
            E::TapSignInRefused(refusal) => Self::unauthorized("TAP_SIGN_IN_REFUSED", format!("sign-in refused: {}", refusal.as_str())),

            // Securing the account after the TAP.
            E::AccountSignInRequired => {
                Self::conflict("ACCOUNT_SIGN_IN_REQUIRED", "sign in with the Temporary Access Pass on this device first")
            }
            E::RegistrationWindowClosed => Self::conflict(
                "REGISTRATION_WINDOW_CLOSED",
                "no method was registered within 10 minutes of signing in with the one-time pass; ask for a new pass",
            ),
            E::MethodNotInPolicy => Self::forbidden("METHOD_NOT_IN_POLICY", "the security policy does not offer this method"),
            E::LastMethod => Self::conflict("LAST_METHOD", "the only method cannot be removed; add another first"),
            E::MethodNotFound => Self::not_found("METHOD_NOT_FOUND", "no such method on this account"),
            E::PasswordMismatch => Self::unprocessable("PASSWORD_MISMATCH", "the two passwords differ"),
            E::PasswordPolicyLength { min, max } => {
                Self::unprocessable("PASSWORD_POLICY_LENGTH", format!("a password has {min}–{max} characters"))
            }
            E::PasswordContainsName => Self::unprocessable("PASSWORD_CONTAINS_NAME", "the password must not contain your name"),
            E::PasswordTicketInvalid => Self::new(
                StatusCode::GONE,
                "PASSWORD_TICKET_INVALID",
                "this link was used or expired; open the password page from the app again",
            ),
            E::VerificationCodeInvalid => Self::unprocessable("VERIFICATION_CODE_INVALID", "wrong code"),
            E::VerificationExpired => Self::new(StatusCode::GONE, "VERIFICATION_EXPIRED", "the code expired; start again"),
            E::VerificationAttemptsExceeded => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, "VERIFICATION_ATTEMPTS_EXCEEDED", "too many wrong codes; start again")
            }
            E::VerificationNotFound => Self::not_found("VERIFICATION_NOT_FOUND", "no such verification for this account"),
            E::PinMismatch => Self::unprocessable("PIN_MISMATCH", "the two PINs differ"),
            E::PinNotDigits => Self::unprocessable("PIN_NOT_DIGITS", "a PIN has digits only"),
            E::PinPolicyLength { min, max } => Self::unprocessable("PIN_POLICY_LENGTH", format!("a PIN has {min}–{max} digits")),
            E::PinRepeatedDigits => {
                Self::unprocessable("PIN_REPEATED_DIGITS", "a PIN may not repeat one digit, nor have three the same in a row")
            }
            E::PinSequentialDigits => Self::unprocessable("PIN_SEQUENTIAL_DIGITS", "a PIN may not run up or down like 1234 or 9876"),
            E::PinPrevious => Self::unprocessable("PIN_PREVIOUS", "choose a PIN other than the current one"),
            E::PhoneNumberInvalid => Self::bad_request(
                "PHONE_NUMBER_INVALID",
                "a number is + and 8–15 digits (spaces, dashes, dots, parentheses allowed); an extension 1–8 digits, voice only",
            ),
            E::PinRequiredFirst => Self::conflict("PIN_REQUIRED_FIRST", "a voice call asks for the PIN: set one first"),
            E::VerificationResendTooSoon { retry_after_seconds } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "VERIFICATION_RESEND_TOO_SOON",
                format!("wait {retry_after_seconds} s before sending again"),
            ),
            E::VerificationResendLimit => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, "VERIFICATION_RESEND_LIMIT", "sent as often as allowed; start again")
            }
            E::SecurityQuestionsTooFew { count } => {
                Self::unprocessable("SECURITY_QUESTIONS_TOO_FEW", format!("answer exactly {count} different questions"))
            }
            E::SecurityQuestionUnknown => Self::unprocessable("SECURITY_QUESTION_UNKNOWN", "a question is not on the list"),
            E::SecurityQuestionsDuplicate => Self::unprocessable("SECURITY_QUESTIONS_DUPLICATE", "each question once"),
            E::SecurityAnswerTooShort { min_chars } => {
                Self::unprocessable("SECURITY_ANSWER_TOO_SHORT", format!("each answer has at least {min_chars} characters"))
            }

            // Passkey.
            E::PathHasNoPasskey => Self::conflict("PATH_HAS_NO_PASSKEY", "this request is not on the passkey path"),
            E::PasskeyCeremonyNotStarted => Self::conflict("PASSKEY_CEREMONY_NOT_STARTED", "ask for creation options first"),

            // Devices and push tokens.
            E::PlatformInvalid => Self::bad_request("PLATFORM_INVALID", "platform must be android, android_china or ios"),
            E::DeviceSecretInvalid => Self::bad_request("DEVICE_SECRET_INVALID", "device_secret must be 64 lowercase hex digits"),
            E::PushKindInvalid => Self::bad_request("PUSH_KIND_INVALID", "kind must be fcm or apns"),
            E::PushTokenInvalid => Self::bad_request("PUSH_TOKEN_INVALID", "token must be 1–4096 visible ASCII characters"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::SignInRefusal;
    use crate::domain::request_state::RequestState;
    use crate::domain::tap::UsabilityReason;

    #[test]
    fn domain_refusals_keep_their_wire_status_code_and_message() {
        let lifetime = ApiError::from(DomainError::TapLifetimeOutOfRange { min: 10, max: 480 });
        assert_eq!((lifetime.status, lifetime.code), (StatusCode::BAD_REQUEST, "TAP_LIFETIME_OUT_OF_RANGE"));
        assert!(lifetime.message.contains("between 10 and 480"));
        let short = ApiError::from(DomainError::CallTooShort { minimum_seconds: 15 });
        assert_eq!((short.status, short.code), (StatusCode::CONFLICT, "CALL_TOO_SHORT"));
        assert_eq!(short.message, "the user must stay in the call at least 15 seconds");
        let pending = ApiError::from(DomainError::RequestNotPending(RequestState::Expired));
        assert_eq!(pending.message, "the request is expired");
        let refused = ApiError::from(DomainError::TapSignInRefused(SignInRefusal::NotUsable(UsabilityReason::OneTimeUsed)));
        assert_eq!((refused.status, refused.message.as_str()), (StatusCode::UNAUTHORIZED, "sign-in refused: OneTimeUsed"));
        let too_large = ApiError::from(DomainError::ImageTooLarge { max_bytes: 5 * 1024 * 1024 });
        assert_eq!((too_large.status, too_large.message.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "at most 5242880 bytes"));
    }

    #[test]
    fn store_failures_are_404s_or_an_opaque_500() {
        let missing = ApiError::from(StoreError::NotFound(Missing::Request));
        assert_eq!(
            (missing.status, missing.code, missing.message.as_str()),
            (StatusCode::NOT_FOUND, "REQUEST_NOT_FOUND", "no such request")
        );
        let broken = ApiError::from(StoreError::Poisoned);
        assert_eq!(
            (broken.status, broken.code, broken.message.as_str()),
            (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error")
        );
    }
}
