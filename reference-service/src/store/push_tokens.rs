//! The `push_tokens` table: at most one token per device, replaced on every registration.

use rusqlite::{OptionalExtension, params};

use crate::push::PushToken;
use crate::store::{Connection, StoreResult};

/// Stores (or replaces) `device_id`'s token, registered at `now`.
pub fn save(connection: &Connection, device_id: &str, kind: &str, token: &str, now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT OR REPLACE INTO push_tokens (device_id, kind, token, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![device_id, kind, token, now],
    )?;
    Ok(())
}

/// The device owning `request_id` and its token, if it registered one.
pub fn target_of_request(connection: &Connection, request_id: &str) -> StoreResult<Option<(String, PushToken)>> {
    Ok(connection
        .query_row(
            "SELECT r.device_id, p.kind, p.token FROM requests r JOIN push_tokens p ON p.device_id = r.device_id
             WHERE r.id = ?1",
            [request_id],
            |row| Ok((row.get(0)?, PushToken { kind: row.get(1)?, token: row.get(2)? })),
        )
        .optional()?)
}
