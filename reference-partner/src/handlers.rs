//! The partner's HTTP surface: the session API the service calls, the hosted page and the
//! page's submission.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::checks::{self, RejectReason, Submission, Verdict};
use crate::sessions::{PendingCallback, Session, Sessions, random_id};
use crate::{Clock, PartnerConfig, page, webhook};

/// Two photos of up to 5 MB each, base64-encoded, with room for the rest of the form.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What every handler sees.
#[derive(Clone)]
pub struct PartnerState(Arc<Inner>);

pub struct Inner {
    api_key: String,
    webhook_secret: Vec<u8>,
    session_lifetime_seconds: i64,
    clock: Clock,
    base_url: String,
    client: reqwest::Client,
    sessions: Sessions,
}

impl PartnerState {
    pub fn new(config: PartnerConfig, base_url: String, client: reqwest::Client) -> Self {
        let session_lifetime_seconds = i64::try_from(config.session_lifetime.as_secs()).unwrap_or(i64::MAX);
        Self(Arc::new(Inner {
            api_key: config.api_key,
            webhook_secret: config.webhook_secret,
            session_lifetime_seconds,
            clock: config.clock,
            base_url,
            client,
            sessions: Sessions::default(),
        }))
    }
}

pub fn router(state: PartnerState) -> Router {
    Router::new()
        .route("/v1/sessions", post(open_session))
        .route("/sessions/{id}", get(show_page))
        .route("/sessions/{id}/check", post(check))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

/// Body of `POST /v1/sessions`.
#[derive(Deserialize)]
pub struct OpenSession {
    reference: String,
    callback_url: String,
}

/// Answer of `POST /v1/sessions`.
#[derive(Serialize)]
pub struct OpenedSession {
    session_id: String,
    handoff_url: String,
    expires_at: i64,
}

async fn open_session(State(state): State<PartnerState>, headers: HeaderMap, Json(body): Json<OpenSession>) -> Response {
    let presented = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let authorised = presented.is_some_and(|key| crate::sessions::same_secret(key, &state.0.api_key));
    if !authorised {
        return error(StatusCode::UNAUTHORIZED, "API_KEY_INVALID", "present the partner API key");
    }
    if body.reference.is_empty() || !(body.callback_url.starts_with("http://") || body.callback_url.starts_with("https://")) {
        return error(StatusCode::BAD_REQUEST, "SESSION_INVALID", "a reference and an http(s) callback URL are required");
    }
    let (Ok(id), Ok(token)) = (random_id("ps"), random_id("tok")) else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "no randomness");
    };
    let expires_at = (state.0.clock)().saturating_add(state.0.session_lifetime_seconds);
    let handoff_url = format!("{}/sessions/{id}?token={token}", state.0.base_url);
    let session =
        Session { token, reference: body.reference, callback_url: body.callback_url, expires_at, callback: None, delivered: false };
    state.0.sessions.insert(id.clone(), session);
    Json(OpenedSession { session_id: id, handoff_url, expires_at }).into_response()
}

/// The hand-off token in the query.
#[derive(Deserialize)]
pub struct Token {
    #[serde(default)]
    token: String,
}

async fn show_page(State(state): State<PartnerState>, Path(id): Path<String>, Query(query): Query<Token>) -> Response {
    match state.0.sessions.get(&id, &query.token) {
        Some(_) => Html(page::HTML).into_response(),
        None => (StatusCode::NOT_FOUND, Html(page::UNKNOWN_SESSION)).into_response(),
    }
}

/// The page's form, as JSON.
#[derive(Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    phone_number: String,
    #[serde(default)]
    terms_accepted: bool,
    #[serde(default)]
    document_jpeg_base64: String,
    #[serde(default)]
    selfie_jpeg_base64: String,
}

async fn check(
    State(state): State<PartnerState>,
    Path(id): Path<String>,
    Query(query): Query<Token>,
    Json(form): Json<CheckForm>,
) -> Response {
    let Some(session) = state.0.sessions.get(&id, &query.token) else {
        return error(StatusCode::NOT_FOUND, "SESSION_UNKNOWN", "this ID check link is not valid");
    };
    if session.delivered {
        return error(StatusCode::CONFLICT, "SESSION_COMPLETED", "this ID check is finished; return to Identity Pass");
    }
    let callback = match session.callback {
        // Decided before but not delivered: send the same event again.
        Some(callback) => callback,
        None => {
            if (state.0.clock)() >= session.expires_at {
                return error(StatusCode::GONE, "SESSION_EXPIRED", "this ID check has expired; start again in Identity Pass");
            }
            let (Ok(document), Ok(selfie)) = (STANDARD.decode(&form.document_jpeg_base64), STANDARD.decode(&form.selfie_jpeg_base64))
            else {
                return error(StatusCode::BAD_REQUEST, "IMAGE_INVALID", "images must be base64-encoded JPEG");
            };
            let phone_number = form.phone_number.trim().to_owned();
            let submission = Submission {
                phone_number: &phone_number,
                terms_accepted: form.terms_accepted,
                document_jpeg: &document,
                selfie_jpeg: &selfie,
            };
            if let Err(problem) = checks::check_input(&submission) {
                return error(StatusCode::BAD_REQUEST, problem.code(), "check the form and try again");
            }
            // Decoding and face search are CPU work: off the async workers.
            let judged = tokio::task::spawn_blocking(move || {
                checks::verdict(&Submission {
                    phone_number: &phone_number,
                    terms_accepted: true,
                    document_jpeg: &document,
                    selfie_jpeg: &selfie,
                })
            });
            let Ok(verdict) = judged.await else {
                return error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "the check did not finish");
            };
            let Some(callback) = decided(&state, &id, &session, verdict) else {
                return error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "no randomness");
            };
            callback
        }
    };
    match webhook::deliver(&state.0.client, &state.0.clock, &state.0.webhook_secret, &session.callback_url, &callback).await {
        Ok(()) => {
            state.0.sessions.delivered(&id);
            let sent: serde_json::Value = serde_json::from_slice(&callback.body).unwrap_or_default();
            Json(json!({ "result": sent["result"], "reason": sent["reason"] })).into_response()
        }
        Err(failure) => {
            tracing::warn!(session = %id, event = %callback.event_id, %failure, "verdict not delivered; the page can retry");
            error(StatusCode::BAD_GATEWAY, "DELIVERY_FAILED", "the result could not be sent to Identity Pass; try again")
        }
    }
}

/// Records the verdict as the session's one callback (a concurrent submission may have decided
/// first; then its callback is the one sent).
fn decided(state: &PartnerState, id: &str, session: &Session, verdict: Verdict) -> Option<PendingCallback> {
    let (result, reason) = match verdict {
        Verdict::Verified => ("verified", None),
        Verdict::Rejected(reason) => ("rejected", Some(RejectReason::code(reason))),
    };
    let event_id = random_id("evt").ok()?;
    let body = json!({
        "event_id": event_id,
        "session_id": id,
        "reference": session.reference,
        "result": result,
        "reason": reason,
    });
    let callback = PendingCallback { event_id, body: serde_json::to_vec(&body).ok()? };
    state.0.sessions.decide(id, callback)
}
