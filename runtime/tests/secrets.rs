//! Secrets never leave their one place. A whole onboarding (Get TAP through the reviewer, then a
//! new TAP on the 30-day fast path, which presents the Verified ID with the device key) runs
//! with every crate of the process logging at TRACE — the runtime, the core, the reference
//! service in the same process, reqwest, hyper, rustls. Then every line of that log, every file
//! the service wrote (its database, WAL and shared memory) and every column of every table are
//! searched for the values this onboarding made:
//!
//! | value | its one allowed place |
//! |---|---|
//! | both TAPs | the TAP screen (never stored: the service keeps a hash) |
//! | the device secret | the phone's store, under its credential (the service keeps a hash) |
//! | the device key (PKCS#8) | the phone's store, under the software key (the desktop's stand-in for a Keystore) |
//! | the Verified ID | the phone's store, and the service's `verified_ids.jws` |
//! | the selfie's JPEG bytes | the service's `selfies.jpeg` |
//! | the liveness capture's JPEG bytes | the service's `liveness_captures.jpeg` |
//!
//! Each is looked for as itself and as the encodings a careless log or column would use: base64
//! (both alphabets), hex, and the `[255, 216, …]` of a `Debug`-printed byte vector.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use common::*;
use identity_pass_core::StoreKey;
use identity_pass_runtime::StatusMode;

/// The log of the whole process, as the formatter wrote it.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    /// Every crate at TRACE, `log` records included (reqwest's), into this buffer.
    fn install() -> CapturedLog {
        let log = CapturedLog::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .expect("the only subscriber of this test process");
        log
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log")).into_owned()
    }
}

/// A secret and the forms it could take somewhere it must not be.
struct Secret {
    name: String,
    forms: Vec<Vec<u8>>,
}

impl Secret {
    /// A value that only matters whole (a TAP, a device secret, a key, a signature): itself, and
    /// in base64 (both alphabets; unpadded is a prefix of padded), hex (both cases) and as
    /// `Debug` prints a byte vector. A private key is looked for whole because its public half
    /// is rightly elsewhere (the service's `devices.key_sec1`).
    fn whole(name: &str, value: &[u8]) -> Secret {
        Secret { name: name.to_owned(), forms: encodings(value) }
    }

    /// A picture: its encodings for three 48-byte windows from the middle, at three alignments
    /// each, so one of them lines up with the base64 of the whole picture encoded from its start.
    /// 48 bytes of entropy-coded JPEG data belong to one picture only.
    fn picture(name: &str, jpeg: &[u8]) -> Secret {
        let starts = [jpeg.len() / 4, jpeg.len() / 2, jpeg.len() * 3 / 4];
        let windows = starts.iter().flat_map(|&start| (0..3).map(move |a| start + a)).filter(|&start| start + 48 <= jpeg.len());
        Secret { name: name.to_owned(), forms: windows.flat_map(|start| encodings(&jpeg[start..start + 48])).collect() }
    }

    fn found_in(&self, haystack: &[u8]) -> bool {
        self.forms.iter().any(|form| haystack.windows(form.len()).any(|w| w == form.as_slice()))
    }
}

/// The value raw and in every encoding a careless log line or column would use.
fn encodings(value: &[u8]) -> Vec<Vec<u8>> {
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    let listed: Vec<String> = value.iter().map(u8::to_string).collect();
    vec![
        value.to_vec(),
        STANDARD_NO_PAD.encode(value).into_bytes(),
        URL_SAFE_NO_PAD.encode(value).into_bytes(),
        hex.to_uppercase().into_bytes(),
        hex.into_bytes(),
        listed.join(", ").into_bytes(),
    ]
}

/// Every file below `dir`, with its bytes.
fn files_below(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(files_below(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            files.push((path.display().to_string(), bytes));
        }
    }
    files
}

/// Every value of every column of every table, as (table.column, bytes).
fn database_values(db: &Path) -> Vec<(String, Vec<u8>)> {
    let connection = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("database");
    let tables: Vec<String> = {
        let mut statement = connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").expect("tables");
        statement.query_map([], |row| row.get(0)).expect("tables").map(|t| t.expect("table")).collect()
    };
    let mut values = Vec::new();
    for table in tables {
        let mut statement = connection.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select");
        let columns: Vec<String> = statement.column_names().map(str::to_owned).collect();
        let mut rows = statement.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            for (i, column) in columns.iter().enumerate() {
                let bytes = match row.get_ref(i).expect("value") {
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => t.to_vec(),
                    _ => continue,
                };
                values.push((format!("{table}.{column}"), bytes));
            }
        }
    }
    values
}

fn blobs(db: &Path, table: &str) -> Vec<Vec<u8>> {
    let connection = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("database");
    let mut statement = connection.prepare(&format!("SELECT jpeg FROM {table}")).expect("select");
    statement.query_map([], |row| row.get(0)).expect("rows").map(|b| b.expect("blob")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_onboarding_at_trace_level_leaves_no_secret_outside_its_place() {
    let log = CapturedLog::install();
    let mut env = Env::start().await;
    let phone = env.phone(StatusMode::LongPoll { wait_seconds: 5 });
    let (phone, _, first_tap) = walk_get_tap(&env, phone, |p| p).await;
    let second_tap = new_tap_through_the_fast_path(&env, &phone).await;
    // After the TAP: the account secured in the app, with canary answers and password.
    let answers = ["Canary-Answer-Kestrel", "Canary-Answer-Marmot", "Canary-Answer-Ocelot", "Canary-Answer-Tapir"];
    let password = "Canary-Password-Quokka-2026";
    let otpauth_uri = common::account_security::secure_the_account(&env, &phone, answers, password).await;
    let totp_secret = otpauth_uri.split("secret=").nth(1).and_then(|s| s.split('&').next()).expect("a secret").to_owned();
    drop(phone);

    // The values this onboarding made, read from their allowed places.
    let stored = |key: StoreKey| env.store.raw(key).unwrap_or_else(|| panic!("{key:?} stored"));
    let credential: serde_json::Value = serde_json::from_slice(&stored(StoreKey::DeviceCredential)).expect("credential");
    let device_secret = credential["device_secret"].as_str().expect("device secret").to_owned();
    let verified_id: serde_json::Value = serde_json::from_slice(&stored(StoreKey::VerifiedId)).expect("verified id");
    let jws = verified_id["jws"].as_str().expect("jws").to_owned();
    let device_key = stored(StoreKey::SoftwareDeviceKey);
    let selfies = blobs(&env.db, "selfies");
    let captures = blobs(&env.db, "liveness_captures");
    assert_eq!((selfies.len(), captures.len()), (1, 2), "one selfie, a capture per liveness run");
    env.stop_service().await;

    let signature = jws.rsplit('.').next().expect("signed").to_owned();
    let mut secrets = vec![
        (Secret::whole("the first TAP", first_tap.as_bytes()), vec![]),
        (Secret::whole("the second TAP", second_tap.as_bytes()), vec![]),
        (Secret::whole("the device secret", device_secret.as_bytes()), vec!["store:DeviceCredential"]),
        (Secret::whole("the device key", &device_key), vec!["store:SoftwareDeviceKey"]),
        (Secret::whole("the Verified ID", signature.as_bytes()), vec!["store:VerifiedId", "db:verified_ids.jws"]),
        (Secret::picture("the selfie", &selfies[0]), vec!["db:selfies.jpeg"]),
    ];
    // Typed or shown once, kept by the service only as hashes or sealed: nowhere in clear.
    secrets.push((Secret::whole("the TOTP secret", totp_secret.as_bytes()), vec![]));
    secrets.push((Secret::whole("the TOTP secret's bytes", &identity_pass_core::testing::base32_decode(&totp_secret)), vec![]));
    secrets.push((Secret::whole("the password", password.as_bytes()), vec![]));
    for answer in answers {
        secrets.push((Secret::whole("a security answer", answer.as_bytes()), vec![]));
        // The service hashes the normalised answer: that form must not be in clear either.
        secrets.push((Secret::whole("a normalised security answer", answer.to_lowercase().as_bytes()), vec![]));
    }
    for (i, capture) in captures.iter().enumerate() {
        secrets.push((Secret::picture(&format!("liveness capture {i}"), capture), vec!["db:liveness_captures.jpeg"]));
    }

    // Where to look: the log, the phone's store, the service's files and its columns.
    let log = log.text();
    let mut places: Vec<(String, Vec<u8>)> = vec![("log".to_owned(), log.clone().into_bytes())];
    for key in [StoreKey::DeviceCredential, StoreKey::FlowState, StoreKey::VerifiedId, StoreKey::Outbox, StoreKey::SoftwareDeviceKey] {
        if let Some(bytes) = env.store.raw(key) {
            places.push((format!("store:{key:?}"), bytes));
        }
    }
    let directory = env.db.parent().expect("the service's directory");
    let files = files_below(directory);
    assert!(files.iter().any(|(name, _)| name.ends_with("service.sqlite3")), "the database is among the files");
    let values = database_values(&env.db);
    assert!(values.iter().any(|(column, _)| column == "selfies.jpeg"), "the columns are read");

    let mut leaks = Vec::new();
    for (secret, allowed) in &secrets {
        for (place, bytes) in &places {
            if !allowed.contains(&place.as_str()) && secret.found_in(bytes) {
                leaks.push(format!("{} in {place}", secret.name));
            }
        }
        for (column, bytes) in &values {
            if !allowed.contains(&format!("db:{column}").as_str()) && secret.found_in(bytes) {
                leaks.push(format!("{} in the column {column}", secret.name));
            }
        }
        // A value allowed in a column is in the database's file, as a row; anything else is not.
        if allowed.iter().all(|place| !place.starts_with("db:")) {
            for (file, bytes) in &files {
                if secret.found_in(bytes) {
                    leaks.push(format!("{} in the file {file}", secret.name));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "secrets outside their place:\n{}", leaks.join("\n"));

    // The search found what it should where it is allowed, so it would find a leak: each value
    // is in its place, and the log really holds every layer's TRACE output.
    for (secret, allowed) in &secrets {
        for place in allowed.iter().filter_map(|p| p.strip_prefix("store:")) {
            let bytes = places.iter().find(|(p, _)| p == &format!("store:{place}")).map(|(_, b)| b).expect("stored");
            assert!(secret.found_in(bytes), "{} is in its place {place}", secret.name);
        }
        for column in allowed.iter().filter_map(|p| p.strip_prefix("db:")) {
            assert!(values.iter().any(|(c, b)| c == column && secret.found_in(b)), "{} is in {column}", secret.name);
        }
    }
    assert!(Secret::whole("a TAP", first_tap.as_bytes()).found_in(format!("code: {first_tap}").as_bytes()));
    for layer in ["identity_pass_runtime", "identity_pass_service", "hyper", "reqwest", "TRACE"] {
        assert!(log.contains(layer), "the log has {layer}'s lines ({} bytes)", log.len());
    }
}
