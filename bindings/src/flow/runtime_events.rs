//! Test support only (feature `test-support`, never in a phone build): the events only the
//! runtime may feed the flow, so the Kotlin and Swift flow tests can play the service's part
//! against the pure flow object. A shipped shell has no way to name a service answer.

use identity_pass_core::SecretString;
use identity_pass_core::flow::account_security::{
    AccountSecurity, AppActivation, PhoneVerification, PhoneVerificationStatus, SecurityPolicy, SecurityQuestion,
};
use identity_pass_core::flow::credential::TapGrant;
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::GovernmentIdOutcome;
use identity_pass_core::flow::{CallAnswer, CallFailure, CallId, CallOutcome, FailureKind};
use identity_pass_core::selfie::face_model::Action;

/// What the runtime feeds the flow besides a shell's events.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum RuntimeEvent {
    /// The selfie session took the selfie.
    SelfieCaptured,
    /// The phone's liveness challenge ended (`failure`: the capture module's code). Passed, its
    /// frames go to the service, whose verdict (`ServiceAnswer::LivenessJudged`) decides.
    LivenessFinished { failure: Option<String> },
    /// A call ended.
    Answered { id: CallId, outcome: ServiceOutcome },
    /// The status watch saw the review move.
    ReviewUpdated { status: ReviewStatus, server_time: i64 },
    /// The platform created the passkey.
    PasskeyCreated { response_json: String },
    /// A new session on a saved flow.
    SessionStarted,
}

impl From<RuntimeEvent> for identity_pass_core::flow::Event {
    fn from(event: RuntimeEvent) -> Self {
        use identity_pass_core::flow::Event;
        match event {
            RuntimeEvent::SelfieCaptured => Event::SelfieCaptured,
            RuntimeEvent::LivenessFinished { failure } => Event::LivenessFinished { failure },
            RuntimeEvent::Answered { id, outcome } => Event::Answered { id, outcome: outcome.into() },
            RuntimeEvent::ReviewUpdated { status, server_time } => Event::ReviewUpdated { status, server_time },
            RuntimeEvent::PasskeyCreated { response_json } => Event::PasskeyCreated { response_json },
            RuntimeEvent::SessionStarted => Event::SessionStarted,
        }
    }
}

/// How a call ended (mirrors the core's `CallOutcome`).
#[derive(Debug, Clone, uniffi::Enum)]
pub enum ServiceOutcome {
    /// The service answered.
    Answered { answer: ServiceAnswer },
    /// It did not.
    Failed { failure: CallFailure },
}

/// The core's `CallAnswer`, with the Verified ID's dates as a record (UniFFI has no tuples).
#[derive(Debug, Clone, uniffi::Enum)]
#[allow(missing_docs)]
pub enum ServiceAnswer {
    RequestCreated {
        request_id: String,
        path: OnboardingPath,
        flags: RolloutFlags,
        fast_path: bool,
        verified_id_issued_at: Option<i64>,
        server_time: i64,
    },
    DateOfBirthConfirmed {
        server_time: i64,
    },
    PartnerSessionOpened {
        handoff_url: String,
        expires_at: i64,
        server_time: i64,
    },
    GovernmentIdVerdict {
        outcome: Option<GovernmentIdOutcome>,
        server_time: i64,
    },
    VerifiedId {
        issued: Option<VerifiedIdDates>,
        server_time: i64,
    },
    SelfieUploaded {
        server_time: i64,
    },
    LivenessChallengeIssued {
        challenge_id: String,
        expires_at: i64,
        server_time: i64,
        actions: Vec<Action>,
    },
    LivenessJudged {
        passed: bool,
        reason: Option<String>,
        server_time: i64,
    },
    VerifiedIdPresented {
        server_time: i64,
    },
    Submitted {
        status: Option<ReviewStatus>,
        server_time: i64,
    },
    TapCreated {
        tap: TapGrant,
        server_time: i64,
    },
    PasskeyOptions {
        options_json: String,
    },
    PasskeyRegistered {
        server_time: i64,
    },
    SecurityInfo {
        account: AccountSecurity,
        server_time: i64,
    },
    PasswordPage {
        url: SecretString,
        server_time: i64,
    },
    AuthenticatorAppActivation {
        activation: AppActivation,
        server_time: i64,
    },
    PhoneVerification {
        verification: PhoneVerification,
        server_time: i64,
    },
}

/// A Verified ID's `iat` and `exp` (service time).
#[derive(Debug, Clone, Copy, uniffi::Record)]
pub struct VerifiedIdDates {
    /// Issued.
    pub issued_at: i64,
    /// Expires.
    pub expires_at: i64,
}

impl From<ServiceOutcome> for CallOutcome {
    fn from(outcome: ServiceOutcome) -> Self {
        use ServiceAnswer as S;
        let answer = match outcome {
            ServiceOutcome::Failed { failure } => return CallOutcome::Failed(failure),
            ServiceOutcome::Answered { answer } => answer,
        };
        CallOutcome::Answered(match answer {
            S::RequestCreated { request_id, path, flags, fast_path, verified_id_issued_at, server_time } => {
                CallAnswer::RequestCreated { request_id, path, flags, fast_path, verified_id_issued_at, server_time }
            }
            S::DateOfBirthConfirmed { server_time } => CallAnswer::DateOfBirthConfirmed { server_time },
            S::PartnerSessionOpened { handoff_url, expires_at, server_time } => {
                CallAnswer::PartnerSessionOpened { handoff_url, expires_at, server_time }
            }
            S::GovernmentIdVerdict { outcome, server_time } => CallAnswer::GovernmentIdVerdict { outcome, server_time },
            S::VerifiedId { issued, server_time } => {
                CallAnswer::VerifiedId { issued: issued.map(|d| (d.issued_at, d.expires_at)), server_time }
            }
            S::SelfieUploaded { server_time } => CallAnswer::SelfieUploaded { server_time },
            S::LivenessChallengeIssued { challenge_id, expires_at, server_time, actions } => {
                CallAnswer::LivenessChallengeIssued { challenge_id, expires_at, actions, server_time }
            }
            S::LivenessJudged { passed, reason, server_time } => CallAnswer::LivenessJudged { passed, reason, server_time },
            S::VerifiedIdPresented { server_time } => CallAnswer::VerifiedIdPresented { server_time },
            S::Submitted { status, server_time } => CallAnswer::Submitted { status, server_time },
            S::TapCreated { tap, server_time } => CallAnswer::TapCreated { tap, server_time },
            S::PasskeyOptions { options_json } => CallAnswer::PasskeyOptions { options_json },
            S::PasskeyRegistered { server_time } => CallAnswer::PasskeyRegistered { server_time },
            S::SecurityInfo { account, server_time } => CallAnswer::SecurityInfo { account, server_time },
            S::PasswordPage { url, server_time } => CallAnswer::PasswordPage { url, server_time },
            S::AuthenticatorAppActivation { activation, server_time } => CallAnswer::AuthenticatorAppActivation { activation, server_time },
            S::PhoneVerification { verification, server_time } => CallAnswer::PhoneVerification { verification, server_time },
        })
    }
}

#[uniffi::remote(Record)]
struct CallFailure {
    kind: FailureKind,
    code: String,
}

#[uniffi::remote(Enum)]
enum FailureKind {
    NoAnswer,
    Refused,
    NotSent,
}

#[uniffi::remote(Record)]
struct AccountSecurity {
    signed_in_at: i64,
    session_expires_at: i64,
    registration_deadline: Option<i64>,
    password_set: bool,
    methods: Vec<identity_pass_core::flow::account_security::RegisteredMethod>,
    pin_set: bool,
    security_questions_set: bool,
    complete: bool,
    policy: SecurityPolicy,
}

#[uniffi::remote(Record)]
struct SecurityPolicy {
    methods: Vec<identity_pass_core::flow::account_security::SecurityMethodKind>,
    pin_required: bool,
    pin_min_length: u32,
    pin_max_length: u32,
    questions_required: bool,
    question_count: u32,
    questions: Vec<SecurityQuestion>,
}

#[uniffi::remote(Record)]
struct SecurityQuestion {
    id: String,
    text_en: String,
    text_zh: String,
}

#[uniffi::remote(Record)]
struct AppActivation {
    activation_id: String,
    activation_code: String,
    activation_url: String,
    otpauth_uri: Option<SecretString>,
    expires_at: i64,
}

#[uniffi::remote(Enum)]
enum PhoneVerificationStatus {
    Pending,
    Verified,
    Failed,
}

#[uniffi::remote(Record)]
struct PhoneVerification {
    verification_id: String,
    delivery: identity_pass_core::flow::account_security::SecurityMethodKind,
    phone_number: String,
    status: PhoneVerificationStatus,
    expires_at: i64,
    resend_available_at: i64,
    attempts_left: u32,
}
