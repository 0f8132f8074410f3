//! The account's password, PIN and security answers: argon2id hashes (PHC strings) only, so
//! the database never holds what the user typed.

use rusqlite::{OptionalExtension, params};

use crate::store::{Connection, StoreResult};

/// When the password was set, whether a PIN is set, whether the questions are answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SecretsSet {
    /// When the password was set.
    pub password_set_at: Option<i64>,
    /// A PIN is set.
    pub pin_set: bool,
    /// The questions are answered.
    pub questions_set: bool,
}

fn ensure_row(connection: &Connection, upn: &str) -> StoreResult<()> {
    connection.execute("INSERT OR IGNORE INTO account_secrets (upn) VALUES (?1)", [upn])?;
    Ok(())
}

/// What `upn` has set.
pub fn state(connection: &Connection, upn: &str) -> StoreResult<SecretsSet> {
    Ok(connection
        .query_row(
            "SELECT password_set_at, pin_hash IS NOT NULL, questions_set_at IS NOT NULL FROM account_secrets WHERE upn = ?1",
            [upn],
            |row| Ok(SecretsSet { password_set_at: row.get(0)?, pin_set: row.get(1)?, questions_set: row.get(2)? }),
        )
        .optional()?
        .unwrap_or_default())
}

/// Stores the password's hash.
pub fn set_password(connection: &Connection, upn: &str, hash: &str, now: i64) -> StoreResult<()> {
    ensure_row(connection, upn)?;
    connection.execute("UPDATE account_secrets SET password_hash = ?1, password_set_at = ?2 WHERE upn = ?3", params![hash, now, upn])?;
    Ok(())
}

/// The PIN's hash, if one is set.
pub fn pin_hash(connection: &Connection, upn: &str) -> StoreResult<Option<String>> {
    Ok(connection.query_row("SELECT pin_hash FROM account_secrets WHERE upn = ?1", [upn], |row| row.get(0)).optional()?.flatten())
}

/// Stores the PIN's hash, replacing the previous one.
pub fn set_pin(connection: &Connection, upn: &str, hash: &str, now: i64) -> StoreResult<()> {
    ensure_row(connection, upn)?;
    connection.execute("UPDATE account_secrets SET pin_hash = ?1, pin_set_at = ?2 WHERE upn = ?3", params![hash, now, upn])?;
    Ok(())
}

/// Replaces all of `upn`'s answers with these (question id, answer hash) pairs.
pub fn set_answers(connection: &Connection, upn: &str, answers: &[(String, String)], now: i64) -> StoreResult<()> {
    ensure_row(connection, upn)?;
    connection.execute("DELETE FROM security_answers WHERE upn = ?1", [upn])?;
    for (question_id, hash) in answers {
        connection
            .execute("INSERT INTO security_answers (upn, question_id, answer_hash) VALUES (?1, ?2, ?3)", params![upn, question_id, hash])?;
    }
    connection.execute("UPDATE account_secrets SET questions_set_at = ?1 WHERE upn = ?2", params![now, upn])?;
    Ok(())
}
