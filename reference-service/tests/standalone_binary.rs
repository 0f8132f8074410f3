//! The standalone binary: `--help` documents how to run it, and it serves on the given address
//! and database.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::standalone::Running;

const BINARY: &str = env!("CARGO_BIN_EXE_identity-pass-service");

#[test]
fn help_documents_listen_db_and_the_console() {
    let output = Command::new(BINARY).arg("--help").output().expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    let app_flags = ["--rp-id", "--android-package", "--android-cert-sha256", "--apple-app-id"];
    let needles = ["--listen", "--db", "--reviewer-password", "--synthetic-people", "/console", "openapi.yaml"];
    for needle in needles.into_iter().chain(app_flags) {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
    let missing_db = Command::new(BINARY).output().expect("runs");
    assert!(!missing_db.status.success(), "--db is required");
}

#[tokio::test]
async fn the_binary_serves_on_the_given_address_and_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("standalone.sqlite3");
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .env("IDENTITY_PASS_REVIEWER_PASSWORD", "standalone-password")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("stderr");
    let running = Running(child);
    let mut base = None;
    let mut created = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        assert!(!line.contains("standalone-password"), "the reviewer password is never printed when given");
        if let Some(names) = line.strip_prefix("reviewer accounts created: ") {
            created = names.to_owned();
        }
        if let Some(rest) = line.strip_prefix("listening on ") {
            base = rest.split_whitespace().next().map(str::to_owned);
            break;
        }
    }
    let base = base.expect("the binary reports its address");
    let client = common::http_client();
    let health: serde_json::Value = client.get(format!("{base}/healthz")).send().await.expect("get").json().await.expect("json");
    assert_eq!(health["status"], "ok");
    assert!(created.contains(common::MANAGER), "the seeded reviewer accounts are announced: {created}");
    let signed_in: serde_json::Value = client
        .post(format!("{base}/v1/review/tokens"))
        .header("Idempotency-Key", "standalone-sign-in")
        .json(&serde_json::json!({ "upn": common::MANAGER, "password": "standalone-password" }))
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("json");
    let token = signed_in["token"].as_str().expect("a token");
    let queue = client.get(format!("{base}/v1/review/requests")).bearer_auth(token).send().await.expect("get");
    assert_eq!(queue.status().as_u16(), 200);
    assert!(db.exists(), "the database file was created where asked");
    drop(running);
}
