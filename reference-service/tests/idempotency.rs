//! Idempotency keys: a retried call never creates a duplicate; a reused key with another body is
//! refused; one-time secrets are never replayed.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_retried_request_creation_returns_the_same_answer_and_creates_nothing_new() {
    let h = start().await;
    let device = h.api.register_device().await;
    let key = fresh_key();
    let first = h.api.post_keyed("/v1/requests", Some(&device), &key, &alice()).await;
    let second = h.api.post_keyed("/v1/requests", Some(&device), &key, &alice()).await;
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (201, 201));
    assert_eq!(first.body, second.body);
    assert!(!first.replayed && second.replayed);
    assert_eq!(h.service.count_rows("requests").expect("count"), 1);

    let mut other = alice();
    other["personal_email"] = json!("someone.else@example.net");
    let reused = h.api.post_keyed("/v1/requests", Some(&device), &key, &other).await;
    assert_eq!((reused.status.as_u16(), reused.code()), (422, "IDEMPOTENCY_KEY_REUSED"));
    assert_eq!(h.service.count_rows("requests").expect("count"), 1);

    // Keys are per caller: another device using the same key gets its own request.
    let other_device = h.api.register_device().await;
    let theirs = h.api.post_keyed("/v1/requests", Some(&other_device), &key, &alice()).await.ok(201);
    assert_ne!(theirs["request_id"], first.body["request_id"]);
}

#[tokio::test]
async fn a_refused_call_can_be_retried_with_the_same_key_after_fixing_the_cause() {
    let h = start().await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    let key = fresh_key();
    let submit = format!("/v1/requests/{id}/submit");
    assert_eq!(h.api.post_keyed(&submit, Some(&device), &key, &json!({})).await.code(), "CONSENT_REQUIRED");
    h.api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
    assert_eq!(h.api.post_keyed(&submit, Some(&device), &key, &json!({})).await.code(), "SELFIE_REQUIRED");
}

#[tokio::test]
async fn secrets_are_never_replayed_and_retries_make_no_second_tap() {
    let h = start().await;
    let key = fresh_key();
    let body = json!({ "platform": "ios" });
    let first = h.api.post_keyed("/v1/devices", None, &key, &body).await.ok(201);
    let again = h.api.post_keyed("/v1/devices", None, &key, &body).await;
    assert!(first["device_secret"].is_string());
    // Nothing of a registration is kept for replay: anyone could send the same key and body.
    // Without a secret of its own the retry is a new device, with a secret of its own.
    assert!(!again.replayed);
    assert_ne!(again.body["device_id"], first["device_id"]);
    assert!(again.body["device_secret"].is_string() && again.body["device_secret"] != first["device_secret"]);
    assert_eq!(h.service.count_rows("devices").expect("count"), 2);
    assert_eq!(h.service.count_rows("idempotency").expect("count"), 0, "no answer kept for a caller without credentials");

    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    approve(&h, &id).await;
    let tap_key = fresh_key();
    let path = format!("/v1/requests/{id}/tap");
    let created = h.api.post_keyed(&path, Some(&device), &tap_key, &json!({})).await.ok(201);
    let retried = h.api.post_keyed(&path, Some(&device), &tap_key, &json!({})).await.ok(201);
    assert!(created["temporaryAccessPass"].is_string());
    assert!(retried["temporaryAccessPass"].is_null(), "the code is returned exactly once");
    assert_eq!(retried["id"], created["id"], "no second TAP replaced the first");
    let stored = h.api.get(&path, Some(&device)).await.ok(200);
    assert_eq!(stored["id"], created["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_retries_with_one_key_create_one_request() {
    let h = start().await;
    let device = h.api.register_device().await;
    let key = fresh_key();
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let (api, device, key) = (h.api.clone(), device.clone(), key.clone());
            tokio::spawn(async move { api.post_keyed("/v1/requests", Some(&device), &key, &alice()).await })
        })
        .collect();
    let mut created_ids = std::collections::BTreeSet::new();
    for attempt in attempts {
        let answer = attempt.await.expect("task");
        match answer.status.as_u16() {
            201 => {
                created_ids.insert(answer.body["request_id"].as_str().expect("id").to_owned());
            }
            409 => assert_eq!(answer.code(), "IDEMPOTENCY_KEY_IN_USE"),
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!(created_ids.len(), 1, "every success names the same request");
    assert_eq!(h.service.count_rows("requests").expect("count"), 1);
    assert!(h.service.count_rows("idempotency").expect("count") > 0, "a device's calls are kept for replay");
}

#[tokio::test]
async fn a_registration_sent_with_made_up_credentials_keeps_no_answer_for_another_to_replay() {
    let h = start().await;
    let key = fresh_key();
    let body = json!({ "platform": "ios" });
    // Registration checks no credentials, so a header anyone can make up scoped nothing: the
    // second caller was replayed the first one's device id and the secret the service made.
    let register = || {
        h.api
            .http
            .post(format!("{}/v1/devices", h.api.base))
            .bearer_auth("made-up")
            .header("Idempotency-Key", key.as_str())
            .json(&body)
            .send()
    };
    let first = register().await.expect("answered");
    let second = register().await.expect("answered");
    assert!(!second.headers().contains_key("idempotent-replayed"));
    let (first, second): (serde_json::Value, serde_json::Value) = (first.json().await.expect("json"), second.json().await.expect("json"));
    assert!(first["device_secret"].is_string() && second["device_secret"].is_string());
    assert_ne!(first["device_id"], second["device_id"], "each caller has a device of its own");
    assert_ne!(first["device_secret"], second["device_secret"]);
    assert_eq!(h.service.count_rows("idempotency").expect("count"), 0, "no answer kept under a made-up credential");
}

#[tokio::test]
async fn a_device_that_brings_its_own_secret_loses_nothing_when_the_answer_is_lost() {
    let h = start().await;
    let key = fresh_key();
    let secret = "ab".repeat(32);
    let body = json!({ "platform": "android_china", "device_secret": secret });
    let first = h.api.post_keyed("/v1/devices", None, &key, &body).await.ok(201);
    assert!(first["device_secret"].is_null(), "a secret the device chose is never sent back");
    // The first answer was lost: the retry gets the same id, and the device's secret works.
    let replay = h.api.post_keyed("/v1/devices", None, &key, &body).await.ok(201);
    assert_eq!(replay["device_id"], first["device_id"]);
    assert_eq!(h.service.count_rows("devices").expect("count"), 1);
    let bearer = format!("{}.{secret}", first["device_id"].as_str().expect("id"));
    alice_submitted(&h.api, &bearer).await;
    let bad = h.api.post("/v1/devices", None, &json!({ "platform": "ios", "device_secret": secret })).await;
    assert_eq!(bad.code(), "DEVICE_ALREADY_REGISTERED", "the same secret as another registration");
    let bad = h.api.post("/v1/devices", None, &json!({ "platform": "ios", "device_secret": "short" })).await;
    assert_eq!(bad.code(), "DEVICE_SECRET_INVALID");
}
