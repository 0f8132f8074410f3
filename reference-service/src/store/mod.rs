//! SQLite storage: one connection behind a mutex (the reference service favours simplicity over
//! throughput), WAL journal so a crash or a stop mid-flow loses nothing already answered.
//!
//! One file per table family. Functions take a [`Connection`] (the caller holds the lock for one
//! short unit of work, never across an `.await`) and return domain types or a [`StoreError`];
//! no HTTP in here (`tests/layers.rs` checks). Rules stay in `domain`: the store records what
//! the rules decided.

pub mod account_secrets;
pub mod account_sessions;
pub mod audit;
pub mod auth_methods;
pub mod date_of_birth_failures;
pub mod devices;
pub mod error;
pub mod evidence;
pub mod idempotency;
pub mod liveness_challenges;
pub mod partner_secrets;
pub mod partner_sessions;
pub mod passkeys;
pub mod password_tickets;
pub mod phone_verifications;
pub mod presentation_nonces;
pub mod push_tokens;
pub mod requests;
pub mod retention;
pub mod review;
pub mod review_evidence;
pub mod reviewers;
mod schema;
pub mod signing_key;
pub mod taps;
pub mod totp_activations;
pub mod verified_ids;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

pub use error::{Missing, StoreError, StoreResult};
/// The connection type store functions take; callers never name `rusqlite` themselves.
pub use rusqlite::Connection;
pub use schema::SCHEMA_VERSION;

/// The service's database handle.
pub struct Db {
    connection: Mutex<Connection>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        // Every commit is on disk before its answer leaves. In WAL mode a process killed at any
        // moment loses nothing committed even with NORMAL (the WAL is in the OS's page cache,
        // which outlives the process); FULL also syncs the WAL on each commit, so an answered
        // write survives a power loss or an OS crash too, for one fsync per commit.
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted content is overwritten, not left in free pages: a purged selfie is gone from
        // the file, not merely unlinked (the purge also empties the WAL, `retention::purge`).
        connection.pragma_update(None, "secure_delete", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&connection)?;
        Ok(Self { connection: Mutex::new(connection) })
    }

    /// Locks the connection. Callers keep the guard for one short synchronous unit of work and
    /// never across an `.await`. A unit that writes more than once uses [`Db::transaction`].
    pub fn lock(&self) -> StoreResult<MutexGuard<'_, Connection>> {
        self.connection.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Runs `work` under the lock in one transaction: what it wrote is committed when it returns
    /// `Ok`, and none of it when it returns `Err` or panics. A process killed before the commit
    /// is the same: SQLite ignores the uncommitted part of the WAL when the file is next opened.
    /// Without it each statement commits on its own, and a kill between two leaves half a step
    /// (a partner event marked applied without its verdict, a TAP without its issuance record).
    pub fn transaction<T, E: From<StoreError>>(&self, work: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let connection = self.lock()?;
        let transaction = connection.unchecked_transaction().map_err(StoreError::from)?;
        let value = work(&transaction)?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

/// Counts the rows of `table`, a lower_snake_case name (tests check retention and duplicates
/// with it); `None` for any other name, which is never put into SQL.
pub fn count_rows(connection: &Connection, table: &str) -> StoreResult<Option<i64>> {
    if !table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return Ok(None);
    }
    Ok(Some(connection.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?))
}

/// A migrated in-memory database for unit tests.
#[cfg(test)]
pub fn memory_for_tests() -> Connection {
    let connection = Connection::open_in_memory().expect("memory db");
    if let Err(error) = schema::migrate(&connection) {
        panic!("migration failed: {error}");
    }
    connection
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_keeps_all_of_its_writes_or_none() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("t.sqlite3")).expect("open");
        let insert = |connection: &Connection, id: &str| {
            connection.execute("INSERT INTO devices (id, secret_hash, platform, created_at) VALUES (?1, x'00', 'ios', 1)", [id])
        };
        let refused: Result<(), StoreError> = db.transaction(|connection| {
            insert(connection, "dev_1")?;
            insert(connection, "dev_2")?;
            Err(StoreError::NotFound(Missing::Request))
        });
        assert!(refused.is_err());
        let devices = |db: &Db| count_rows(&db.lock().expect("lock"), "devices").expect("count");
        assert_eq!(devices(&db), Some(0), "a refusal after two writes keeps neither");
        db.transaction(|connection| {
            insert(connection, "dev_1")?;
            Ok::<_, StoreError>(insert(connection, "dev_2")?)
        })
        .expect("committed");
        assert_eq!(devices(&db), Some(2));
        let reopened = Db::open(&dir.path().join("t.sqlite3")).expect("reopen");
        assert_eq!(devices(&reopened), Some(2), "committed writes are in the file");
    }
}
