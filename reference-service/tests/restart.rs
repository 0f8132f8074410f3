//! The database survives a restart in the middle of a flow.

mod common;

use std::sync::Arc;

use common::*;
use identity_pass_service::{ManualClock, RecordingPushSender};
use serde_json::json;

#[tokio::test]
async fn stopping_and_restarting_mid_flow_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("service.sqlite3");
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());

    let first = start_with(config(clock.clone(), pushes.clone(), Some(db.clone())), clock.clone(), pushes.clone()).await;
    let device = first.api.register_device().await;
    let id = alice_submitted(&first.api, &device).await;
    first.api.review(&id, "call", &json!({})).await.ok(200);
    let key_before = first.api.get("/v1/.well-known/verified-id-key", None).await.ok(200);
    let idempotency_key = fresh_key();
    first.api.post_keyed(&format!("/v1/review/requests/{id}/join"), first.api.reviewer(), &idempotency_key, &json!({})).await.ok(200);
    first.service.shutdown().await;

    let second = start_with(config(clock.clone(), pushes.clone(), Some(db)), clock.clone(), pushes).await;
    let view = second.api.get(&format!("/v1/requests/{id}"), Some(&device)).await.ok(200);
    assert_eq!(view["state"], "in_call", "state and the device's credentials survived");
    assert_eq!(view["selfie_uploaded"], true);
    let replay = second.api.post_keyed(&format!("/v1/review/requests/{id}/join"), first.api.reviewer(), &idempotency_key, &json!({})).await;
    assert!(replay.replayed, "stored idempotent answers survive too");
    clock.advance(20);
    second.api.review(&id, "decision", &json!({ "decision": "approve" })).await.ok(200);
    let tap = second.api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await.ok(201);
    assert_eq!(tap["methodUsabilityReason"], "EnabledByPolicy");
    let key_after = second.api.get("/v1/.well-known/verified-id-key", None).await.ok(200);
    assert_eq!(key_before, key_after, "the Verified ID signing key is persistent");
    second.service.shutdown().await;
}
