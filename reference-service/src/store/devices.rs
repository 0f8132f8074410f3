//! The `devices` table: each app installation's id, platform and the SHA-256 of its secret
//! (never the secret itself).

use rusqlite::{OptionalExtension, params};

use crate::store::{Connection, StoreResult};

/// Stores a new device registered at `now`.
pub fn insert(connection: &Connection, device_id: &str, secret_hash: &[u8], platform: &str, now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO devices (id, secret_hash, platform, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![device_id, secret_hash, platform, now],
    )?;
    Ok(())
}

/// The stored secret digest of `device_id`, if the device exists.
pub fn secret_hash(connection: &Connection, device_id: &str) -> StoreResult<Option<Vec<u8>>> {
    Ok(connection.query_row("SELECT secret_hash FROM devices WHERE id = ?1", [device_id], |row| row.get(0)).optional()?)
}
