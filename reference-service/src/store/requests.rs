//! The `requests` table: reading requests as [`OnboardingRequest`]s, creating them, and the
//! changes of the draft stage (consent, identity confirmation or lock, Verified ID
//! presentation). Evidence is in `evidence.rs`, the review stage in `review.rs`.
//!
//! A device sees only its own requests: [`load_owned`] answers another device's id exactly like
//! an id that does not exist.

use rusqlite::{OptionalExtension, Row, params};

use crate::domain::consent::Consent;
use crate::domain::directory::{OnboardingPath, RolloutFlags, StaffKind};
use crate::domain::request::OnboardingRequest;
use crate::domain::request_state::RequestState;
use crate::store::{Connection, Missing, StoreError, StoreResult};

const COLUMNS: &str = "id, device_id, upn, path, flag_liveness, flag_verified_id, fast_path, state, \
    version, consent_terms_version, government_id_result, selfie_uploaded_at, liveness_result, \
    submitted_at, deadline_at, call_id, joined_at, left_at, denial_reason_code, denial_message, \
    identity_confirmed_at, identity_locked_at, verified_id_presented_at, liveness_reason, seconds_in_call_before";

fn from_row(row: &Row<'_>) -> rusqlite::Result<OnboardingRequest> {
    let path: String = row.get(3)?;
    let state: String = row.get(7)?;
    Ok(OnboardingRequest {
        id: row.get(0)?,
        device_id: row.get(1)?,
        upn: row.get(2)?,
        path: OnboardingPath::parse(&path).unwrap_or(OnboardingPath::LegacyDob),
        flags: RolloutFlags { liveness_prompt: row.get(4)?, verified_id: row.get(5)? },
        fast_path: row.get(6)?,
        state: RequestState::parse(&state).unwrap_or(RequestState::Draft),
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
        liveness_reason: row.get(23)?,
        seconds_in_call_before: row.get(24)?,
    })
}

/// The request whose call is `call_id`, if any (call ids are unique: `new_id`). Unindexed:
/// it runs when a user's media starts or stops, a few times a call.
pub fn find_by_call_id(connection: &Connection, call_id: &str) -> StoreResult<Option<OnboardingRequest>> {
    Ok(connection.query_row(&format!("SELECT {COLUMNS} FROM requests WHERE call_id = ?1"), [call_id], from_row).optional()?)
}

/// Loads any request by id (reviewer side).
pub fn load(connection: &Connection, id: &str) -> StoreResult<OnboardingRequest> {
    connection
        .query_row(&format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound(Missing::Request))
}

/// Loads a request only if `device_id` owns it; otherwise the same "not found" as a missing id.
pub fn load_owned(connection: &Connection, id: &str, device_id: &str) -> StoreResult<OnboardingRequest> {
    let request = load(connection, id)?;
    if request.device_id != device_id {
        return Err(StoreError::NotFound(Missing::Request));
    }
    Ok(request)
}

/// Loads every request in the given states, earliest deadline first (reviewer queue).
pub fn load_in_states(connection: &Connection, states: &[RequestState]) -> StoreResult<Vec<OnboardingRequest>> {
    let list = states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(",");
    let mut statement = connection.prepare(&format!("SELECT {COLUMNS} FROM requests WHERE state IN ({list}) ORDER BY deadline_at, id"))?;
    let rows = statement.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Bumps the version long-polls compare, after any change.
pub fn bump_version(connection: &Connection, id: &str) -> StoreResult<()> {
    connection.execute("UPDATE requests SET version = version + 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// A request as the identity step opens it (always a `draft`, version 1).
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// New id.
    pub id: &'a str,
    /// Owning device.
    pub device_id: &'a str,
    /// The directory's UPN (not as typed).
    pub upn: &'a str,
    /// The directory's employee ID.
    pub employee_id: &'a str,
    /// Personal email for notifications.
    pub personal_email: Option<&'a str>,
    /// Employee or external.
    pub staff_kind: StaffKind,
    /// The path decided.
    pub path: OnboardingPath,
    /// The rollout flags decided.
    pub flags: RolloutFlags,
    /// Opened by a presented Verified ID.
    pub fast_path: bool,
    /// When the identity was confirmed, if it already is.
    pub identity_confirmed_at: Option<i64>,
    /// Consent given before the identity step.
    pub consent: Option<&'a Consent>,
}

/// Stores a new request created at `now`.
pub fn insert(connection: &Connection, request: &NewRequest<'_>, now: i64) -> StoreResult<()> {
    let staff_kind = match request.staff_kind {
        StaffKind::Employee => "employee",
        StaffKind::External => "external",
    };
    connection.execute(
        "INSERT INTO requests (id, device_id, upn, employee_id, personal_email, staff_kind, path,
            flag_liveness, flag_verified_id, fast_path, state, version, created_at, identity_confirmed_at,
            consent_terms_version, consent_accepted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'draft', 1, ?11, ?12, ?13, ?14)",
        params![
            request.id,
            request.device_id,
            request.upn,
            request.employee_id,
            request.personal_email,
            staff_kind,
            request.path.as_str(),
            request.flags.liveness_prompt,
            request.flags.verified_id,
            request.fast_path,
            now,
            request.identity_confirmed_at,
            request.consent.map(|c| &c.terms_version),
            request.consent.map(|c| c.accepted_at),
        ],
    )?;
    Ok(())
}

/// Records consent.
pub fn record_consent(connection: &Connection, id: &str, consent: &Consent) -> StoreResult<()> {
    connection.execute(
        "UPDATE requests SET consent_terms_version = ?1, consent_accepted_at = ?2 WHERE id = ?3",
        params![consent.terms_version, consent.accepted_at, id],
    )?;
    Ok(())
}

/// Confirms the identity (the right date of birth) and bumps the version.
pub fn confirm_identity(connection: &Connection, id: &str, now: i64) -> StoreResult<()> {
    connection.execute("UPDATE requests SET identity_confirmed_at = ?1, version = version + 1 WHERE id = ?2", params![now, id])?;
    Ok(())
}

/// Locks the request for good (too many wrong dates of birth) and bumps the version.
pub fn lock_identity(connection: &Connection, id: &str, now: i64) -> StoreResult<()> {
    connection.execute("UPDATE requests SET identity_locked_at = ?1, version = version + 1 WHERE id = ?2", params![now, id])?;
    Ok(())
}

/// Records a valid Verified ID presentation: the first presentation time is kept, the fast path
/// opens when `opens_fast_path`, and the identity counts as confirmed.
pub fn record_verified_id_presentation(connection: &Connection, id: &str, opens_fast_path: bool, now: i64) -> StoreResult<()> {
    connection.execute(
        "UPDATE requests SET verified_id_presented_at = COALESCE(verified_id_presented_at, ?1),
            fast_path = fast_path OR ?2, identity_confirmed_at = COALESCE(identity_confirmed_at, ?1)
         WHERE id = ?3",
        params![now, opens_fast_path, id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    fn device(connection: &Connection, id: &str) {
        crate::store::devices::insert(connection, id, b"hash", "android", None, 1).expect("device");
    }

    fn new_request<'a>(id: &'a str, device_id: &'a str) -> NewRequest<'a> {
        NewRequest {
            id,
            device_id,
            upn: "alice@contoso.example",
            employee_id: "E1001",
            personal_email: None,
            staff_kind: StaffKind::Employee,
            path: OnboardingPath::GetTap,
            flags: RolloutFlags { liveness_prompt: true, verified_id: false },
            fast_path: false,
            identity_confirmed_at: Some(10),
            consent: None,
        }
    }

    #[test]
    fn requests_round_trip_and_other_devices_see_nothing() {
        let connection = memory_for_tests();
        device(&connection, "dev_1");
        insert(&connection, &new_request("req_1", "dev_1"), 10).expect("insert");
        let request = load_owned(&connection, "req_1", "dev_1").expect("own request");
        assert_eq!((request.state, request.version, request.path), (RequestState::Draft, 1, OnboardingPath::GetTap));
        assert!(request.flags.liveness_prompt && !request.flags.verified_id);
        assert!(matches!(load_owned(&connection, "req_1", "dev_2"), Err(StoreError::NotFound(Missing::Request))));
        assert!(matches!(load(&connection, "req_2"), Err(StoreError::NotFound(Missing::Request))));
        bump_version(&connection, "req_1").expect("bump");
        assert_eq!(load(&connection, "req_1").expect("load").version, 2);
    }

    #[test]
    fn a_presentation_keeps_its_first_time_and_confirms_the_identity() {
        let connection = memory_for_tests();
        device(&connection, "dev_1");
        let mut unconfirmed = new_request("req_1", "dev_1");
        unconfirmed.identity_confirmed_at = None;
        insert(&connection, &unconfirmed, 10).expect("insert");
        record_verified_id_presentation(&connection, "req_1", true, 20).expect("first");
        record_verified_id_presentation(&connection, "req_1", false, 30).expect("second");
        let request = load(&connection, "req_1").expect("load");
        assert_eq!((request.verified_id_presented_at, request.identity_confirmed_at), (Some(20), Some(20)));
        assert!(request.fast_path, "a later presentation never closes the fast path");
    }
}
