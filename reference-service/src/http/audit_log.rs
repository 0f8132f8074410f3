//! `GET /v1/admin/audit-log`: the administrator reads what reviewers did, oldest first, a page
//! at a time (`after` is the last `seq` already read). Reading is itself audited.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::audit::{AuditAction, MAX_PAGE};
use crate::domain::reviewer::require_admin;
use crate::http::auth::ReviewerAuth;
use crate::http::error::ApiResult;
use crate::http::extract::ApiQuery;
use crate::state::AppState;
use crate::store;

/// The query.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    /// The last `seq` already read (0: from the start).
    #[serde(default)]
    pub after: Option<u64>,
    /// How many entries at most (1–500, default 100).
    #[serde(default)]
    pub limit: Option<u16>,
}

/// One entry as served.
#[derive(Debug, Serialize)]
pub struct AuditEntryView {
    /// Position in the log.
    pub seq: i64,
    /// When, RFC 3339.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// The request acted on.
    pub request_id: Option<String>,
    /// Anything else the action needs.
    pub detail: Option<String>,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct AuditPage {
    /// Entries, oldest first.
    pub entries: Vec<AuditEntryView>,
    /// Pass as `after` to read on (the last entry's `seq`, or `after` when there was none).
    pub next_after: i64,
}

/// `GET /v1/admin/audit-log`.
pub async fn read(State(state): State<AppState>, reviewer: ReviewerAuth, ApiQuery(query): ApiQuery<AuditQuery>) -> ApiResult<Response> {
    require_admin(reviewer.role)?;
    let after = i64::try_from(query.after.unwrap_or(0)).unwrap_or(i64::MAX);
    let limit = i64::from(query.limit.unwrap_or(100)).clamp(1, MAX_PAGE);
    let connection = state.db.lock()?;
    let entries = store::audit::read(&connection, after, limit)?;
    reviewer.audit(&connection, state.now(), AuditAction::AuditLogRead, None, None)?;
    let next_after = entries.last().map_or(after, |entry| entry.seq);
    let entries = entries
        .into_iter()
        .map(|e| AuditEntryView {
            seq: e.seq,
            at: to_rfc3339(e.at),
            actor: e.actor,
            action: e.action,
            request_id: e.request_id,
            detail: e.detail,
        })
        .collect();
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(AuditPage { entries, next_after })).into_response())
}
