//! Reviewer accounts as stored: the argon2id hash of each password, failed sign-ins per account
//! name (kept for names without an account too, so a lock reveals nothing), sessions by the
//! SHA-256 of their secret (a stolen database holds no usable session), and delegations.

use rusqlite::{OptionalExtension, params};

use crate::domain::reviewer::{ReviewerRole, SessionKind, SignInFailures};
use crate::store::{Connection, StoreResult};

/// An account as sign-in needs it.
#[derive(Debug, Clone)]
pub struct StoredAccount {
    /// Normalised work email.
    pub upn: String,
    /// What the account may do.
    pub role: ReviewerRole,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// Whose.
    pub upn: String,
    /// What the account may do.
    pub role: ReviewerRole,
    /// When it ends, Unix seconds.
    pub expires_at: i64,
}

/// Creates the account unless one exists under `upn`; returns whether it was created (an
/// existing account keeps its password across restarts).
pub fn create_if_absent(connection: &Connection, upn: &str, role: ReviewerRole, password_hash: &str, now: i64) -> StoreResult<bool> {
    let created = connection.execute(
        "INSERT INTO reviewer_accounts (upn, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(upn) DO NOTHING",
        params![upn, role.as_str(), password_hash, now],
    )?;
    Ok(created == 1)
}

/// Whether an account exists under `upn`.
pub fn exists(connection: &Connection, upn: &str) -> StoreResult<bool> {
    Ok(connection.query_row("SELECT 1 FROM reviewer_accounts WHERE upn = ?1", [upn], |_| Ok(())).optional()?.is_some())
}

/// The account under `upn`, if any (a stored role this build does not know counts as none).
pub fn account(connection: &Connection, upn: &str) -> StoreResult<Option<StoredAccount>> {
    let row = connection
        .query_row("SELECT role, password_hash FROM reviewer_accounts WHERE upn = ?1", [upn], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    Ok(row.and_then(|(role, password_hash)| {
        ReviewerRole::parse(&role).map(|role| StoredAccount { upn: upn.to_owned(), role, password_hash })
    }))
}

/// Failed sign-ins recorded against `upn`.
pub fn failures(connection: &Connection, upn: &str) -> StoreResult<SignInFailures> {
    Ok(connection
        .query_row("SELECT failures, locked_until FROM reviewer_sign_in_failures WHERE upn = ?1", [upn], |r| {
            Ok(SignInFailures { count: r.get(0)?, locked_until: r.get(1)? })
        })
        .optional()?
        .unwrap_or_default())
}

/// Records what the rules made of failed sign-ins for `upn`.
pub fn set_failures(connection: &Connection, upn: &str, failures: SignInFailures) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO reviewer_sign_in_failures (upn, failures, locked_until) VALUES (?1, ?2, ?3)
         ON CONFLICT(upn) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
        params![upn, failures.count, failures.locked_until],
    )?;
    Ok(())
}

/// Forgets failed sign-ins of `upn` (after a successful one).
pub fn clear_failures(connection: &Connection, upn: &str) -> StoreResult<()> {
    connection.execute("DELETE FROM reviewer_sign_in_failures WHERE upn = ?1", [upn])?;
    Ok(())
}

/// Stores a new session under the digest of its secret.
pub fn create_session(
    connection: &Connection,
    token_hash: &[u8],
    upn: &str,
    kind: SessionKind,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    connection.execute(
        "INSERT INTO reviewer_sessions (token_hash, upn, kind, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, upn, kind.as_str(), now, expires_at],
    )?;
    Ok(())
}

/// The live session of `kind` whose secret has digest `token_hash` at `now`.
pub fn session(connection: &Connection, token_hash: &[u8], kind: SessionKind, now: i64) -> StoreResult<Option<StoredSession>> {
    let row = connection
        .query_row(
            "SELECT s.upn, a.role, s.expires_at FROM reviewer_sessions s JOIN reviewer_accounts a ON a.upn = s.upn
             WHERE s.token_hash = ?1 AND s.kind = ?2 AND s.expires_at > ?3",
            params![token_hash, kind.as_str(), now],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(upn, role, expires_at)| ReviewerRole::parse(&role).map(|role| StoredSession { upn, role, expires_at })))
}

/// Ends the session whose secret has digest `token_hash`.
pub fn delete_session(connection: &Connection, token_hash: &[u8]) -> StoreResult<()> {
    connection.execute("DELETE FROM reviewer_sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Deletes sessions that ended by `now`; returns how many (the retention purge).
pub fn purge_sessions(connection: &Connection, now: i64) -> StoreResult<usize> {
    Ok(connection.execute("DELETE FROM reviewer_sessions WHERE expires_at <= ?1", [now])?)
}

/// `manager` hands their reviews to `delegate` from `now` (again: no change).
pub fn grant_delegation(connection: &Connection, manager: &str, delegate: &str, now: i64) -> StoreResult<bool> {
    let granted = connection.execute(
        "INSERT INTO reviewer_delegations (manager_upn, delegate_upn, granted_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(manager_upn, delegate_upn) DO NOTHING",
        params![manager, delegate, now],
    )?;
    Ok(granted == 1)
}

/// `manager` takes the delegation to `delegate` back; returns whether there was one.
pub fn revoke_delegation(connection: &Connection, manager: &str, delegate: &str) -> StoreResult<bool> {
    Ok(connection.execute("DELETE FROM reviewer_delegations WHERE manager_upn = ?1 AND delegate_upn = ?2", params![manager, delegate])?
        == 1)
}

/// The managers who delegated to `delegate`.
pub fn delegated_by(connection: &Connection, delegate: &str) -> StoreResult<Vec<String>> {
    let mut statement = connection.prepare("SELECT manager_upn FROM reviewer_delegations WHERE delegate_upn = ?1 ORDER BY manager_upn")?;
    let rows = statement.query_map([delegate], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The reviewers `manager` delegated to.
pub fn delegates_of(connection: &Connection, manager: &str) -> StoreResult<Vec<String>> {
    let mut statement = connection.prepare("SELECT delegate_upn FROM reviewer_delegations WHERE manager_upn = ?1 ORDER BY delegate_upn")?;
    let rows = statement.query_map([manager], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
