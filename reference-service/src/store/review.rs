//! The review stage as stored: submission (queued with its deadline, or approved at once on the
//! fast path), expiry of requests nobody called in time, the call, and the decision. The rules
//! deciding which of these may happen are in `domain`; these functions only write them down.

use rusqlite::params;

use crate::domain::submission::SubmitOutcome;
use crate::store::{Connection, StoreResult};

/// Expires requests whose reviewer never started the call before the deadline; returns how
/// many. Applied whenever the queue or a request is read, and by the retention purge.
pub fn expire_overdue(connection: &Connection, now: i64) -> StoreResult<usize> {
    Ok(connection.execute(
        "UPDATE requests SET state = 'expired', version = version + 1
         WHERE state = 'waiting_for_reviewer' AND deadline_at <= ?1",
        [now],
    )?)
}

/// Records a submission at `now` with its outcome.
pub fn submit(connection: &Connection, id: &str, outcome: SubmitOutcome, now: i64) -> StoreResult<()> {
    match outcome {
        SubmitOutcome::ApprovedAtOnce => connection
            .execute("UPDATE requests SET state = 'approved', submitted_at = ?1, decided_at = ?1 WHERE id = ?2", params![now, id])?,
        SubmitOutcome::QueuedForReview { deadline_at } => connection.execute(
            "UPDATE requests SET state = 'waiting_for_reviewer', submitted_at = ?1, deadline_at = ?2
             WHERE id = ?3",
            params![now, deadline_at, id],
        )?,
    };
    Ok(())
}

/// The reviewer started the call `call_id`.
pub fn start_call(connection: &Connection, id: &str, call_id: &str) -> StoreResult<()> {
    connection.execute("UPDATE requests SET state = 'call_invited', call_id = ?1 WHERE id = ?2", params![call_id, id])?;
    Ok(())
}

/// The user joined the call at `now`, having been in it `seconds_in_call_before` seconds
/// before (a rejoin clears the earlier leave; `domain::call::seconds_before_rejoin`).
pub fn record_join(connection: &Connection, id: &str, now: i64, seconds_in_call_before: i64) -> StoreResult<()> {
    connection.execute(
        "UPDATE requests SET state = 'in_call', joined_at = ?1, left_at = NULL, seconds_in_call_before = ?2 WHERE id = ?3",
        params![now, seconds_in_call_before, id],
    )?;
    Ok(())
}

/// The user left the call at `now`.
pub fn record_leave(connection: &Connection, id: &str, now: i64) -> StoreResult<()> {
    connection.execute("UPDATE requests SET left_at = ?1 WHERE id = ?2", params![now, id])?;
    Ok(())
}

/// The reviewer approved at `now`.
pub fn approve(connection: &Connection, id: &str, now: i64) -> StoreResult<()> {
    connection.execute("UPDATE requests SET state = 'approved', decided_at = ?1 WHERE id = ?2", params![now, id])?;
    Ok(())
}

/// The reviewer denied at `now` with a reason code and a message for the user.
pub fn deny(connection: &Connection, id: &str, reason_code: &str, message: &str, now: i64) -> StoreResult<()> {
    connection.execute(
        "UPDATE requests SET state = 'denied', decided_at = ?1, denial_reason_code = ?2,
         denial_message = ?3 WHERE id = ?4",
        params![now, reason_code, message, id],
    )?;
    Ok(())
}
