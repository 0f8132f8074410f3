//! The `presentation_nonces` table: nonces issued to a device for one Verified ID presentation
//! each. Expired ones are deleted when the device asks for another (and spent ones with them,
//! once expired: a replay of those is then `PRESENTATION_NONCE_UNKNOWN` instead of `_USED`,
//! refused all the same).

use rusqlite::{OptionalExtension, params};

use crate::domain::presentation::NonceState;
use crate::store::{Connection, StoreResult};

/// Deletes `device_id`'s expired nonces and counts its unspent ones.
pub fn outstanding(connection: &Connection, device_id: &str, now: i64) -> StoreResult<i64> {
    connection.execute("DELETE FROM presentation_nonces WHERE device_id = ?1 AND expires_at <= ?2", params![device_id, now])?;
    Ok(connection
        .query_row("SELECT COUNT(*) FROM presentation_nonces WHERE device_id = ?1 AND used_at IS NULL", [device_id], |r| r.get(0))?)
}

/// Keeps a nonce issued to `device_id` at `now`, usable until `expires_at`.
pub fn insert(connection: &Connection, nonce: &str, device_id: &str, now: i64, expires_at: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO presentation_nonces (nonce, device_id, issued_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![nonce, device_id, now, expires_at],
    )?;
    Ok(())
}

/// The nonce as `device_id` may see it: another device's nonce is unknown to it.
pub fn state(connection: &Connection, nonce: &str, device_id: &str) -> StoreResult<NonceState> {
    let row: Option<(i64, Option<i64>)> = connection
        .query_row(
            "SELECT expires_at, used_at FROM presentation_nonces WHERE nonce = ?1 AND device_id = ?2",
            params![nonce, device_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        None => NonceState::Unknown,
        Some((_, Some(_))) => NonceState::Spent,
        Some((expires_at, None)) => NonceState::Unspent { expires_at },
    })
}

/// Spends the nonce at `now`; `false` if it was spent meanwhile (the caller holds the
/// connection's lock, so only a bug makes this `false`).
pub fn spend(connection: &Connection, nonce: &str, device_id: &str, now: i64) -> StoreResult<bool> {
    let changed = connection.execute(
        "UPDATE presentation_nonces SET used_at = ?1 WHERE nonce = ?2 AND device_id = ?3 AND used_at IS NULL",
        params![now, nonce, device_id],
    )?;
    Ok(changed == 1)
}
