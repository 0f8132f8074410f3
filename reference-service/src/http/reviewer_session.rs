//! Reviewers sign in (issue 14, item 6). The console posts the account name and password to
//! `POST /v1/review/session` and gets an `HttpOnly`, `SameSite=Strict` session cookie (`Secure`
//! unless the service listens on loopback) plus the session's CSRF token; a script posts them
//! to `POST /v1/review/tokens` and gets a bearer token instead. Both run the same check: the
//! name must not be locked, the password must match the argon2id hash; failures count towards
//! the lock for names without an account too, and an unknown name costs the same hashing time
//! as a wrong password, so neither the answers nor their timing tell which accounts exist.
//! Every attempt goes to the audit log.

use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::audit::{AuditAction, recorded_actor};
use crate::domain::reviewer::{self, SESSION_LIFETIME_SECONDS, SessionKind};
use crate::http::auth::{ReviewerAuth, SESSION_COOKIE, csrf_token_for};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::secrets::{self, hex, random_bytes, sha256};
use crate::state::AppState;
use crate::store;

/// Body of both sign-in endpoints.
#[derive(Deserialize)]
pub struct SignIn {
    /// The reviewer's work email.
    pub upn: String,
    /// Their password.
    pub password: String,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn").field("upn", &self.upn).field("password", &"[redacted]").finish()
    }
}

/// Answer of the console's sign-in and of `GET /v1/review/session`.
#[derive(Serialize)]
pub struct SessionView {
    /// The reviewer's account name.
    pub upn: String,
    /// `reviewer` or `admin`.
    pub role: &'static str,
    /// Send as `X-CSRF-Token` with every state change (cookie sessions; `null` for a bearer).
    pub csrf_token: Option<String>,
    /// When the session ends, RFC 3339.
    pub expires_at: String,
}

impl std::fmt::Debug for SessionView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionView").field("upn", &self.upn).field("role", &self.role).finish_non_exhaustive()
    }
}

/// Answer of `POST /v1/review/tokens`.
#[derive(Serialize)]
pub struct TokenView {
    /// Send as `Authorization: Bearer` until `expires_at`.
    pub token: String,
    /// The reviewer's account name.
    pub upn: String,
    /// `reviewer` or `admin`.
    pub role: &'static str,
    /// When the token stops working, RFC 3339.
    pub expires_at: String,
}

impl std::fmt::Debug for TokenView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenView").field("upn", &self.upn).field("token", &"[redacted]").finish_non_exhaustive()
    }
}

/// Checked against when the name has no account, so an unknown name takes as long as a wrong
/// password. `None` only without randomness, when nothing could sign in anyway.
static UNKNOWN_ACCOUNT_HASH: LazyLock<Option<String>> = LazyLock::new(|| secrets::hash_password("no account has this password").ok());

/// A signed-in session: its secret (cookie value or bearer token) and what it unlocks.
struct NewSession {
    secret: String,
    upn: String,
    role: &'static str,
    expires_at: i64,
}

/// The check both endpoints share; creates the session of `kind` on success.
async fn sign_in(state: &AppState, body: SignIn, kind: SessionKind) -> ApiResult<NewSession> {
    let now = state.now();
    let upn = reviewer::normalized_upn(&body.upn);
    let actor = recorded_actor(&body.upn);
    // The attempt counts as a failure before the password is checked, in the same locked unit
    // as the lock check: guesses sent in parallel cannot all pass the check while the first
    // is still hashing. A right password then clears the count.
    let account = {
        let connection = state.db.lock()?;
        let failures = store::reviewers::failures(&connection, &actor)?;
        if let Err(locked) = failures.check_not_locked(now) {
            store::audit::record(&connection, now, &actor, AuditAction::SignInLocked, None, None)?;
            return Err(locked.into());
        }
        store::reviewers::set_failures(&connection, &actor, failures.after_failure(now))?;
        store::reviewers::account(&connection, &upn)?
    };
    let plausible = reviewer::sign_in_fields_plausible(&body.upn, &body.password);
    let stored_hash = account.as_ref().map(|a| a.password_hash.clone()).or_else(|| UNKNOWN_ACCOUNT_HASH.clone()).unwrap_or_default();
    // argon2 takes tens of milliseconds of CPU and 19 MiB on purpose: off the async workers,
    // two at a time.
    let password = body.password;
    let matches = AppState::run_bounded(&state.password_checks, move || plausible && secrets::verify_password(&stored_hash, &password))
        .await
        .map_err(ApiError::internal)?;
    let Some(account) = account.filter(|_| matches) else {
        store::audit::record(&*state.db.lock()?, now, &actor, AuditAction::SignInFailed, None, None)?;
        return Err(DomainError::ReviewerSignInFailed.into());
    };
    let secret = hex(&random_bytes::<32>()?);
    let expires_at = now + SESSION_LIFETIME_SECONDS;
    state.db.transaction(|transaction| -> ApiResult<()> {
        store::reviewers::clear_failures(transaction, &actor)?;
        store::reviewers::create_session(transaction, &sha256(secret.as_bytes()), &account.upn, kind, now, expires_at)?;
        store::audit::record(transaction, now, &account.upn, AuditAction::SignedIn, None, Some(kind.as_str()))?;
        Ok(())
    })?;
    Ok(NewSession { secret, upn: account.upn, role: account.role.as_str(), expires_at })
}

/// The `Set-Cookie` value for `secret`, or one that clears the cookie.
fn cookie(state: &AppState, secret: Option<&str>) -> ApiResult<HeaderValue> {
    let (value, max_age) = match secret {
        Some(secret) => (secret, SESSION_LIFETIME_SECONDS),
        None => ("", 0),
    };
    let secure = if state.reviewer_cookie_secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"))
        .map_err(ApiError::internal)
}

/// Personal answers nothing may cache.
fn private(response: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], response).into_response()
}

/// `POST /v1/review/session`: signs the console in with a session cookie.
pub async fn create(State(state): State<AppState>, ApiJson(body): ApiJson<SignIn>) -> ApiResult<Response> {
    let session = sign_in(&state, body, SessionKind::Browser).await?;
    let view = SessionView {
        upn: session.upn,
        role: session.role,
        csrf_token: Some(csrf_token_for(&session.secret)),
        expires_at: to_rfc3339(session.expires_at),
    };
    Ok(private(([(header::SET_COOKIE, cookie(&state, Some(&session.secret))?)], Json(view))))
}

/// `POST /v1/review/tokens`: signs a script in with a bearer token.
pub async fn create_token(State(state): State<AppState>, ApiJson(body): ApiJson<SignIn>) -> ApiResult<Response> {
    let session = sign_in(&state, body, SessionKind::Api).await?;
    Ok(private(Json(TokenView { token: session.secret, upn: session.upn, role: session.role, expires_at: to_rfc3339(session.expires_at) })))
}

/// `GET /v1/review/session`: who is signed in (the console asks after a reload).
pub async fn current(reviewer: ReviewerAuth) -> Response {
    let view = SessionView {
        upn: reviewer.upn,
        role: reviewer.role.as_str(),
        csrf_token: reviewer.csrf_token,
        expires_at: to_rfc3339(reviewer.expires_at),
    };
    private(Json(view))
}

/// Answer of `POST /v1/review/session/sign-out`.
#[derive(Debug, Serialize)]
pub struct SignedOut {
    /// Always true.
    pub signed_out: bool,
}

/// `POST /v1/review/session/sign-out`: ends this session (cookie or bearer).
pub async fn sign_out(State(state): State<AppState>, reviewer: ReviewerAuth) -> ApiResult<Response> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        store::reviewers::delete_session(connection, &reviewer.session_hash)?;
        reviewer.audit(connection, now, AuditAction::SignedOut, None, None)?;
        Ok(((), Answer::json(StatusCode::OK, &SignedOut { signed_out: true })?))
    })?;
    Ok(private(([(header::SET_COOKIE, cookie(&state, None)?)], answer)))
}
