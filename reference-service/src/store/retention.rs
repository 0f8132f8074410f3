//! The retention purge: deletes what must not be kept (periods in `domain::retention`) and
//! expires requests whose reviewer window passed. It takes the time as an argument so tests can
//! move it; the service runs it on a timer.

use serde::Serialize;

use crate::domain::retention::{LIVENESS_RETENTION_SECONDS, PARTNER_EVENT_RETENTION_SECONDS, SELFIE_RETENTION_SECONDS};
use crate::store::{Connection, StoreResult, idempotency, review, reviewers};

/// What a purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Selfies older than 24 h.
    pub selfies: usize,
    /// Liveness captures older than 48 h.
    pub liveness_captures: usize,
    /// Requests whose reviewer window passed.
    pub expired_requests: usize,
    /// Stored idempotent answers older than 24 h.
    pub idempotency_records: usize,
    /// Presentation nonces past their expiry (spent or not).
    pub presentation_nonces: usize,
    /// The partner's callback event ids older than 24 h.
    pub partner_events: usize,
    /// Reviewer sessions past their end.
    pub reviewer_sessions: usize,
    /// After the TAP: password-page tickets, app activations and phone verifications a day past
    /// their end (until then a late call is told "expired" rather than "not found").
    pub account_security_records: usize,
}

/// How long an ended ticket, activation or phone verification is kept.
const ENDED_VERIFICATION_RETENTION_SECONDS: i64 = 24 * 3600;

/// Enforces retention at `now`, then empties the write-ahead log: deleted rows are zeroed in
/// the database file (`secure_delete`), but the WAL still holds the pages as they were (a
/// replaced selfie, a purged capture) until it is checkpointed and truncated.
pub fn purge(connection: &Connection, now: i64) -> StoreResult<PurgeReport> {
    let report = delete_expired(connection, now)?;
    // A reader holding an old snapshot makes a checkpoint partial; the next purge finishes it.
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(report)
}

fn delete_expired(connection: &Connection, now: i64) -> StoreResult<PurgeReport> {
    Ok(PurgeReport {
        selfies: connection.execute("DELETE FROM selfies WHERE uploaded_at <= ?1", [now - SELFIE_RETENTION_SECONDS])?,
        liveness_captures: connection
            .execute("DELETE FROM liveness_captures WHERE captured_at <= ?1", [now - LIVENESS_RETENTION_SECONDS])?,
        expired_requests: review::expire_overdue(connection, now)?,
        idempotency_records: idempotency::purge(connection, now)?,
        presentation_nonces: connection.execute("DELETE FROM presentation_nonces WHERE expires_at <= ?1", [now])?,
        partner_events: connection
            .execute("DELETE FROM partner_events WHERE received_at <= ?1", [now - PARTNER_EVENT_RETENTION_SECONDS])?,
        reviewer_sessions: reviewers::purge_sessions(connection, now)?,
        account_security_records: ["password_tickets", "totp_activations", "phone_verifications"]
            .into_iter()
            .map(|table| {
                connection.execute(&format!("DELETE FROM {table} WHERE expires_at <= ?1"), [now - ENDED_VERIFICATION_RETENTION_SECONDS])
            })
            .sum::<Result<usize, _>>()?,
    })
}
