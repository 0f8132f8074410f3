//! Caller authentication. Devices send `Authorization: Bearer <device_id>.<device_secret>` and
//! can only reach their own requests. Reviewers are people with accounts
//! (`http::reviewer_session` signs them in): the console holds an `HttpOnly` session cookie and
//! sends the session's CSRF token with every state change; a script holds a bearer session
//! token instead. Either way the caller is one named reviewer, who reaches only the requests
//! assigned to them ([`ReviewerAuth::require_assigned`]). Secrets are compared as SHA-256
//! digests.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};

use crate::domain::DomainError;
use crate::domain::audit::AuditAction;
use crate::domain::reviewer::{self, ReviewerRole, SessionKind};
use crate::http::error::{ApiError, ApiResult};
use crate::secrets::{hex, secrets_equal, sha256};
use crate::state::AppState;
use crate::store::{self, Connection};

/// The console's session cookie.
pub const SESSION_COOKIE: &str = "identity_pass_reviewer";
/// The header carrying the CSRF token of a cookie session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated device.
#[derive(Debug, Clone)]
pub struct DeviceAuth {
    /// The device's id.
    pub device_id: String,
}

/// An authenticated reviewer: one person, through one session.
#[derive(Clone)]
pub struct ReviewerAuth {
    /// The reviewer's account name (normalised work email).
    pub upn: String,
    /// What the account may do.
    pub role: ReviewerRole,
    /// When the session ends, Unix seconds.
    pub expires_at: i64,
    /// The cookie session's CSRF token (none for a bearer session).
    pub csrf_token: Option<String>,
    /// SHA-256 of the session's secret, to end it.
    pub session_hash: Vec<u8>,
}

// The CSRF token is derived from the session secret; printing it would be printing half a key.
impl std::fmt::Debug for ReviewerAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReviewerAuth").field("upn", &self.upn).field("role", &self.role).finish_non_exhaustive()
    }
}

fn bearer(parts: &Parts) -> ApiResult<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| ApiError::unauthorized("AUTH_REQUIRED", "send Authorization: Bearer …"))
}

/// The reviewer session cookie's value, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
}

/// The CSRF token of the cookie session whose secret is `session_secret`. Derived rather than
/// stored: only a holder of the cookie — which page scripts cannot read — can know it, and the
/// console learns it from the sign-in answer or `GET /v1/review/session`.
pub fn csrf_token_for(session_secret: &str) -> String {
    let mut input = b"identity-pass csrf v1\n".to_vec();
    input.extend_from_slice(session_secret.as_bytes());
    hex(&sha256(&input))
}

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(parts)?;
        let invalid = || ApiError::unauthorized("DEVICE_AUTH_INVALID", "unknown device or wrong secret");
        let (device_id, secret) = token.split_once('.').ok_or_else(invalid)?;
        let stored = store::devices::secret_hash(&*state.db.lock()?, device_id)?;
        match stored {
            Some(hash) if hash == sha256(secret.as_bytes()) => Ok(Self { device_id: device_id.to_owned() }),
            _ => Err(invalid()),
        }
    }
}

/// Whether a cookie-authenticated call changes state and so must prove it comes from the console.
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state change from a page of another origin is refused even before the token is checked:
/// browsers send `Origin` on every cross-site POST, and it must name this service's host.
fn origin_matches_host(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
}

impl FromRequestParts<AppState> for ReviewerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let invalid = || ApiError::unauthorized("REVIEWER_AUTH_INVALID", "not a live reviewer session; sign in again");
        let (secret, kind) = if parts.headers.contains_key(header::AUTHORIZATION) {
            (bearer(parts)?, SessionKind::Api)
        } else if let Some(cookie) = session_cookie(&parts.headers) {
            (cookie, SessionKind::Browser)
        } else {
            return Err(ApiError::unauthorized("AUTH_REQUIRED", "sign in to the reviewer console, or send Authorization: Bearer …"));
        };
        let session_hash = sha256(secret.as_bytes());
        let session = store::reviewers::session(&*state.db.lock()?, &session_hash, kind, state.now())?.ok_or_else(invalid)?;
        let csrf_token = (kind == SessionKind::Browser).then(|| csrf_token_for(secret));
        if let Some(expected) = &csrf_token
            && changes_state(&parts.method)
        {
            let sent = parts.headers.get(CSRF_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
            if !origin_matches_host(&parts.headers) || !secrets_equal(sent, expected.as_bytes()) {
                return Err(ApiError::forbidden("CSRF_TOKEN_INVALID", "send the session's X-CSRF-Token from this console"));
            }
        }
        Ok(Self { upn: session.upn, role: session.role, expires_at: session.expires_at, csrf_token, session_hash })
    }
}

impl ReviewerAuth {
    /// Whether this reviewer reviews `requester_upn`'s requests: they are the person's manager
    /// in the directory, or that manager delegated to them.
    pub fn reviews(&self, state: &AppState, connection: &Connection, requester_upn: &str) -> ApiResult<bool> {
        let delegated_by = store::reviewers::delegated_by(connection, &self.upn)?;
        Ok(reviewer::may_review(self.role, &self.upn, state.directory.manager_of(requester_upn), &delegated_by))
    }

    /// Refuses a request that is not assigned to this reviewer, as if it did not exist.
    pub fn require_assigned(&self, state: &AppState, connection: &Connection, requester_upn: &str) -> ApiResult<()> {
        if self.reviews(state, connection, requester_upn)? { Ok(()) } else { Err(DomainError::NotAssignedToReviewer.into()) }
    }

    /// Writes `action` by this reviewer to the audit log.
    pub fn audit(
        &self,
        connection: &Connection,
        now: i64,
        action: AuditAction,
        request_id: Option<&str>,
        detail: Option<&str>,
    ) -> ApiResult<()> {
        Ok(store::audit::record(connection, now, &self.upn, action, request_id, detail)?)
    }
}
