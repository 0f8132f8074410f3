//! Messages of the onboarding flow (seeds 000 and 001): screens, actions, notices, field and
//! date-of-birth errors, denials and notifications.

use super::MessageCode;

/// Title while the shell inspects the phone.
pub const DEVICE_CHECK_TITLE: MessageCode = MessageCode("FLOW_DEVICE_CHECK_TITLE");
/// Title when blockers exist.
pub const INELIGIBLE_TITLE: MessageCode = MessageCode("FLOW_INELIGIBLE_TITLE");
/// Body when blockers exist.
pub const INELIGIBLE_BODY: MessageCode = MessageCode("FLOW_INELIGIBLE_BODY");
/// Permissions title.
pub const PERMISSIONS_TITLE: MessageCode = MessageCode("FLOW_PERMISSIONS_TITLE");
/// Permissions explanation (seed 000 step 4, seed 001 step 3).
pub const PERMISSIONS_BODY: MessageCode = MessageCode("FLOW_PERMISSIONS_BODY");
/// Consent title.
pub const CONSENT_TITLE: MessageCode = MessageCode("FLOW_CONSENT_TITLE");
/// Consent body; `{version}`.
pub const CONSENT_BODY: MessageCode = MessageCode("FLOW_CONSENT_BODY");
/// Identity form title.
pub const IDENTITY_TITLE: MessageCode = MessageCode("FLOW_IDENTITY_TITLE");
/// Identity form body (seed 000 steps 6-7).
pub const IDENTITY_BODY: MessageCode = MessageCode("FLOW_IDENTITY_BODY");
/// Title while a request is in flight.
pub const SUBMITTING_TITLE: MessageCode = MessageCode("FLOW_SUBMITTING_TITLE");
/// Date-of-birth title.
pub const DOB_TITLE: MessageCode = MessageCode("FLOW_DOB_TITLE");
/// Date-of-birth instruction.
pub const DOB_BODY: MessageCode = MessageCode("FLOW_DOB_BODY");
/// Government-ID title.
pub const GOV_ID_TITLE: MessageCode = MessageCode("FLOW_GOV_ID_TITLE");
/// Government-ID body (seed 001 step 2).
pub const GOV_ID_BODY: MessageCode = MessageCode("FLOW_GOV_ID_BODY");
/// Government-ID body while the service waits for the partner's verdict.
pub const GOV_ID_WAITING_BODY: MessageCode = MessageCode("FLOW_GOV_ID_WAITING_BODY");
/// Waiting for the Verified ID.
pub const AWAITING_VID_TITLE: MessageCode = MessageCode("FLOW_AWAITING_VID_TITLE");
/// Add-to-Authenticator title.
pub const ADD_VID_TITLE: MessageCode = MessageCode("FLOW_ADD_VID_TITLE");
/// Add-to-Authenticator body (seed 001).
pub const ADD_VID_BODY: MessageCode = MessageCode("FLOW_ADD_VID_BODY");
/// Selfie title (seed 000 step 8).
pub const SELFIE_TITLE: MessageCode = MessageCode("FLOW_SELFIE_TITLE");
/// Selfie body (seed 000 step 8).
pub const SELFIE_BODY: MessageCode = MessageCode("FLOW_SELFIE_BODY");
/// Liveness title.
pub const LIVENESS_TITLE: MessageCode = MessageCode("FLOW_LIVENESS_TITLE");
/// Liveness body (seed 000 step 8).
pub const LIVENESS_BODY: MessageCode = MessageCode("FLOW_LIVENESS_BODY");
/// Fast-path explanation (seed 000).
pub const FAST_PATH_BODY: MessageCode = MessageCode("FLOW_FAST_PATH_BODY");
/// Present-VID title.
pub const PRESENT_VID_TITLE: MessageCode = MessageCode("FLOW_PRESENT_VID_TITLE");
/// Present-VID body (seed 001).
pub const PRESENT_VID_BODY: MessageCode = MessageCode("FLOW_PRESENT_VID_BODY");
/// Review being submitted.
pub const REVIEW_SUBMITTING_TITLE: MessageCode = MessageCode("FLOW_REVIEW_SUBMITTING_TITLE");
/// Waiting for the reviewer.
pub const REVIEW_WAITING_TITLE: MessageCode = MessageCode("FLOW_REVIEW_WAITING_TITLE");
/// Waiting body (seed 000 step 9).
pub const REVIEW_WAITING_BODY: MessageCode = MessageCode("FLOW_REVIEW_WAITING_BODY");
/// Call invitation title.
pub const REVIEW_INVITED_TITLE: MessageCode = MessageCode("FLOW_REVIEW_INVITED_TITLE");
/// Call invitation body (seed 000 step 10).
pub const REVIEW_INVITED_BODY: MessageCode = MessageCode("FLOW_REVIEW_INVITED_BODY");
/// In-call title.
pub const REVIEW_IN_CALL_TITLE: MessageCode = MessageCode("FLOW_REVIEW_IN_CALL_TITLE");
/// Awaiting decision title.
pub const REVIEW_DECISION_TITLE: MessageCode = MessageCode("FLOW_REVIEW_DECISION_TITLE");
/// Fetching TAP.
pub const FETCHING_TAP_TITLE: MessageCode = MessageCode("FLOW_FETCHING_TAP_TITLE");
/// TAP title.
pub const TAP_TITLE: MessageCode = MessageCode("FLOW_TAP_TITLE");
/// TAP body (seed 000); `{minutes}` (the lifetime the service returned), `{expires_at}` (UTC).
pub const TAP_BODY: MessageCode = MessageCode("FLOW_TAP_BODY");
/// TAP after a restart: the code was shown once and is gone; `{expires_at}` (UTC).
pub const TAP_SHOWN_ONCE_BODY: MessageCode = MessageCode("FLOW_TAP_SHOWN_ONCE_BODY");
/// One-time TAP / 10-minute rule.
pub const TAP_ONE_TIME_BODY: MessageCode = MessageCode("FLOW_TAP_ONE_TIME_BODY");
/// TAP expired title.
pub const TAP_EXPIRED_TITLE: MessageCode = MessageCode("FLOW_TAP_EXPIRED_TITLE");
/// Expired, fast path available.
pub const TAP_EXPIRED_FAST_BODY: MessageCode = MessageCode("FLOW_TAP_EXPIRED_FAST_BODY");
/// Expired, no fast path.
pub const TAP_EXPIRED_BODY: MessageCode = MessageCode("FLOW_TAP_EXPIRED_BODY");
/// 10-minute rule missed.
pub const TAP_WINDOW_MISSED_BODY: MessageCode = MessageCode("FLOW_TAP_WINDOW_MISSED_BODY");
/// Passkey title.
pub const PASSKEY_TITLE: MessageCode = MessageCode("FLOW_PASSKEY_TITLE");
/// Passkey body (seed 001).
pub const PASSKEY_BODY: MessageCode = MessageCode("FLOW_PASSKEY_BODY");
/// Denied title.
pub const DENIED_TITLE: MessageCode = MessageCode("FLOW_DENIED_TITLE");
/// Missed window title.
pub const WINDOW_MISSED_TITLE: MessageCode = MessageCode("FLOW_WINDOW_MISSED_TITLE");
/// Missed window body.
pub const WINDOW_MISSED_BODY: MessageCode = MessageCode("FLOW_WINDOW_MISSED_BODY");
/// Done title.
pub const DONE_TITLE: MessageCode = MessageCode("FLOW_DONE_TITLE");
/// Done body (seed 001).
pub const DONE_BODY: MessageCode = MessageCode("FLOW_DONE_BODY");
/// Primary action: request permissions.
pub const ACTION_ALLOW: MessageCode = MessageCode("FLOW_ACTION_ALLOW");
/// Primary action: settings.
pub const ACTION_OPEN_SETTINGS: MessageCode = MessageCode("FLOW_ACTION_OPEN_SETTINGS");
/// Primary action: re-run the device check.
pub const ACTION_CHECK_AGAIN: MessageCode = MessageCode("FLOW_ACTION_CHECK_AGAIN");
/// Primary action: submit.
pub const ACTION_SUBMIT: MessageCode = MessageCode("FLOW_ACTION_SUBMIT");
/// Primary action label on the TAP path.
pub const ACTION_GET_TAP: MessageCode = MessageCode("FLOW_ACTION_GET_TAP");
/// Primary action: retry a failed request.
pub const ACTION_RETRY: MessageCode = MessageCode("FLOW_ACTION_RETRY");
/// Primary action: open the partner.
pub const ACTION_START_VERIFICATION: MessageCode = MessageCode("FLOW_ACTION_START_VERIFICATION");
/// Primary action: open Authenticator.
pub const ACTION_OPEN_AUTHENTICATOR: MessageCode = MessageCode("FLOW_ACTION_OPEN_AUTHENTICATOR");
/// Primary action: back from Authenticator.
pub const ACTION_READY: MessageCode = MessageCode("FLOW_ACTION_READY");
/// Primary action: selfie.
pub const ACTION_TAKE_SELFIE: MessageCode = MessageCode("FLOW_ACTION_TAKE_SELFIE");
/// Primary action: liveness.
pub const ACTION_START_LIVENESS: MessageCode = MessageCode("FLOW_ACTION_START_LIVENESS");
/// Primary action: present the Verified ID.
pub const ACTION_PRESENT_VID: MessageCode = MessageCode("FLOW_ACTION_PRESENT_VID");
/// Primary action: join.
pub const ACTION_JOIN_CALL: MessageCode = MessageCode("FLOW_ACTION_JOIN_CALL");
/// Primary action: passkey.
pub const ACTION_ADD_PASSKEY: MessageCode = MessageCode("FLOW_ACTION_ADD_PASSKEY");
/// Primary action: fast path after expiry.
pub const ACTION_NEW_TAP: MessageCode = MessageCode("FLOW_ACTION_NEW_TAP");
/// Primary action: a new TAP for one whose code was lost with the app (fast path or replacement).
pub const ACTION_REPLACE_TAP: MessageCode = MessageCode("FLOW_ACTION_REPLACE_TAP");
/// Primary action: restart.
pub const ACTION_NEW_REQUEST: MessageCode = MessageCode("FLOW_ACTION_NEW_REQUEST");
/// Camera missing.
pub const NOTICE_PERMISSION_CAMERA: MessageCode = MessageCode("FLOW_NOTICE_PERMISSION_CAMERA");
/// Microphone missing.
pub const NOTICE_PERMISSION_MICROPHONE: MessageCode = MessageCode("FLOW_NOTICE_PERMISSION_MICROPHONE");
/// Notifications missing.
pub const NOTICE_PERMISSION_NOTIFICATIONS: MessageCode = MessageCode("FLOW_NOTICE_PERMISSION_NOTIFICATIONS");
/// Location missing or approximate (seed 001).
pub const NOTICE_PERMISSION_LOCATION: MessageCode = MessageCode("FLOW_NOTICE_PERMISSION_LOCATION");
/// Permanently denied.
pub const NOTICE_PERMISSION_SETTINGS: MessageCode = MessageCode("FLOW_NOTICE_PERMISSION_SETTINGS");
/// Consent declined.
pub const NOTICE_CONSENT_REQUIRED: MessageCode = MessageCode("FLOW_NOTICE_CONSENT_REQUIRED");
/// Request failed; `{code}`.
pub const NOTICE_REQUEST_FAILED: MessageCode = MessageCode("FLOW_NOTICE_REQUEST_FAILED");
/// The selfie was lost before its upload (the app restarted): take it again.
pub const NOTICE_SELFIE_RETAKE: MessageCode = MessageCode("FLOW_NOTICE_SELFIE_RETAKE");
/// Partner rejected; `{reason}`.
pub const NOTICE_GOV_ID_REJECTED: MessageCode = MessageCode("FLOW_NOTICE_GOV_ID_REJECTED");
/// Partner session expired.
pub const NOTICE_GOV_ID_EXPIRED: MessageCode = MessageCode("FLOW_NOTICE_GOV_ID_EXPIRED");
/// Liveness failed; `{reason}`.
pub const NOTICE_LIVENESS_FAILED: MessageCode = MessageCode("FLOW_NOTICE_LIVENESS_FAILED");
/// Left the call early; `{seconds}`.
pub const NOTICE_CALL_TOO_SHORT: MessageCode = MessageCode("FLOW_NOTICE_CALL_TOO_SHORT");
/// The TAP is not active yet (start time ahead, or the directory still replicating).
pub const NOTICE_TAP_NOT_USABLE: MessageCode = MessageCode("FLOW_NOTICE_TAP_NOT_USABLE");
/// The tenant's policy disables the TAP (it will not become usable by waiting).
pub const NOTICE_TAP_DISABLED: MessageCode = MessageCode("FLOW_NOTICE_TAP_DISABLED");
/// Passkey dialog cancelled.
pub const NOTICE_PASSKEY_CANCELLED: MessageCode = MessageCode("FLOW_NOTICE_PASSKEY_CANCELLED");
/// The platform could not create a passkey.
pub const NOTICE_PASSKEY_FAILED: MessageCode = MessageCode("FLOW_NOTICE_PASSKEY_FAILED");
/// The liveness result was lost before it reached the service (the app restarted): redo it.
pub const NOTICE_LIVENESS_RETAKE: MessageCode = MessageCode("FLOW_NOTICE_LIVENESS_RETAKE");
/// The app was closed during the reviewer's call.
pub const NOTICE_CALL_INTERRUPTED: MessageCode = MessageCode("FLOW_NOTICE_CALL_INTERRUPTED");
/// The call's connection could not be made, or was lost.
pub const NOTICE_CALL_CONNECTION_FAILED: MessageCode = MessageCode("FLOW_NOTICE_CALL_CONNECTION_FAILED");
/// Joining the call, connecting.
pub const REVIEW_JOINING_TITLE: MessageCode = MessageCode("FLOW_REVIEW_JOINING_TITLE");
/// The phone's secure storage refused a read or a write (locked, keystore unavailable).
pub const NOTICE_SECURE_STORAGE_FAILED: MessageCode = MessageCode("FLOW_NOTICE_SECURE_STORAGE_FAILED");
/// The Verified ID to present is no longer on this phone.
pub const NOTICE_VERIFIED_ID_MISSING: MessageCode = MessageCode("FLOW_NOTICE_VERIFIED_ID_MISSING");
/// The app's service address or TLS set-up is unusable (a build fault).
pub const NOTICE_APP_MISCONFIGURED: MessageCode = MessageCode("FLOW_NOTICE_APP_MISCONFIGURED");
/// UPN missing.
pub const UPN_MISSING: MessageCode = MessageCode("FLOW_UPN_MISSING");
/// UPN malformed.
pub const UPN_INVALID: MessageCode = MessageCode("FLOW_UPN_INVALID");
/// Employee ID missing.
pub const EMPLOYEE_ID_MISSING: MessageCode = MessageCode("FLOW_EMPLOYEE_ID_MISSING");
/// Employee ID malformed.
pub const EMPLOYEE_ID_INVALID: MessageCode = MessageCode("FLOW_EMPLOYEE_ID_INVALID");
/// Personal email malformed.
pub const PERSONAL_EMAIL_INVALID: MessageCode = MessageCode("FLOW_PERSONAL_EMAIL_INVALID");
/// Personal email equals UPN.
pub const PERSONAL_EMAIL_SAME: MessageCode = MessageCode("FLOW_PERSONAL_EMAIL_SAME");
/// Month/day touched first (seed 000 step 7).
pub const DOB_YEAR_FIRST: MessageCode = MessageCode("FLOW_DOB_YEAR_FIRST");
/// Day before month.
pub const DOB_MONTH_FIRST: MessageCode = MessageCode("FLOW_DOB_MONTH_FIRST");
/// Year out of range, with the age rule behind it; `{min_age}`, `{max_age}`, `{first}`, `{last}`.
pub const DOB_YEAR_OUT_OF_RANGE: MessageCode = MessageCode("FLOW_DOB_YEAR_OUT_OF_RANGE");
/// Bad month.
pub const DOB_INVALID_MONTH: MessageCode = MessageCode("FLOW_DOB_INVALID_MONTH");
/// Day does not exist (e.g. 29 Feb of a common year).
pub const DOB_INVALID_DAY: MessageCode = MessageCode("FLOW_DOB_INVALID_DAY");
/// Submitted incomplete.
pub const DOB_INCOMPLETE: MessageCode = MessageCode("FLOW_DOB_INCOMPLETE");
/// Future date.
pub const DOB_IN_FUTURE: MessageCode = MessageCode("FLOW_DOB_IN_FUTURE");
/// Too young.
pub const DOB_TOO_YOUNG: MessageCode = MessageCode("FLOW_DOB_TOO_YOUNG");
/// Implausibly old.
pub const DOB_TOO_OLD: MessageCode = MessageCode("FLOW_DOB_TOO_OLD");
/// The seed's badge-photo denial (seed 001 step 22).
pub const DENIED_BADGE_PHOTO: MessageCode = MessageCode("FLOW_DENIED_BADGE_PHOTO");
/// Reviewer could not confirm.
pub const DENIED_IDENTITY_MISMATCH: MessageCode = MessageCode("FLOW_DENIED_IDENTITY_MISMATCH");
/// Denied: the user did not answer the reviewer's call.
pub const DENIED_NO_ANSWER: MessageCode = MessageCode("FLOW_DENIED_NO_ANSWER");
/// Unknown denial code; `{message}` is the service's text.
pub const DENIED_OTHER: MessageCode = MessageCode("FLOW_DENIED_OTHER");
/// Local notification: call.
pub const NOTIFY_CALL_INVITATION: MessageCode = MessageCode("FLOW_NOTIFY_CALL_INVITATION");
/// Local notification: TAP.
pub const NOTIFY_TAP_READY: MessageCode = MessageCode("FLOW_NOTIFY_TAP_READY");
/// Notification: the TAP expires in 5 minutes.
pub const NOTIFY_TAP_EXPIRES_SOON: MessageCode = MessageCode("FLOW_NOTIFY_TAP_EXPIRES_SOON");

/// Secure your account
pub const ACTION_SECURE_ACCOUNT: MessageCode = MessageCode("FLOW_ACTION_SECURE_ACCOUNT");
/// Finish
pub const ACTION_FINISH: MessageCode = MessageCode("FLOW_ACTION_FINISH");
/// Add to the app on this phone
pub const ACTION_ADD_TO_APP: MessageCode = MessageCode("FLOW_ACTION_ADD_TO_APP");
/// Send the code again
pub const ACTION_RESEND: MessageCode = MessageCode("FLOW_ACTION_RESEND");
/// Call me again
pub const ACTION_CALL_AGAIN: MessageCode = MessageCode("FLOW_ACTION_CALL_AGAIN");
/// Secure your account
pub const SECURE_TITLE: MessageCode = MessageCode("FLOW_SECURE_TITLE");
/// You are signed in with your TAP. Set your permanent password and register a sign-in method before {expires_at}.
pub const SECURE_BODY: MessageCode = MessageCode("FLOW_SECURE_BODY");
/// Your one-time TAP allows 10 minutes after signing in: register a sign-in method by {deadline}.
pub const SECURE_ONE_TIME_BODY: MessageCode = MessageCode("FLOW_SECURE_ONE_TIME_BODY");
/// Your account is secured. You can still change your methods, PIN and questions until {expires_at}.
pub const SECURE_DONE_BODY: MessageCode = MessageCode("FLOW_SECURE_DONE_BODY");
/// Set your password
pub const TASK_PASSWORD: MessageCode = MessageCode("FLOW_TASK_PASSWORD");
/// Password set
pub const TASK_PASSWORD_DONE: MessageCode = MessageCode("FLOW_TASK_PASSWORD_DONE");
/// Mobile app
pub const TASK_APP: MessageCode = MessageCode("FLOW_TASK_APP");
/// Text message
pub const TASK_TEXT: MessageCode = MessageCode("FLOW_TASK_TEXT");
/// Voice call
pub const TASK_VOICE: MessageCode = MessageCode("FLOW_TASK_VOICE");
/// Choose a PIN
pub const TASK_PIN: MessageCode = MessageCode("FLOW_TASK_PIN");
/// Change your PIN
pub const TASK_PIN_DONE: MessageCode = MessageCode("FLOW_TASK_PIN_DONE");
/// Answer security questions
pub const TASK_QUESTIONS: MessageCode = MessageCode("FLOW_TASK_QUESTIONS");
/// Change your security questions
pub const TASK_QUESTIONS_DONE: MessageCode = MessageCode("FLOW_TASK_QUESTIONS_DONE");
/// Get Microsoft Authenticator
pub const LINK_AUTHENTICATOR: MessageCode = MessageCode("FLOW_LINK_AUTHENTICATOR");
/// Get Company Portal
pub const LINK_COMPANY_PORTAL: MessageCode = MessageCode("FLOW_LINK_COMPANY_PORTAL");
/// Open your security info
pub const LINK_SECURITY_INFO: MessageCode = MessageCode("FLOW_LINK_SECURITY_INFO");
/// Set up the mobile app
pub const APP_TITLE: MessageCode = MessageCode("FLOW_APP_TITLE");
/// Scan the barcode with your authenticator app, or enter the activation code {code} and the URL {url}. Then enter the 6-digit code the app shows.
pub const APP_BODY: MessageCode = MessageCode("FLOW_APP_BODY");
/// Verify by text message
pub const PHONE_TEXT_TITLE: MessageCode = MessageCode("FLOW_PHONE_TEXT_TITLE");
/// Enter your mobile number with its country code, for example +1 425 555 0100.
pub const PHONE_TEXT_BODY: MessageCode = MessageCode("FLOW_PHONE_TEXT_BODY");
/// Verify by phone call
pub const PHONE_VOICE_TITLE: MessageCode = MessageCode("FLOW_PHONE_VOICE_TITLE");
/// Enter your phone number with its country code, and an extension if you have one. You may add a backup number.
pub const PHONE_VOICE_BODY: MessageCode = MessageCode("FLOW_PHONE_VOICE_BODY");
/// Enter the code
pub const CODE_TITLE: MessageCode = MessageCode("FLOW_CODE_TITLE");
/// We sent a 6-digit code to {phone}. {attempts} attempts left.
pub const CODE_BODY: MessageCode = MessageCode("FLOW_CODE_BODY");
/// Answer the call
pub const CALL_TITLE: MessageCode = MessageCode("FLOW_CALL_TITLE");
/// We are calling {phone}. Answer, enter your PIN, then press #.
pub const CALL_BODY: MessageCode = MessageCode("FLOW_CALL_BODY");
/// Choose a PIN
pub const PIN_TITLE: MessageCode = MessageCode("FLOW_PIN_TITLE");
/// Use {min} to {max} digits, not all the same and not in sequence. Enter it twice.
pub const PIN_BODY: MessageCode = MessageCode("FLOW_PIN_BODY");
/// Security questions
pub const QUESTIONS_TITLE: MessageCode = MessageCode("FLOW_QUESTIONS_TITLE");
/// Choose {count} questions and answer them. Answers are not case-sensitive.
pub const QUESTIONS_BODY: MessageCode = MessageCode("FLOW_QUESTIONS_BODY");
/// Set your password
pub const PASSWORD_TITLE: MessageCode = MessageCode("FLOW_PASSWORD_TITLE");
/// The password page is open in your browser. Come back here when you have set your password.
pub const PASSWORD_BODY: MessageCode = MessageCode("FLOW_PASSWORD_BODY");
/// A verification call asks for your PIN. Choose a PIN first.
pub const NOTICE_PIN_FOR_VOICE: MessageCode = MessageCode("FLOW_NOTICE_PIN_FOR_VOICE");
/// The app closed before this was sent, and what you type here is never saved. Please enter it again.
pub const NOTICE_TYPE_AGAIN: MessageCode = MessageCode("FLOW_NOTICE_TYPE_AGAIN");
/// The call ended without the right PIN. Check the number and try again.
pub const NOTICE_VOICE_CALL_FAILED: MessageCode = MessageCode("FLOW_NOTICE_VOICE_CALL_FAILED");

/// I agree
pub const LABEL_CONSENT_ACCEPT: MessageCode = MessageCode("FLOW_LABEL_CONSENT_ACCEPT");
/// I do not agree
pub const LABEL_CONSENT_DECLINE: MessageCode = MessageCode("FLOW_LABEL_CONSENT_DECLINE");
/// Work email
pub const LABEL_WORK_EMAIL: MessageCode = MessageCode("FLOW_LABEL_WORK_EMAIL");
/// Employee ID
pub const LABEL_EMPLOYEE_ID: MessageCode = MessageCode("FLOW_LABEL_EMPLOYEE_ID");
/// Personal email (optional)
pub const LABEL_PERSONAL_EMAIL: MessageCode = MessageCode("FLOW_LABEL_PERSONAL_EMAIL");
/// I am joining as
pub const LABEL_STAFF_KIND: MessageCode = MessageCode("FLOW_LABEL_STAFF_KIND");
/// An employee
pub const LABEL_STAFF_EMPLOYEE: MessageCode = MessageCode("FLOW_LABEL_STAFF_EMPLOYEE");
/// External staff (vendor or contractor)
pub const LABEL_STAFF_EXTERNAL: MessageCode = MessageCode("FLOW_LABEL_STAFF_EXTERNAL");
/// Year of birth
pub const LABEL_BIRTH_YEAR: MessageCode = MessageCode("FLOW_LABEL_BIRTH_YEAR");
/// Month
pub const LABEL_BIRTH_MONTH: MessageCode = MessageCode("FLOW_LABEL_BIRTH_MONTH");
/// Day
pub const LABEL_BIRTH_DAY: MessageCode = MessageCode("FLOW_LABEL_BIRTH_DAY");
/// Temporary Access Pass
pub const LABEL_TAP_CODE: MessageCode = MessageCode("FLOW_LABEL_TAP_CODE");
/// Code
pub const LABEL_ACTIVATION_CODE: MessageCode = MessageCode("FLOW_LABEL_ACTIVATION_CODE");
/// URL
pub const LABEL_ACTIVATION_URL: MessageCode = MessageCode("FLOW_LABEL_ACTIVATION_URL");
/// Phone number, with country code
pub const LABEL_PHONE_NUMBER: MessageCode = MessageCode("FLOW_LABEL_PHONE_NUMBER");
/// Extension (optional)
pub const LABEL_PHONE_EXTENSION: MessageCode = MessageCode("FLOW_LABEL_PHONE_EXTENSION");
/// Verification code
pub const LABEL_VERIFICATION_CODE: MessageCode = MessageCode("FLOW_LABEL_VERIFICATION_CODE");
/// PIN
pub const LABEL_PIN: MessageCode = MessageCode("FLOW_LABEL_PIN");
/// PIN again
pub const LABEL_PIN_AGAIN: MessageCode = MessageCode("FLOW_LABEL_PIN_AGAIN");
/// Your answer
pub const LABEL_SECURITY_ANSWER: MessageCode = MessageCode("FLOW_LABEL_SECURITY_ANSWER");
/// Continue
pub const LABEL_SEND_FORM: MessageCode = MessageCode("FLOW_LABEL_SEND_FORM");
/// Back to the checklist
pub const LABEL_BACK_TO_CHECKLIST: MessageCode = MessageCode("FLOW_LABEL_BACK_TO_CHECKLIST");
/// Remove
pub const LABEL_REMOVE_METHOD: MessageCode = MessageCode("FLOW_LABEL_REMOVE_METHOD");

/// Leave the call
pub const LABEL_LEAVE_CALL: MessageCode = MessageCode("FLOW_LABEL_LEAVE_CALL");

/// Backup phone number (optional)
pub const LABEL_BACKUP_PHONE_NUMBER: MessageCode = MessageCode("FLOW_LABEL_BACKUP_PHONE_NUMBER");
/// Choose a question
pub const LABEL_CHOOSE_QUESTION: MessageCode = MessageCode("FLOW_LABEL_CHOOSE_QUESTION");
/// Done
pub const LABEL_TASK_DONE: MessageCode = MessageCode("FLOW_LABEL_TASK_DONE");

/// This copy of Identity Pass is not set up correctly. Install it from your organization's app store or Company Portal, or contact IT support.
pub const START_MISCONFIGURED: MessageCode = MessageCode("FLOW_START_MISCONFIGURED");
/// This phone's secure storage can't be used right now. Unlock your phone and try again; if it keeps happening, restart the phone.
pub const START_STORE_UNAVAILABLE: MessageCode = MessageCode("FLOW_START_STORE_UNAVAILABLE");
/// Your saved progress can't be opened by this version of the app. Update Identity Pass and try again; nothing you did has been lost.
pub const START_SAVED_STATE_UNREADABLE: MessageCode = MessageCode("FLOW_START_SAVED_STATE_UNREADABLE");
/// Try again
pub const LABEL_TRY_AGAIN: MessageCode = MessageCode("FLOW_LABEL_TRY_AGAIN");

/// Every code this domain uses.
pub const ALL: &[MessageCode] = &[
    DEVICE_CHECK_TITLE,
    INELIGIBLE_TITLE,
    INELIGIBLE_BODY,
    PERMISSIONS_TITLE,
    PERMISSIONS_BODY,
    CONSENT_TITLE,
    CONSENT_BODY,
    IDENTITY_TITLE,
    IDENTITY_BODY,
    SUBMITTING_TITLE,
    DOB_TITLE,
    DOB_BODY,
    GOV_ID_TITLE,
    GOV_ID_BODY,
    GOV_ID_WAITING_BODY,
    AWAITING_VID_TITLE,
    ADD_VID_TITLE,
    ADD_VID_BODY,
    SELFIE_TITLE,
    SELFIE_BODY,
    LIVENESS_TITLE,
    LIVENESS_BODY,
    FAST_PATH_BODY,
    PRESENT_VID_TITLE,
    PRESENT_VID_BODY,
    REVIEW_SUBMITTING_TITLE,
    REVIEW_WAITING_TITLE,
    REVIEW_WAITING_BODY,
    REVIEW_INVITED_TITLE,
    REVIEW_INVITED_BODY,
    REVIEW_IN_CALL_TITLE,
    REVIEW_JOINING_TITLE,
    REVIEW_DECISION_TITLE,
    FETCHING_TAP_TITLE,
    TAP_TITLE,
    TAP_BODY,
    TAP_SHOWN_ONCE_BODY,
    TAP_ONE_TIME_BODY,
    TAP_EXPIRED_TITLE,
    TAP_EXPIRED_FAST_BODY,
    TAP_EXPIRED_BODY,
    TAP_WINDOW_MISSED_BODY,
    PASSKEY_TITLE,
    PASSKEY_BODY,
    DENIED_TITLE,
    WINDOW_MISSED_TITLE,
    WINDOW_MISSED_BODY,
    DONE_TITLE,
    DONE_BODY,
    ACTION_ALLOW,
    ACTION_OPEN_SETTINGS,
    ACTION_CHECK_AGAIN,
    ACTION_SUBMIT,
    ACTION_GET_TAP,
    ACTION_RETRY,
    ACTION_START_VERIFICATION,
    ACTION_OPEN_AUTHENTICATOR,
    ACTION_READY,
    ACTION_TAKE_SELFIE,
    ACTION_START_LIVENESS,
    ACTION_PRESENT_VID,
    ACTION_JOIN_CALL,
    ACTION_ADD_PASSKEY,
    ACTION_NEW_TAP,
    ACTION_REPLACE_TAP,
    ACTION_NEW_REQUEST,
    NOTICE_PERMISSION_CAMERA,
    NOTICE_PERMISSION_MICROPHONE,
    NOTICE_PERMISSION_NOTIFICATIONS,
    NOTICE_PERMISSION_LOCATION,
    NOTICE_PERMISSION_SETTINGS,
    NOTICE_CONSENT_REQUIRED,
    NOTICE_REQUEST_FAILED,
    NOTICE_SELFIE_RETAKE,
    NOTICE_GOV_ID_REJECTED,
    NOTICE_GOV_ID_EXPIRED,
    NOTICE_LIVENESS_FAILED,
    NOTICE_CALL_TOO_SHORT,
    NOTICE_TAP_NOT_USABLE,
    NOTICE_TAP_DISABLED,
    NOTICE_PASSKEY_CANCELLED,
    NOTICE_PASSKEY_FAILED,
    NOTICE_LIVENESS_RETAKE,
    NOTICE_CALL_INTERRUPTED,
    NOTICE_CALL_CONNECTION_FAILED,
    NOTICE_SECURE_STORAGE_FAILED,
    NOTICE_VERIFIED_ID_MISSING,
    NOTICE_APP_MISCONFIGURED,
    UPN_MISSING,
    UPN_INVALID,
    EMPLOYEE_ID_MISSING,
    EMPLOYEE_ID_INVALID,
    PERSONAL_EMAIL_INVALID,
    PERSONAL_EMAIL_SAME,
    DOB_YEAR_FIRST,
    DOB_MONTH_FIRST,
    DOB_YEAR_OUT_OF_RANGE,
    DOB_INVALID_MONTH,
    DOB_INVALID_DAY,
    DOB_INCOMPLETE,
    DOB_IN_FUTURE,
    DOB_TOO_YOUNG,
    DOB_TOO_OLD,
    DENIED_BADGE_PHOTO,
    DENIED_IDENTITY_MISMATCH,
    DENIED_NO_ANSWER,
    DENIED_OTHER,
    NOTIFY_CALL_INVITATION,
    NOTIFY_TAP_READY,
    NOTIFY_TAP_EXPIRES_SOON,
    ACTION_SECURE_ACCOUNT,
    ACTION_FINISH,
    ACTION_ADD_TO_APP,
    ACTION_RESEND,
    ACTION_CALL_AGAIN,
    SECURE_TITLE,
    SECURE_BODY,
    SECURE_ONE_TIME_BODY,
    SECURE_DONE_BODY,
    TASK_PASSWORD,
    TASK_PASSWORD_DONE,
    TASK_APP,
    TASK_TEXT,
    TASK_VOICE,
    TASK_PIN,
    TASK_PIN_DONE,
    TASK_QUESTIONS,
    TASK_QUESTIONS_DONE,
    LINK_AUTHENTICATOR,
    LINK_COMPANY_PORTAL,
    LINK_SECURITY_INFO,
    APP_TITLE,
    APP_BODY,
    PHONE_TEXT_TITLE,
    PHONE_TEXT_BODY,
    PHONE_VOICE_TITLE,
    PHONE_VOICE_BODY,
    CODE_TITLE,
    CODE_BODY,
    CALL_TITLE,
    CALL_BODY,
    PIN_TITLE,
    PIN_BODY,
    QUESTIONS_TITLE,
    QUESTIONS_BODY,
    PASSWORD_TITLE,
    PASSWORD_BODY,
    NOTICE_PIN_FOR_VOICE,
    NOTICE_TYPE_AGAIN,
    NOTICE_VOICE_CALL_FAILED,
    LABEL_CONSENT_ACCEPT,
    LABEL_CONSENT_DECLINE,
    LABEL_WORK_EMAIL,
    LABEL_EMPLOYEE_ID,
    LABEL_PERSONAL_EMAIL,
    LABEL_STAFF_KIND,
    LABEL_STAFF_EMPLOYEE,
    LABEL_STAFF_EXTERNAL,
    LABEL_BIRTH_YEAR,
    LABEL_BIRTH_MONTH,
    LABEL_BIRTH_DAY,
    LABEL_TAP_CODE,
    LABEL_ACTIVATION_CODE,
    LABEL_ACTIVATION_URL,
    LABEL_PHONE_NUMBER,
    LABEL_PHONE_EXTENSION,
    LABEL_VERIFICATION_CODE,
    LABEL_PIN,
    LABEL_PIN_AGAIN,
    LABEL_SECURITY_ANSWER,
    LABEL_SEND_FORM,
    LABEL_BACK_TO_CHECKLIST,
    LABEL_REMOVE_METHOD,
    LABEL_LEAVE_CALL,
    LABEL_BACKUP_PHONE_NUMBER,
    LABEL_CHOOSE_QUESTION,
    LABEL_TASK_DONE,
    START_MISCONFIGURED,
    START_STORE_UNAVAILABLE,
    START_SAVED_STATE_UNREADABLE,
    LABEL_TRY_AGAIN,
];
