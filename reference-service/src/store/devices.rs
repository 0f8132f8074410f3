//! The `devices` table: each app installation's id, platform, the SHA-256 of its secret (never
//! the secret itself) and the public half of its device key.

use identity_pass_core::device_binding::DevicePublicKey;
use rusqlite::{OptionalExtension, params};

use crate::store::{Connection, StoreResult};

/// Stores a new device registered at `now`, with the device key it proved it holds.
pub fn insert(
    connection: &Connection,
    device_id: &str,
    secret_hash: &[u8],
    platform: &str,
    key: Option<&DevicePublicKey>,
    now: i64,
) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO devices (id, secret_hash, platform, created_at, key_sec1) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![device_id, secret_hash, platform, now, key.map(DevicePublicKey::sec1)],
    )?;
    Ok(())
}

/// The device key `device_id` registered, if any. A stored key that no longer reads is treated
/// as none: the device's credentials then cannot be presented, which fails closed.
pub fn device_key(connection: &Connection, device_id: &str) -> StoreResult<Option<DevicePublicKey>> {
    let stored: Option<Option<Vec<u8>>> =
        connection.query_row("SELECT key_sec1 FROM devices WHERE id = ?1", [device_id], |row| row.get(0)).optional()?;
    Ok(stored.flatten().and_then(|sec1| DevicePublicKey::from_platform(&sec1).ok()))
}

/// The stored secret digest of `device_id`, if the device exists.
pub fn secret_hash(connection: &Connection, device_id: &str) -> StoreResult<Option<Vec<u8>>> {
    Ok(connection.query_row("SELECT secret_hash FROM devices WHERE id = ?1", [device_id], |row| row.get(0)).optional()?)
}

/// The device registered with this secret digest, and its device key, if any.
pub fn by_secret_hash(connection: &Connection, secret_hash: &[u8]) -> StoreResult<Option<(String, Option<DevicePublicKey>)>> {
    let row: Option<(String, Option<Vec<u8>>)> = connection
        .query_row("SELECT id, key_sec1 FROM devices WHERE secret_hash = ?1", [secret_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(id, sec1)| (id, sec1.and_then(|b| DevicePublicKey::from_platform(&b).ok()))))
}

/// The platform `device_id` registered with.
pub fn platform(connection: &Connection, device_id: &str) -> StoreResult<Option<String>> {
    Ok(connection.query_row("SELECT platform FROM devices WHERE id = ?1", [device_id], |r| r.get(0)).optional()?)
}
