//! The desktop keyring store against the real kernel keyring (no mock).
//!
//! keyutils needs a session keyring, which `cargo test` processes here lack, so each test that
//! stores something re-executes this test binary, running only itself, under
//! `keyctl session -` (Debian's `keyutils`; the workspace forbids the `unsafe` a direct
//! `keyctl(KEYCTL_JOIN_SESSION_KEYRING)` call would need). The child is told by an environment
//! variable that it is the child. `keyctl` is also the independent oracle: what the store wrote
//! is looked up and read straight from the kernel.
#![cfg(target_os = "linux")]

#[path = "../src/keyring_store.rs"]
mod keyring_store;

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use identity_pass_core::{CredentialVault, SecureStore, SecureStoreError, StoreKey};
use keyring_store::{KeyringStore, SESSION_HINT};

/// Set in the child: the name of the test it runs (plus any test-specific variables).
const CHILD: &str = "IDENTITY_PASS_KEYRING_TEST_CHILD";
const SERVICE_VAR: &str = "IDENTITY_PASS_KEYRING_TEST_SERVICE";
const PHASE_VAR: &str = "IDENTITY_PASS_KEYRING_TEST_PHASE";

fn is_child(test: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|name| name == test)
}

/// Runs `test` alone in a new anonymous session keyring and fails unless it ran and passed.
fn run_in_fresh_session(test: &str, env: &[(&str, &str)]) {
    let exe = std::env::current_exe().expect("test binary path");
    let output = Command::new("keyctl")
        .args(["session", "-"])
        .arg(&exe)
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env(CHILD, test)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run keyctl ({e}): install Debian's keyutils (scripts/setup-toolchains.sh does)"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{test} under `keyctl session -` failed:\n{stdout}\n{stderr}"
    );
}

/// A service name no other test or run uses.
fn unique_service(test: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("identity-pass-test-{test}-{}-{nanos}", std::process::id())
}

/// The kernel's own view: the payload of the user key the store wrote for `key`, if any.
fn kernel_payload(service: &str, key: StoreKey) -> Option<Vec<u8>> {
    let description = format!("keyring:{}@{service}", key.as_str());
    let search = Command::new("keyctl").args(["search", "@s", "user", &description]).output().expect("keyctl search");
    if !search.status.success() {
        return None;
    }
    let id = String::from_utf8_lossy(&search.stdout).trim().to_owned();
    let pipe = Command::new("keyctl").args(["pipe", &id]).output().expect("keyctl pipe");
    assert!(pipe.status.success(), "key {id} found but unreadable: {}", String::from_utf8_lossy(&pipe.stderr));
    Some(pipe.stdout)
}

#[test]
fn values_are_written_read_overwritten_and_deleted_in_the_kernel_keyring() {
    const TEST: &str = "values_are_written_read_overwritten_and_deleted_in_the_kernel_keyring";
    if !is_child(TEST) {
        return run_in_fresh_session(TEST, &[]);
    }
    let service = unique_service("rw");
    let store = KeyringStore::open_service(&service).expect("a session keyring is joined");
    assert_eq!(store.read(StoreKey::DeviceCredential), Ok(None));

    store.write(StoreKey::DeviceCredential, b"first value".to_vec()).expect("write");
    assert_eq!(store.read(StoreKey::DeviceCredential), Ok(Some(b"first value".to_vec())));
    assert_eq!(kernel_payload(&service, StoreKey::DeviceCredential), Some(b"\x01first value".to_vec()), "not in the kernel");
    let other_instance = KeyringStore::open_service(&service).expect("open again");
    assert_eq!(other_instance.read(StoreKey::DeviceCredential), Ok(Some(b"first value".to_vec())));

    // Opaque bytes, zeros and all; an overwrite replaces.
    let binary = vec![0u8, 255, 0, 10, 13, 0];
    store.write(StoreKey::DeviceCredential, binary.clone()).expect("overwrite");
    assert_eq!(other_instance.read(StoreKey::DeviceCredential), Ok(Some(binary.clone())));

    // Keys are separate, and an empty value is a value (keyutils alone refuses empty payloads).
    store.write(StoreKey::FlowState, Vec::new()).expect("empty value");
    assert_eq!(store.read(StoreKey::FlowState), Ok(Some(Vec::new())));
    assert_eq!(store.read(StoreKey::DeviceCredential), Ok(Some(binary)));
    assert_eq!(store.read(StoreKey::VerifiedId), Ok(None));

    store.delete(StoreKey::DeviceCredential).expect("delete");
    assert_eq!(store.read(StoreKey::DeviceCredential), Ok(None));
    assert_eq!(kernel_payload(&service, StoreKey::DeviceCredential), None, "still in the kernel");
    store.delete(StoreKey::DeviceCredential).expect("deleting a missing key succeeds");
    assert_eq!(store.read(StoreKey::FlowState), Ok(Some(Vec::new())), "delete touched another key");
    store.delete(StoreKey::FlowState).expect("clean up");
}

/// What the desktop shell relies on: a device enrolled in one run is the same device in the
/// next, though each run joins a new session keyring (the value lives on in the persistent one).
#[test]
fn a_device_enrolled_in_one_session_is_found_in_the_next() {
    const TEST: &str = "a_device_enrolled_in_one_session_is_found_in_the_next";
    if !is_child(TEST) {
        let service = unique_service("persist");
        run_in_fresh_session(TEST, &[(SERVICE_VAR, &service), (PHASE_VAR, "enrol")]);
        run_in_fresh_session(TEST, &[(SERVICE_VAR, &service), (PHASE_VAR, "again")]);
        return;
    }
    let service = std::env::var(SERVICE_VAR).expect("service from the parent");
    let store = std::sync::Arc::new(KeyringStore::open_service(&service).expect("open"));
    let vault = CredentialVault::new(store.clone());
    match std::env::var(PHASE_VAR).as_deref() {
        Ok("enrol") => {
            assert_eq!(store.read(StoreKey::DeviceCredential), Ok(None), "a fresh service starts empty");
            let credential = vault.enroll_device().expect("enrol");
            // Leave the id where the next phase can compare it: a second key of this test service.
            store.write(StoreKey::VerifiedId, credential.device_id.as_bytes().to_vec()).expect("note the id");
        }
        Ok("again") => {
            let first_id = store.read(StoreKey::VerifiedId).expect("read").expect("the first session's note survives");
            let credential = vault.enroll_device().expect("enrol again");
            assert_eq!(credential.device_id.as_bytes(), first_id.as_slice(), "a second device was enrolled");
            for key in [StoreKey::DeviceCredential, StoreKey::VerifiedId] {
                store.delete(key).expect("clean up");
            }
        }
        other => panic!("unknown phase {other:?}"),
    }
}

/// Outside a session keyring (this container's default) nothing is written and the reason names
/// the fix; inside one (a desktop login session), the store opens.
#[test]
fn without_a_session_keyring_the_store_refuses_and_says_how_to_fix_it() {
    let described = Command::new("keyctl").args(["rdescribe", "@s"]).output().expect("keyctl rdescribe");
    let session = String::from_utf8_lossy(&described.stdout).trim().rsplit(';').next().unwrap_or("").to_owned();
    let opened = KeyringStore::open_service(&unique_service("nosession"));
    if session.starts_with("_uid_ses.") {
        match opened {
            Err(SecureStoreError::Unavailable { reason }) => {
                assert!(reason.contains(SESSION_HINT) && reason.contains("_uid_ses."), "{reason}");
            }
            Ok(store) => panic!("opened without a session keyring: {store:?}"),
        }
    } else {
        assert!(opened.is_ok(), "session keyring {session:?} but: {opened:?}");
    }
}

#[test]
fn keyring_errors_become_unavailable_without_leaking_stored_bytes() {
    let denied = keyring_store::unavailable("write", keyring_core::Error::NoStorageAccess("AccessDenied".into()));
    let SecureStoreError::Unavailable { reason } = denied;
    assert!(reason.contains("write") && reason.contains("AccessDenied") && reason.contains(SESSION_HINT), "{reason}");

    let secret = b"device-secret-bytes".to_vec();
    let garbled = keyring_store::unavailable("read", keyring_core::Error::BadDataFormat(secret, "bad".into()));
    let SecureStoreError::Unavailable { reason } = garbled;
    assert!(!reason.contains("device-secret") && !reason.contains("100, 101"), "{reason}");
}
