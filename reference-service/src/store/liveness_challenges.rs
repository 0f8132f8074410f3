//! The `liveness_challenges` table (single-use challenges the service issued) and
//! `liveness_frame_digests` (the SHA-256 of every frame judged, with its challenge).

use rusqlite::{OptionalExtension, params};

use crate::domain::liveness_check::LivenessChallenge;
use crate::store::{Connection, Missing, StoreError, StoreResult};

/// Records an issued challenge.
pub fn insert(connection: &Connection, challenge: &LivenessChallenge) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO liveness_challenges (id, request_id, action, issued_at, expires_at, used_at) VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
        params![challenge.id, challenge.request_id, challenge.action, challenge.issued_at, challenge.expires_at],
    )?;
    Ok(())
}

/// Challenge `id` of request `request_id` (another request's challenge is "not found").
pub fn load(connection: &Connection, request_id: &str, id: &str) -> StoreResult<LivenessChallenge> {
    connection
        .query_row(
            "SELECT id, request_id, action, issued_at, expires_at, used_at FROM liveness_challenges WHERE id = ?1 AND request_id = ?2",
            params![id, request_id],
            |row| {
                Ok(LivenessChallenge {
                    id: row.get(0)?,
                    request_id: row.get(1)?,
                    action: row.get(2)?,
                    issued_at: row.get(3)?,
                    expires_at: row.get(4)?,
                    used_at: row.get(5)?,
                })
            },
        )
        .optional()?
        .ok_or(StoreError::NotFound(Missing::LivenessChallenge))
}

/// Whether any of `digests` was judged for a challenge other than `challenge_id`.
pub fn any_judged_elsewhere(connection: &Connection, challenge_id: &str, digests: &[Vec<u8>]) -> StoreResult<bool> {
    let mut query = connection.prepare_cached("SELECT challenge_id FROM liveness_frame_digests WHERE digest = ?1")?;
    for digest in digests {
        let owner: Option<String> = query.query_row([digest], |row| row.get(0)).optional()?;
        if owner.is_some_and(|owner| owner != challenge_id) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Marks the challenge used at `now` and remembers its frames.
pub fn mark_judged(connection: &Connection, challenge_id: &str, digests: &[Vec<u8>], now: i64) -> StoreResult<()> {
    connection.execute("UPDATE liveness_challenges SET used_at = ?1 WHERE id = ?2", params![now, challenge_id])?;
    let mut insert = connection.prepare_cached("INSERT OR IGNORE INTO liveness_frame_digests (digest, challenge_id) VALUES (?1, ?2)")?;
    for digest in digests {
        insert.execute(params![digest, challenge_id])?;
    }
    Ok(())
}
