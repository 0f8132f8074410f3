//! The `verified_ids` table: every Verified ID issued, so a presented one can be checked to be
//! really ours and a request's can be fetched again.

use rusqlite::{OptionalExtension, params};

use crate::domain::verified_id::IssuedVerifiedId;
use crate::store::{Connection, Missing, StoreError, StoreResult};

/// Keeps an issued Verified ID.
pub fn insert(connection: &Connection, issued: &IssuedVerifiedId) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO verified_ids (jti, upn, request_id, issued_at, expires_at, jws) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![issued.jti, issued.upn, issued.request_id, issued.issued_at, issued.expires_at, issued.jws],
    )?;
    Ok(())
}

/// Whether a credential with this `jti` was issued here.
pub fn is_on_record(connection: &Connection, jti: &str) -> StoreResult<bool> {
    let known: Option<i64> = connection.query_row("SELECT issued_at FROM verified_ids WHERE jti = ?1", [jti], |r| r.get(0)).optional()?;
    Ok(known.is_some())
}

/// When `upn`'s latest Verified ID that is still valid at `now` was issued, if any.
pub fn latest_issued_at(connection: &Connection, upn: &str, now: i64) -> StoreResult<Option<i64>> {
    Ok(connection
        .query_row("SELECT MAX(issued_at) FROM verified_ids WHERE upn = ?1 AND expires_at > ?2", params![upn, now], |r| r.get(0))?)
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
