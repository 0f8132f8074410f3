//! Idempotency keys: every state-changing call (POST) must carry an `Idempotency-Key` header.
//! The first successful answer (or a refusal that wrote, [`commit_keeping_refusals`]) is stored
//! under (caller, key); a retry with the same key and the same method, path and body gets that
//! answer again without running the handler, so a retried call never creates a duplicate. The
//! same key with a different body is refused with `422 IDEMPOTENCY_KEY_REUSED`. Calls without credentials must carry a key too, but nothing is
//! stored for them (see [`guarded`]). Stored answers are purged after 24 h (`store::retention`).
//!
//! The answer is stored in the same transaction as the writes it reports ([`commit`], which
//! every handler that writes goes through): a kill between the handler's writes and the storing
//! of its answer would otherwise leave a call that happened with no answer to replay, and its
//! retry would run the handler again (a second request) or be refused (a step already taken),
//! although the first attempt succeeded. Answers carrying a one-time secret (a TAP code) give
//! the copy to store without it ([`Answer::stored_without`]): secrets never rest in the
//! database and a replay never reveals them twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::http::auth::session_cookie;
use crate::http::error::{ApiError, ApiResult};
use crate::secrets::{hex, sha256};
use crate::state::AppState;
use crate::store::idempotency::StoredAnswer;
use crate::store::{self, Connection};

/// Exempt from idempotency keys: see [`guarded`].
const CALLBACK_PATH: &str = "/v1/partner/callback";

/// The POST routes that take no `Idempotency-Key`: the partner's signed callback (its event id
/// deduplicates it); the pages a browser posts a plain HTML form to, which cannot send a
/// header — the password page and the authenticator app's activation, each spending a one-use
/// ticket or code, so a resent form is refused rather than applied twice, and the development
/// providers' keypad form, which answers a call once; and the two sides' call sessions, where
/// a retried offer opens the same session again (a side has one, and a new offer replaces it)
/// and whose answer holds the session's ICE password, which must not rest in the database.
pub const WITHOUT_KEY: [&str; 6] = [
    CALLBACK_PATH,
    "/account/password",
    "/mfa/activate",
    "/console/dev/keypad",
    "/v1/requests/{id}/call/session",
    "/v1/review/requests/{id}/call/session",
];

/// The POST routes that authenticate no caller (registration, the sign-in stand-in, the
/// reviewer sign-ins). An `Authorization` header or cookie sent to them is checked by nobody, so
/// it cannot scope a stored answer: anyone sending the same made-up header, key and body would
/// be replayed the answer (a registration's answer carries the device secret the service made, a
/// reviewer sign-in's a session's bearer or CSRF token). Their calls are anonymous whatever they
/// send: nothing is stored or replayed (`tests/contract.rs` keeps this list equal to the
/// document's POST operations without security).
pub const WITHOUT_CALLER: [&str; 5] =
    ["/v1/devices", "/v1/tap/sign-in", "/v1/review/session", "/v1/review/tokens", "/v1/dev/calls/{id}/keypad"];

/// Whether `path` is one of `templates` (route paths whose `{name}` segments match any one
/// segment).
fn matches_any(templates: &[&str], path: &str) -> bool {
    templates.iter().any(|template| {
        let (mut wanted, mut given) = (template.split('/'), path.split('/'));
        loop {
            match (wanted.next(), given.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w == g || (w.starts_with('{') && w.ends_with('}') && !g.is_empty()) => {}
                _ => return false,
            }
        }
    })
}

/// The header name.
pub const HEADER: &str = "idempotency-key";
/// Largest body the middleware buffers (selfies are the biggest legitimate bodies).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

tokio::task_local! {
    /// The keyed call the handler running in this task answers: set by [`layer`] around the
    /// handler (which runs in the middleware's task), read by [`commit`].
    static CALL: Arc<KeyedCall>;
}

/// A call with an idempotency key and a caller: where its answer is stored.
struct KeyedCall {
    scope: String,
    key: String,
    fingerprint: Vec<u8>,
    /// Set once [`commit`] stored the answer with the call's writes.
    answered: AtomicBool,
}

/// A JSON answer whose bytes were fixed inside the transaction of the writes it reports, and
/// stored there for replays when the call was keyed.
#[derive(Clone)]
pub struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    /// What a replay answers, when it differs from `body` (a one-time secret removed).
    stored: Option<Vec<u8>>,
}

impl Answer {
    /// `value` as JSON with `status`.
    pub fn json(status: StatusCode, value: &impl Serialize) -> ApiResult<Self> {
        Ok(Self { status, body: serde_json::to_vec(value).map_err(ApiError::internal)?, stored: None })
    }

    /// For an answer carrying a one-time secret: replays answer `redacted` instead, which the
    /// database keeps; the secret is in this answer only.
    pub fn stored_without(self, redacted: &impl Serialize) -> ApiResult<Self> {
        Ok(Self { stored: Some(serde_json::to_vec(redacted).map_err(ApiError::internal)?), ..self })
    }

    /// Its status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may carry a one-time secret: only its size is printed.
        f.debug_struct("Answer").field("status", &self.status).field("body_bytes", &self.body.len()).finish_non_exhaustive()
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (self.status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], self.body).into_response()
    }
}

/// Runs a call's writes and fixes its answer in one transaction: `work` writes and returns the
/// answer (and anything the handler needs afterwards); for a keyed call the answer is stored in
/// the same transaction, so the writes and their replayable answer are committed together or
/// not at all. A refusal (`Err`) rolls back everything `work` wrote.
pub fn commit<T>(state: &AppState, work: impl FnOnce(&Connection) -> ApiResult<(T, Answer)>) -> ApiResult<(T, Answer)> {
    commit_keeping_refusals(state, |connection| work(connection).map(Ok))
}

/// Like [`commit`], for a call whose refusals write too (a wrong date of birth is counted
/// against the person): `Ok(Err(refusal))` commits what `work` wrote and refuses; only `Err`
/// rolls back. Such a refusal (a 4xx) is stored for replays like an answer: it reports what was
/// written, so the resend of a call whose refusal was lost to a kill is answered with it
/// instead of being counted a second time. A new attempt (another date) is a new key.
pub fn commit_keeping_refusals<T>(
    state: &AppState,
    work: impl FnOnce(&Connection) -> ApiResult<ApiResult<(T, Answer)>>,
) -> ApiResult<(T, Answer)> {
    let call = CALL.try_with(Arc::clone).ok();
    let outcome = state.db.transaction(|connection| {
        let outcome = work(connection)?;
        let Some(call) = &call else { return Ok(outcome) };
        let (status, body) = match &outcome {
            Ok((_, answer)) if answer.status.is_success() => (answer.status, answer.stored.as_ref().unwrap_or(&answer.body).clone()),
            Err(refusal) if refusal.status.is_client_error() => (refusal.status, refusal.body()?),
            Ok(_) | Err(_) => return Ok(outcome),
        };
        let stored = StoredAnswer { fingerprint: call.fingerprint.clone(), status: status.as_u16(), body };
        store::idempotency::save(connection, &call.scope, &call.key, &stored, state.now())?;
        call.answered.store(true, Ordering::SeqCst);
        Ok::<_, ApiError>(outcome)
    });
    if outcome.is_err()
        && let Some(call) = &call
    {
        // Rolled back: nothing of the call, its answer included, was kept.
        call.answered.store(false, Ordering::SeqCst);
    }
    outcome?
}

fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The middleware (installed with `axum::middleware::from_fn_with_state`).
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match guarded(state, request, next).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn guarded(state: AppState, request: Request, next: Next) -> ApiResult<Response> {
    // The partner's callback is authenticated by its signature and deduplicated by its event
    // id (`government_id.rs`); a partner sends no idempotency key.
    if request.method() != Method::POST || matches_any(&WITHOUT_KEY, request.uri().path()) {
        return Ok(next.run(request).await);
    }
    let key = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::bad_request("IDEMPOTENCY_KEY_REQUIRED", "send an Idempotency-Key header"))?;
    if !valid_key(&key) {
        return Err(ApiError::bad_request("IDEMPOTENCY_KEY_INVALID", "1–255 visible ASCII characters"));
    }
    // Scope by caller so two devices cannot collide on (or read) each other's keys. A caller
    // without credentials has no scope of its own: answers kept for "anonymous" could be
    // replayed by anyone who sent the same key and body. So anonymous calls are never stored
    // nor replayed; the one a device makes, registration, is idempotent by the secret it
    // brings (`devices.rs`). Routes that check no credentials count as anonymous too. The
    // console's reviewer is identified by their session cookie instead of a header.
    let caller = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .map(|v| v.as_bytes().to_vec())
        .or_else(|| session_cookie(request.headers()).map(|c| format!("cookie {c}").into_bytes()));
    let Some(caller) = caller.filter(|_| !matches_any(&WITHOUT_CALLER, request.uri().path())) else {
        return Ok(next.run(request).await);
    };
    let scope = hex(&sha256(&caller));
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", "body too large"))?;
    let mut fingerprint_input = format!("{} {}\n", parts.method, parts.uri).into_bytes();
    fingerprint_input.extend_from_slice(&bytes);
    let fingerprint = sha256(&fingerprint_input);

    // Claimed before the stored answer is looked up: a retry arriving while the first call
    // still runs must not run the handler twice, nor may one that looked before the first
    // call's answer was stored and claims after the first call ended.
    let _in_flight = InFlight::claim(&state, scope.clone(), key.clone())?;
    let stored = store::idempotency::find(&*state.db.lock()?, &scope, &key)?;
    if let Some(stored) = stored {
        if stored.fingerprint != fingerprint {
            return Err(ApiError::unprocessable("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different request"));
        }
        return Ok(replay(stored.status, stored.body));
    }

    let call = Arc::new(KeyedCall { scope, key, fingerprint, answered: AtomicBool::new(false) });
    let response = CALL.scope(call.clone(), next.run(Request::from_parts(parts, Body::from(bytes)))).await;
    // Only successes are stored (and refusals that wrote, by `commit_keeping_refusals`): a
    // refused call changed nothing, so running it again is safe, and the caller can fix the
    // cause (say, give consent) and retry with the same key.
    if !response.status().is_success() || call.answered.load(Ordering::SeqCst) {
        return Ok(response);
    }
    // A success whose handler did not go through `commit`: its answer can only be stored after
    // its writes, which a kill in between would leave without a replay. Every handler that
    // writes must commit; tests (debug builds) stop here so a new one cannot forget.
    debug_assert!(false, "{} answered a keyed call outside `idempotency::commit`", call.key);
    tracing::error!("a keyed call was answered outside idempotency::commit; its answer is stored after its writes");
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, MAX_BODY_BYTES).await.map_err(ApiError::internal)?;
    let answer = StoredAnswer { fingerprint: call.fingerprint.clone(), status: parts.status.as_u16(), body: body.to_vec() };
    store::idempotency::save(&*state.db.lock()?, &call.scope, &call.key, &answer, state.now())?;
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// Marks (scope, key) as running until dropped (also on cancellation or panic).
struct InFlight {
    state: AppState,
    entry: (String, String),
}

impl InFlight {
    fn claim(state: &AppState, scope: String, key: String) -> ApiResult<Self> {
        let entry = (scope, key);
        let mut running = state.idempotency_in_flight.lock().map_err(|_| ApiError::internal("in-flight set poisoned"))?;
        if !running.insert(entry.clone()) {
            return Err(ApiError::conflict(
                "IDEMPOTENCY_KEY_IN_USE",
                "a request with this Idempotency-Key is still running; retry shortly",
            ));
        }
        Ok(Self { state: state.clone(), entry })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut running) = self.state.idempotency_in_flight.lock() {
            running.remove(&self.entry);
        }
    }
}

fn replay(status: u16, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_route_templates_match_one_segment_per_parameter() {
        assert!(matches_any(&WITHOUT_CALLER, "/v1/dev/calls/call_1/keypad"));
        assert!(matches_any(&WITHOUT_KEY, "/v1/requests/req_1/call/session"));
        assert!(!matches_any(&WITHOUT_KEY, "/v1/requests/req_1/call"));
        assert!(!matches_any(&WITHOUT_KEY, "/v1/requests/req_1/submit"));
        assert!(matches_any(&WITHOUT_CALLER, "/v1/devices"));
        assert!(!matches_any(&WITHOUT_CALLER, "/v1/dev/calls//keypad"));
        assert!(!matches_any(&WITHOUT_CALLER, "/v1/dev/calls/a/b/keypad"));
        assert!(!matches_any(&WITHOUT_CALLER, "/v1/devices/push-token"));
        assert!(!matches_any(&WITHOUT_CALLER, "/v1/requests/req_1/tap/sign-in"));
    }
}
