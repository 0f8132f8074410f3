//! The `taps` table: one Temporary Access Pass per user (keyed by UPN, so a new one replaces
//! the old), with the SHA-256 of its code only.

use rusqlite::{OptionalExtension, params};

use crate::domain::tap::Tap;
use crate::domain::tap_issuance::{Issuance, IssuanceKind};
use crate::store::{Connection, Missing, StoreError, StoreResult};

/// `upn`'s TAP and its code digest, if the user has one.
pub fn find(connection: &Connection, upn: &str) -> StoreResult<Option<(Tap, Vec<u8>)>> {
    Ok(connection
        .query_row(
            "SELECT id, created_at, start_at, lifetime_minutes, usable_once, used_at, code_hash FROM taps WHERE upn = ?1",
            [upn],
            |row| {
                let tap = Tap {
                    id: row.get(0)?,
                    created_at: row.get(1)?,
                    start_at: row.get(2)?,
                    lifetime_minutes: row.get(3)?,
                    usable_once: row.get(4)?,
                    used_at: row.get(5)?,
                };
                Ok((tap, row.get(6)?))
            },
        )
        .optional()?)
}

/// `upn`'s TAP, or "not found".
pub fn current(connection: &Connection, upn: &str) -> StoreResult<Tap> {
    find(connection, upn)?.map(|(tap, _)| tap).ok_or(StoreError::NotFound(Missing::Tap))
}

/// Stores `tap` as `upn`'s only TAP, issued for `request_id`, replacing any earlier one.
pub fn replace(connection: &Connection, upn: &str, request_id: &str, tap: &Tap, code_hash: &[u8]) -> StoreResult<()> {
    connection.execute(
        "INSERT OR REPLACE INTO taps (upn, id, request_id, code_hash, created_at, start_at, lifetime_minutes, usable_once, used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)",
        params![upn, tap.id, request_id, code_hash, tap.created_at, tap.start_at, tap.lifetime_minutes, tap.usable_once],
    )?;
    Ok(())
}

/// Records a sign-in with `upn`'s TAP at `now` (a one-time pass is then used up).
pub fn mark_used(connection: &Connection, upn: &str, now: i64) -> StoreResult<()> {
    connection.execute("UPDATE taps SET used_at = ?1 WHERE upn = ?2", params![now, upn])?;
    Ok(())
}

/// The request's TAP issuances, oldest first.
pub fn issuances(connection: &Connection, request_id: &str) -> StoreResult<Vec<Issuance>> {
    let mut query =
        connection.prepare_cached("SELECT issued_at, kind FROM tap_issuances WHERE request_id = ?1 ORDER BY issued_at, rowid")?;
    let rows = query.query_map([request_id], |row| {
        let kind: String = row.get(1)?;
        let kind = if kind == "replacement" { IssuanceKind::Replacement } else { IssuanceKind::First };
        Ok(Issuance { issued_at: row.get(0)?, kind })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records an issuance.
pub fn record_issuance(connection: &Connection, request_id: &str, tap_id: &str, kind: IssuanceKind, now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO tap_issuances (request_id, tap_id, kind, issued_at) VALUES (?1, ?2, ?3, ?4)",
        params![request_id, tap_id, kind.as_str(), now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    #[test]
    fn a_new_tap_replaces_the_old_one_and_use_is_recorded() {
        let connection = memory_for_tests();
        assert!(matches!(current(&connection, "alice@contoso.example"), Err(StoreError::NotFound(Missing::Tap))));
        let first = Tap { id: "tap_1".into(), created_at: 1, start_at: 1, lifetime_minutes: 30, usable_once: true, used_at: None };
        let second = Tap { id: "tap_2".into(), ..first.clone() };
        replace(&connection, "alice@contoso.example", "req_1", &first, b"h1").expect("first");
        replace(&connection, "alice@contoso.example", "req_1", &second, b"h2").expect("second");
        mark_used(&connection, "alice@contoso.example", 5).expect("used");
        let (tap, hash) = find(&connection, "alice@contoso.example").expect("find").expect("a tap");
        assert_eq!((tap.id.as_str(), tap.used_at, hash.as_slice()), ("tap_2", Some(5), b"h2".as_slice()));
    }
}
