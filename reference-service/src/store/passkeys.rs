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

/// What [`finish_registration`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// Kept, and the ceremony's challenge spent.
    Registered,
    /// A passkey with this credential id is registered already: nothing was written, and the
    /// ceremony stays open for a valid attempt.
    CredentialTaken,
}

/// Stores the passkey and deletes the ceremony (the challenge is single-use). Run it in a
/// transaction (`Db::transaction`; the handler's is) so that both happen or neither.
pub fn finish_registration(connection: &Connection, passkey: &NewPasskey<'_>, now: i64) -> StoreResult<Registration> {
    let taken: Option<i64> =
        connection.query_row("SELECT 1 FROM passkeys WHERE credential_id = ?1", [passkey.credential_id], |r| r.get(0)).optional()?;
    if taken.is_some() {
        return Ok(Registration::CredentialTaken);
    }
    connection.execute("DELETE FROM passkey_ceremonies WHERE request_id = ?1", [passkey.request_id])?;
    connection.execute(
        "INSERT INTO passkeys (credential_id, upn, request_id, passkey_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![passkey.credential_id, passkey.upn, passkey.request_id, passkey.passkey_json, now],
    )?;
    Ok(Registration::Registered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory_for_tests;

    #[test]
    fn a_credential_id_registered_already_is_refused_and_the_ceremony_stays_open() {
        let connection = memory_for_tests();
        let first = NewPasskey { credential_id: "cred-1", upn: "dave@contoso.example", request_id: "req_1", passkey_json: "{}" };
        save_ceremony(&connection, "req_1", "{}", 1).expect("ceremony");
        assert_eq!(finish_registration(&connection, &first, 2).expect("first"), Registration::Registered);
        assert_eq!(ceremony(&connection, "req_1").expect("read"), None, "the challenge is spent");

        save_ceremony(&connection, "req_2", "{\"challenge\":2}", 3).expect("ceremony");
        let again = NewPasskey { request_id: "req_2", ..first };
        assert_eq!(finish_registration(&connection, &again, 4).expect("no error"), Registration::CredentialTaken);
        assert_eq!(ceremony(&connection, "req_2").expect("read").as_deref(), Some("{\"challenge\":2}"), "still open for a valid attempt");
        let count: i64 = connection.query_row("SELECT COUNT(*) FROM passkeys", [], |r| r.get(0)).expect("count");
        assert_eq!(count, 1);
    }
}
