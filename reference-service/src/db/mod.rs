//! SQLite storage: one connection behind a mutex (the reference service favours simplicity over
//! throughput), WAL journal so a crash or a stop mid-flow loses nothing already answered.

mod schema;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::errors::{ApiError, ApiResult};

/// The service's database handle.
pub struct Db {
    connection: Mutex<Connection>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, rusqlite::Error> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&connection)?;
        Ok(Self { connection: Mutex::new(connection) })
    }

    /// Locks the connection. Callers keep the guard for one short synchronous unit of work and
    /// never across an `.await`.
    pub fn lock(&self) -> ApiResult<MutexGuard<'_, Connection>> {
        self.connection.lock().map_err(|_| ApiError::internal("database mutex poisoned"))
    }
}

pub use schema::SCHEMA_VERSION;

/// Applies the schema to a bare connection (unit tests of modules that take a `Connection`).
#[cfg(test)]
pub fn migrate_for_tests(connection: &Connection) {
    if let Err(error) = schema::migrate(connection) {
        panic!("migration failed: {error}");
    }
}
