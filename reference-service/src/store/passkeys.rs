//! Passkey registration as stored: the WebAuthn ceremony state between the options and the
//! attestation call (so a restart in the middle loses nothing), and the registered passkeys.
//! Both are opaque JSON to the store.

use rusqlite::{OptionalExtension, params};

use crate::store::{Connection, StoreResult};

/// Stores (or replaces) the ceremony state of `request_id`.
pub fn save_ceremony(connection: &Connection, request_id: &str, state_json: &str, now: i64) -> StoreResult<()> {
    connection.execute(
        "INSERT OR REPLACE INTO passkey_ceremonies (request_id, state_json, created_at) VALUES (?1, ?2, ?3)",
        params![request_id, state_json, now],
    )?;
    Ok(())
}

/// The ceremony state of `request_id`, if options were asked for.
pub fn ceremony(connection: &Connection, request_id: &str) -> StoreResult<Option<String>> {
    Ok(connection
        .query_row("SELECT state_json FROM passkey_ceremonies WHERE request_id = ?1", [request_id], |row| row.get(0))
        .optional()?)
}

/// A verified passkey, to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewPasskey<'a> {
    /// Credential id, base64url.
    pub credential_id: &'a str,
    /// Whose it is.
    pub upn: &'a str,
    /// The request it was registered for.
    pub request_id: &'a str,
    /// The webauthn-rs passkey, serialised.
    pub passkey_json: &'a str,
}

/// Stores the passkey and deletes the ceremony: the challenge is single-use.
pub fn finish_registration(connection: &Connection, passkey: &NewPasskey<'_>, now: i64) -> StoreResult<()> {
    connection.execute("DELETE FROM passkey_ceremonies WHERE request_id = ?1", [passkey.request_id])?;
    connection.execute(
        "INSERT INTO passkeys (credential_id, upn, request_id, passkey_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![passkey.credential_id, passkey.upn, passkey.request_id, passkey.passkey_json, now],
    )?;
    Ok(())
}
