//! Onboarding requests: the identity step (path decision), consent, reading a request, and
//! submitting it for review. A device sees only its own requests; anybody else's id answers
//! `404 REQUEST_NOT_FOUND`, exactly like an id that does not exist.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::DeviceAuth;
use crate::clock::{from_rfc3339, to_rfc3339};
use crate::directory::{IdentityClaim, OnboardingPath, RolloutFlags, StaffKind};
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::review::{self, ReviewState};
use crate::secrets::new_id;
use crate::state::AppState;
use crate::verified_id;

/// A stored request, as the handlers need it.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    /// Id.
    pub id: String,
    /// Owning device.
    pub device_id: String,
    /// Work email.
    pub upn: String,
    /// Path decided at creation.
    pub path: OnboardingPath,
    /// Rollout flags decided at creation.
    pub flags: RolloutFlags,
    /// Created from a valid Verified ID less than 30 days old.
    pub fast_path: bool,
    /// Review state.
    pub state: ReviewState,
    /// Bumped on every change.
    pub version: i64,
    /// Consent given.
    pub consent_terms_version: Option<String>,
    /// Partner result: `verified`, `rejected`, `expired`.
    pub government_id_result: Option<String>,
    /// Selfie stored at.
    pub selfie_uploaded_at: Option<i64>,
    /// `passed` or `failed`.
    pub liveness_result: Option<String>,
    /// Submitted at.
    pub submitted_at: Option<i64>,
    /// Reviewer deadline.
    pub deadline_at: Option<i64>,
    /// Call id once invited.
    pub call_id: Option<String>,
    /// User joined the call at.
    pub joined_at: Option<i64>,
    /// User left the call at.
    pub left_at: Option<i64>,
    /// Denial reason code.
    pub denial_reason_code: Option<String>,
    /// Denial message.
    pub denial_message: Option<String>,
}

const COLUMNS: &str = "id, device_id, upn, path, flag_liveness, flag_verified_id, fast_path, state, \
    version, consent_terms_version, government_id_result, selfie_uploaded_at, liveness_result, \
    submitted_at, deadline_at, call_id, joined_at, left_at, denial_reason_code, denial_message";

fn from_row(row: &Row<'_>) -> rusqlite::Result<RequestRecord> {
    let path: String = row.get(3)?;
    let state: String = row.get(7)?;
    Ok(RequestRecord {
        id: row.get(0)?,
        device_id: row.get(1)?,
        upn: row.get(2)?,
        path: OnboardingPath::parse(&path).unwrap_or(OnboardingPath::LegacyDob),
        flags: RolloutFlags { liveness_prompt: row.get(4)?, verified_id: row.get(5)? },
        fast_path: row.get(6)?,
        state: ReviewState::parse(&state).unwrap_or(ReviewState::Draft),
        version: row.get(8)?,
        consent_terms_version: row.get(9)?,
        government_id_result: row.get(10)?,
        selfie_uploaded_at: row.get(11)?,
        liveness_result: row.get(12)?,
        submitted_at: row.get(13)?,
        deadline_at: row.get(14)?,
        call_id: row.get(15)?,
        joined_at: row.get(16)?,
        left_at: row.get(17)?,
        denial_reason_code: row.get(18)?,
        denial_message: row.get(19)?,
    })
}

/// Loads any request by id (reviewer side).
pub fn load(connection: &Connection, id: &str) -> ApiResult<RequestRecord> {
    connection
        .query_row(&format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| ApiError::not_found("REQUEST_NOT_FOUND", "no such request"))
}

/// Loads a request only if `device` owns it; otherwise the same 404 as a missing id.
pub fn load_owned(connection: &Connection, id: &str, device: &DeviceAuth) -> ApiResult<RequestRecord> {
    let record = load(connection, id)?;
    if record.device_id != device.device_id {
        return Err(ApiError::not_found("REQUEST_NOT_FOUND", "no such request"));
    }
    Ok(record)
}

/// Loads every request in the given states (reviewer queue).
pub fn load_in_states(connection: &Connection, states: &[ReviewState]) -> ApiResult<Vec<RequestRecord>> {
    let list = states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(",");
    let mut statement = connection.prepare(&format!(
        "SELECT {COLUMNS} FROM requests WHERE state IN ({list}) ORDER BY deadline_at, id"
    ))?;
    let rows = statement.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The JSON view of a request shared by the device and reviewer endpoints.
pub fn view(record: &RequestRecord, now: i64) -> Value {
    json!({
        "request_id": record.id,
        "upn": record.upn,
        "path": record.path.as_str(),
        "flags": record.flags,
        "fast_path": record.fast_path,
        "state": record.state.as_str(),
        "version": record.version,
        "consent_terms_version": record.consent_terms_version,
        "government_id_result": record.government_id_result,
        "selfie_uploaded": record.selfie_uploaded_at.is_some(),
        "liveness_result": record.liveness_result,
        "submitted_at": record.submitted_at.map(to_rfc3339),
        "deadline": record.deadline_at.map(to_rfc3339),
        "call_id": record.call_id,
        "joined_at": record.joined_at.map(to_rfc3339),
        "left_at": record.left_at.map(to_rfc3339),
        "denial": record.denial_reason_code.as_ref().map(|code| json!({
            "reason_code": code, "message": record.denial_message,
        })),
        "server_time": to_rfc3339(now),
    })
}

/// Body of `POST /v1/requests`. No `Debug`: it may carry a Verified ID and personal data.
#[derive(Deserialize)]
pub struct CreateRequest {
    /// Work email.
    pub upn: String,
    /// Employee ID.
    #[serde(default)]
    pub employee_id: Option<String>,
    /// Personal email for notifications.
    #[serde(default)]
    pub personal_email: Option<String>,
    /// Employee or external.
    pub staff_kind: StaffKind,
    /// ISO date of birth (employees, legacy path).
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// A previously issued Verified ID (compact JWS) to use the 30-day fast path.
    #[serde(default)]
    pub verified_id: Option<String>,
}

/// Answer of `POST /v1/requests`.
#[derive(Debug, Serialize)]
pub struct RequestCreated {
    /// New request id.
    pub request_id: String,
    /// Path decided.
    pub path: OnboardingPath,
    /// Rollout flags.
    pub flags: RolloutFlags,
    /// `eligible` when the fast path applies, else `not_eligible`.
    pub fast_path: &'static str,
    /// Always `draft` at creation.
    pub state: &'static str,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// `POST /v1/requests`: the identity step.
pub async fn create(
    State(state): State<AppState>,
    device: DeviceAuth,
    ApiJson(body): ApiJson<CreateRequest>,
) -> ApiResult<(StatusCode, axum::Json<RequestCreated>)> {
    if let Some(email) = &body.personal_email
        && (!email.contains('@') || email.len() > 254) {
            return Err(ApiError::bad_request("PERSONAL_EMAIL_INVALID", "not an email address"));
        }
    let claim = IdentityClaim {
        upn: body.upn.clone(),
        employee_id: body.employee_id.clone(),
        staff_kind: body.staff_kind,
        date_of_birth: body.date_of_birth.clone(),
    };
    let decision = state.directory.decide(&claim)?;
    let now = state.now();
    let connection = state.db.lock()?;
    let fast_path = match &body.verified_id {
        Some(jws) => {
            verified_id::check_presented(&connection, &state.signer, jws, &decision.entry.upn, now)?;
            true
        }
        None => false,
    };
    let id = new_id("req")?;
    connection.execute(
        "INSERT INTO requests (id, device_id, upn, employee_id, personal_email, staff_kind, path,
            flag_liveness, flag_verified_id, fast_path, state, version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'draft', 1, ?11)",
        rusqlite::params![
            id, device.device_id, decision.entry.upn, decision.entry.employee_id,
            body.personal_email, serde_json::to_value(body.staff_kind).ok().and_then(|v| v.as_str().map(str::to_owned)),
            decision.path.as_str(), decision.flags.liveness_prompt, decision.flags.verified_id,
            fast_path, now,
        ],
    )?;
    Ok((StatusCode::CREATED, axum::Json(RequestCreated {
        request_id: id,
        path: decision.path,
        flags: decision.flags,
        fast_path: if fast_path { "eligible" } else { "not_eligible" },
        state: ReviewState::Draft.as_str(),
        server_time: to_rfc3339(now),
    })))
}

/// `GET /v1/requests/{id}`.
pub async fn get(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let now = state.now();
    let connection = state.db.lock()?;
    review::expire_overdue(&connection, now)?;
    let record = load_owned(&connection, &id, &device)?;
    Ok(axum::Json(view(&record, now)))
}

/// Runs `change` on a draft request owned by `device`, bumps its version, and answers its view.
pub fn update_draft(
    state: &AppState,
    id: &str,
    device: &DeviceAuth,
    change: impl FnOnce(&Connection, &RequestRecord, i64) -> ApiResult<()>,
) -> ApiResult<Value> {
    let now = state.now();
    let record = {
        let connection = state.db.lock()?;
        let record = load_owned(&connection, id, device)?;
        if record.state != ReviewState::Draft {
            return Err(ApiError::conflict("REQUEST_ALREADY_SUBMITTED", "the request was already submitted"));
        }
        change(&connection, &record, now)?;
        connection.execute("UPDATE requests SET version = version + 1 WHERE id = ?1", [id])?;
        load(&connection, id)?
    };
    state.announce_change();
    Ok(view(&record, now))
}

/// Body of `POST /v1/requests/{id}/consent`.
#[derive(Debug, Deserialize)]
pub struct Consent {
    /// Version of the terms the user accepted.
    pub terms_version: String,
    /// When, RFC 3339 (the device's claim; stored for the record only).
    pub accepted_at: String,
}

/// `POST /v1/requests/{id}/consent`.
pub async fn consent(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Consent>,
) -> ApiResult<axum::Json<Value>> {
    let terms = body.terms_version.trim();
    if terms.is_empty() || terms.len() > 64 {
        return Err(ApiError::bad_request("TERMS_VERSION_INVALID", "terms_version must be 1–64 characters"));
    }
    let accepted_at = from_rfc3339(&body.accepted_at)
        .ok_or_else(|| ApiError::bad_request("ACCEPTED_AT_INVALID", "accepted_at must be RFC 3339"))?;
    let view = update_draft(&state, &id, &device, |connection, record, _now| {
        connection.execute(
            "UPDATE requests SET consent_terms_version = ?1, consent_accepted_at = ?2 WHERE id = ?3",
            rusqlite::params![terms, accepted_at, record.id],
        )?;
        Ok(())
    })?;
    Ok(axum::Json(view))
}

/// `POST /v1/requests/{id}/submit`: checks every step the path needs, then either approves at
/// once (fast path) or queues the request for a reviewer with a 24-hour deadline.
pub async fn submit(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let approved_fast = std::cell::Cell::new(false);
    let view = update_draft(&state, &id, &device, |connection, record, now| {
        let missing = |code: &'static str, message: &str| Err(ApiError::conflict(code, message));
        if record.consent_terms_version.is_none() {
            return missing("CONSENT_REQUIRED", "accept the terms first");
        }
        let needs_government_id = record.path == OnboardingPath::GetPasskey && !record.fast_path;
        if needs_government_id && record.government_id_result.as_deref() != Some("verified") {
            return missing("GOVERNMENT_ID_NOT_VERIFIED", "the government ID check has not passed");
        }
        let needs_selfie = record.path != OnboardingPath::GetPasskey && !record.fast_path;
        if needs_selfie && record.selfie_uploaded_at.is_none() {
            return missing("SELFIE_REQUIRED", "upload a selfie first");
        }
        let needs_liveness =
            record.flags.liveness_prompt || record.fast_path || record.path == OnboardingPath::GetPasskey;
        if needs_liveness && record.liveness_result.as_deref() != Some("passed") {
            return missing("LIVENESS_REQUIRED", "the liveness check has not passed");
        }
        if record.fast_path {
            connection.execute(
                "UPDATE requests SET state = 'approved', submitted_at = ?1, decided_at = ?1 WHERE id = ?2",
                rusqlite::params![now, record.id],
            )?;
            approved_fast.set(true);
        } else {
            connection.execute(
                "UPDATE requests SET state = 'waiting_for_reviewer', submitted_at = ?1, deadline_at = ?2
                 WHERE id = ?3",
                rusqlite::params![now, now + review::REVIEW_WINDOW_SECONDS, record.id],
            )?;
        }
        Ok(())
    })?;
    if approved_fast.get() {
        crate::status::notify_device(&state, &id, "approved")?;
    }
    Ok(axum::Json(view))
}
