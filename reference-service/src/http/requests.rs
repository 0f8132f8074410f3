//! Reading a request, consent, and submission (the identity step that creates a request is
//! `identity_step.rs`, evidence `evidence.rs`). A device sees only its own requests; anybody
//! else's id answers `404 REQUEST_NOT_FOUND`, exactly like an id that does not exist.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;

use crate::domain::consent::checked_consent;
use crate::domain::submission::{self, SubmitOutcome};
use crate::http::auth::DeviceAuth;
use crate::http::draft::{update_draft, update_draft_at_any_identity_check};
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::http::idempotency::Answer;
use crate::http::request_view::RequestView;
use crate::state::AppState;
use crate::store;

/// `GET /v1/requests/{id}`.
pub async fn get(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Json<RequestView>> {
    let now = state.now();
    let connection = state.db.lock()?;
    store::review::expire_overdue(&connection, now)?;
    let request = store::requests::load_owned(&connection, &id, &device.device_id)?;
    Ok(Json(RequestView::new(&request, now)))
}

/// Body of `POST /v1/requests/{id}/consent`.
#[derive(Debug, Deserialize)]
pub struct ConsentBody {
    /// Version of the terms the user accepted.
    pub terms_version: String,
    /// When, RFC 3339 (the device's claim; stored for the record only).
    pub accepted_at: String,
}

/// `POST /v1/requests/{id}/consent`: open before the identity is confirmed.
pub async fn consent(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConsentBody>,
) -> ApiResult<Answer> {
    let consent = checked_consent(&body.terms_version, &body.accepted_at)?;
    let (answer, ()) = update_draft_at_any_identity_check(&state, &id, &device, |connection, request, _now| {
        Ok(store::requests::record_consent(connection, &request.id, &consent)?)
    })?;
    Ok(answer)
}

/// `POST /v1/requests/{id}/submit`: checks every step the path needs, then either approves at
/// once (fast path, and the device is told by push) or queues the request for a reviewer with a
/// 24-hour deadline.
pub async fn submit(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    let (answer, outcome) = update_draft(&state, &id, &device, |connection, request, now| {
        let outcome = submission::submit(request, now)?;
        store::review::submit(connection, &request.id, outcome, now)?;
        Ok(outcome)
    })?;
    if outcome == SubmitOutcome::ApprovedAtOnce {
        state.notify_device(&id, "approved")?;
    }
    Ok(answer)
}
