//! The password page's tickets: one use, short-lived, stored as SHA-256 digests only (the
//! ticket is in the URL the phone opens, never at rest).

use rusqlite::{OptionalExtension, params};

use crate::store::{Connection, StoreResult};

/// Stores a ticket's digest for `upn`.
pub fn insert(connection: &Connection, ticket_hash: &[u8], upn: &str, expires_at: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO password_tickets (ticket_hash, upn, expires_at) VALUES (?1, ?2, ?3)",
        params![ticket_hash, upn, expires_at],
    )?;
    Ok(())
}

/// The account of an unused ticket still valid at `now`.
pub fn usable(connection: &Connection, ticket_hash: &[u8], now: i64) -> StoreResult<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT upn FROM password_tickets WHERE ticket_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![ticket_hash, now],
            |row| row.get(0),
        )
        .optional()?)
}

/// Spends a ticket.
pub fn mark_used(connection: &Connection, ticket_hash: &[u8], now: i64) -> StoreResult<()> {
    connection.execute("UPDATE password_tickets SET used_at = ?1 WHERE ticket_hash = ?2", params![now, ticket_hash])?;
    Ok(())
}
