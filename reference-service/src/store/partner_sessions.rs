//! The `partner_sessions` table (a request's government-ID partner sessions, newest last) and
//! `partner_events` (the callback event ids already applied, so a replayed callback is refused
//! even inside the signature's time window).

use rusqlite::{OptionalExtension, params};

use crate::domain::partner::{PartnerSession, PartnerVerdict};
use crate::store::{Connection, Missing, StoreError, StoreResult};

const COLUMNS: &str = "id, request_id, handoff_url, opened_at, expires_at, result, reason";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PartnerSession> {
    Ok(PartnerSession {
        id: row.get(0)?,
        request_id: row.get(1)?,
        handoff_url: row.get(2)?,
        opened_at: row.get(3)?,
        expires_at: row.get(4)?,
        result: row.get(5)?,
        reason: row.get(6)?,
    })
}

/// Records a session the partner opened.
pub fn insert(connection: &Connection, session: &PartnerSession) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO partner_sessions (id, request_id, handoff_url, opened_at, expires_at, result, reason) VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL)",
        params![session.id, session.request_id, session.handoff_url, session.opened_at, session.expires_at],
    )?;
    Ok(())
}

/// The request's newest session, if it opened one.
pub fn latest(connection: &Connection, request_id: &str) -> StoreResult<Option<PartnerSession>> {
    Ok(connection
        .query_row(
            &format!("SELECT {COLUMNS} FROM partner_sessions WHERE request_id = ?1 ORDER BY opened_at DESC, rowid DESC LIMIT 1"),
            [request_id],
            from_row,
        )
        .optional()?)
}

/// Session `id`, or "not found".
pub fn load(connection: &Connection, id: &str) -> StoreResult<PartnerSession> {
    connection
        .query_row(&format!("SELECT {COLUMNS} FROM partner_sessions WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound(Missing::PartnerSession))
}

/// Stores the verdict on the session.
pub fn record_verdict(connection: &Connection, id: &str, verdict: &PartnerVerdict) -> StoreResult<()> {
    connection
        .execute("UPDATE partner_sessions SET result = ?1, reason = ?2 WHERE id = ?3", params![verdict.result, verdict.reason, id])?;
    Ok(())
}

/// Whether callback event `event_id` was applied before (a replay).
pub fn event_seen(connection: &Connection, event_id: &str) -> StoreResult<bool> {
    Ok(connection.query_row("SELECT 1 FROM partner_events WHERE event_id = ?1", [event_id], |_| Ok(())).optional()?.is_some())
}

/// Remembers callback event `event_id` as applied.
pub fn record_event(connection: &Connection, event_id: &str, session_id: &str, now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO partner_events (event_id, session_id, received_at) VALUES (?1, ?2, ?3)",
        params![event_id, session_id, now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    fn session(id: &str, opened_at: i64) -> PartnerSession {
        PartnerSession {
            id: id.into(),
            request_id: "req_1".into(),
            handoff_url: format!("http://partner.test/sessions/{id}?token=t"),
            opened_at,
            expires_at: opened_at + 900,
            result: None,
            reason: None,
        }
    }

    #[test]
    fn the_newest_session_is_the_requests_and_verdicts_stick() {
        let connection = memory_for_tests();
        connection
            .execute_batch(
                "INSERT INTO devices (id, secret_hash, platform, created_at) VALUES ('dev_1', x'00', 'android', 10);
                 INSERT INTO requests (id, device_id, upn, employee_id, staff_kind, path, flag_liveness,
                    flag_verified_id, fast_path, state, version, created_at)
                 VALUES ('req_1', 'dev_1', 'bob@contoso.example', 'E1002', 'employee', 'get_passkey', 0, 0, 0, 'draft', 1, 42);",
            )
            .expect("a request");
        assert_eq!(latest(&connection, "req_1").expect("query"), None);
        insert(&connection, &session("ps_a", 100)).expect("a");
        insert(&connection, &session("ps_b", 200)).expect("b");
        assert_eq!(latest(&connection, "req_1").expect("query").map(|s| s.id), Some("ps_b".into()));
        record_verdict(&connection, "ps_b", &PartnerVerdict { result: "rejected".into(), reason: Some("SELFIE_NO_FACE".into()) })
            .expect("verdict");
        let stored = load(&connection, "ps_b").expect("load");
        assert_eq!((stored.result.as_deref(), stored.reason.as_deref()), (Some("rejected"), Some("SELFIE_NO_FACE")));
        assert!(matches!(load(&connection, "ps_unknown"), Err(StoreError::NotFound(Missing::PartnerSession))));
    }

    #[test]
    fn an_event_is_applied_once() {
        let connection = memory_for_tests();
        assert!(!event_seen(&connection, "evt_1").expect("unseen"));
        record_event(&connection, "evt_1", "ps_a", 10).expect("first");
        assert!(event_seen(&connection, "evt_1").expect("seen"));
        assert!(record_event(&connection, "evt_1", "ps_a", 11).is_err(), "the table refuses a second copy too");
        assert!(!event_seen(&connection, "evt_2").expect("another"));
    }
}
