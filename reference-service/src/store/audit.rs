//! The audit log as stored: append-only rows in sequence order. Nothing in the service updates
//! or deletes them; the retention purge leaves them alone (an audit trail outlives the data it
//! describes).

use rusqlite::params;

use crate::domain::audit::AuditAction;
use crate::store::{Connection, StoreResult};

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, increasing.
    pub seq: i64,
    /// When, Unix seconds.
    pub at: i64,
    /// Who (a reviewer's account name, or the name typed at a failed sign-in).
    pub actor: String,
    /// What, [`AuditAction::as_str`].
    pub action: String,
    /// The request acted on, if any.
    pub request_id: Option<String>,
    /// Anything else the action needs to be understood (a delegate, a revoked person).
    pub detail: Option<String>,
}

/// Appends an entry.
pub fn record(
    connection: &Connection,
    at: i64,
    actor: &str,
    action: AuditAction,
    request_id: Option<&str>,
    detail: Option<&str>,
) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO audit_events (at, actor, action, request_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![at, actor, action.as_str(), request_id, detail],
    )?;
    Ok(())
}

/// Up to `limit` entries after `after_seq`, oldest first.
pub fn read(connection: &Connection, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
    let mut statement =
        connection.prepare("SELECT seq, at, actor, action, request_id, detail FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = statement.query_map(params![after_seq, limit], |r| {
        Ok(AuditEntry { seq: r.get(0)?, at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, request_id: r.get(4)?, detail: r.get(5)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
