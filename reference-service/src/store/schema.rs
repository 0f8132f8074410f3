//! Schema and migrations, tracked with SQLite's `user_version`. Each migration is applied once,
//! in order, inside a transaction.

use rusqlite::Connection;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 9;

const MIGRATION_1: &str = "
CREATE TABLE settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    secret_hash BLOB NOT NULL,
    platform TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE push_tokens (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    kind TEXT NOT NULL,
    token TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id),
    upn TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    personal_email TEXT,
    staff_kind TEXT NOT NULL,
    path TEXT NOT NULL,
    flag_liveness INTEGER NOT NULL,
    flag_verified_id INTEGER NOT NULL,
    fast_path INTEGER NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    consent_terms_version TEXT,
    consent_accepted_at INTEGER,
    government_id_result TEXT,
    government_id_reason TEXT,
    selfie_uploaded_at INTEGER,
    liveness_result TEXT,
    liveness_reason TEXT,
    submitted_at INTEGER,
    deadline_at INTEGER,
    call_id TEXT,
    joined_at INTEGER,
    left_at INTEGER,
    decided_at INTEGER,
    denial_reason_code TEXT,
    denial_message TEXT
);
CREATE INDEX requests_by_device ON requests(device_id);
CREATE INDEX requests_by_state ON requests(state);
CREATE TABLE selfies (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    jpeg BLOB NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE TABLE liveness_captures (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    jpeg BLOB NOT NULL,
    captured_at INTEGER NOT NULL
);
CREATE TABLE verified_ids (
    jti TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    request_id TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    jws TEXT NOT NULL
);
CREATE TABLE taps (
    upn TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    code_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    start_at INTEGER NOT NULL,
    lifetime_minutes INTEGER NOT NULL,
    usable_once INTEGER NOT NULL,
    used_at INTEGER
);
CREATE TABLE passkey_ceremonies (
    request_id TEXT PRIMARY KEY,
    state_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    request_id TEXT NOT NULL,
    passkey_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
";

/// The app's order of steps (issue: align): identity first, the date of birth afterwards on the
/// legacy path, with wrong dates counted per person; the Verified ID presentation recorded on
/// the request. Requests created before this migration were confirmed at creation.
const MIGRATION_2: &str = "
ALTER TABLE requests ADD COLUMN identity_confirmed_at INTEGER;
ALTER TABLE requests ADD COLUMN identity_locked_at INTEGER;
ALTER TABLE requests ADD COLUMN verified_id_presented_at INTEGER;
UPDATE requests SET identity_confirmed_at = created_at;
CREATE TABLE date_of_birth_failures (
    upn TEXT NOT NULL,
    request_id TEXT,
    guess_hash BLOB NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX date_of_birth_failures_by_upn ON date_of_birth_failures(upn, failed_at);
";

/// Verdicts a phone cannot forge: the government-ID partner's sessions and the callback events
/// applied; the liveness challenges the service issued and the digests of the frames judged for
/// each, so frames are never judged twice; when the request's liveness capture was taken, kept
/// after the purge deletes the capture so the reviewer is told it expired rather than missing.
const MIGRATION_3: &str = "
ALTER TABLE requests ADD COLUMN liveness_captured_at INTEGER;
UPDATE requests SET liveness_captured_at = (SELECT captured_at FROM liveness_captures WHERE request_id = requests.id);
CREATE TABLE liveness_challenges (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    action TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE TABLE tap_issuances (
    request_id TEXT NOT NULL REFERENCES requests(id),
    tap_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    issued_at INTEGER NOT NULL
);
CREATE INDEX tap_issuances_by_request ON tap_issuances(request_id, issued_at);
CREATE TABLE liveness_frame_digests (
    digest BLOB PRIMARY KEY,
    challenge_id TEXT NOT NULL
);
CREATE TABLE partner_sessions (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    handoff_url TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    result TEXT,
    reason TEXT
);
CREATE INDEX partner_sessions_by_request ON partner_sessions(request_id, opened_at);
CREATE TABLE partner_events (
    event_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
";

/// A Verified ID bound to the phone that earned it: each device's public key (SEC1, registered
/// with a proof of possession), the key each credential was issued to (its thumbprint) and its
/// revocation, and the single-use nonces presentations sign. Devices and credentials from
/// before this migration have no key: such a credential can no longer be presented.
const MIGRATION_4: &str = "
ALTER TABLE devices ADD COLUMN key_sec1 BLOB;
ALTER TABLE verified_ids ADD COLUMN device_key_thumbprint TEXT;
ALTER TABLE verified_ids ADD COLUMN revoked_at INTEGER;
ALTER TABLE verified_ids ADD COLUMN revocation_reason TEXT;
CREATE TABLE presentation_nonces (
    nonce TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id),
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX presentation_nonces_by_device ON presentation_nonces(device_id, expires_at);
";

/// Registration is idempotent by the secret a device brings (no answer is kept for replay to a
/// caller without credentials): its digest is looked up.
const MIGRATION_5: &str = "
CREATE INDEX devices_by_secret_hash ON devices(secret_hash);
";

/// Reviewers are people: accounts with password hashes, sign-in failures per name, sessions by
/// the digest of their secret, delegations, and the append-only audit log.
const MIGRATION_6: &str = "
CREATE TABLE reviewer_accounts (
    upn TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE reviewer_sign_in_failures (
    upn TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until INTEGER
);
CREATE TABLE reviewer_sessions (
    token_hash BLOB PRIMARY KEY,
    upn TEXT NOT NULL REFERENCES reviewer_accounts(upn),
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE reviewer_delegations (
    manager_upn TEXT NOT NULL,
    delegate_upn TEXT NOT NULL REFERENCES reviewer_accounts(upn),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (manager_upn, delegate_upn)
);
CREATE INDEX reviewer_delegations_by_delegate ON reviewer_delegations(delegate_upn);
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    request_id TEXT,
    detail TEXT
);
";

/// After the TAP (issue 13): account sessions opened by a sign-in with the TAP, the account's
/// password, PIN and security answers (argon2 hashes only), its strong methods (a TOTP secret
/// sealed with the data key kept outside the database, never in clear), the password page's
/// one-use tickets and the authenticator app's pending activations (digests of their codes).
const MIGRATION_7: &str = "
CREATE TABLE account_sessions (
    id TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    device_id TEXT,
    tap_id TEXT NOT NULL,
    signed_in_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    registration_deadline INTEGER
);
CREATE INDEX account_sessions_by_device ON account_sessions(device_id, upn, signed_in_at);
CREATE TABLE account_secrets (
    upn TEXT PRIMARY KEY,
    password_hash TEXT,
    password_set_at INTEGER,
    pin_hash TEXT,
    pin_set_at INTEGER,
    questions_set_at INTEGER
);
CREATE TABLE security_answers (
    upn TEXT NOT NULL,
    question_id TEXT NOT NULL,
    answer_hash TEXT NOT NULL,
    PRIMARY KEY (upn, question_id)
);
CREATE TABLE auth_methods (
    id TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    kind TEXT NOT NULL,
    phone_number TEXT,
    extension TEXT,
    backup_phone_number TEXT,
    totp_secret_sealed BLOB,
    totp_last_step INTEGER,
    registered_at INTEGER NOT NULL
);
CREATE INDEX auth_methods_by_upn ON auth_methods(upn, registered_at);
CREATE TABLE password_tickets (
    ticket_hash BLOB PRIMARY KEY,
    upn TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE TABLE totp_activations (
    id TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    device_id TEXT NOT NULL,
    secret_sealed BLOB NOT NULL,
    activation_code_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    accepted_step INTEGER,
    uri_fetched_at INTEGER
);
";

/// Text message and voice call verifications: the number, a keyed digest of the texted code
/// (never the code), the voice call's id, sends, wrong attempts and the outcome.
const MIGRATION_8: &str = "
CREATE TABLE phone_verifications (
    id TEXT PRIMARY KEY,
    upn TEXT NOT NULL,
    device_id TEXT NOT NULL,
    delivery TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    extension TEXT,
    backup_phone_number TEXT,
    code_mac BLOB,
    call_id TEXT,
    sends INTEGER NOT NULL,
    last_sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL
);
CREATE INDEX phone_verifications_by_call ON phone_verifications(call_id);
";

/// The user's time in the reviewer's call before their latest join, so that a call cut and
/// joined again counts the time in and not the time away.
const MIGRATION_9: &str = "
ALTER TABLE requests ADD COLUMN seconds_in_call_before INTEGER NOT NULL DEFAULT 0;
";

/// Applies every migration newer than the database's `user_version`.
pub fn migrate(connection: &Connection) -> Result<(), rusqlite::Error> {
    let current: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current < 1 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_1)?;
        tx.pragma_update(None, "user_version", 1)?;
        tx.commit()?;
    }
    if current < 2 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_2)?;
        tx.pragma_update(None, "user_version", 2)?;
        tx.commit()?;
    }
    if current < 3 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_3)?;
        tx.pragma_update(None, "user_version", 3)?;
        tx.commit()?;
    }
    if current < 4 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_4)?;
        tx.pragma_update(None, "user_version", 4)?;
        tx.commit()?;
    }
    if current < 5 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_5)?;
        tx.pragma_update(None, "user_version", 5)?;
        tx.commit()?;
    }
    if current < 6 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_6)?;
        tx.pragma_update(None, "user_version", 6)?;
        tx.commit()?;
    }
    if current < 7 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_7)?;
        tx.pragma_update(None, "user_version", 7)?;
        tx.commit()?;
    }
    if current < 8 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_8)?;
        tx.pragma_update(None, "user_version", 8)?;
        tx.commit()?;
    }
    if current < 9 {
        let tx = connection.unchecked_transaction()?;
        tx.execute_batch(MIGRATION_9)?;
        tx.pragma_update(None, "user_version", 9)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_harmless_and_sets_the_version() {
        let connection = Connection::open_in_memory().expect("memory db");
        migrate(&connection).expect("first");
        migrate(&connection).expect("second");
        let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0)).expect("version");
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn requests_from_before_the_date_of_birth_step_count_as_confirmed() {
        let connection = Connection::open_in_memory().expect("memory db");
        connection.execute_batch(MIGRATION_1).expect("version 1");
        connection.pragma_update(None, "user_version", 1).expect("version");
        connection
            .execute_batch(
                "INSERT INTO devices VALUES ('dev_1', x'00', 'android', 10);
                 INSERT INTO requests (id, device_id, upn, employee_id, staff_kind, path, flag_liveness,
                    flag_verified_id, fast_path, state, version, created_at)
                 VALUES ('req_1', 'dev_1', 'bob@contoso.example', 'E1002', 'employee', 'legacy_dob', 0, 0, 0, 'draft', 1, 42);",
            )
            .expect("a version-1 request");
        migrate(&connection).expect("to version 2");
        let confirmed: Option<i64> =
            connection.query_row("SELECT identity_confirmed_at FROM requests WHERE id = 'req_1'", [], |row| row.get(0)).expect("row");
        assert_eq!(confirmed, Some(42), "one-step requests were confirmed when created");
    }
}
