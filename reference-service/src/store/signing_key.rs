//! The Verified ID signing key, kept in `settings` so credentials stay verifiable across
//! restarts: generated on first start, read back on every later one.

use rusqlite::OptionalExtension;

use crate::domain::verified_id::VerifiedIdSigner;
use crate::store::{Connection, StoreResult};

/// Loads the signer from `settings`, generating and storing its key on first use.
pub fn load_or_create(connection: &Connection) -> StoreResult<VerifiedIdSigner> {
    let stored: Option<Vec<u8>> =
        connection.query_row("SELECT value FROM settings WHERE name = 'verified_id_pkcs8'", [], |r| r.get(0)).optional()?;
    let pkcs8 = match stored {
        Some(bytes) => bytes,
        None => {
            let bytes = VerifiedIdSigner::generate_pkcs8()?;
            connection.execute("INSERT INTO settings (name, value) VALUES ('verified_id_pkcs8', ?1)", [&bytes])?;
            bytes
        }
    };
    Ok(VerifiedIdSigner::from_pkcs8(&pkcs8)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    #[test]
    fn the_key_survives_reloading() {
        let db = memory_for_tests();
        let first = load_or_create(&db).expect("create");
        let second = load_or_create(&db).expect("reload");
        assert_eq!(first.public_key(), second.public_key());
    }
}
