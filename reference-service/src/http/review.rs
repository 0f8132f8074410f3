//! The reviewer's endpoints (contract.md, "Review"): the queue of pending requests, the call
//! (start, the user joining and leaving) and the decision. A reviewer sees and acts on only the
//! requests assigned to them (`ReviewerAuth::require_assigned`), and every action is written to
//! the audit log in the transaction that makes it. Every action first expires requests whose
//! deadline passed, then refuses requests no reviewer can act on any more; the rules are
//! `domain::review` and `domain::call`. The device hears of the invitation and the decision by
//! push.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::audit::AuditAction;
use crate::domain::call;
use crate::domain::request::OnboardingRequest;
use crate::domain::request_state::PENDING;
use crate::domain::review::{self, Decision};
use crate::http::auth::ReviewerAuth;
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::http::request_view::RequestView;
use crate::http::verified_id::issue_verified_id;
use crate::secrets::new_id;
use crate::state::AppState;
use crate::store::{self, Connection};

/// Answer of `GET /v1/review/requests`.
#[derive(Debug, Serialize)]
pub struct QueueView {
    /// Pending requests, earliest deadline first.
    pub requests: Vec<RequestView>,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// `GET /v1/review/requests`: the pending requests assigned to the reviewer, earliest deadline
/// first.
pub async fn queue(State(state): State<AppState>, reviewer: ReviewerAuth) -> ApiResult<Json<QueueView>> {
    let now = state.now();
    let connection = state.db.lock()?;
    if store::review::expire_overdue(&connection, now)? > 0 {
        state.announce_change();
    }
    let mut requests = Vec::new();
    for request in store::requests::load_in_states(&connection, &PENDING)? {
        if reviewer.reviews(&state, &connection, &request.upn)? {
            requests.push(RequestView::new(&request, now));
        }
    }
    Ok(Json(QueueView { requests, server_time: to_rfc3339(now) }))
}

/// What a reviewer action did: the audit entry to write and the push event to send, if any.
struct Applied {
    action: AuditAction,
    push_event: Option<&'static str>,
}

/// Applies `reviewer`'s action to pending request `id`, assigned to them: `change` writes it
/// and says what it was.
fn transition(
    state: &AppState,
    reviewer: &ReviewerAuth,
    id: &str,
    change: impl FnOnce(&Connection, &OnboardingRequest, i64) -> ApiResult<Applied>,
) -> ApiResult<Answer> {
    let now = state.now();
    // Requests past their deadline are expired even when the action is then refused.
    if store::review::expire_overdue(&*state.db.lock()?, now)? > 0 {
        state.announce_change();
    }
    // The change, the version bump, the audit entry and the stored answer commit together.
    let (push_event, answer) = commit(state, |connection| {
        let request = store::requests::load(connection, id)?;
        reviewer.require_assigned(state, connection, &request.upn)?;
        review::require_pending(&request)?;
        let applied = change(connection, &request, now)?;
        store::requests::bump_version(connection, id)?;
        reviewer.audit(connection, now, applied.action, Some(id), None)?;
        let view = RequestView::new(&store::requests::load(connection, id)?, now);
        Ok((applied.push_event, Answer::json(StatusCode::OK, &view)?))
    })?;
    state.announce_change();
    if let Some(event) = push_event {
        state.notify_device(id, event)?;
    }
    Ok(answer)
}

/// `POST /v1/review/requests/{id}/call`: the reviewer starts the video call.
pub async fn start_call(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    transition(&state, &reviewer, &id, |connection, request, _now| {
        call::check_start(request)?;
        store::review::start_call(connection, &request.id, &new_id("call")?)?;
        Ok(Applied { action: AuditAction::CallStarted, push_event: Some("call_invited") })
    })
}

/// `POST /v1/review/requests/{id}/join`: the user joined the call (recorded by the reviewer).
pub async fn user_joined(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    transition(&state, &reviewer, &id, |connection, request, now| {
        call::check_reviewer_may_record(state.call_media.device_media_opened(request.call_id.as_deref()))?;
        call::check_join(request)?;
        store::review::record_join(connection, &request.id, now, call::seconds_before_rejoin(request))?;
        Ok(Applied { action: AuditAction::UserJoined, push_event: None })
    })
}

/// `POST /v1/review/requests/{id}/leave`: the user left the call.
pub async fn user_left(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    transition(&state, &reviewer, &id, |connection, request, now| {
        call::check_reviewer_may_record(state.call_media.device_media_opened(request.call_id.as_deref()))?;
        call::check_leave(request)?;
        store::review::record_leave(connection, &request.id, now)?;
        Ok(Applied { action: AuditAction::UserLeft, push_event: None })
    })
}

/// Body of `POST /v1/review/requests/{id}/decision`.
#[derive(Debug, Deserialize)]
pub struct DecisionBody {
    /// `approve` or `deny`.
    pub decision: String,
    /// Stable reason code, required to deny (e.g. `FACE_MISMATCH`).
    #[serde(default)]
    pub reason_code: Option<String>,
    /// Message shown to the user, required to deny.
    #[serde(default)]
    pub message: Option<String>,
}

/// `POST /v1/review/requests/{id}/decision`: approve (after ≥ 15 s in the call) or deny.
pub async fn decide(
    State(state): State<AppState>,
    reviewer: ReviewerAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<Answer> {
    let signer = state.signer.clone();
    let mut call_id = None;
    let answer = transition(&state, &reviewer, &id, |connection, request, now| {
        call_id.clone_from(&request.call_id);
        let decision = review::decide(request, &body.decision, body.reason_code.as_deref(), body.message.as_deref(), now)?;
        match decision {
            Decision::Approve => {
                store::review::approve(connection, &request.id, now)?;
                if review::approval_issues_verified_id(request) {
                    issue_verified_id(connection, &signer, request, now)?;
                }
                Ok(Applied { action: AuditAction::Approved, push_event: Some("approved") })
            }
            Decision::Deny { reason_code, message } => {
                store::review::deny(connection, &request.id, &reason_code, &message, now)?;
                Ok(Applied { action: AuditAction::Denied, push_event: Some("denied") })
            }
        }
    })?;
    // Decided, the call is over: its media room closes both sides' sessions.
    if let Some(call_id) = call_id {
        state.call_media.end(&call_id);
    }
    Ok(answer)
}
