//! Status watch: a long-poll (`GET /v1/requests/{id}/status?wait=N&after_version=V`), which the
//! China build relies on because it has no push. The poll answers at once when the caller's
//! version is stale, otherwise when the request changes or the wait ends.

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::call;
use crate::http::auth::DeviceAuth;
use crate::http::error::ApiResult;
use crate::http::extract::ApiQuery;
use crate::http::request_view::DenialView;
use crate::state::AppState;
use crate::store;

/// Query of the status long-poll.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    /// Seconds to wait for a change (bounded by the service's maximum); 0 answers at once.
    #[serde(default)]
    pub wait: Option<u64>,
    /// The version the caller already has; the poll answers as soon as the request's version
    /// differs. Without it, the poll waits for the next change. Unsigned, as openapi.yaml says:
    /// a negative version is a malformed query (400 INVALID_QUERY), not one that never matches.
    #[serde(default)]
    pub after_version: Option<u64>,
}

/// `RequestStatus` in openapi.yaml: the part of a request the app polls.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// Id.
    pub request_id: String,
    /// Request state.
    pub state: &'static str,
    /// Bumped on every change.
    pub version: i64,
    /// RFC 3339.
    pub submitted_at: Option<String>,
    /// Reviewer deadline, RFC 3339.
    pub deadline: Option<String>,
    /// Call id once invited.
    pub call_id: Option<String>,
    /// When the user last joined the call, RFC 3339: when the service saw their media start.
    pub joined_at: Option<String>,
    /// When they left it since, RFC 3339: when their media stopped (the app explains a leave
    /// before the 15 seconds).
    pub left_at: Option<String>,
    /// The user's time in the call so far, in seconds: every stay added up, time away not.
    pub seconds_in_call: i64,
    /// Set when denied.
    pub denial: Option<DenialView>,
    /// Server time, RFC 3339.
    pub server_time: String,
}

fn status_view(state: &AppState, id: &str, device: &DeviceAuth) -> ApiResult<StatusView> {
    let now = state.now();
    let connection = state.db.lock()?;
    if store::review::expire_overdue(&connection, now)? > 0 {
        state.announce_change();
    }
    let request = store::requests::load_owned(&connection, id, &device.device_id)?;
    Ok(StatusView {
        request_id: request.id.clone(),
        state: request.state.as_str(),
        version: request.version,
        submitted_at: request.submitted_at.map(to_rfc3339),
        deadline: request.deadline_at.map(to_rfc3339),
        call_id: request.call_id.clone(),
        joined_at: request.joined_at.map(to_rfc3339),
        left_at: request.left_at.map(to_rfc3339),
        seconds_in_call: call::seconds_in_call(&request, now),
        denial: DenialView::of(&request),
        server_time: to_rfc3339(now),
    })
}

/// `GET /v1/requests/{id}/status`.
pub async fn status(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<StatusQuery>,
) -> ApiResult<Json<StatusView>> {
    let mut changes = state.changes.subscribe();
    let view = status_view(&state, &id, &device)?;
    let wait = query.wait.unwrap_or(0).min(state.max_wait_seconds);
    // A version beyond i64 cannot be the request's, so it differs like any other stale one.
    let known = query.after_version.map_or(view.version, |v| i64::try_from(v).unwrap_or(i64::MAX));
    if wait == 0 || view.version != known {
        return Ok(Json(view));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    loop {
        match tokio::time::timeout_at(deadline, changes.changed()).await {
            Ok(Ok(())) => {
                let view = status_view(&state, &id, &device)?;
                if view.version != known {
                    return Ok(Json(view));
                }
            }
            // Timed out (or the service is stopping): answer with what we have.
            Ok(Err(_)) | Err(_) => return Ok(Json(status_view(&state, &id, &device)?)),
        }
    }
}
