//! Every type of the runtime that holds a secret (the device credential as a bearer token, a
//! Verified ID, a key binding, a request body with a selfie or a device secret, the software
//! device key) prints none of it with `Debug`, or has no `Debug` at all. None implements
//! `Display`. The answers' wire bodies (`service_client`'s private `*Body` structs) derive only
//! `Deserialize`.

use std::sync::Arc;

use identity_pass_core::SecretString;
use identity_pass_core::testing::MemorySecureStore;
use reqwest::Method;

use crate::idempotency::IdempotencyKey;
use crate::service_client::{DeviceAuth, VerifiedIdCredential};
use crate::software_device_key::StoredSoftwareDeviceKey;
use crate::transport::ServiceRequest;

const CANARY: &str = "canary-5f1d0c9e";

#[track_caller]
fn hidden(value: &impl std::fmt::Debug) -> String {
    identity_pass_core::testing::assert_debug_hides(value, CANARY.as_bytes())
}

#[test]
fn credentials_print_no_secret() {
    let auth = DeviceAuth { device_id: "dev_0a1b".into(), bearer: SecretString::new(format!("dev_0a1b.{CANARY}")) };
    assert!(hidden(&auth).contains("dev_0a1b"), "the id stays readable");
    let vid = VerifiedIdCredential { jws: SecretString::new(CANARY.into()), issued_at: 1, expires_at: 2 };
    hidden(&vid);
}

#[test]
fn a_request_prints_neither_its_credentials_nor_its_body() {
    let bearer = SecretString::new(format!("dev_0a1b.{CANARY}"));
    let key = IdempotencyKey::generate().expect("random");
    let binding = format!("eyJhbGciOiJFUzI1NiJ9.{CANARY}.sig");
    let mut json = ServiceRequest::new(Method::POST, "v1/requests");
    json.bearer = Some(&bearer);
    json.idempotency_key = Some(&key);
    json.key_binding = Some(&binding);
    json.json = Some(serde_json::json!({ "verified_id": CANARY, "device_secret": CANARY }));
    assert!(hidden(&json).contains("v1/requests"), "the path stays readable");
    let mut upload = ServiceRequest::new(Method::POST, "v1/requests/req_1/selfie");
    upload.bearer = Some(&bearer);
    upload.raw_body = Some(("image/jpeg", CANARY.as_bytes().to_vec()));
    assert!(hidden(&upload).contains("image/jpeg, 15 bytes"));
}

#[test]
fn the_stored_software_key_has_no_debug() {
    identity_pass_core::assert_no_debug!(StoredSoftwareDeviceKey);
    // It is made over a store like any other; only the type is checked above.
    let _key = StoredSoftwareDeviceKey::new(Arc::new(MemorySecureStore::default()));
}
