//! Idempotency keys: every state-changing call (POST) must carry an `Idempotency-Key` header.
//! The first successful answer is stored under (caller, key); a retry with the same key and
//! the same method, path and body gets that answer again without running the handler, so a
//! retried call never creates a duplicate. The same key with a different body is refused with
//! `422 IDEMPOTENCY_KEY_REUSED`. Answers carrying a one-time secret (a TAP code) attach a
//! [`ReplayBody`]: the stored copy has the secret removed, so secrets never rest in the database
//! and a replay never reveals them twice. Calls without credentials must carry a key too, but
//! nothing is stored for them (see [`guarded`]). Stored answers are purged after 24 h
//! (`store::retention`).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::auth::session_cookie;
use crate::http::error::{ApiError, ApiResult};
use crate::secrets::{hex, sha256};
use crate::state::AppState;
use crate::store;
use crate::store::idempotency::StoredAnswer;

/// Exempt from idempotency keys: see [`guarded`].
const CALLBACK_PATH: &str = "/v1/partner/callback";

/// The POST routes that authenticate no caller (registration, the sign-in stand-in, the
/// reviewer sign-ins). An `Authorization` header or cookie sent to them is checked by nobody, so
/// it cannot scope a stored answer: anyone sending the same made-up header, key and body would
/// be replayed the answer (a registration's answer carries the device secret the service made, a
/// reviewer sign-in's a session's bearer or CSRF token). Their calls are anonymous whatever they
/// send: nothing is stored or replayed (`tests/contract.rs` keeps this list equal to the
/// document's POST operations without security).
pub const WITHOUT_CALLER: [&str; 4] = ["/v1/devices", "/v1/tap/sign-in", "/v1/review/session", "/v1/review/tokens"];

/// The header name.
pub const HEADER: &str = "idempotency-key";
/// Largest body the middleware buffers (selfies are the biggest legitimate bodies).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A redacted copy of a response body to store instead of the real one.
#[derive(Debug, Clone)]
pub struct ReplayBody(pub serde_json::Value);

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
    if request.method() != Method::POST || request.uri().path() == CALLBACK_PATH {
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
    let Some(caller) = caller.filter(|_| !WITHOUT_CALLER.contains(&request.uri().path())) else {
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

    let stored = store::idempotency::find(&*state.db.lock()?, &scope, &key)?;
    if let Some(stored) = stored {
        if stored.fingerprint != fingerprint {
            return Err(ApiError::unprocessable("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different request"));
        }
        return Ok(replay(stored.status, stored.body));
    }

    // A retry that arrives while the first call still runs must not run the handler twice.
    let _in_flight = InFlight::claim(&state, scope.clone(), key.clone())?;
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let status = response.status();
    // Only successes are stored: a refused call changed nothing, so running it again is safe,
    // and the caller can fix the cause (say, give consent) and retry with the same key.
    if !status.is_success() {
        return Ok(response);
    }
    let redacted = response.extensions().get::<ReplayBody>().cloned();
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, MAX_BODY_BYTES).await.map_err(ApiError::internal)?;
    let to_store = match redacted {
        Some(ReplayBody(value)) => serde_json::to_vec(&value).map_err(ApiError::internal)?,
        None => body.to_vec(),
    };
    let answer = StoredAnswer { fingerprint, status: status.as_u16(), body: to_store };
    store::idempotency::save(&*state.db.lock()?, &scope, &key, &answer, state.now())?;
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
