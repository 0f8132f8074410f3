//! A manager hands their reviews to another reviewer while away, and takes them back (seed 001:
//! "your manager or designated reviewer"). `GET /v1/review/delegations` shows both directions;
//! each change is audited.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::domain::audit::AuditAction;
use crate::domain::reviewer;
use crate::http::auth::ReviewerAuth;
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::state::AppState;
use crate::store::{self, Connection};

/// Who reviews for whom, seen from the signed-in reviewer.
#[derive(Debug, Serialize)]
pub struct DelegationsView {
    /// Reviewers this reviewer handed their reviews to.
    pub delegates: Vec<String>,
    /// Managers who handed their reviews to this reviewer.
    pub delegated_by: Vec<String>,
}

/// Body of both changes.
#[derive(Debug, Deserialize)]
pub struct DelegationChange {
    /// The other reviewer's account name.
    pub delegate_upn: String,
}

fn view(connection: &Connection, upn: &str) -> ApiResult<DelegationsView> {
    Ok(DelegationsView {
        delegates: store::reviewers::delegates_of(connection, upn)?,
        delegated_by: store::reviewers::delegated_by(connection, upn)?,
    })
}

/// `GET /v1/review/delegations`.
pub async fn list(State(state): State<AppState>, reviewer: ReviewerAuth) -> ApiResult<Json<DelegationsView>> {
    Ok(Json(view(&*state.db.lock()?, &reviewer.upn)?))
}

/// `POST /v1/review/delegations`: the signed-in reviewer hands their reviews to `delegate_upn`.
pub async fn grant(State(state): State<AppState>, reviewer: ReviewerAuth, ApiJson(body): ApiJson<DelegationChange>) -> ApiResult<Answer> {
    let delegate = reviewer::normalized_upn(&body.delegate_upn);
    let ((), answer) = commit(&state, |connection| {
        let delegate_role = store::reviewers::account(connection, &delegate)?.map(|account| account.role);
        reviewer::check_delegation(&reviewer.upn, &delegate, delegate_role)?;
        if store::reviewers::grant_delegation(connection, &reviewer.upn, &delegate, state.now())? {
            reviewer.audit(connection, state.now(), AuditAction::DelegationGranted, None, Some(&delegate))?;
        }
        Ok(((), Answer::json(StatusCode::OK, &view(connection, &reviewer.upn)?)?))
    })?;
    Ok(answer)
}

/// `POST /v1/review/delegations/revocation`: takes a delegation back (none: no change).
pub async fn revoke(State(state): State<AppState>, reviewer: ReviewerAuth, ApiJson(body): ApiJson<DelegationChange>) -> ApiResult<Answer> {
    let delegate = reviewer::normalized_upn(&body.delegate_upn);
    let ((), answer) = commit(&state, |connection| {
        if store::reviewers::revoke_delegation(connection, &reviewer.upn, &delegate)? {
            reviewer.audit(connection, state.now(), AuditAction::DelegationRevoked, None, Some(&delegate))?;
        }
        Ok(((), Answer::json(StatusCode::OK, &view(connection, &reviewer.upn)?)?))
    })?;
    Ok(answer)
}
