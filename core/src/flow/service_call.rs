//! The service calls the flow makes, and their answers.
//!
//! The flow decides *which* call to make and *what* an answer means; the runtime only sends
//! the call and feeds the answer back. Every call carries a `CallId` the flow chose: an answer
//! whose id is not one the flow is waiting for is stale (a late answer from before a restart,
//! a retry or a new request) and is rejected without changing anything.
//!
//! The id is also the call's identity on the wire: the runtime keeps one idempotency key per
//! id, so re-emitting a call with the same id (a resend after a lost answer, or after the app
//! was killed) can never make the service act twice, and a call with a new id is a new attempt.

use super::account_security::{AccountSecurity, AppActivation, PhoneVerification, SecurityAnswer, SecurityMethodKind};
use super::clock::Timestamp;
use super::credential::TapGrant;
use super::identity_entry::StaffKind;
use super::path::{OnboardingPath, RolloutFlags};
use super::review::ReviewStatus;
use super::verification::GovernmentIdOutcome;
use crate::secret::SecretString;
use crate::selfie::face_model::Action;

/// Names one call the flow made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct CallId(pub u64);

/// Every call the device makes to the Identity Pass service.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ServiceCall {
    /// Create the onboarding request: identity and consent (contract: identity submission).
    CreateRequest {
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
        /// When the terms were accepted (server time).
        consent_accepted_at: Timestamp,
        /// Present the Verified ID held in secure storage, asking for the 30-day fast path.
        #[serde(default)]
        present_verified_id: bool,
    },
    /// Legacy path: the date of birth (`YYYY-MM-DD`).
    ConfirmDateOfBirth {
        /// The request.
        request_id: String,
        /// ISO date.
        date_of_birth: String,
    },
    /// Open a session with the government-ID partner; the service answers with the page the
    /// user is handed off to. The partner reports its verdict to the service, never to the
    /// phone. Safe to resend with the same id (the same session comes back).
    OpenPartnerSession {
        /// The request.
        request_id: String,
    },
    /// Ask the service for the partner's verdict (the partner posted it server to server).
    /// A read: safe to resend.
    FetchGovernmentIdVerdict {
        /// The request.
        request_id: String,
    },
    /// Fetch the Verified ID the service issued (kept in secure storage by the runtime).
    FetchVerifiedId {
        /// The request.
        request_id: String,
    },
    /// Upload the selfie the camera captured (its bytes live in the runtime's memory only).
    UploadSelfie {
        /// The request.
        request_id: String,
    },
    /// Ask the service for a liveness challenge: a single-use nonce the frames are captured
    /// for, and its expiry. The service judges liveness; the phone's own result is never sent.
    RequestLivenessChallenge {
        /// The request.
        request_id: String,
    },
    /// Upload the frames the phone's challenge judged (in the runtime's memory only) for the
    /// service to judge them. Made only when the phone's challenge passed.
    SubmitLivenessFrames {
        /// The request.
        request_id: String,
        /// The challenge the frames were captured for.
        challenge_id: String,
    },
    /// Present the Verified ID held in secure storage.
    PresentVerifiedId {
        /// The request.
        request_id: String,
    },
    /// Submit the request to the reviewer.
    SubmitForReview {
        /// The request.
        request_id: String,
    },
    /// Create the TAP. The service issues one per approval and shows its code once.
    CreateTap {
        /// The request.
        request_id: String,
        /// The approval's TAP was issued but its code never reached the user (its answer was
        /// unreadable, or the app was killed on the TAP screen): ask for a replacement, which
        /// revokes it. (Absent from snapshots written before replacements existed.)
        #[serde(default)]
        replace_lost: bool,
    },
    /// WebAuthn creation options.
    FetchPasskeyOptions {
        /// The request.
        request_id: String,
    },
    /// The platform's WebAuthn attestation.
    SubmitPasskey {
        /// The request.
        request_id: String,
        /// The attestation response (JSON).
        response_json: String,
    },
    /// Sign in with the TAP (the user's "Secure your account"): the service records the
    /// sign-in, applies the TAP's rules and answers with the account's security.
    SignInWithTap {
        /// The request.
        request_id: String,
        /// The TAP: in this process's memory only.
        #[serde(skip)]
        code: Option<SecretString>,
    },
    /// The account's security as the service has it now. A read: safe to resend.
    FetchSecurityInfo {
        /// The request.
        request_id: String,
    },
    /// A one-time link to the password page.
    OpenPasswordPage {
        /// The request.
        request_id: String,
    },
    /// A new authenticator-app activation (secret, barcode, code and URL).
    StartAuthenticatorApp {
        /// The request.
        request_id: String,
    },
    /// The code the authenticator app shows, proving the activation works.
    VerifyAuthenticatorApp {
        /// The request.
        request_id: String,
        /// The activation.
        activation_id: String,
        /// The code: in memory only.
        #[serde(skip)]
        code: Option<SecretString>,
    },
    /// Verify a number by text or call.
    StartPhoneVerification {
        /// The request.
        request_id: String,
        /// Text or voice.
        delivery: SecurityMethodKind,
        /// The number as typed (the service normalises and validates it).
        phone_number: String,
        /// Voice: the extension.
        extension: Option<String>,
        /// Voice: a backup number.
        backup_phone_number: Option<String>,
    },
    /// Send the text again / call again.
    ResendPhoneCode {
        /// The request.
        request_id: String,
        /// The verification.
        verification_id: String,
    },
    /// The code the text brought.
    VerifyPhoneCode {
        /// The request.
        request_id: String,
        /// The verification.
        verification_id: String,
        /// The code: in memory only.
        #[serde(skip)]
        code: Option<SecretString>,
    },
    /// Where a voice verification stands (the call is answered on another channel). A read.
    FetchPhoneVerification {
        /// The request.
        request_id: String,
        /// The verification.
        verification_id: String,
    },
    /// Set (or change) the PIN.
    SetPin {
        /// The request.
        request_id: String,
        /// The PIN: in memory only.
        #[serde(skip)]
        pin: Option<SecretString>,
        /// Typed again: in memory only.
        #[serde(skip)]
        confirmation: Option<SecretString>,
    },
    /// Set (or replace) the security questions' answers.
    SetSecurityAnswers {
        /// The request.
        request_id: String,
        /// The questions and answers: in memory only.
        #[serde(skip)]
        answers: Option<Vec<SecurityAnswer>>,
    },
    /// Remove a registered method (not the last one: the service refuses that).
    RemoveSecurityMethod {
        /// The request.
        request_id: String,
        /// The method.
        method_id: String,
    },
}

impl ServiceCall {
    /// Whether it carries something the user typed that is never saved (a TAP, PIN, answers
    /// or a one-time code): after a restart the user types it again.
    pub fn carries_typed_secret(&self) -> bool {
        matches!(
            self,
            ServiceCall::SignInWithTap { .. }
                | ServiceCall::VerifyAuthenticatorApp { .. }
                | ServiceCall::VerifyPhoneCode { .. }
                | ServiceCall::SetPin { .. }
                | ServiceCall::SetSecurityAnswers { .. }
        )
    }

    /// Whether it changes the account's security (one such change at a time).
    pub fn is_account_security_change(&self) -> bool {
        self.carries_typed_secret()
            || matches!(
                self,
                ServiceCall::OpenPasswordPage { .. }
                    | ServiceCall::StartAuthenticatorApp { .. }
                    | ServiceCall::StartPhoneVerification { .. }
                    | ServiceCall::ResendPhoneCode { .. }
                    | ServiceCall::RemoveSecurityMethod { .. }
            )
    }

    /// Whether sending it needs something the runtime keeps in memory only (the selfie, the
    /// liveness frames), which a killed app no longer has.
    pub fn needs_in_memory_input(&self) -> bool {
        matches!(self, ServiceCall::UploadSelfie { .. } | ServiceCall::SubmitLivenessFrames { .. }) || self.carries_typed_secret()
    }

    /// A stable name for logs (never the call's data: it can hold personal details).
    pub fn name(&self) -> &'static str {
        match self {
            ServiceCall::CreateRequest { .. } => "CreateRequest",
            ServiceCall::ConfirmDateOfBirth { .. } => "ConfirmDateOfBirth",
            ServiceCall::OpenPartnerSession { .. } => "OpenPartnerSession",
            ServiceCall::FetchGovernmentIdVerdict { .. } => "FetchGovernmentIdVerdict",
            ServiceCall::FetchVerifiedId { .. } => "FetchVerifiedId",
            ServiceCall::UploadSelfie { .. } => "UploadSelfie",
            ServiceCall::RequestLivenessChallenge { .. } => "RequestLivenessChallenge",
            ServiceCall::SubmitLivenessFrames { .. } => "SubmitLivenessFrames",
            ServiceCall::PresentVerifiedId { .. } => "PresentVerifiedId",
            ServiceCall::SubmitForReview { .. } => "SubmitForReview",
            ServiceCall::CreateTap { .. } => "CreateTap",
            ServiceCall::FetchPasskeyOptions { .. } => "FetchPasskeyOptions",
            ServiceCall::SubmitPasskey { .. } => "SubmitPasskey",
            ServiceCall::SignInWithTap { .. } => "SignInWithTap",
            ServiceCall::FetchSecurityInfo { .. } => "FetchSecurityInfo",
            ServiceCall::OpenPasswordPage { .. } => "OpenPasswordPage",
            ServiceCall::StartAuthenticatorApp { .. } => "StartAuthenticatorApp",
            ServiceCall::VerifyAuthenticatorApp { .. } => "VerifyAuthenticatorApp",
            ServiceCall::StartPhoneVerification { .. } => "StartPhoneVerification",
            ServiceCall::ResendPhoneCode { .. } => "ResendPhoneCode",
            ServiceCall::VerifyPhoneCode { .. } => "VerifyPhoneCode",
            ServiceCall::FetchPhoneVerification { .. } => "FetchPhoneVerification",
            ServiceCall::SetPin { .. } => "SetPin",
            ServiceCall::SetSecurityAnswers { .. } => "SetSecurityAnswers",
            ServiceCall::RemoveSecurityMethod { .. } => "RemoveSecurityMethod",
        }
    }
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    /// The service answered as the contract says.
    Answered(CallAnswer),
    /// It did not.
    Failed(CallFailure),
}

/// What the service said, per call. Every answer carries the service's time, from which the
/// flow learns the phone's clock skew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallAnswer {
    /// `CreateRequest`: the request and the path the service chose.
    RequestCreated {
        /// The onboarding request id.
        request_id: String,
        /// The chosen path.
        path: OnboardingPath,
        /// Rollout flags.
        flags: RolloutFlags,
        /// The service accepted the presented Verified ID for the 30-day fast path.
        fast_path: bool,
        /// When the presented Verified ID was issued (server time), when the service says.
        verified_id_issued_at: Option<Timestamp>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `ConfirmDateOfBirth`: the date matched.
    DateOfBirthConfirmed {
        /// The service's time.
        server_time: Timestamp,
    },
    /// `OpenPartnerSession`: the partner's page to hand the user off to.
    PartnerSessionOpened {
        /// The partner's page for this session (it carries its own one-time token).
        handoff_url: String,
        /// When the partner session ends (server time).
        expires_at: Timestamp,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `FetchGovernmentIdVerdict`: the verdict the partner reported to the service.
    GovernmentIdVerdict {
        /// `None`: the partner has not reported yet.
        outcome: Option<GovernmentIdOutcome>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `FetchVerifiedId`: the Verified ID, if the service has issued one yet.
    VerifiedId {
        /// `iat` and `exp` (server time) of the credential now in secure storage.
        issued: Option<(Timestamp, Timestamp)>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `UploadSelfie`: stored.
    SelfieUploaded {
        /// The service's time.
        server_time: Timestamp,
    },
    /// `RequestLivenessChallenge`: the challenge to capture frames for.
    LivenessChallengeIssued {
        /// Its id (the nonce the upload names).
        challenge_id: String,
        /// When the service stops accepting frames for it (server time).
        expires_at: Timestamp,
        /// The actions the service drew, in order (never none: the runtime refuses such an
        /// answer, since "move closer" was retired).
        actions: Vec<Action>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `SubmitLivenessFrames`: the service's verdict on the frames.
    LivenessJudged {
        /// The service's challenge passed on them.
        passed: bool,
        /// Why not: the core's challenge code (`ACTION_TIMED_OUT`, `FACE_LOST`…), or
        /// `ACTIONS_INCOMPLETE` (the frames ended before the last action) / `NO_FACE` (no frame
        /// had a face).
        reason: Option<String>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `PresentVerifiedId`: received.
    VerifiedIdPresented {
        /// The service's time.
        server_time: Timestamp,
    },
    /// `SubmitForReview`: submitted.
    Submitted {
        /// The review status, when the answer has one.
        status: Option<ReviewStatus>,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `CreateTap`: the TAP (its code is shown once).
    TapCreated {
        /// The TAP.
        tap: TapGrant,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `FetchPasskeyOptions`: the WebAuthn creation options (JSON).
    PasskeyOptions {
        /// Passed to the platform API as they are.
        options_json: String,
    },
    /// `SubmitPasskey`: verified and stored.
    PasskeyRegistered {
        /// The service's time.
        server_time: Timestamp,
    },
    /// The account's security: the answer of `SignInWithTap`, `FetchSecurityInfo`,
    /// `VerifyAuthenticatorApp`, `VerifyPhoneCode`, `SetPin`, `SetSecurityAnswers` and
    /// `RemoveSecurityMethod`.
    SecurityInfo {
        /// The state.
        account: AccountSecurity,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `OpenPasswordPage`: the one-time page (its URL carries a ticket: a secret).
    PasswordPage {
        /// The page.
        url: SecretString,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `StartAuthenticatorApp`: the activation.
    AuthenticatorAppActivation {
        /// It.
        activation: AppActivation,
        /// The service's time.
        server_time: Timestamp,
    },
    /// `StartPhoneVerification`, `ResendPhoneCode`, `FetchPhoneVerification`.
    PhoneVerification {
        /// It.
        verification: PhoneVerification,
        /// The service's time.
        server_time: Timestamp,
    },
}

impl CallAnswer {
    /// Whether this is an answer `call` can have (several calls answer with the account's
    /// security, or with a phone verification).
    pub fn answers(&self, call: &ServiceCall) -> bool {
        use ServiceCall as C;
        match self {
            CallAnswer::SecurityInfo { .. } => matches!(
                call,
                C::SignInWithTap { .. }
                    | C::FetchSecurityInfo { .. }
                    | C::VerifyAuthenticatorApp { .. }
                    | C::VerifyPhoneCode { .. }
                    | C::SetPin { .. }
                    | C::SetSecurityAnswers { .. }
                    | C::RemoveSecurityMethod { .. }
            ),
            CallAnswer::PhoneVerification { .. } => {
                matches!(call, C::StartPhoneVerification { .. } | C::ResendPhoneCode { .. } | C::FetchPhoneVerification { .. })
            }
            _ => self.call_name() == call.name(),
        }
    }

    /// The name of the call this answers (`ServiceCall::name`; for an answer several calls
    /// share, the read's).
    pub fn call_name(&self) -> &'static str {
        match self {
            CallAnswer::RequestCreated { .. } => "CreateRequest",
            CallAnswer::DateOfBirthConfirmed { .. } => "ConfirmDateOfBirth",
            CallAnswer::PartnerSessionOpened { .. } => "OpenPartnerSession",
            CallAnswer::GovernmentIdVerdict { .. } => "FetchGovernmentIdVerdict",
            CallAnswer::VerifiedId { .. } => "FetchVerifiedId",
            CallAnswer::SelfieUploaded { .. } => "UploadSelfie",
            CallAnswer::LivenessChallengeIssued { .. } => "RequestLivenessChallenge",
            CallAnswer::LivenessJudged { .. } => "SubmitLivenessFrames",
            CallAnswer::VerifiedIdPresented { .. } => "PresentVerifiedId",
            CallAnswer::Submitted { .. } => "SubmitForReview",
            CallAnswer::TapCreated { .. } => "CreateTap",
            CallAnswer::PasskeyOptions { .. } => "FetchPasskeyOptions",
            CallAnswer::PasskeyRegistered { .. } => "SubmitPasskey",
            CallAnswer::SecurityInfo { .. } => "FetchSecurityInfo",
            CallAnswer::PhoneVerification { .. } => "FetchPhoneVerification",
            CallAnswer::PasswordPage { .. } => "OpenPasswordPage",
            CallAnswer::AuthenticatorAppActivation { .. } => "StartAuthenticatorApp",
        }
    }
}

/// Why a call produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFailure {
    /// How far it got; decides whether a retry is the same call or a new one.
    pub kind: FailureKind,
    /// A stable code: the service's own, or one of the `NOT_SENT_*` / transport codes.
    pub code: String,
}

/// How far a failed call got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No usable answer (network, timeout, server error, an unreadable answer): the service may
    /// or may not have acted, so a retry must be the *same* call.
    NoAnswer,
    /// The service refused it with a stable code and did nothing: a retry is a new call.
    Refused,
    /// The runtime could not send it (an input lost with the app's memory, secure storage
    /// failed, no randomness): nothing reached the service.
    NotSent,
}

/// `NotSent` code: the selfie or the liveness frames lived in the app's memory and are gone.
pub const NOT_SENT_INPUT_LOST: &str = "INPUT_LOST";
/// `NotSent` code: the Verified ID is not in this phone's secure storage.
pub const NOT_SENT_VERIFIED_ID_MISSING: &str = "VERIFIED_ID_MISSING";
/// `NotSent` code: the device key a presentation is signed with cannot be used (the platform
/// refused, or the key was lost with a restore): the Verified ID bound to it is of no use here.
pub const NOT_SENT_DEVICE_KEY_UNAVAILABLE: &str = "DEVICE_KEY_UNAVAILABLE";
/// `NotSent` code: the secure store failed.
pub const NOT_SENT_SECURE_STORAGE: &str = "SECURE_STORAGE_FAILED";

impl CallFailure {
    /// A failure with no usable answer.
    pub fn no_answer(code: impl Into<String>) -> Self {
        CallFailure { kind: FailureKind::NoAnswer, code: code.into() }
    }

    /// A refusal by the service.
    pub fn refused(code: impl Into<String>) -> Self {
        CallFailure { kind: FailureKind::Refused, code: code.into() }
    }

    /// A call the runtime could not send.
    pub fn not_sent(code: impl Into<String>) -> Self {
        CallFailure { kind: FailureKind::NotSent, code: code.into() }
    }

    /// Whether a retry must reuse the call (and so its idempotency key). A call the service
    /// may have applied must be the same call; a refused one must not be, or the service
    /// would answer the stored refusal again. The service's "key in use" is a concurrent
    /// attempt of this very call, so it is retried as the same call too.
    pub fn retry_is_same_call(&self) -> bool {
        self.kind == FailureKind::NoAnswer || self.code == "IDEMPOTENCY_KEY_IN_USE"
    }
}

/// A call in flight: made by the flow, not yet answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingCall {
    /// Its id.
    pub id: CallId,
    /// What.
    pub call: ServiceCall,
}

/// A call that failed and that `Continue` resends.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FailedCall {
    /// The id it had.
    pub id: CallId,
    /// What.
    pub call: ServiceCall,
    /// Whether the resend is the same call (same id) or a new attempt.
    pub resend_same: bool,
    /// The failure's code, shown until the next event.
    pub code: String,
}
