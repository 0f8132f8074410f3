//! The "Get TAP" flow end to end, with Entra's TAP semantics and the Verified ID.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use serde_json::json;

#[tokio::test]
async fn get_tap_flow_from_identity_to_a_used_tap() {
    let h = start().await;
    let api = &h.api;
    let device = api.register_device().await;

    let created = api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    assert_eq!(created["path"], "get_tap");
    assert_eq!(created["flags"], json!({ "liveness_prompt": true, "verified_id": true }));
    assert_eq!(created["fast_path"], "not_eligible");
    assert_eq!(created["server_time"], "2026-11-21T09:00:00Z");
    let id = created["request_id"].as_str().expect("id").to_owned();

    // Submitting before the steps are done is refused and changes nothing.
    let early = api.post(&format!("/v1/requests/{id}/submit"), Some(&device), &json!({})).await;
    assert_eq!((early.status.as_u16(), early.code()), (409, "CONSENT_REQUIRED"));
    api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
    let no_selfie = api.post(&format!("/v1/requests/{id}/submit"), Some(&device), &json!({})).await;
    assert_eq!(no_selfie.code(), "SELFIE_REQUIRED");
    api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await.ok(200);
    let no_liveness = api.post(&format!("/v1/requests/{id}/submit"), Some(&device), &json!({})).await;
    assert_eq!(no_liveness.code(), "LIVENESS_REQUIRED");
    pass_liveness(api, &device, &id).await;
    let submitted = api.post(&format!("/v1/requests/{id}/submit"), Some(&device), &json!({})).await.ok(200);
    assert_eq!(submitted["state"], "waiting_for_reviewer");
    assert_eq!(submitted["deadline"], "2026-11-22T09:00:00Z");

    // No TAP before approval.
    let too_soon = api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await;
    assert_eq!((too_soon.status.as_u16(), too_soon.code()), (409, "REQUEST_NOT_APPROVED"));

    let queue = api.get("/v1/review/requests", api.reviewer()).await.ok(200);
    assert_eq!(queue["requests"][0]["request_id"], id.as_str());
    api.review(&id, "call", &json!({})).await.ok(200);
    api.review(&id, "join", &json!({})).await.ok(200);
    h.clock.advance(14);
    let short = api.review(&id, "decision", &json!({ "decision": "approve" })).await;
    assert_eq!((short.status.as_u16(), short.code()), (409, "CALL_TOO_SHORT"));
    h.clock.advance(1);
    let approved = api.review(&id, "decision", &json!({ "decision": "approve" })).await.ok(200);
    assert_eq!(approved["state"], "approved");

    // The Verified ID verifies offline against the published key.
    let key = api.get("/v1/.well-known/verified-id-key", None).await.ok(200);
    let public_key = URL_SAFE_NO_PAD.decode(key["x"].as_str().expect("x")).expect("b64");
    let vid = api.get(&format!("/v1/requests/{id}/verified-id"), Some(&device)).await.ok(200);
    let claims = identity_pass_service::verified_id::verify(vid["jws"].as_str().expect("jws"), &public_key).expect("verifies");
    assert_eq!(claims["sub"], "alice@contoso.example");
    assert_eq!(claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"), 30 * 24 * 3600);

    // The TAP: 30 minutes, one-time, code shown exactly once.
    let tap = api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await.ok(201);
    let code = tap["temporaryAccessPass"].as_str().expect("code shown on creation").to_owned();
    assert_eq!(code.len(), 8);
    assert_eq!(tap["lifetimeInMinutes"], 30);
    assert_eq!(tap["isUsableOnce"], true);
    assert_eq!(tap["isUsable"], true);
    assert_eq!(tap["methodUsabilityReason"], "EnabledByPolicy");
    let read = api.get(&format!("/v1/requests/{id}/tap"), Some(&device)).await.ok(200);
    assert!(read["temporaryAccessPass"].is_null());
    assert_eq!(read["id"], tap["id"]);

    let wrong = api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": "WRONGONE" })).await;
    assert_eq!((wrong.status.as_u16(), wrong.code()), (401, "TAP_SIGN_IN_REFUSED"));
    api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": code })).await.ok(200);
    let used = api.get(&format!("/v1/requests/{id}/tap"), Some(&device)).await.ok(200);
    assert_eq!((used["isUsable"].clone(), used["methodUsabilityReason"].clone()), (json!(false), json!("OneTimeUsed")));
    let again = api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": code })).await;
    assert_eq!(again.status.as_u16(), 401);

    // One TAP per approval: neither another one nor a "replacement" of one used to sign in.
    let second = api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await;
    assert_eq!((second.status.as_u16(), second.code()), (409, "TAP_ALREADY_ISSUED"));
    let not_lost = api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({ "replaceLost": true })).await;
    assert_eq!((not_lost.status.as_u16(), not_lost.code()), (409, "TAP_ALREADY_ISSUED"));
    assert_eq!(h.service.count_rows("tap_issuances").expect("count"), 1);
}

#[tokio::test]
async fn a_lost_tap_is_replaced_a_few_times_and_the_unseen_one_is_revoked() {
    let h = start().await;
    let api = &h.api;
    let device = api.register_device().await;
    let id = alice_submitted(api, &device).await;
    approve(&h, &id).await;
    let path = format!("/v1/requests/{id}/tap");
    let first = api.post(&path, Some(&device), &json!({})).await.ok(201);
    let unseen = first["temporaryAccessPass"].as_str().expect("code").to_owned();

    // The answer never reached the user: a replacement, which revokes the unseen code.
    let replaced = api.post(&path, Some(&device), &json!({ "replaceLost": true, "lifetimeInMinutes": 60 })).await.ok(201);
    assert_ne!(replaced["id"], first["id"]);
    assert_eq!(h.service.count_rows("taps").expect("count"), 1);
    let revoked = api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": unseen })).await;
    assert_eq!(revoked.status.as_u16(), 401);
    let too_soon = api.post(&path, Some(&device), &json!({ "replaceLost": true })).await;
    assert_eq!((too_soon.status.as_u16(), too_soon.code()), (429, "TAP_REPLACEMENT_TOO_SOON"));
    for _ in 0..2 {
        h.clock.advance(60);
        api.post(&path, Some(&device), &json!({ "replaceLost": true })).await.ok(201);
    }
    h.clock.advance(3600);
    let limit = api.post(&path, Some(&device), &json!({ "replaceLost": true })).await;
    assert_eq!((limit.status.as_u16(), limit.code()), (429, "TAP_REPLACEMENT_LIMIT"));
    assert_eq!(h.service.count_rows("tap_issuances").expect("count"), 4, "each issuance is recorded");
    let expired = api.get(&path, Some(&device)).await.ok(200);
    assert_eq!(expired["methodUsabilityReason"], "Expired", "the last replacement ran out too");
}

#[tokio::test]
async fn tap_lifetime_and_start_follow_the_policy() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    approve(&h, &id).await;
    let path = format!("/v1/requests/{id}/tap");
    for lifetime in [9, 481] {
        let refused = h.api.post(&path, Some(&device), &json!({ "lifetimeInMinutes": lifetime })).await;
        assert_eq!((refused.status.as_u16(), refused.code()), (400, "TAP_LIFETIME_OUT_OF_RANGE"));
    }
    let multi = h.api.post(&path, Some(&device), &json!({ "isUsableOnce": false })).await;
    assert_eq!(multi.code(), "TAP_MULTI_USE_NOT_ALLOWED");
    let unknown = h.api.post(&path, Some(&device), &json!({ "lifetime": 30 })).await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (400, "INVALID_JSON"));
    assert_eq!(h.service.count_rows("taps").expect("count"), 0, "refusals create nothing");

    let later = h.api.post(&path, Some(&device), &json!({ "startDateTime": "2026-11-21T10:00:00Z", "replaceLost": true })).await.ok(201);
    assert_eq!(later["isUsable"], false);
    assert_eq!(later["methodUsabilityReason"], "NotYetValid");
    h.clock.advance(3600);
    let now_valid = h.api.get(&path, Some(&device)).await.ok(200);
    assert_eq!(now_valid["methodUsabilityReason"], "EnabledByPolicy");
}

#[tokio::test]
async fn users_outside_the_policy_scope_get_no_tap() {
    let h = start().await;
    let device = h.api.register_device().await;
    let created = h
        .api
        .post("/v1/requests", Some(&device), &json!({ "upn": "henry@contoso.example", "employee_id": "E1005", "staff_kind": "employee" }))
        .await
        .ok(201);
    let id = created["request_id"].as_str().expect("id").to_owned();
    h.api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
    h.api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await.ok(200);
    h.api.post(&format!("/v1/requests/{id}/submit"), Some(&device), &json!({})).await.ok(200);
    approve(&h, &id).await;
    let refused = h.api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (403, "TAP_USER_NOT_IN_SCOPE"));
}
