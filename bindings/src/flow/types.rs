//! Mirrors of the core flow's types. `#[uniffi::remote]` makes the compiler check each mirror
//! against the core's definition, so they cannot drift.

use identity_pass_core::SecretString;
use identity_pass_core::eligibility::DeviceProfile;
use identity_pass_core::flow::account_security::{OnwardLink, RegisteredMethod, SecurityAnswer, SecurityMethodKind, SecurityTaskKind};
use identity_pass_core::flow::account_security_view::{
    OnwardLinkView, QrMatrix, SecureAccountView, SecurityQuestionView, SecurityTaskOption, SecurityTaskView,
};
use identity_pass_core::flow::credential::{CredentialKind, TapExpiryReason, TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::{IdentityField, IdentityForm, StaffKind};
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::{GovernmentIdOutcome, PartnerStep, SelfiePhase};
use identity_pass_core::flow::view::{DeadlineKind, DeadlineView, FieldErrorView, PasskeyStage, ReviewStage};
use identity_pass_core::flow::{CallId, Effect, Rejection, Screen, ServiceCall, ShellEvent, ViewState};
use identity_pass_core::messages::{Locale, LocalizedMessage};

// The TAP code crosses as a plain string: the shell must show it, once. On the Rust side it
// stays a `SecretString`, so no Debug print or log of an event or a view can leak it.
uniffi::custom_type!(SecretString, String, {
    remote,
    lower: |secret| secret.expose_secret().to_owned(),
    try_lift: |value| Ok(SecretString::new(value)),
});

#[uniffi::remote(Enum)]
enum Locale {
    English,
    SimplifiedChinese,
}

#[uniffi::remote(Record)]
struct LocalizedMessage {
    code: String,
    text: String,
}

#[uniffi::remote(Enum)]
enum Permission {
    Camera,
    Microphone,
    Notifications,
    Location,
}

#[uniffi::remote(Enum)]
enum PermissionStatus {
    NotRequested,
    Granted,
    GrantedOnlyThisTime,
    Denied,
    PermanentlyDenied,
    Approximate,
    ReducedAccuracy,
}

#[uniffi::remote(Enum)]
enum StaffKind {
    Employee,
    External,
}

#[uniffi::remote(Record)]
struct IdentityForm {
    upn: String,
    employee_id: String,
    personal_email: Option<String>,
    staff_kind: StaffKind,
}

#[uniffi::remote(Enum)]
enum IdentityField {
    Upn,
    EmployeeId,
    PersonalEmail,
}

#[uniffi::remote(Enum)]
enum OnboardingPath {
    GetTap,
    GetPasskey,
    LegacyDob,
}

#[uniffi::remote(Record)]
struct RolloutFlags {
    liveness_prompt: bool,
    verified_id: bool,
}

#[uniffi::remote(Enum)]
enum PartnerStep {
    EmailPin,
    PhoneNumber,
    Terms,
    IdScan,
    Selfie,
}

#[uniffi::remote(Enum)]
enum GovernmentIdOutcome {
    Verified,
    Rejected { reason: String },
    Expired,
}

#[uniffi::remote(Enum)]
enum ReviewStatus {
    Submitted { submitted_at: i64 },
    WaitingForReviewer { submitted_at: i64 },
    CallInvited { call_id: String },
    InCall { call_id: String, joined_at: i64 },
    LeftCall { call_id: String, left_at: i64, seconds_in_call: i64 },
    Approved,
    Denied { reason_code: String, message: String },
    Expired,
}

#[uniffi::remote(Enum)]
enum TapUsability {
    EnabledByPolicy,
    DisabledByPolicy,
    Expired,
    NotYetValid,
    OneTimeUsed,
}

#[uniffi::remote(Record)]
struct TapGrant {
    id: String,
    code: SecretString,
    start_at: i64,
    lifetime_minutes: u32,
    is_usable_once: bool,
    usability: TapUsability,
}

/// What a shell may report. The service's answers are not here: only the runtime feeds them.
#[uniffi::remote(Enum)]
enum ShellEvent {
    DeviceChecked { profile: DeviceProfile },
    PermissionReported { permission: Permission, status: PermissionStatus },
    AppResumed,
    Tick,
    Continue,
    ConsentAnswered { accepted: bool },
    IdentitySubmitted { form: IdentityForm },
    DobYearSelected { year: i32 },
    DobMonthSelected { month: u32 },
    DobDaySelected { day: u32 },
    EditIdentity,
    GovernmentIdProgress { step: PartnerStep },
    GovernmentIdHandoffEnded,
    CallJoined,
    CallEnded,
    SecurityTaskChosen { task: SecurityTaskKind },
    PhoneNumberEntered { phone_number: String, extension: Option<String>, backup_phone_number: Option<String> },
    VerificationCodeEntered { code: SecretString },
    ResendVerificationCode,
    PinEntered { pin: SecretString, confirmation: SecretString },
    SecurityAnswersEntered { answers: Vec<SecurityAnswer> },
    SecurityMethodRemoved { method_id: String },
    OnwardLinkOpened { link: OnwardLink },
}

// A call id crosses as its number (shells only see it in `Effect.Call`, which the session
// performs itself; the pure flow's tests read it to answer).
uniffi::custom_type!(CallId, u64, {
    remote,
    lower: |id| id.0,
    try_lift: |value| Ok(CallId(value)),
});

#[uniffi::remote(Enum)]
enum ServiceCall {
    CreateRequest {
        upn: String,
        employee_id: String,
        personal_email: Option<String>,
        staff_kind: StaffKind,
        terms_version: String,
        consent_accepted_at: i64,
        present_verified_id: bool,
    },
    ConfirmDateOfBirth {
        request_id: String,
        date_of_birth: String,
    },
    OpenPartnerSession {
        request_id: String,
    },
    FetchGovernmentIdVerdict {
        request_id: String,
    },
    FetchVerifiedId {
        request_id: String,
    },
    UploadSelfie {
        request_id: String,
    },
    RequestLivenessChallenge {
        request_id: String,
    },
    SubmitLivenessFrames {
        request_id: String,
        challenge_id: String,
    },
    PresentVerifiedId {
        request_id: String,
    },
    SubmitForReview {
        request_id: String,
    },
    CreateTap {
        request_id: String,
        replace_lost: bool,
    },
    FetchPasskeyOptions {
        request_id: String,
    },
    SubmitPasskey {
        request_id: String,
        response_json: String,
    },
    SignInWithTap {
        request_id: String,
        code: Option<SecretString>,
    },
    FetchSecurityInfo {
        request_id: String,
    },
    OpenPasswordPage {
        request_id: String,
    },
    StartAuthenticatorApp {
        request_id: String,
    },
    VerifyAuthenticatorApp {
        request_id: String,
        activation_id: String,
        code: Option<SecretString>,
    },
    StartPhoneVerification {
        request_id: String,
        delivery: SecurityMethodKind,
        phone_number: String,
        extension: Option<String>,
        backup_phone_number: Option<String>,
    },
    ResendPhoneCode {
        request_id: String,
        verification_id: String,
    },
    VerifyPhoneCode {
        request_id: String,
        verification_id: String,
        code: Option<SecretString>,
    },
    FetchPhoneVerification {
        request_id: String,
        verification_id: String,
    },
    SetPin {
        request_id: String,
        pin: Option<SecretString>,
        confirmation: Option<SecretString>,
    },
    SetSecurityAnswers {
        request_id: String,
        answers: Option<Vec<SecurityAnswer>>,
    },
    RemoveSecurityMethod {
        request_id: String,
        method_id: String,
    },
}

#[uniffi::remote(Enum)]
enum SecurityMethodKind {
    AuthenticatorApp,
    TextMessage,
    VoiceCall,
}

#[uniffi::remote(Enum)]
enum SecurityTaskKind {
    Checklist,
    AuthenticatorApp,
    TextMessage,
    VoiceCall,
    Pin,
    SecurityQuestions,
    Password,
}

#[uniffi::remote(Enum)]
enum OnwardLink {
    Authenticator,
    CompanyPortal,
    SecurityInfoPage,
}

#[uniffi::remote(Record)]
struct SecurityAnswer {
    question_id: String,
    answer: SecretString,
}

#[uniffi::remote(Record)]
struct RegisteredMethod {
    id: String,
    kind: SecurityMethodKind,
    phone_number: Option<String>,
    registered_at: i64,
}

#[uniffi::remote(Record)]
struct QrMatrix {
    size: u32,
    dark: Vec<bool>,
}

#[uniffi::remote(Record)]
struct SecurityTaskOption {
    task: SecurityTaskKind,
    label: LocalizedMessage,
    done: bool,
}

#[uniffi::remote(Record)]
struct OnwardLinkView {
    link: OnwardLink,
    label: LocalizedMessage,
}

#[uniffi::remote(Record)]
struct SecurityQuestionView {
    id: String,
    text: String,
}

#[uniffi::remote(Enum)]
enum SecurityTaskView {
    Checklist,
    AuthenticatorApp {
        activation_code: Option<String>,
        activation_url: Option<String>,
        barcode: Option<QrMatrix>,
    },
    PhoneNumber {
        delivery: SecurityMethodKind,
    },
    PhoneCode {
        delivery: SecurityMethodKind,
        phone_number: String,
        attempts_left: u32,
        resend_available_at: i64,
        resend_label: LocalizedMessage,
    },
    Pin {
        min_length: u32,
        max_length: u32,
    },
    SecurityQuestions {
        count: u32,
        questions: Vec<SecurityQuestionView>,
    },
    Password,
}

#[uniffi::remote(Record)]
struct SecureAccountView {
    task: SecurityTaskView,
    options: Vec<SecurityTaskOption>,
    methods: Vec<RegisteredMethod>,
    links: Vec<OnwardLinkView>,
    complete: bool,
}

#[uniffi::remote(Enum)]
enum Effect {
    PersistState,
    RequestPermission { permission: Permission },
    RequestFullAccuracyLocation,
    OpenAppSettings { permission: Permission },
    CheckPermissions,
    Call { id: CallId, call: ServiceCall },
    StartGovernmentIdCheck { request_id: String, handoff_url: String },
    OpenAuthenticator,
    StartSelfie,
    StartLiveness { request_id: String, challenge_id: String },
    WatchStatus { request_id: String },
    JoinCall { call_id: String },
    RegisterPasskey { options_json: String },
    ScheduleWake { at: i64 },
    ShowNotification { message: LocalizedMessage },
    OpenUrl { url: String },
    OpenPasswordPage { url: SecretString },
    OpenOtpauthLink { uri: SecretString },
}

#[uniffi::remote(Enum)]
enum Rejection {
    UnexpectedEvent,
    InvalidInput,
}

#[uniffi::remote(Enum)]
enum SelfiePhase {
    Ready,
    Capturing,
    Uploading,
}

#[uniffi::remote(Enum)]
enum ReviewStage {
    Submitting,
    Waiting,
    CallInvited,
    InCall,
    AwaitingDecision,
}

#[uniffi::remote(Enum)]
enum PasskeyStage {
    FetchingOptions,
    Registering,
    Submitting,
}

#[uniffi::remote(Enum)]
enum TapExpiryReason {
    Lifetime,
    RegistrationWindow,
    ReportedUnusable,
}

#[uniffi::remote(Enum)]
enum CredentialKind {
    Tap,
    Passkey,
}

#[uniffi::remote(Record)]
struct FieldErrorView {
    field: IdentityField,
    message: LocalizedMessage,
}

#[uniffi::remote(Enum)]
enum DeadlineKind {
    ReviewerCall,
    TapExpiry,
    OneTimeRegistration,
}

#[uniffi::remote(Record)]
struct DeadlineView {
    kind: DeadlineKind,
    server_time: i64,
    phone_time: i64,
}

#[uniffi::remote(Enum)]
enum Screen {
    DeviceCheck,
    Ineligible {
        reasons: Vec<LocalizedMessage>,
    },
    Permissions {
        missing: Vec<Permission>,
    },
    Consent {
        terms_version: String,
    },
    IdentityEntry {
        form: Option<IdentityForm>,
        field_errors: Vec<FieldErrorView>,
    },
    SubmittingIdentity,
    DateOfBirth {
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
        first_year: i32,
        last_year: i32,
        month_enabled: bool,
        day_enabled: bool,
        days_in_month: u32,
    },
    GovernmentId {
        completed_steps: Vec<PartnerStep>,
        started: bool,
    },
    AwaitingVerifiedId,
    AddVerifiedId {
        authenticator_opened: bool,
    },
    Selfie {
        phase: SelfiePhase,
    },
    Liveness {
        in_progress: bool,
        fast_path: bool,
    },
    PresentVerifiedId {
        requested: bool,
    },
    Review {
        stage: ReviewStage,
    },
    FetchingTap,
    Tap {
        code: Option<SecretString>,
        is_usable_once: bool,
    },
    SecureAccount {
        view: SecureAccountView,
    },
    TapExpired {
        reason: TapExpiryReason,
        fast_path_available: bool,
    },
    Passkey {
        stage: PasskeyStage,
    },
    Denied,
    ReviewWindowMissed,
    Done {
        credential: CredentialKind,
    },
}

#[uniffi::remote(Record)]
struct ViewState {
    screen: Screen,
    title: LocalizedMessage,
    body: Option<LocalizedMessage>,
    primary_action: Option<LocalizedMessage>,
    notice: Option<LocalizedMessage>,
    busy: bool,
    deadline: Option<DeadlineView>,
}
