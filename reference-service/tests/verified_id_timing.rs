//! Verified ID in the order of seed 001: the government ID's `verified` issues it (before the
//! review), the device presents it back after the liveness check, and submission waits for that
//! presentation. On the TAP paths it is still issued on approval, and presenting it opens the
//! 30-day fast path on a new request (the core flow's `FetchTap { fast_path: true }`).

mod common;

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use identity_pass_service::{ManualClock, RecordingPushSender};
use serde_json::{Value, json};

const DAY: i64 = 24 * 3600;

fn claims_of(jws: &str) -> Value {
    let payload = jws.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("claims JSON")
}

/// Checks the signature with the published JWK, as the core does offline.
async fn verifies_with_published_key(api: &Api, jws: &str) -> bool {
    let jwk = api.get("/v1/.well-known/verified-id-key", None).await.ok(200);
    let key = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().expect("x")).expect("key");
    identity_pass_service::verified_id::verify(jws, &key).is_some()
}

#[tokio::test]
async fn the_passkey_path_gets_its_verified_id_after_the_government_id_and_presents_it_before_review() {
    let h = start().await;
    let device = h.api.register_keyed_device().await;
    let auth = device.auth();
    let created = h.api.post("/v1/requests", auth, &dave_identity()).await.ok(201);
    assert_eq!(created["path"], "get_passkey");
    let id = created["request_id"].as_str().expect("id").to_owned();
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");

    assert_eq!(h.api.get(&p("/verified-id"), auth).await.code(), "VERIFIED_ID_NOT_ISSUED");
    let early = h.api.present(&device, &id, "a.b.c").await;
    assert_eq!((early.status.as_u16(), early.code()), (409, "GOVERNMENT_ID_NOT_VERIFIED"));

    // The partner verifies (its signed callback, not the phone): the Verified ID exists now,
    // before any review.
    let key = fresh_key();
    let first = h.api.post_keyed(&p("/government-id/session"), auth, &key, &json!({})).await.ok(200);
    let retried = h.api.post_keyed(&p("/government-id/session"), auth, &key, &json!({})).await;
    assert!(retried.replayed && retried.body == first, "a retried open is the same session");
    let again = h.api.post(&p("/government-id/session"), auth, &json!({})).await.ok(200);
    assert_eq!(again["session_id"], first["session_id"], "an open session is reused");
    assert_eq!(h.api.get(&p("/government-id"), auth).await.ok(200)["status"], "pending");
    let handoff = first["handoff_url"].as_str().expect("hand-off");
    submit_partner_page(handoff, &fixture_jpeg("id_document_856x540"), &face_jpeg()).await.ok(200);
    assert_eq!(h.api.get(&p("/government-id"), auth).await.ok(200)["status"], "verified");
    let resubmitted = submit_partner_page(handoff, &fixture_jpeg("id_document_856x540"), &face_jpeg()).await;
    assert_eq!((resubmitted.status.as_u16(), resubmitted.code()), (409, "SESSION_COMPLETED"));
    assert_eq!(h.service.count_rows("verified_ids").expect("count"), 1, "one Verified ID however often it is sent");
    let reopened = h.api.post(&p("/government-id/session"), auth, &json!({})).await;
    assert_eq!((reopened.status.as_u16(), reopened.code()), (409, "GOVERNMENT_ID_ALREADY_VERIFIED"));
    let claimed = h.api.post(&p("/government-id"), auth, &json!({ "result": "rejected", "reason": "LATE" })).await;
    assert_eq!((claimed.status.as_u16(), claimed.code()), (405, "METHOD_NOT_ALLOWED"), "the phone has no verdict to give");

    let vid = h.api.get(&p("/verified-id"), auth).await.ok(200);
    let jws = vid["jws"].as_str().expect("jws").to_owned();
    let claims = claims_of(&jws);
    assert_eq!(claims["sub"], "dave@contoso.example");
    assert_eq!(claims["iat"], json!(START));
    assert_eq!(claims["exp"], json!(START + 30 * DAY));
    assert_eq!((vid["issued_at"].as_str(), vid["expires_at"].as_str()), (Some("2026-11-21T09:00:00Z"), Some("2026-12-21T09:00:00Z")));
    assert!(verifies_with_published_key(&h.api, &jws).await);

    // Seed 001: add to Authenticator, liveness, present, then review.
    h.clock.advance(120);
    pass_liveness(&h.api, &device.auth, &id).await;
    let not_presented = h.api.post(&p("/submit"), auth, &json!({})).await;
    assert_eq!((not_presented.status.as_u16(), not_presented.code()), (409, "VERIFIED_ID_NOT_PRESENTED"));

    let forged = format!("{}x", &jws[..jws.len() - 1]);
    let refused = h.api.present(&device, &id, &forged).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "VERIFIED_ID_INVALID"));
    // The credential alone, as a bearer token, is no longer a presentation.
    let bearer = h.api.post(&p("/verified-id/presentation"), auth, &json!({ "jws": jws })).await;
    assert_eq!((bearer.status.as_u16(), bearer.code()), (401, "PRESENTATION_PROOF_INVALID"));
    let alice_device = h.api.register_device().await;
    let alice_id = alice_submitted(&h.api, &alice_device).await;
    approve(&h, &alice_id).await;
    let alice_vid = h.api.get(&format!("/v1/requests/{alice_id}/verified-id"), Some(&alice_device)).await.ok(200);
    let not_his = h.api.present(&device, &id, alice_vid["jws"].as_str().expect("jws")).await;
    assert_eq!(not_his.code(), "VERIFIED_ID_INVALID", "the subject must be the request's UPN");
    assert!(h.api.get(&p(""), auth).await.ok(200)["verified_id_presented_at"].is_null());

    let presentation_key = fresh_key();
    let body = json!({ "jws": jws });
    let binding = h.api.key_binding_for(&device, &jws).await;
    let presented = h.api.post_presenting(&p("/verified-id/presentation"), &device.auth, &presentation_key, &body, &binding).await;
    assert_eq!(presented.status.as_u16(), 200, "{}", presented.body);
    assert_eq!(presented.body["verified_id_presented_at"], "2026-11-21T09:02:15Z");
    assert_eq!(presented.body["fast_path"], false, "the passkey path always has its review");
    // A resend after a lost answer carries a new key binding (a fresh nonce) and the same body:
    // the first answer comes back.
    let rebound = h.api.key_binding_for(&device, &jws).await;
    assert!(h.api.post_presenting(&p("/verified-id/presentation"), &device.auth, &presentation_key, &body, &rebound).await.replayed);

    let submitted = h.api.post(&p("/submit"), auth, &json!({})).await.ok(200);
    assert_eq!(submitted["state"], "waiting_for_reviewer");
    approve(&h, &id).await;
    let after = h.api.get(&p("/verified-id"), auth).await.ok(200);
    assert_eq!(after["jws"], vid["jws"], "approval issues no second Verified ID on the passkey path");
    h.api.post(&p("/passkey/options"), auth, &json!({})).await.ok(200);
}

#[tokio::test]
async fn an_expired_verified_id_cannot_be_presented() {
    let h = start().await;
    let device = h.api.register_keyed_device().await;
    let auth = device.auth();
    let created = h.api.post("/v1/requests", auth, &dave_identity()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    verify_government_id(&h.api, &device.auth, id).await;
    let jws = h.api.get(&format!("/v1/requests/{id}/verified-id"), auth).await.ok(200)["jws"].as_str().expect("jws").to_owned();
    h.clock.advance(30 * DAY);
    let stale = h.api.present(&device, id, &jws).await;
    assert_eq!((stale.status.as_u16(), stale.code()), (422, "VERIFIED_ID_EXPIRED"));
}

#[tokio::test]
async fn on_the_tap_path_a_presented_verified_id_opens_the_fast_path_and_survives_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("service.sqlite3");
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    let first = start_with(config(clock.clone(), pushes.clone(), Some(db.clone())), clock.clone(), pushes.clone()).await;
    let device = first.api.register_keyed_device().await;
    let auth = device.auth();
    let earlier = alice_submitted(&first.api, &device.auth).await;
    let before_approval = first.api.get(&format!("/v1/requests/{earlier}/verified-id"), auth).await;
    assert_eq!(before_approval.code(), "VERIFIED_ID_NOT_ISSUED", "TAP path: issued on approval, as before");
    first.clock.advance(60);
    approve(&first, &earlier).await;
    let jws = first.api.get(&format!("/v1/requests/{earlier}/verified-id"), auth).await.ok(200)["jws"].as_str().expect("jws").to_owned();

    // Ten days later the TAP is lost: the flow learns of the Verified ID from the identity
    // answer and asks for a TAP through the fast path.
    clock.advance(10 * DAY);
    let created = first.api.post("/v1/requests", auth, &alice()).await.ok(201);
    assert_eq!(created["fast_path"], "not_eligible", "nothing presented yet");
    assert_eq!(created["verified_id_issued_at"], "2026-11-21T09:01:15Z");
    let id = created["request_id"].as_str().expect("id").to_owned();
    let key = fresh_key();
    let presentation = json!({ "jws": jws });
    let path = format!("/v1/requests/{id}/verified-id/presentation");
    let binding = first.api.key_binding_for(&device, &jws).await;
    let presented = first.api.post_presenting(&path, &device.auth, &key, &presentation, &binding).await;
    assert_eq!(presented.status.as_u16(), 200, "{}", presented.body);
    assert_eq!(presented.body["fast_path"], true);
    first.service.shutdown().await;

    let second = start_with(config(clock.clone(), pushes.clone(), Some(db)), clock, pushes).await;
    let replay = second.api.post_presenting(&path, &device.auth, &key, &presentation, &binding).await;
    assert!(replay.replayed && replay.body == presented.body);
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");
    second.api.post(&p("/consent"), auth, &consent_body()).await.ok(200);
    pass_liveness(&second.api, &device.auth, &id).await;
    let submitted = second.api.post(&p("/submit"), auth, &json!({})).await.ok(200);
    assert_eq!(submitted["state"], "approved", "liveness only, no call");
    second.api.post(&p("/tap"), auth, &json!({})).await.ok(201);
    second.service.shutdown().await;
}

#[tokio::test]
async fn the_status_carries_what_the_flows_review_events_need() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    let status = h.api.get(&format!("/v1/requests/{id}/status"), Some(&device)).await.ok(200);
    assert_eq!(status["submitted_at"], "2026-11-21T09:00:00Z");
    assert!(status["joined_at"].is_null());
    h.api.review(&id, "call", &json!({})).await.ok(200);
    h.clock.advance(5);
    h.api.review(&id, "join", &json!({})).await.ok(200);
    let in_call = h.api.get(&format!("/v1/requests/{id}/status"), Some(&device)).await.ok(200);
    assert_eq!((in_call["state"].as_str(), in_call["joined_at"].as_str()), (Some("in_call"), Some("2026-11-21T09:00:05Z")));
}
