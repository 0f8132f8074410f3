//! Securing the account after the TAP, its state: the sign-in with the TAP on the device
//! (`POST /v1/requests/{id}/tap/sign-in`), which opens the account session every other
//! security-info call needs, and `GET /v1/requests/{id}/security-info`, the SecurityInfo the
//! app's checklist is built from — what is set, the deadlines in service time, and the
//! administrator's policy. The rules are `domain::account_security`'s.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::account_security::policy::SecurityPolicy;
use crate::domain::account_security::session::{self, AccountSession};
use crate::domain::account_security::{Method, SecurityState};
use crate::domain::error::SignInRefusal;
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::secrets::{new_id, sha256};
use crate::state::AppState;
use crate::store::{self, Connection};

/// Body of `POST /v1/requests/{id}/tap/sign-in`. No `Debug`: it carries a TAP. A missing code
/// is a wrong code (the same refusal).
#[derive(Deserialize)]
pub struct TapSignIn {
    /// The code.
    #[serde(rename = "temporaryAccessPass", default)]
    pub code: String,
}

/// One registered method.
#[derive(Debug, Serialize)]
pub struct MethodView {
    /// Its id (to remove it).
    pub id: String,
    /// `authenticator_app`, `sms` or `voice`.
    pub kind: &'static str,
    /// E.164, for a phone method.
    pub phone_number: Option<String>,
    /// Extension digits, for a voice method.
    pub extension: Option<String>,
    /// Backup E.164 number, for a voice method.
    pub backup_phone_number: Option<String>,
    /// RFC 3339.
    pub registered_at: String,
}

impl From<&Method> for MethodView {
    fn from(method: &Method) -> Self {
        Self {
            id: method.id.clone(),
            kind: method.kind.as_str(),
            phone_number: method.phone_number.clone(),
            extension: method.extension.clone(),
            backup_phone_number: method.backup_phone_number.clone(),
            registered_at: to_rfc3339(method.registered_at),
        }
    }
}

/// A question's texts in the app's languages.
#[derive(Debug, Serialize)]
pub struct QuestionText {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans")]
    pub zh_hans: String,
}

/// One question of the policy's list.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    /// The id to answer it with.
    pub id: String,
    /// Its wording.
    pub text: QuestionText,
}

/// The PIN rules.
#[derive(Debug, Serialize)]
pub struct PinPolicyView {
    /// Needed for a complete account.
    pub required: bool,
    /// Fewest digits.
    pub min_length: usize,
    /// Most digits.
    pub max_length: usize,
}

/// The security-question rules.
#[derive(Debug, Serialize)]
pub struct QuestionsPolicyView {
    /// Needed for a complete account.
    pub required: bool,
    /// How many to answer.
    pub count: usize,
    /// The list.
    pub questions: Vec<QuestionView>,
}

/// The administrator's policy as the app sees it.
#[derive(Debug, Serialize)]
pub struct PolicyView {
    /// Methods offered.
    pub methods: Vec<&'static str>,
    /// PIN rules.
    pub pin: PinPolicyView,
    /// Question rules.
    pub security_questions: QuestionsPolicyView,
}

impl From<&SecurityPolicy> for PolicyView {
    fn from(policy: &SecurityPolicy) -> Self {
        let questions = &policy.security_questions;
        Self {
            methods: policy.methods.iter().map(|m| m.as_str()).collect(),
            pin: PinPolicyView { required: policy.pin.required, min_length: policy.pin.min_length, max_length: policy.pin.max_length },
            security_questions: QuestionsPolicyView {
                required: questions.required,
                count: questions.count,
                questions: questions
                    .questions
                    .iter()
                    .map(|q| QuestionView { id: q.id.clone(), text: QuestionText { en: q.en.clone(), zh_hans: q.zh_hans.clone() } })
                    .collect(),
            },
        }
    }
}

/// SecurityInfo: where securing the account stands, in service time.
#[derive(Debug, Serialize)]
pub struct SecurityInfo {
    /// The account.
    pub upn: String,
    /// When this device signed in with the TAP.
    pub signed_in_at: String,
    /// When the session ends (the TAP's expiry).
    pub session_expires_at: String,
    /// After a one-time TAP and until a method is registered: register one before this.
    pub registration_deadline: Option<String>,
    /// The password was set on the password page.
    pub password_set: bool,
    /// Registered methods, oldest first.
    pub methods: Vec<MethodView>,
    /// A PIN is set.
    pub pin_set: bool,
    /// The security questions are answered.
    pub security_questions_set: bool,
    /// Everything the policy asks for is done.
    pub complete: bool,
    /// The administrator's policy.
    pub policy: PolicyView,
    /// Server time.
    pub server_time: String,
}

/// The account's facts, read fresh.
pub fn security_state(connection: &Connection, upn: &str) -> ApiResult<SecurityState> {
    let secrets = store::account_secrets::state(connection, upn)?;
    Ok(SecurityState {
        password_set_at: secrets.password_set_at,
        methods: store::auth_methods::list(connection, upn)?,
        pin_set: secrets.pin_set,
        security_questions_set: secrets.questions_set,
    })
}

/// SecurityInfo of `session`'s account at `now`.
pub fn security_info(state: &AppState, connection: &Connection, session: &AccountSession, now: i64) -> ApiResult<SecurityInfo> {
    let account = security_state(connection, &session.upn)?;
    let has_method = !account.methods.is_empty();
    Ok(SecurityInfo {
        upn: session.upn.clone(),
        signed_in_at: to_rfc3339(session.signed_in_at),
        session_expires_at: to_rfc3339(session.expires_at),
        registration_deadline: session::shown_deadline(session, has_method).map(to_rfc3339),
        password_set: account.password_set_at.is_some(),
        methods: account.methods.iter().map(MethodView::from).collect(),
        pin_set: account.pin_set,
        security_questions_set: account.security_questions_set,
        complete: account.complete(&state.security_policy),
        policy: PolicyView::from(&state.security_policy),
        server_time: to_rfc3339(now),
    })
}

/// The live account session of `device` for request `id`'s user, or the refusal: the request
/// must be the device's (else 404), and the session live (`session::check_live`).
pub fn live_session(connection: &Connection, id: &str, device: &DeviceAuth, now: i64) -> ApiResult<AccountSession> {
    let request = store::requests::load_owned(connection, id, &device.device_id)?;
    let latest = store::account_sessions::latest(connection, &request.upn, &device.device_id)?;
    let has_method = store::auth_methods::any(connection, &request.upn)?;
    session::check_live(latest.as_ref(), has_method, now)?;
    latest.ok_or_else(|| DomainError::AccountSignInRequired.into())
}

/// Signs `upn` in with `code` at `now` and records it: the TAP's use (a one-time pass is spent)
/// and the account session, bound to `device_id` when the sign-in was on the device. Both
/// sign-in endpoints go through here, so the 10-minute rule runs whichever the user took.
pub fn record_sign_in(
    state: &AppState,
    connection: &Connection,
    upn: &str,
    device_id: Option<&str>,
    code: &str,
    now: i64,
) -> ApiResult<AccountSession> {
    let refused = || ApiError::from(DomainError::TapSignInRefused(SignInRefusal::InvalidCode));
    let (tap, code_hash) = store::taps::find(connection, upn)?.ok_or_else(refused)?;
    let in_scope = state.tap_policy.covers(&state.directory, upn);
    session::check_sign_in(&state.tap_policy, in_scope, &tap, code_hash == sha256(code.as_bytes()), now)?;
    store::taps::mark_used(connection, upn, now)?;
    let session = session::open(&tap, upn, device_id, new_id("as")?, now);
    store::account_sessions::insert(connection, &session)?;
    Ok(session)
}

/// `POST /v1/requests/{id}/tap/sign-in`: the user signs in with the TAP on this device.
pub async fn sign_in(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TapSignIn>,
) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let request = store::requests::load_owned(connection, &id, &device.device_id)?;
        let session = record_sign_in(&state, connection, &request.upn, Some(&device.device_id), &body.code, now)?;
        Ok(((), Answer::json(StatusCode::OK, &security_info(&state, connection, &session, now)?)?))
    })?;
    Ok(answer)
}

/// `GET /v1/requests/{id}/security-info`.
pub async fn get(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Json<SecurityInfo>> {
    let now = state.now();
    let connection = state.db.lock()?;
    let session = live_session(&connection, &id, &device, now)?;
    Ok(Json(security_info(&state, &connection, &session, now)?))
}

/// `POST /v1/requests/{id}/security-info/methods/{method_id}/removal`: removes a method, never
/// the last one.
pub async fn remove_method(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path((id, method_id)): Path<(String, String)>,
) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        crate::domain::account_security::check_removal(&store::auth_methods::list(connection, &session.upn)?, &method_id)?;
        store::auth_methods::remove(connection, &session.upn, &method_id)?;
        Ok(((), Answer::json(StatusCode::OK, &security_info(&state, connection, &session, now)?)?))
    })?;
    Ok(answer)
}
