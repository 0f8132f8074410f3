//! Onboarding requests: the stored record and its JSON view, consent, reading a request, and
//! submitting it for review (the identity step that creates a request is `identity_step.rs`).
//! A device sees only its own requests; anybody else's id answers `404 REQUEST_NOT_FOUND`,
//! exactly like an id that does not exist. Evidence (government ID, selfie, liveness, Verified ID
//! presentation) and submission need a confirmed identity: on the legacy path that is the date
//! of birth, which may come after the request was created.

use axum::extract::{Path, State};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::DeviceAuth;
use crate::clock::{from_rfc3339, to_rfc3339};
use crate::directory::{OnboardingPath, RolloutFlags};
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::review::{self, ReviewState};
use crate::state::AppState;

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
    /// When the identity was confirmed (at creation, or by the date of birth afterwards).
    pub identity_confirmed_at: Option<i64>,
    /// When too many wrong dates of birth locked the request for good.
    pub identity_locked_at: Option<i64>,
    /// When the device presented a Verified ID for this request.
    pub verified_id_presented_at: Option<i64>,
}

/// Where the identity of a request stands (`identity_check` in the view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityCheck {
    /// Confirmed: evidence and submission are open.
    Confirmed,
    /// Legacy path: the date of birth is still to be confirmed.
    DateOfBirthRequired,
    /// Too many wrong dates of birth; the request can no longer be used.
    Locked,
}

impl IdentityCheck {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::DateOfBirthRequired => "date_of_birth_required",
            Self::Locked => "locked",
        }
    }
}

impl RequestRecord {
    /// Where the identity stands.
    pub fn identity_check(&self) -> IdentityCheck {
        if self.identity_confirmed_at.is_some() {
            IdentityCheck::Confirmed
        } else if self.identity_locked_at.is_some() {
            IdentityCheck::Locked
        } else {
            IdentityCheck::DateOfBirthRequired
        }
    }
}

const COLUMNS: &str = "id, device_id, upn, path, flag_liveness, flag_verified_id, fast_path, state, \
    version, consent_terms_version, government_id_result, selfie_uploaded_at, liveness_result, \
    submitted_at, deadline_at, call_id, joined_at, left_at, denial_reason_code, denial_message, \
    identity_confirmed_at, identity_locked_at, verified_id_presented_at";

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
        identity_confirmed_at: row.get(20)?,
        identity_locked_at: row.get(21)?,
        verified_id_presented_at: row.get(22)?,
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
        "identity_check": record.identity_check().as_str(),
        "consent_terms_version": record.consent_terms_version,
        "government_id_result": record.government_id_result,
        "selfie_uploaded": record.selfie_uploaded_at.is_some(),
        "liveness_result": record.liveness_result,
        "verified_id_presented_at": record.verified_id_presented_at.map(to_rfc3339),
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

/// Runs `change` on a draft request owned by `device` whose identity is confirmed, bumps its
/// version, and answers its view. Evidence and submission go through here.
pub fn update_draft(
    state: &AppState,
    id: &str,
    device: &DeviceAuth,
    change: impl FnOnce(&Connection, &RequestRecord, i64) -> ApiResult<()>,
) -> ApiResult<Value> {
    update_draft_at_any_identity_check(state, id, device, |connection, record, now| {
        require_confirmed_identity(record)?;
        change(connection, record, now)
    })
}

/// `409 DATE_OF_BIRTH_NOT_CONFIRMED` or `409 IDENTITY_LOCKED` unless the identity is confirmed.
pub fn require_confirmed_identity(record: &RequestRecord) -> ApiResult<()> {
    match record.identity_check() {
        IdentityCheck::Confirmed => Ok(()),
        IdentityCheck::DateOfBirthRequired => Err(ApiError::conflict(
            "DATE_OF_BIRTH_NOT_CONFIRMED",
            "confirm the date of birth first (POST /v1/requests/{id}/date-of-birth)",
        )),
        IdentityCheck::Locked => Err(locked()),
    }
}

/// The refusal for a request locked by wrong dates of birth.
pub fn locked() -> ApiError {
    ApiError::conflict(
        "IDENTITY_LOCKED",
        "too many wrong dates of birth; this request is locked — start again later or ask your manager",
    )
}

/// Like [`update_draft`], but also for a request whose identity is not confirmed yet (consent,
/// the date of birth itself, a Verified ID presentation).
pub fn update_draft_at_any_identity_check(
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

/// Validates a consent record: `terms_version` of 1–64 characters, `accepted_at` RFC 3339.
pub fn checked_consent(terms_version: &str, accepted_at: &str) -> ApiResult<(String, i64)> {
    let terms = terms_version.trim();
    if terms.is_empty() || terms.len() > 64 {
        return Err(ApiError::bad_request("TERMS_VERSION_INVALID", "terms_version must be 1–64 characters"));
    }
    let accepted_at = from_rfc3339(accepted_at)
        .ok_or_else(|| ApiError::bad_request("ACCEPTED_AT_INVALID", "accepted_at must be RFC 3339"))?;
    Ok((terms.to_owned(), accepted_at))
}

/// `POST /v1/requests/{id}/consent`.
pub async fn consent(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Consent>,
) -> ApiResult<axum::Json<Value>> {
    let (terms, accepted_at) = checked_consent(&body.terms_version, &body.accepted_at)?;
    let view = update_draft_at_any_identity_check(&state, &id, &device, |connection, record, _now| {
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
        // Seed 001: the Verified ID issued after the government ID is presented back before review.
        if needs_government_id && record.verified_id_presented_at.is_none() {
            return missing("VERIFIED_ID_NOT_PRESENTED", "present the Verified ID first");
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
