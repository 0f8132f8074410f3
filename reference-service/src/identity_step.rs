//! The identity step in the app's order (core flow: `SubmitIdentity`, then on `legacy_dob`
//! `SubmitDateOfBirth`): `POST /v1/requests` checks UPN, employee ID and staff kind against the
//! directory and opens a request; on the legacy path an employee's request stays unconfirmed
//! until `POST /v1/requests/{id}/date-of-birth` matches the record. One-step clients may still
//! send `date_of_birth` with the identity. Consent given before the identity step may come with
//! it too (`terms_version`, `consent_accepted_at`), as the flow records it before a request exists.
//!
//! Guessing dates is limited: every wrong date counts against the person (by UPN, for 24 hours)
//! and against the request; five wrong dates lock the request for good, and while a person has
//! five wrong dates in the last 24 hours no date is accepted for them at all. A one-step create
//! that fails while carrying a date counts too, under the UPN as typed, so the answer for an
//! unknown UPN and for a known one stays the same `IDENTITY_NOT_MATCHED`. The same wrong date
//! sent again (a retry after a lost answer, whatever its idempotency key) counts once: it tells
//! a guesser nothing new.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::DeviceAuth;
use crate::clock::to_rfc3339;
use crate::directory::{
    DateOfBirthCheck, IdentityClaim, OnboardingPath, RolloutFlags, StaffKind, not_matched, require_iso_date,
};
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::requests::{self, IdentityCheck, checked_consent, locked, view};
use crate::review::ReviewState;
use crate::secrets::{new_id, sha256};
use crate::state::AppState;
use crate::verified_id;

/// Wrong dates of birth that lock a request (and, within [`FAILURE_WINDOW_SECONDS`], a person).
pub const MAX_WRONG_DATES: i64 = 5;
/// How long a wrong date counts against the person.
pub const FAILURE_WINDOW_SECONDS: i64 = 24 * 3600;

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
    /// ISO date of birth (employees on the legacy path, one-step clients).
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// A previously issued Verified ID (compact JWS) to use the 30-day fast path.
    #[serde(default)]
    pub verified_id: Option<String>,
    /// Version of the terms accepted before the identity step (with `consent_accepted_at`).
    #[serde(default)]
    pub terms_version: Option<String>,
    /// When they were accepted, RFC 3339 (with `terms_version`).
    #[serde(default)]
    pub consent_accepted_at: Option<String>,
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
    /// `confirmed`, or `date_of_birth_required` (legacy path, no date given yet).
    pub identity_check: &'static str,
    /// When the person's latest unexpired Verified ID was issued, RFC 3339 (flow:
    /// `IdentityAccepted.verified_id_issued_at`).
    pub verified_id_issued_at: Option<String>,
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
        && (!email.contains('@') || email.len() > 254)
    {
        return Err(ApiError::bad_request("PERSONAL_EMAIL_INVALID", "not an email address"));
    }
    let consent = match (&body.terms_version, &body.consent_accepted_at) {
        (Some(terms), Some(at)) => Some(checked_consent(terms, at)?),
        (None, None) => None,
        _ => return Err(ApiError::bad_request("CONSENT_INCOMPLETE", "send terms_version and consent_accepted_at together")),
    };
    let claim = IdentityClaim {
        upn: body.upn.clone(),
        employee_id: body.employee_id.clone(),
        staff_kind: body.staff_kind,
        date_of_birth: body.date_of_birth.clone(),
    };
    let typed_upn = failure_key(&body.upn);
    let now = state.now();
    let connection = state.db.lock()?;
    if claim.date_of_birth.is_some() && wrong_dates_for_person(&connection, &typed_upn, now)? >= MAX_WRONG_DATES {
        return Err(not_matched());
    }
    let decision = match state.directory.decide(&claim) {
        Ok(decision) => decision,
        Err(refusal) => {
            if refusal.code == "IDENTITY_NOT_MATCHED" && claim.date_of_birth.is_some() {
                record_wrong_date(&connection, &typed_upn, None, claim.date_of_birth.as_deref().unwrap_or_default(), now)?;
            }
            return Err(refusal);
        }
    };
    // The passkey path always goes through the government ID (core flow `PathDecision`).
    let fast_path = match &body.verified_id {
        Some(jws) => {
            verified_id::check_presented(&connection, &state.signer, jws, &decision.entry.upn, now)?;
            decision.path != OnboardingPath::GetPasskey
        }
        None => false,
    };
    let confirmed = decision.date_of_birth != DateOfBirthCheck::Pending || fast_path;
    if !confirmed && wrong_dates_for_person(&connection, &failure_key(&decision.entry.upn), now)? >= MAX_WRONG_DATES {
        return Err(locked());
    }
    let id = new_id("req")?;
    let staff_kind = match body.staff_kind {
        StaffKind::Employee => "employee",
        StaffKind::External => "external",
    };
    connection.execute(
        "INSERT INTO requests (id, device_id, upn, employee_id, personal_email, staff_kind, path,
            flag_liveness, flag_verified_id, fast_path, state, version, created_at, identity_confirmed_at,
            consent_terms_version, consent_accepted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'draft', 1, ?11, ?12, ?13, ?14)",
        rusqlite::params![
            id, device.device_id, decision.entry.upn, decision.entry.employee_id, body.personal_email, staff_kind,
            decision.path.as_str(), decision.flags.liveness_prompt, decision.flags.verified_id, fast_path, now,
            confirmed.then_some(now), consent.as_ref().map(|c| &c.0), consent.as_ref().map(|c| c.1),
        ],
    )?;
    let verified_id_issued_at = verified_id::latest_issued_at(&connection, &decision.entry.upn, now)?;
    let identity_check = if confirmed { IdentityCheck::Confirmed } else { IdentityCheck::DateOfBirthRequired };
    Ok((StatusCode::CREATED, axum::Json(RequestCreated {
        request_id: id,
        path: decision.path,
        flags: decision.flags,
        fast_path: if fast_path { "eligible" } else { "not_eligible" },
        state: ReviewState::Draft.as_str(),
        identity_check: identity_check.as_str(),
        verified_id_issued_at: verified_id_issued_at.map(to_rfc3339),
        server_time: to_rfc3339(now),
    })))
}

/// Body of `POST /v1/requests/{id}/date-of-birth`. No `Debug`: personal data.
#[derive(Deserialize)]
pub struct DateOfBirth {
    /// ISO `YYYY-MM-DD`.
    pub date_of_birth: String,
}

/// `POST /v1/requests/{id}/date-of-birth`: confirms a legacy-path employee's identity. The
/// right date answers the request's view (again, harmlessly, once confirmed); a wrong one
/// `422 IDENTITY_NOT_MATCHED`, and the one that exhausts the attempts `409 IDENTITY_LOCKED`.
pub async fn date_of_birth(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DateOfBirth>,
) -> ApiResult<axum::Json<Value>> {
    require_iso_date(&body.date_of_birth)?;
    let now = state.now();
    let outcome = {
        let connection = state.db.lock()?;
        check_date_of_birth(&state, &connection, &id, &device, &body.date_of_birth, now)
    };
    match outcome {
        Ok((record, changed)) => {
            if changed {
                state.announce_change();
            }
            Ok(axum::Json(view(&record, now)))
        }
        Err((error, changed)) => {
            if changed {
                state.announce_change();
            }
            Err(error)
        }
    }
}

type Checked = Result<(requests::RequestRecord, bool), (ApiError, bool)>;

/// The date-of-birth rules; the `bool` says whether the request changed (for long-polls).
fn check_date_of_birth(state: &AppState, connection: &Connection, id: &str, device: &DeviceAuth, dob: &str, now: i64) -> Checked {
    let unchanged = |error: ApiError| (error, false);
    let record = requests::load_owned(connection, id, device).map_err(unchanged)?;
    if record.state != ReviewState::Draft {
        return Err(unchanged(ApiError::conflict("REQUEST_ALREADY_SUBMITTED", "the request was already submitted")));
    }
    let entry = state.directory.find(&record.upn).ok_or_else(|| unchanged(not_matched()))?;
    if record.path != OnboardingPath::LegacyDob || entry.staff_kind != StaffKind::Employee {
        return Err(unchanged(ApiError::conflict("DATE_OF_BIRTH_NOT_NEEDED", "this request is not asked for a date of birth")));
    }
    let identity = record.identity_check();
    if identity == IdentityCheck::Locked {
        return Err(unchanged(locked()));
    }
    let person = failure_key(&record.upn);
    let db = |error: rusqlite::Error| unchanged(ApiError::from(error));
    let lock = |connection: &Connection| -> (ApiError, bool) {
        let sql = "UPDATE requests SET identity_locked_at = ?1, version = version + 1 WHERE id = ?2";
        match connection.execute(sql, rusqlite::params![now, id]) {
            Ok(_) => (locked(), true),
            Err(error) => db(error),
        }
    };
    let pending = identity == IdentityCheck::DateOfBirthRequired;
    if pending && wrong_dates_for_person(connection, &person, now).map_err(db)? >= MAX_WRONG_DATES {
        return Err(lock(connection));
    }
    if entry.born_on(dob) {
        if pending {
            connection
                .execute("UPDATE requests SET identity_confirmed_at = ?1, version = version + 1 WHERE id = ?2", rusqlite::params![now, id])
                .map_err(db)?;
        }
        return Ok((requests::load(connection, id).map_err(unchanged)?, pending));
    }
    record_wrong_date(connection, &person, Some(id), dob, now).map_err(db)?;
    let on_request: i64 = connection
        .query_row("SELECT COUNT(*) FROM date_of_birth_failures WHERE request_id = ?1", [id], |r| r.get(0))
        .map_err(db)?;
    let for_person = wrong_dates_for_person(connection, &person, now).map_err(db)?;
    if pending && (on_request >= MAX_WRONG_DATES || for_person >= MAX_WRONG_DATES) {
        return Err(lock(connection));
    }
    Err(unchanged(not_matched()))
}

/// How wrong dates are filed: the UPN, trimmed and lower-cased (as the directory compares it).
fn failure_key(upn: &str) -> String {
    upn.trim().to_ascii_lowercase()
}

/// Wrong dates for `person` in the last [`FAILURE_WINDOW_SECONDS`].
fn wrong_dates_for_person(connection: &Connection, person: &str, now: i64) -> rusqlite::Result<i64> {
    connection.query_row(
        "SELECT COUNT(*) FROM date_of_birth_failures WHERE upn = ?1 AND failed_at > ?2",
        rusqlite::params![person, now - FAILURE_WINDOW_SECONDS],
        |r| r.get(0),
    )
}

/// Files a wrong date unless the same one was already filed (for this request, or for this
/// person within the window), and forgets one-step guesses that no longer count (request-bound
/// ones are kept: they make up the request's own count).
fn record_wrong_date(connection: &Connection, person: &str, request_id: Option<&str>, dob: &str, now: i64) -> rusqlite::Result<()> {
    connection.execute(
        "DELETE FROM date_of_birth_failures WHERE request_id IS NULL AND failed_at <= ?1",
        [now - FAILURE_WINDOW_SECONDS],
    )?;
    // Hashed with the person so the table does not list plain dates next to names.
    let guess_hash = sha256(format!("{person}\n{dob}").as_bytes());
    connection.execute(
        "INSERT INTO date_of_birth_failures (upn, request_id, guess_hash, failed_at)
         SELECT ?1, ?2, ?3, ?4
         WHERE NOT EXISTS (SELECT 1 FROM date_of_birth_failures WHERE upn = ?1 AND guess_hash = ?3
             AND (request_id IS ?2 OR failed_at > ?5))",
        rusqlite::params![person, request_id, guess_hash, now, now - FAILURE_WINDOW_SECONDS],
    )?;
    Ok(())
}
