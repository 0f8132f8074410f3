//! The `verified_ids` table: every Verified ID issued, so a presented one can be checked to be
//! really ours and unrevoked, and a request's can be fetched again.

use rusqlite::{OptionalExtension, params};

use crate::domain::verified_id::IssuedVerifiedId;
use crate::store::{Connection, Missing, StoreError, StoreResult};

/// Keeps an issued Verified ID.
pub fn insert(connection: &Connection, issued: &IssuedVerifiedId) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO verified_ids (jti, upn, request_id, issued_at, expires_at, jws, device_key_thumbprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![issued.jti, issued.upn, issued.request_id, issued.issued_at, issued.expires_at, issued.jws, issued.device_key_thumbprint],
    )?;
    Ok(())
}

/// What the record says of a credential issued here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnRecord {
    /// Never issued here.
    Unknown,
    /// Issued and in force.
    Valid,
    /// Revoked at this time.
    Revoked(i64),
}

/// The record of the credential with this `jti`.
pub fn on_record(connection: &Connection, jti: &str) -> StoreResult<OnRecord> {
    let row: Option<Option<i64>> =
        connection.query_row("SELECT revoked_at FROM verified_ids WHERE jti = ?1", [jti], |r| r.get(0)).optional()?;
    Ok(match row {
        None => OnRecord::Unknown,
        Some(None) => OnRecord::Valid,
        Some(Some(at)) => OnRecord::Revoked(at),
    })
}

/// Revokes every unrevoked, unexpired Verified ID of `upn` at `now` (a lost phone, a person
/// who left); returns how many.
pub fn revoke_for_person(connection: &Connection, upn: &str, reason: &str, now: i64) -> StoreResult<usize> {
    Ok(connection.execute(
        "UPDATE verified_ids SET revoked_at = ?1, revocation_reason = ?2
         WHERE upn = ?3 COLLATE NOCASE AND revoked_at IS NULL AND expires_at > ?1",
        params![now, reason, upn],
    )?)
}

/// When `upn`'s latest Verified ID that is still valid (unexpired, unrevoked) at `now` and
/// bound to the device key `thumbprint` was issued, if any. Only the phone holding the key is
/// told: to any other device that claims the person, whether they hold one is none of its
/// business (and it could not present it).
pub fn latest_issued_at(connection: &Connection, upn: &str, thumbprint: &str, now: i64) -> StoreResult<Option<i64>> {
    Ok(connection.query_row(
        "SELECT MAX(issued_at) FROM verified_ids
         WHERE upn = ?1 AND device_key_thumbprint = ?2 AND expires_at > ?3 AND revoked_at IS NULL",
        params![upn, thumbprint, now],
        |r| r.get(0),
    )?)
}

/// Whether `request_id` has its Verified ID.
pub fn issued_for_request(connection: &Connection, request_id: &str) -> StoreResult<bool> {
    let count: i64 = connection.query_row("SELECT COUNT(*) FROM verified_ids WHERE request_id = ?1", [request_id], |r| r.get(0))?;
    Ok(count > 0)
}

/// The latest Verified ID issued for `request_id`: (JWS, issued at, expires at), or "not found".
pub fn latest_for_request(connection: &Connection, request_id: &str) -> StoreResult<(String, i64, i64)> {
    connection
        .query_row(
            "SELECT jws, issued_at, expires_at FROM verified_ids WHERE request_id = ?1 ORDER BY issued_at DESC LIMIT 1",
            [request_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(StoreError::NotFound(Missing::VerifiedId))
}
