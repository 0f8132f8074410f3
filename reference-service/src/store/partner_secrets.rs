//! The reference partner's API key and webhook secret, kept in `settings` so a restarted
//! service and its partner still recognise each other: generated on first start, read back on
//! every later one. Never logged; the values leave this module only as bytes for the adapter.

use rusqlite::OptionalExtension;

use crate::secrets::random_bytes;
use crate::store::{Connection, StoreResult};

/// The `settings` value `name`, generating 32 random bytes on first use.
fn load_or_create(connection: &Connection, name: &str) -> StoreResult<Vec<u8>> {
    let stored: Option<Vec<u8>> = connection.query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    match stored {
        Some(bytes) => Ok(bytes),
        None => {
            let bytes = random_bytes::<32>()?.to_vec();
            connection.execute("INSERT INTO settings (name, value) VALUES (?1, ?2)", rusqlite::params![name, bytes])?;
            Ok(bytes)
        }
    }
}

/// (API key, webhook secret) of the reference partner.
pub fn load_or_create_pair(connection: &Connection) -> StoreResult<(Vec<u8>, Vec<u8>)> {
    Ok((load_or_create(connection, "partner_api_key")?, load_or_create(connection, "partner_webhook_secret")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    #[test]
    fn the_secrets_survive_reloading_and_differ() {
        let db = memory_for_tests();
        let first = load_or_create_pair(&db).expect("create");
        assert_eq!(load_or_create_pair(&db).expect("reload"), first);
        assert_ne!(first.0, first.1);
        assert_eq!(first.0.len(), 32);
    }
}
