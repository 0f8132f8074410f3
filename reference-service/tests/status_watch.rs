//! Status long-poll and push tokens.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn a_long_poll_answers_when_the_reviewer_acts() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    let now = h.api.get(&format!("/v1/requests/{id}/status?wait=0"), Some(&device)).await.ok(200);
    assert_eq!(now["state"], "waiting_for_reviewer");
    assert_eq!(now["deadline"], "2026-11-22T09:00:00Z");
    let version = now["version"].as_i64().expect("version");

    // Already behind: answers at once.
    let stale = h.api.get(&format!("/v1/requests/{id}/status?wait=30&after_version={}", version - 1), Some(&device)).await.ok(200);
    assert_eq!(stale["version"], version);

    let api = h.api.clone();
    let (poll_device, poll_id) = (device.clone(), id.clone());
    let poll = tokio::spawn(async move {
        api.get(&format!("/v1/requests/{poll_id}/status?wait=30&after_version={version}"), Some(&poll_device)).await
    });
    // Let the poll reach the server before acting; its answer must reflect the change either way.
    tokio::task::yield_now().await;
    h.api.review(&id, "call", &json!({})).await.ok(200);
    let answered = poll.await.expect("poll task").ok(200);
    assert_eq!(answered["state"], "call_invited");
    assert!(answered["call_id"].as_str().expect("call id").starts_with("call_"));
    assert!(answered["version"].as_i64().expect("version") > version);
}

#[tokio::test]
async fn pushes_go_to_the_registered_token() {
    let h = start().await;
    let device = h.api.register_device().await;
    let bad = h.api.post("/v1/devices/push-token", Some(&device), &json!({ "kind": "sms", "token": "x" })).await;
    assert_eq!(bad.code(), "PUSH_KIND_INVALID");
    h.api.post("/v1/devices/push-token", Some(&device), &json!({ "kind": "fcm", "token": "old-token" })).await.ok(200);
    h.api.post("/v1/devices/push-token", Some(&device), &json!({ "kind": "apns", "token": "apns-token-1" })).await.ok(200);
    assert_eq!(h.service.count_rows("push_tokens").expect("count"), 1, "a new token replaces the old");

    let id = alice_submitted(&h.api, &device).await;
    approve(&h, &id).await;
    let sent = h.pushes.sent();
    let events: Vec<&str> = sent.iter().map(|(_, m)| m.event.as_str()).collect();
    assert_eq!(events, ["call_invited", "approved"]);
    assert!(sent.iter().all(|(t, m)| t.kind == "apns" && t.token == "apns-token-1" && m.request_id == id));

    // A device without a token gets no push, and nothing fails.
    let silent = h.api.register_device().await;
    let other = alice_submitted(&h.api, &silent).await;
    h.api.review(&other, "call", &json!({})).await.ok(200);
    assert_eq!(h.pushes.sent().len(), 2);
}
