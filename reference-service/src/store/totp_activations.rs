//! The authenticator app's pending activations: the sealed secret, the digest of the activation
//! code, the wrong codes counted, and the step of the code that completed it.

use rusqlite::{OptionalExtension, params};

use crate::store::{Connection, StoreResult};

/// An activation as kept (the secret still sealed).
#[derive(Clone, PartialEq, Eq)]
pub struct Activation {
    /// Its id.
    pub id: String,
    /// The account.
    pub upn: String,
    /// The device that asked for it.
    pub device_id: String,
    /// The TOTP secret, sealed with the data key.
    pub secret_sealed: Vec<u8>,
    /// Good until.
    pub expires_at: i64,
    /// Wrong codes so far.
    pub failures: u32,
    /// The step of the code that completed it.
    pub accepted_step: Option<i64>,
}

// Sealed bytes only, but nothing in a log needs them.
impl std::fmt::Debug for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Activation").field("id", &self.id).field("failures", &self.failures).finish_non_exhaustive()
    }
}

/// Stores a new activation.
pub fn insert(connection: &Connection, activation: &Activation, code_hash: &[u8], now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO totp_activations (id, upn, device_id, secret_sealed, activation_code_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![activation.id, activation.upn, activation.device_id, activation.secret_sealed, code_hash, now, activation.expires_at],
    )?;
    Ok(())
}

/// `upn`'s activation `id`.
pub fn find(connection: &Connection, upn: &str, id: &str) -> StoreResult<Option<Activation>> {
    Ok(connection
        .query_row(
            "SELECT id, upn, device_id, secret_sealed, expires_at, failures, accepted_step FROM totp_activations WHERE id = ?1 AND upn = ?2",
            params![id, upn],
            |row| {
                Ok(Activation {
                    id: row.get(0)?,
                    upn: row.get(1)?,
                    device_id: row.get(2)?,
                    secret_sealed: row.get(3)?,
                    expires_at: row.get(4)?,
                    failures: row.get(5)?,
                    accepted_step: row.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Counts a wrong code.
pub fn count_failure(connection: &Connection, id: &str) -> StoreResult<()> {
    connection.execute("UPDATE totp_activations SET failures = failures + 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// Marks the activation completed by the code of `step`.
pub fn complete(connection: &Connection, id: &str, step: i64) -> StoreResult<()> {
    connection.execute("UPDATE totp_activations SET accepted_step = ?1 WHERE id = ?2", params![step, id])?;
    Ok(())
}

/// The sealed secret and account of the live activation (unexpired, not completed, fewer than
/// `max_failures` wrong codes, its URI not given out yet) whose code digest is `code_hash`,
/// marking it fetched (the URI is given out once).
pub fn take_by_code(connection: &Connection, code_hash: &[u8], max_failures: u32, now: i64) -> StoreResult<Option<(String, Vec<u8>)>> {
    let found: Option<(String, String, Vec<u8>)> = connection
        .query_row(
            "SELECT id, upn, secret_sealed FROM totp_activations
             WHERE activation_code_hash = ?1 AND expires_at > ?2 AND uri_fetched_at IS NULL AND accepted_step IS NULL AND failures < ?3",
            params![code_hash, now, max_failures],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((id, upn, sealed)) = found else { return Ok(None) };
    connection.execute("UPDATE totp_activations SET uri_fetched_at = ?1 WHERE id = ?2", params![now, id])?;
    Ok(Some((upn, sealed)))
}
