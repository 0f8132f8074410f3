//! The `account_sessions` table: each sign-in with a TAP, bound to the device that made it.

use rusqlite::{OptionalExtension, params};

use crate::domain::account_security::session::AccountSession;
use crate::store::{Connection, StoreResult};

/// Records a sign-in's session.
pub fn insert(connection: &Connection, session: &AccountSession) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO account_sessions (id, upn, device_id, tap_id, signed_in_at, expires_at, registration_deadline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            session.id,
            session.upn,
            session.device_id,
            session.tap_id,
            session.signed_in_at,
            session.expires_at,
            session.registration_deadline
        ],
    )?;
    Ok(())
}

/// The latest session `device_id` opened for `upn`: the one that counts (a new sign-in
/// replaces an earlier one).
pub fn latest(connection: &Connection, upn: &str, device_id: &str) -> StoreResult<Option<AccountSession>> {
    Ok(connection
        .query_row(
            "SELECT id, upn, device_id, tap_id, signed_in_at, expires_at, registration_deadline FROM account_sessions
             WHERE upn = ?1 AND device_id = ?2 ORDER BY signed_in_at DESC, rowid DESC LIMIT 1",
            params![upn, device_id],
            |row| {
                Ok(AccountSession {
                    id: row.get(0)?,
                    upn: row.get(1)?,
                    device_id: row.get(2)?,
                    tap_id: row.get(3)?,
                    signed_in_at: row.get(4)?,
                    expires_at: row.get(5)?,
                    registration_deadline: row.get(6)?,
                })
            },
        )
        .optional()?)
}
