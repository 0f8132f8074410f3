//! Identity evidence as stored: the government-ID result on the request, the selfie and the
//! liveness capture in their own tables (so `retention.rs` can delete the images while the
//! results stay with the request).

use rusqlite::params;

use crate::store::{Connection, StoreResult};

/// Records the partner's government-ID result (and its reason, when rejected).
pub fn record_government_id(connection: &Connection, id: &str, result: &str, reason: Option<&str>) -> StoreResult<()> {
    connection
        .execute("UPDATE requests SET government_id_result = ?1, government_id_reason = ?2 WHERE id = ?3", params![result, reason, id])?;
    Ok(())
}

/// Stores (or replaces) the request's selfie, uploaded at `now`.
pub fn save_selfie(connection: &Connection, id: &str, jpeg: &[u8], now: i64) -> StoreResult<()> {
    connection.execute("INSERT OR REPLACE INTO selfies (request_id, jpeg, uploaded_at) VALUES (?1, ?2, ?3)", params![id, jpeg, now])?;
    connection.execute("UPDATE requests SET selfie_uploaded_at = ?1 WHERE id = ?2", params![now, id])?;
    Ok(())
}

/// Records the liveness result (and its reason, when failed) and stores (or replaces) the
/// capture, when one came, taken at `now`.
pub fn record_liveness(
    connection: &Connection,
    id: &str,
    result: &str,
    reason: Option<&str>,
    capture: Option<&[u8]>,
    now: i64,
) -> StoreResult<()> {
    connection.execute("UPDATE requests SET liveness_result = ?1, liveness_reason = ?2 WHERE id = ?3", params![result, reason, id])?;
    if let Some(jpeg) = capture {
        connection.execute(
            "INSERT OR REPLACE INTO liveness_captures (request_id, jpeg, captured_at) VALUES (?1, ?2, ?3)",
            params![id, jpeg, now],
        )?;
        connection.execute("UPDATE requests SET liveness_captured_at = ?1 WHERE id = ?2", params![now, id])?;
    }
    Ok(())
}
