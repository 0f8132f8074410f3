//! The `idempotency` table: the first successful answer per (caller scope, key), with the
//! fingerprint of the call it answered (method, path, body).

use rusqlite::{OptionalExtension, params};

use crate::domain::retention::IDEMPOTENCY_RETENTION_SECONDS;
use crate::store::{Connection, StoreResult};

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// SHA-256 of the call it answered.
    pub fingerprint: Vec<u8>,
    /// HTTP status code, as a number.
    pub status: u16,
    /// The body (with one-time secrets removed).
    pub body: Vec<u8>,
}

/// The answer stored under (`scope`, `key`), if any.
pub fn find(connection: &Connection, scope: &str, key: &str) -> StoreResult<Option<StoredAnswer>> {
    Ok(connection
        .query_row("SELECT fingerprint, status, body FROM idempotency WHERE scope = ?1 AND key = ?2", params![scope, key], |row| {
            Ok(StoredAnswer { fingerprint: row.get(0)?, status: row.get(1)?, body: row.get(2)? })
        })
        .optional()?)
}

/// Stores the first answer under (`scope`, `key`); a later one under the same pair is ignored.
pub fn save(connection: &Connection, scope: &str, key: &str, answer: &StoredAnswer, now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT OR IGNORE INTO idempotency (scope, key, fingerprint, status, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![scope, key, answer.fingerprint, answer.status, answer.body, now],
    )?;
    Ok(())
}

/// Deletes stored answers older than [`IDEMPOTENCY_RETENTION_SECONDS`]; returns how many.
pub fn purge(connection: &Connection, now: i64) -> StoreResult<usize> {
    Ok(connection.execute("DELETE FROM idempotency WHERE created_at <= ?1", [now - IDEMPOTENCY_RETENTION_SECONDS])?)
}
