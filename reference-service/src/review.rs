//! The review queue (contract.md, "Review"): `draft` → `waiting_for_reviewer` (deadline =
//! submitted + 24 h) → `call_invited` → `in_call` → `approved` | `denied` | `expired`.
//! The reviewer records when the user joins and leaves the call; approval needs the user to
//! have stayed at least 15 seconds (seed 000, step 10). A request nobody called before its
//! deadline expires; expiry is applied whenever the queue or a request is read, and by the purge.

use axum::extract::{Path, State};
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::ReviewerAuth;
use crate::clock::to_rfc3339;
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::requests::{self, RequestRecord};
use crate::secrets::new_id;
use crate::state::AppState;

/// How long a reviewer has to start the call.
pub const REVIEW_WINDOW_SECONDS: i64 = 24 * 3600;
/// How long the user must stay in the call.
pub const MINIMUM_CALL_SECONDS: i64 = 15;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// Steps being collected on the device.
    Draft,
    /// Submitted; a reviewer must start the call before the deadline.
    WaitingForReviewer,
    /// The reviewer started the call; the user was notified.
    CallInvited,
    /// The user joined the call.
    InCall,
    /// Approved: TAP or passkey may be issued.
    Approved,
    /// Denied with a reason.
    Denied,
    /// The reviewer window was missed.
    Expired,
}

impl ReviewState {
    /// Wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::WaitingForReviewer => "waiting_for_reviewer",
            Self::CallInvited => "call_invited",
            Self::InCall => "in_call",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Expired => "expired",
        }
    }
    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Draft, Self::WaitingForReviewer, Self::CallInvited, Self::InCall, Self::Approved, Self::Denied, Self::Expired]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
    /// Whether a reviewer can still act on it.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::WaitingForReviewer | Self::CallInvited | Self::InCall)
    }
}

const PENDING: [ReviewState; 3] = [ReviewState::WaitingForReviewer, ReviewState::CallInvited, ReviewState::InCall];

/// Expires requests whose reviewer never started the call in time; returns how many.
pub fn expire_overdue(connection: &Connection, now: i64) -> rusqlite::Result<usize> {
    connection.execute(
        "UPDATE requests SET state = 'expired', version = version + 1
         WHERE state = 'waiting_for_reviewer' AND deadline_at <= ?1",
        [now],
    )
}

/// Whether the user has been in the call long enough, at `now`.
pub fn call_long_enough(joined_at: Option<i64>, left_at: Option<i64>, now: i64) -> bool {
    joined_at.is_some_and(|joined| left_at.unwrap_or(now) - joined >= MINIMUM_CALL_SECONDS)
}

/// `GET /v1/review/requests`: pending requests, earliest deadline first.
pub async fn queue(State(state): State<AppState>, _reviewer: ReviewerAuth) -> ApiResult<axum::Json<Value>> {
    let now = state.now();
    let connection = state.db.lock()?;
    if expire_overdue(&connection, now)? > 0 {
        state.announce_change();
    }
    let pending = requests::load_in_states(&connection, &PENDING)?;
    let items: Vec<Value> = pending.iter().map(|r| requests::view(r, now)).collect();
    Ok(axum::Json(json!({ "requests": items, "server_time": to_rfc3339(now) })))
}

fn transition(
    state: &AppState,
    id: &str,
    change: impl FnOnce(&Connection, &RequestRecord, i64) -> ApiResult<Option<&'static str>>,
) -> ApiResult<axum::Json<Value>> {
    let now = state.now();
    let (record, push_event) = {
        let connection = state.db.lock()?;
        expire_overdue(&connection, now)?;
        let record = requests::load(&connection, id)?;
        if !record.state.is_pending() {
            return Err(ApiError::conflict(
                "REQUEST_NOT_PENDING",
                format!("the request is {}", record.state.as_str()),
            ));
        }
        let push_event = change(&connection, &record, now)?;
        connection.execute("UPDATE requests SET version = version + 1 WHERE id = ?1", [id])?;
        (requests::load(&connection, id)?, push_event)
    };
    state.announce_change();
    if let Some(event) = push_event {
        crate::status::notify_device(state, id, event)?;
    }
    Ok(axum::Json(requests::view(&record, now)))
}

/// `POST /v1/review/requests/{id}/call`: the reviewer starts the video call.
pub async fn start_call(
    State(state): State<AppState>,
    _reviewer: ReviewerAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    transition(&state, &id, |connection, record, _now| {
        if record.state != ReviewState::WaitingForReviewer {
            return Err(ApiError::conflict("CALL_ALREADY_STARTED", "the call was already started"));
        }
        connection.execute(
            "UPDATE requests SET state = 'call_invited', call_id = ?1 WHERE id = ?2",
            rusqlite::params![new_id("call")?, record.id],
        )?;
        Ok(Some("call_invited"))
    })
}

/// `POST /v1/review/requests/{id}/join`: the user joined the call (recorded by the reviewer).
pub async fn user_joined(
    State(state): State<AppState>,
    _reviewer: ReviewerAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    transition(&state, &id, |connection, record, now| {
        if record.state == ReviewState::WaitingForReviewer {
            return Err(ApiError::conflict("CALL_NOT_STARTED", "start the call first"));
        }
        if record.state == ReviewState::InCall && record.left_at.is_none() {
            return Err(ApiError::conflict("USER_ALREADY_IN_CALL", "the user is already in the call"));
        }
        connection.execute(
            "UPDATE requests SET state = 'in_call', joined_at = ?1, left_at = NULL WHERE id = ?2",
            rusqlite::params![now, record.id],
        )?;
        Ok(None)
    })
}

/// `POST /v1/review/requests/{id}/leave`: the user left the call.
pub async fn user_left(
    State(state): State<AppState>,
    _reviewer: ReviewerAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    transition(&state, &id, |connection, record, now| {
        if record.state != ReviewState::InCall || record.left_at.is_some() {
            return Err(ApiError::conflict("USER_NOT_IN_CALL", "the user is not in the call"));
        }
        connection.execute("UPDATE requests SET left_at = ?1 WHERE id = ?2", rusqlite::params![now, record.id])?;
        Ok(None)
    })
}

/// Body of `POST /v1/review/requests/{id}/decision`.
#[derive(Debug, Deserialize)]
pub struct Decision {
    /// `approve` or `deny`.
    pub decision: String,
    /// Stable reason code, required to deny (e.g. `FACE_MISMATCH`).
    #[serde(default)]
    pub reason_code: Option<String>,
    /// Message shown to the user, required to deny.
    #[serde(default)]
    pub message: Option<String>,
}

fn valid_reason_code(code: &str) -> bool {
    (2..=64).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
}

/// `POST /v1/review/requests/{id}/decision`: approve (after ≥ 15 s in the call) or deny.
pub async fn decide(
    State(state): State<AppState>,
    _reviewer: ReviewerAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Decision>,
) -> ApiResult<axum::Json<Value>> {
    let signer = state.signer.clone();
    transition(&state, &id, |connection, record, now| match body.decision.as_str() {
        "approve" => {
            if !call_long_enough(record.joined_at, record.left_at, now) {
                return Err(ApiError::conflict(
                    "CALL_TOO_SHORT",
                    format!("the user must stay in the call at least {MINIMUM_CALL_SECONDS} seconds"),
                ));
            }
            connection.execute(
                "UPDATE requests SET state = 'approved', decided_at = ?1 WHERE id = ?2",
                rusqlite::params![now, record.id],
            )?;
            // The passkey path's Verified ID was issued after the government ID (seed 001).
            if record.flags.verified_id && record.path != crate::directory::OnboardingPath::GetPasskey {
                crate::verified_id::issue(connection, &signer, record, now)?;
            }
            Ok(Some("approved"))
        }
        "deny" => {
            let code = body.reason_code.as_deref().unwrap_or_default();
            let message = body.message.as_deref().map(str::trim).unwrap_or_default();
            if !valid_reason_code(code) {
                return Err(ApiError::bad_request("REASON_CODE_INVALID", "reason_code must be UPPER_SNAKE_CASE"));
            }
            if message.is_empty() || message.len() > 500 {
                return Err(ApiError::bad_request("DENIAL_MESSAGE_REQUIRED", "give a message of 1–500 characters"));
            }
            connection.execute(
                "UPDATE requests SET state = 'denied', decided_at = ?1, denial_reason_code = ?2,
                 denial_message = ?3 WHERE id = ?4",
                rusqlite::params![now, code, message, record.id],
            )?;
            Ok(Some("denied"))
        }
        _ => Err(ApiError::bad_request("DECISION_INVALID", "decision must be approve or deny")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_second_rule_counts_from_join_to_leave_or_now() {
        assert!(!call_long_enough(None, None, 100));
        assert!(!call_long_enough(Some(100), Some(114), 200));
        assert!(call_long_enough(Some(100), Some(115), 200));
        assert!(!call_long_enough(Some(100), None, 110));
        assert!(call_long_enough(Some(100), None, 115));
    }

    #[test]
    fn states_round_trip_and_only_review_states_are_pending() {
        for s in [ReviewState::Draft, ReviewState::InCall, ReviewState::Expired] {
            assert_eq!(ReviewState::parse(s.as_str()), Some(s));
        }
        assert!(ReviewState::CallInvited.is_pending());
        assert!(!ReviewState::Approved.is_pending());
        assert_eq!(ReviewState::parse("submitted"), None);
    }
}
