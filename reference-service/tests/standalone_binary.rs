//! The standalone binary: `--help` documents how to run it, and it serves on the given address
//! and database.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_identity-pass-service");

#[test]
fn help_documents_listen_db_and_the_console() {
    let output = Command::new(BINARY).arg("--help").output().expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in ["--listen", "--db", "--reviewer-token", "/console", "openapi.yaml"] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
    let missing_db = Command::new(BINARY).output().expect("runs");
    assert!(!missing_db.status.success(), "--db is required");
}

struct Running(std::process::Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_on_the_given_address_and_database() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("standalone.sqlite3");
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .env("IDENTITY_PASS_REVIEWER_TOKEN", "standalone-token")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("stderr");
    let running = Running(child);
    let mut base = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        assert!(!line.contains("standalone-token"), "the reviewer token is never printed when given");
        if let Some(rest) = line.strip_prefix("listening on ") {
            base = rest.split_whitespace().next().map(str::to_owned);
            break;
        }
    }
    let base = base.expect("the binary reports its address");
    let client = common::http_client();
    let health: serde_json::Value = client.get(format!("{base}/healthz")).send().await.expect("get").json().await.expect("json");
    assert_eq!(health["status"], "ok");
    let queue = client.get(format!("{base}/v1/review/requests")).bearer_auth("standalone-token").send().await.expect("get");
    assert_eq!(queue.status().as_u16(), 200);
    assert!(db.exists(), "the database file was created where asked");
    drop(running);
}
