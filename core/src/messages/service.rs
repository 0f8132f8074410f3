//! What to tell the user when the Identity Pass service refuses a call.
//!
//! The service answers `{ "code": "STABLE_CODE", "message": "…" }` (contract.md, "Errors"); its
//! `message` is English help for developers, never shown. Every code a device can get and the
//! user can act on (or must wait out) has a text here: new catalog rows `SERVICE_<code>`, or, where
//! the flow already says the same thing, the flow's row (`SERVICE_ALIASES`). The other codes are
//! listed with the reason they get no text of their own: [`REVIEWER_ONLY`] (answers to the
//! reviewer console), [`PARTNER_ONLY`] (answers to the government-ID partner) and [`CLIENT_FAULTS`] (only a faulty app or a test tool provokes them; the
//! user can do nothing but retry, so the flow's generic `FLOW_NOTICE_REQUEST_FAILED` with the
//! code is the right screen). A test reads `reference-service/src` and fails when a code the
//! service can return is in none of these lists, so no new code ships untranslated.

use super::{Locale, LocalizedMessage, MessageCode};

/// The device's credential is unknown or wrong (service data reset, restored backup).
pub const DEVICE_AUTH_INVALID: MessageCode = MessageCode("SERVICE_DEVICE_AUTH_INVALID");
/// Work email, employee ID or date of birth do not match the directory.
pub const IDENTITY_NOT_MATCHED: MessageCode = MessageCode("SERVICE_IDENTITY_NOT_MATCHED");
/// Evidence sent before the legacy path's date of birth confirmed the identity.
pub const DATE_OF_BIRTH_NOT_CONFIRMED: MessageCode = MessageCode("SERVICE_DATE_OF_BIRTH_NOT_CONFIRMED");
/// Too many wrong dates of birth: the request is locked and the person paused for a day.
pub const IDENTITY_LOCKED: MessageCode = MessageCode("SERVICE_IDENTITY_LOCKED");
/// Passkey path: submitted before the Verified ID was presented.
pub const VERIFIED_ID_NOT_PRESENTED: MessageCode = MessageCode("SERVICE_VERIFIED_ID_NOT_PRESENTED");
/// A different government-ID result after the Verified ID was already issued.
pub const GOVERNMENT_ID_ALREADY_VERIFIED: MessageCode = MessageCode("SERVICE_GOVERNMENT_ID_ALREADY_VERIFIED");
/// No badge photo on file for the employee.
pub const BADGE_PHOTO_MISSING: MessageCode = MessageCode("SERVICE_BADGE_PHOTO_MISSING");
/// The request is gone (or belongs to another device).
pub const REQUEST_NOT_FOUND: MessageCode = MessageCode("SERVICE_REQUEST_NOT_FOUND");
/// The request was already submitted.
pub const REQUEST_ALREADY_SUBMITTED: MessageCode = MessageCode("SERVICE_REQUEST_ALREADY_SUBMITTED");
/// Submit before the government ID passed.
pub const GOVERNMENT_ID_NOT_VERIFIED: MessageCode = MessageCode("SERVICE_GOVERNMENT_ID_NOT_VERIFIED");
/// Submit before the selfie.
pub const SELFIE_REQUIRED: MessageCode = MessageCode("SERVICE_SELFIE_REQUIRED");
/// Submit before the liveness check passed.
pub const LIVENESS_REQUIRED: MessageCode = MessageCode("SERVICE_LIVENESS_REQUIRED");
/// Photo over the size limit.
pub const IMAGE_TOO_LARGE: MessageCode = MessageCode("SERVICE_IMAGE_TOO_LARGE");
/// Photo under the size limit.
pub const IMAGE_TOO_SMALL: MessageCode = MessageCode("SERVICE_IMAGE_TOO_SMALL");
/// Photo not a JPEG.
pub const IMAGE_NOT_JPEG: MessageCode = MessageCode("SERVICE_IMAGE_NOT_JPEG");
/// Photo truncated or undecodable.
pub const IMAGE_UNREADABLE: MessageCode = MessageCode("SERVICE_IMAGE_UNREADABLE");
/// Photo width or height out of range.
pub const IMAGE_DIMENSIONS_INVALID: MessageCode = MessageCode("SERVICE_IMAGE_DIMENSIONS_INVALID");
/// The service's detector found no face in the uploaded photo.
pub const NO_FACE_DETECTED: MessageCode = MessageCode("SERVICE_NO_FACE_DETECTED");
/// The service's detector found several faces in the uploaded photo.
pub const MULTIPLE_FACES_DETECTED: MessageCode = MessageCode("SERVICE_MULTIPLE_FACES_DETECTED");
/// The presented Verified ID does not verify.
pub const VERIFIED_ID_INVALID: MessageCode = MessageCode("SERVICE_VERIFIED_ID_INVALID");
/// The presented Verified ID is older than 30 days.
pub const VERIFIED_ID_EXPIRED: MessageCode = MessageCode("SERVICE_VERIFIED_ID_EXPIRED");
/// The Verified ID is not issued yet.
pub const VERIFIED_ID_NOT_ISSUED: MessageCode = MessageCode("SERVICE_VERIFIED_ID_NOT_ISSUED");
/// TAP or passkey asked before approval.
pub const REQUEST_NOT_APPROVED: MessageCode = MessageCode("SERVICE_REQUEST_NOT_APPROVED");
/// No TAP issued for the user.
pub const TAP_NOT_FOUND: MessageCode = MessageCode("SERVICE_TAP_NOT_FOUND");
/// The tenant's TAP policy is off.
pub const TAP_POLICY_DISABLED: MessageCode = MessageCode("SERVICE_TAP_POLICY_DISABLED");
/// The user is outside the TAP policy's scope.
pub const TAP_USER_NOT_IN_SCOPE: MessageCode = MessageCode("SERVICE_TAP_USER_NOT_IN_SCOPE");
/// The policy's lifetime range refuses the pass.
pub const TAP_LIFETIME_OUT_OF_RANGE: MessageCode = MessageCode("SERVICE_TAP_LIFETIME_OUT_OF_RANGE");
/// The policy only allows one-time passes.
pub const TAP_MULTI_USE_NOT_ALLOWED: MessageCode = MessageCode("SERVICE_TAP_MULTI_USE_NOT_ALLOWED");
/// The passkey attestation was refused.
pub const PASSKEY_ATTESTATION_REJECTED: MessageCode = MessageCode("SERVICE_PASSKEY_ATTESTATION_REJECTED");
/// The passkey came from an app (its signing certificate) or a site the service is not set up
/// for: a build of the app the organization did not register; retrying cannot help.
pub const PASSKEY_ORIGIN_NOT_ALLOWED: MessageCode = MessageCode("SERVICE_PASSKEY_ORIGIN_NOT_ALLOWED");
/// A retry arrived while the first attempt is still running.
pub const IDEMPOTENCY_KEY_IN_USE: MessageCode = MessageCode("SERVICE_IDEMPOTENCY_KEY_IN_USE");
/// The service failed (5xx).
pub const INTERNAL: MessageCode = MessageCode("SERVICE_INTERNAL");
/// The service could not reach the government-ID partner to open a session.
pub const PARTNER_UNAVAILABLE: MessageCode = MessageCode("SERVICE_PARTNER_UNAVAILABLE");
/// The government-ID verdict was asked for before any partner session was opened.
pub const PARTNER_SESSION_NOT_OPENED: MessageCode = MessageCode("SERVICE_PARTNER_SESSION_NOT_OPENED");
/// The liveness frames reached the service after their challenge expired (120 s).
pub const LIVENESS_CHALLENGE_EXPIRED: MessageCode = MessageCode("SERVICE_LIVENESS_CHALLENGE_EXPIRED");
/// The Verified ID was revoked (a lost phone, say).
pub const VERIFIED_ID_REVOKED: MessageCode = MessageCode("SERVICE_VERIFIED_ID_REVOKED");
/// The Verified ID was issued to another phone's device key.
pub const VERIFIED_ID_OTHER_DEVICE: MessageCode = MessageCode("SERVICE_VERIFIED_ID_OTHER_DEVICE");
/// The Verified ID was issued before credentials were bound to a device key.
pub const VERIFIED_ID_NOT_BOUND: MessageCode = MessageCode("SERVICE_VERIFIED_ID_NOT_BOUND");
/// The approval's TAP was issued and cannot be issued again (asked for a replacement after it
/// was used to sign in).
pub const TAP_ALREADY_ISSUED: MessageCode = MessageCode("SERVICE_TAP_ALREADY_ISSUED");
/// A lost TAP was replaced as often as the service allows.
pub const TAP_REPLACEMENT_LIMIT: MessageCode = MessageCode("SERVICE_TAP_REPLACEMENT_LIMIT");
/// A lost TAP was replaced moments ago; the next replacement waits a minute.
pub const TAP_REPLACEMENT_TOO_SOON: MessageCode = MessageCode("SERVICE_TAP_REPLACEMENT_TOO_SOON");

/// The TAP did not sign the user in on the phone (wrong code, expired, or a one-time pass used already).
pub const TAP_SIGN_IN_REFUSED: MessageCode = MessageCode("SERVICE_TAP_SIGN_IN_REFUSED");
/// Securing the account needs a sign-in with the TAP on this phone first (none, or the TAP expired).
pub const ACCOUNT_SIGN_IN_REQUIRED: MessageCode = MessageCode("SERVICE_ACCOUNT_SIGN_IN_REQUIRED");
/// A one-time TAP's 10 minutes passed with no method registered; a new TAP is needed.
pub const REGISTRATION_WINDOW_CLOSED: MessageCode = MessageCode("SERVICE_REGISTRATION_WINDOW_CLOSED");
/// The only sign-in method cannot be removed before another is added.
pub const LAST_METHOD: MessageCode = MessageCode("SERVICE_LAST_METHOD");
/// A wrong (or already used) code from the authenticator app or a text message.
pub const VERIFICATION_CODE_INVALID: MessageCode = MessageCode("SERVICE_VERIFICATION_CODE_INVALID");
/// The app activation or the texted code expired.
pub const VERIFICATION_EXPIRED: MessageCode = MessageCode("SERVICE_VERIFICATION_EXPIRED");
/// Too many wrong codes: the activation or verification is dead; start again.
pub const VERIFICATION_ATTEMPTS_EXCEEDED: MessageCode = MessageCode("SERVICE_VERIFICATION_ATTEMPTS_EXCEEDED");
/// The PIN and its confirmation differ.
pub const PIN_MISMATCH: MessageCode = MessageCode("SERVICE_PIN_MISMATCH");
/// A PIN with something other than digits.
pub const PIN_NOT_DIGITS: MessageCode = MessageCode("SERVICE_PIN_NOT_DIGITS");
/// The service could not set up the video call's media (its side of the call).
pub const CALL_MEDIA_UNAVAILABLE: MessageCode = MessageCode("SERVICE_CALL_MEDIA_UNAVAILABLE");
/// A PIN shorter or longer than the organization's policy.
pub const PIN_POLICY_LENGTH: MessageCode = MessageCode("SERVICE_PIN_POLICY_LENGTH");
/// A PIN of one digit repeated, or three the same in a row.
pub const PIN_REPEATED_DIGITS: MessageCode = MessageCode("SERVICE_PIN_REPEATED_DIGITS");
/// A PIN that counts up or down (1234, 9876).
pub const PIN_SEQUENTIAL_DIGITS: MessageCode = MessageCode("SERVICE_PIN_SEQUENTIAL_DIGITS");
/// The new PIN is the current one.
pub const PIN_PREVIOUS: MessageCode = MessageCode("SERVICE_PIN_PREVIOUS");
/// Not the number of security questions the policy asks for.
pub const SECURITY_QUESTIONS_TOO_FEW: MessageCode = MessageCode("SERVICE_SECURITY_QUESTIONS_TOO_FEW");
/// A security answer under 3 characters (after trimming).
pub const SECURITY_ANSWER_TOO_SHORT: MessageCode = MessageCode("SERVICE_SECURITY_ANSWER_TOO_SHORT");
/// The password page: the two passwords differ.
pub const PASSWORD_MISMATCH: MessageCode = MessageCode("SERVICE_PASSWORD_MISMATCH");
/// The password page: a password outside 12–256 characters.
pub const PASSWORD_POLICY_LENGTH: MessageCode = MessageCode("SERVICE_PASSWORD_POLICY_LENGTH");
/// The password page: the password contains the user's name.
pub const PASSWORD_CONTAINS_NAME: MessageCode = MessageCode("SERVICE_PASSWORD_CONTAINS_NAME");
/// The password page's link was used or expired.
pub const PASSWORD_TICKET_INVALID: MessageCode = MessageCode("SERVICE_PASSWORD_TICKET_INVALID");

/// A phone number (or extension, or backup number) in a form the service does not accept.
pub const PHONE_NUMBER_INVALID: MessageCode = MessageCode("SERVICE_PHONE_NUMBER_INVALID");
/// A voice call asks for the PIN: the PIN must be set before the call.
pub const PIN_REQUIRED_FIRST: MessageCode = MessageCode("SERVICE_PIN_REQUIRED_FIRST");
/// Another text or call moments after the last one; wait 30 seconds.
pub const VERIFICATION_RESEND_TOO_SOON: MessageCode = MessageCode("SERVICE_VERIFICATION_RESEND_TOO_SOON");
/// The code was sent as often as allowed; start the verification again.
pub const VERIFICATION_RESEND_LIMIT: MessageCode = MessageCode("SERVICE_VERIFICATION_RESEND_LIMIT");

/// Every code this domain adds to the catalog.
pub const ALL: &[MessageCode] = &[
    DEVICE_AUTH_INVALID,
    IDENTITY_NOT_MATCHED,
    DATE_OF_BIRTH_NOT_CONFIRMED,
    IDENTITY_LOCKED,
    VERIFIED_ID_NOT_PRESENTED,
    GOVERNMENT_ID_ALREADY_VERIFIED,
    BADGE_PHOTO_MISSING,
    REQUEST_NOT_FOUND,
    REQUEST_ALREADY_SUBMITTED,
    GOVERNMENT_ID_NOT_VERIFIED,
    SELFIE_REQUIRED,
    LIVENESS_REQUIRED,
    IMAGE_TOO_LARGE,
    IMAGE_TOO_SMALL,
    IMAGE_NOT_JPEG,
    IMAGE_UNREADABLE,
    IMAGE_DIMENSIONS_INVALID,
    NO_FACE_DETECTED,
    MULTIPLE_FACES_DETECTED,
    VERIFIED_ID_INVALID,
    VERIFIED_ID_EXPIRED,
    VERIFIED_ID_NOT_ISSUED,
    REQUEST_NOT_APPROVED,
    TAP_NOT_FOUND,
    TAP_POLICY_DISABLED,
    TAP_USER_NOT_IN_SCOPE,
    TAP_LIFETIME_OUT_OF_RANGE,
    TAP_MULTI_USE_NOT_ALLOWED,
    PASSKEY_ATTESTATION_REJECTED,
    PASSKEY_ORIGIN_NOT_ALLOWED,
    IDEMPOTENCY_KEY_IN_USE,
    INTERNAL,
    PARTNER_UNAVAILABLE,
    PARTNER_SESSION_NOT_OPENED,
    LIVENESS_CHALLENGE_EXPIRED,
    TAP_ALREADY_ISSUED,
    TAP_REPLACEMENT_LIMIT,
    TAP_REPLACEMENT_TOO_SOON,
    VERIFIED_ID_REVOKED,
    VERIFIED_ID_OTHER_DEVICE,
    VERIFIED_ID_NOT_BOUND,
    TAP_SIGN_IN_REFUSED,
    ACCOUNT_SIGN_IN_REQUIRED,
    REGISTRATION_WINDOW_CLOSED,
    LAST_METHOD,
    VERIFICATION_CODE_INVALID,
    VERIFICATION_EXPIRED,
    VERIFICATION_ATTEMPTS_EXCEEDED,
    PIN_MISMATCH,
    PIN_NOT_DIGITS,
    PIN_POLICY_LENGTH,
    PIN_REPEATED_DIGITS,
    PIN_SEQUENTIAL_DIGITS,
    PIN_PREVIOUS,
    SECURITY_QUESTIONS_TOO_FEW,
    SECURITY_ANSWER_TOO_SHORT,
    PASSWORD_MISMATCH,
    PASSWORD_POLICY_LENGTH,
    PASSWORD_CONTAINS_NAME,
    PASSWORD_TICKET_INVALID,
    PHONE_NUMBER_INVALID,
    PIN_REQUIRED_FIRST,
    VERIFICATION_RESEND_TOO_SOON,
    VERIFICATION_RESEND_LIMIT,
    CALL_MEDIA_UNAVAILABLE,
];

/// Service codes whose meaning the flow's catalog already words for the user.
pub const SERVICE_ALIASES: &[(&str, MessageCode)] = &[
    ("CONSENT_REQUIRED", super::flow::NOTICE_CONSENT_REQUIRED),
    ("EMPLOYEE_ID_REQUIRED", super::flow::EMPLOYEE_ID_MISSING),
    ("PERSONAL_EMAIL_INVALID", super::flow::PERSONAL_EMAIL_INVALID),
    // The phone's own codes for a call that never left it (`flow::service_call`, runtime `calls.rs`).
    ("SECURE_STORAGE_FAILED", super::flow::NOTICE_SECURE_STORAGE_FAILED),
    ("VERIFIED_ID_MISSING", super::flow::NOTICE_VERIFIED_ID_MISSING),
    // The device key cannot sign (invalidated, or gone with a restore): the Verified ID bound to
    // it is as good as gone from this phone.
    ("DEVICE_KEY_UNAVAILABLE", super::flow::NOTICE_VERIFIED_ID_MISSING),
    // A presentation refused for its key binding or its nonce (the phone retries a stale nonce
    // once by itself): for the user, the credential could not be checked.
    ("PRESENTATION_PROOF_INVALID", VERIFIED_ID_INVALID),
    ("PRESENTATION_NONCE_UNKNOWN", VERIFIED_ID_INVALID),
    ("PRESENTATION_NONCE_EXPIRED", VERIFIED_ID_INVALID),
    ("PRESENTATION_NONCE_USED", VERIFIED_ID_INVALID),
    ("PRESENTATION_NONCES_OUTSTANDING", VERIFIED_ID_INVALID),
    ("CONFIGURATION", super::flow::NOTICE_APP_MISCONFIGURED),
];

/// Codes only the reviewer console receives (reviewer endpoints, reviewer credentials).
pub const REVIEWER_ONLY: &[&str] = &[
    "REVIEWER_AUTH_INVALID",
    "REQUEST_NOT_PENDING",
    "CALL_ALREADY_STARTED",
    "CALL_NOT_STARTED",
    "USER_ALREADY_IN_CALL",
    "USER_NOT_IN_CALL",
    // The reviewer's join/leave buttons once the user's device is in the call's media session.
    "CALL_MEASURED_BY_SERVICE",
    "CALL_TOO_SHORT",
    "REASON_CODE_INVALID",
    "DENIAL_MESSAGE_REQUIRED",
    "DECISION_INVALID",
    // The reviewer's evidence images: gone under the retention rules (410), or never stored.
    "EVIDENCE_EXPIRED",
    "EVIDENCE_NOT_FOUND",
    // Reviewer accounts: sign-in, the console's CSRF check, delegation, the audit log.
    "REVIEWER_SIGN_IN_FAILED",
    "REVIEWER_SIGN_IN_LOCKED",
    "REVIEWER_PASSWORD_TOO_WEAK",
    "CSRF_TOKEN_INVALID",
    "ADMIN_REQUIRED",
    "DELEGATE_UNKNOWN",
    "DELEGATE_IS_SELF",
    "PERSON_NOT_ASSIGNED",
];

/// Codes only the government-ID partner receives, from the service's endpoint for its signed
/// verdict (`POST /v1/partner/callback`); no device calls it.
pub const PARTNER_ONLY: &[&str] =
    &["PARTNER_SIGNATURE_INVALID", "CALLBACK_INVALID", "PARTNER_EVENT_REPLAYED", "PARTNER_SESSION_UNKNOWN", "PARTNER_SESSION_CLOSED"];

/// Codes a correct app never provokes (malformed calls, wrong order of protocol steps, headers
/// and fields the core always fills in), plus the service's test-only and Entra stand-in
/// endpoints. They get the generic "something went wrong ({code})" screen and a bug report.
pub const CLIENT_FAULTS: &[&str] = &[
    "AUTH_REQUIRED",
    // The runtime's WebRTC stack makes the call's offer (Opus and VP8, audio and video).
    "CALL_OFFER_INVALID",
    // The core always sends consent whole, only for the legacy path asks a date, and makes
    // its device secret itself.
    "CONSENT_INCOMPLETE",
    "DATE_OF_BIRTH_NOT_NEEDED",
    "DEVICE_SECRET_INVALID",
    // The runtime registers the device key the platform made, with the core's proof.
    "DEVICE_KEY_INVALID",
    // Its secret is new for every installation, and a resend repeats the registration exactly.
    "DEVICE_ALREADY_REGISTERED",
    "PLATFORM_INVALID",
    "PUSH_KIND_INVALID",
    "PUSH_TOKEN_INVALID",
    "DATE_OF_BIRTH_INVALID",
    "TERMS_VERSION_INVALID",
    "ACCEPTED_AT_INVALID",
    "REASON_REQUIRED",
    "RESULT_INVALID",
    "CAPTURE_INVALID",
    "TAP_START_INVALID",
    "TAP_START_IN_PAST",
    "PATH_HAS_NO_PASSKEY",
    "PASSKEY_CEREMONY_NOT_STARTED",
    // An authenticator makes a new credential id for every passkey; only a replayed or forged
    // attestation names one registered already.
    "PASSKEY_ALREADY_REGISTERED",
    "IDEMPOTENCY_KEY_REQUIRED",
    "IDEMPOTENCY_KEY_INVALID",
    "IDEMPOTENCY_KEY_REUSED",
    "INVALID_JSON",
    "INVALID_QUERY",
    "UNSUPPORTED_MEDIA_TYPE",
    "METHOD_NOT_ALLOWED",
    "ROUTE_NOT_FOUND",
    "BODY_TOO_LARGE",
    "BODY_UNREADABLE",
    // `RunningService::count_rows`, a test helper.
    "TABLE_INVALID",
    // After the TAP: the app names only the activations and methods it was given, offers only
    // the policy's methods, and lets the user pick each question of the policy's list once.
    "METHOD_NOT_IN_POLICY",
    "METHOD_NOT_FOUND",
    "VERIFICATION_NOT_FOUND",
    "SECURITY_QUESTION_UNKNOWN",
    "SECURITY_QUESTIONS_DUPLICATE",
    // The development providers' keypad (`/v1/dev/calls/{id}/keypad`, `/console/dev`): a
    // developer's tool, never the app.
    "CALL_NOT_FOUND",
    // The liveness upload: the core names the challenge it was issued, uploads it once (a
    // refusal asks for a new challenge, never resends), and sends 6–80 frames with increasing
    // timestamps, each captured for that challenge only.
    "LIVENESS_CHALLENGE_UNKNOWN",
    "LIVENESS_CHALLENGE_USED",
    "LIVENESS_FRAMES_REQUIRED",
    "LIVENESS_FRAMES_TOO_MANY",
    "LIVENESS_FRAMES_OUT_OF_ORDER",
    "LIVENESS_FRAMES_REUSED",
];

/// The catalog code for a service error code, if the user gets a specific text for it.
pub fn service_error_code(code: &str) -> Option<MessageCode> {
    if let Some((_, alias)) = SERVICE_ALIASES.iter().find(|(service, _)| *service == code) {
        return Some(*alias);
    }
    ALL.iter().copied().find(|own| own.0.strip_prefix("SERVICE_") == Some(code))
}

/// The text for a service error code, or `None` when the code has no specific text (reviewer
/// codes, client faults, codes from a newer service): show `FLOW_NOTICE_REQUEST_FAILED` with the
/// code then. The message's `code` is the catalog's (`SERVICE_…`, or the flow's for an alias).
pub fn service_error_message(code: &str, locale: Locale) -> Option<LocalizedMessage> {
    service_error_code(code).map(|message| message.text(locale))
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
