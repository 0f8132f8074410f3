//! A hostile phone: a raw HTTP client (not the app's runtime) with a genuine device
//! registration tries every forgery a modified app could send, including presenting a
//! Verified ID copied from another phone. Each is refused with a clear
//! error, and the database is exactly as it was: no table gained or lost a row and no request
//! moved (its `version` counts every change).

mod common;

use common::*;
use serde_json::{Value, json};

const TABLES: &[&str] = &[
    "devices",
    "requests",
    "selfies",
    "liveness_captures",
    "liveness_challenges",
    "liveness_frame_digests",
    "partner_sessions",
    "partner_events",
    "verified_ids",
    "taps",
    "tap_issuances",
    "passkeys",
    "presentation_nonces",
];

/// Every table's row count and the requests as their devices see them.
async fn database(h: &Harness, requests: &[(&str, &str)]) -> Vec<Value> {
    let mut state: Vec<Value> = TABLES.iter().map(|t| json!({ *t: h.service.count_rows(t).expect("count") })).collect();
    for (device, id) in requests {
        let mut view = h.api.get(&format!("/v1/requests/{id}"), Some(device)).await.ok(200);
        view["server_time"] = Value::Null;
        state.push(view);
    }
    state
}

#[track_caller]
fn refused(answer: &Answer, status: u16, code: &str) {
    assert_eq!((answer.status.as_u16(), answer.code()), (status, code), "{}", answer.body);
}

#[tokio::test]
async fn every_forgery_is_refused_and_changes_nothing() {
    let h = start().await;
    let api = &h.api;
    // The attacker's own request (dave@, passkey path, so a government ID is needed) and a
    // victim's request on another device (alice@, approved).
    let KeyedDevice { auth: attacker, key: attacker_key } = api.register_keyed_device().await;
    let dave = api.post("/v1/requests", Some(&attacker), &dave_identity()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    api.post(&format!("/v1/requests/{dave}/consent"), Some(&attacker), &consent_body()).await.ok(200);
    let victim = api.register_device().await;
    let alice = alice_submitted(api, &victim).await;
    let p = |suffix: &str| format!("/v1/requests/{dave}{suffix}");
    // A judged liveness challenge whose frames the attacker kept.
    let first_challenge = liveness_challenge(api, &attacker, &dave).await;
    let kept_frames = approach_frames();
    api.post(&p("/liveness"), Some(&attacker), &json!({ "challenge_id": first_challenge, "frames": kept_frames })).await.ok(200);
    let second_challenge = liveness_challenge(api, &attacker, &dave).await;
    let victims_draft =
        api.post("/v1/requests", Some(&victim), &common::alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    let victims_challenge = liveness_challenge(api, &victim, &victims_draft).await;
    approve(&h, &alice).await;
    let attackers_nonce = api.presentation_nonce(&attacker).await;
    let before = database(&h, &[(&attacker, &dave), (&victim, &alice)]).await;

    // 1. A self-declared government-ID verdict: no endpoint takes one from the phone, and the
    //    partner's callback needs the partner's signature.
    refused(&api.post(&p("/government-id"), Some(&attacker), &json!({ "result": "verified" })).await, 405, "METHOD_NOT_ALLOWED");
    let forged_callback =
        api.post("/v1/partner/callback", Some(&attacker), &json!({ "event_id": "e", "session_id": "s", "result": "verified" })).await;
    refused(&forged_callback, 401, "PARTNER_SIGNATURE_INVALID");

    // 2. A self-declared liveness: a result without frames is no result.
    refused(&api.post(&p("/liveness"), Some(&attacker), &json!({ "result": "passed" })).await, 400, "INVALID_JSON");
    let empty = json!({ "challenge_id": second_challenge, "frames": [] });
    refused(&api.post(&p("/liveness"), Some(&attacker), &empty).await, 400, "LIVENESS_FRAMES_REQUIRED");

    // 3. Frames from another challenge, for a used challenge, for another request's challenge.
    let replayed = json!({ "challenge_id": second_challenge, "frames": kept_frames });
    refused(&api.post(&p("/liveness"), Some(&attacker), &replayed).await, 409, "LIVENESS_FRAMES_REUSED");
    let used = json!({ "challenge_id": first_challenge, "frames": approach_frames() });
    refused(&api.post(&p("/liveness"), Some(&attacker), &used).await, 409, "LIVENESS_CHALLENGE_USED");
    let borrowed = json!({ "challenge_id": victims_challenge, "frames": approach_frames() });
    refused(&api.post(&p("/liveness"), Some(&attacker), &borrowed).await, 404, "LIVENESS_CHALLENGE_UNKNOWN");

    // 4. Somebody else's Verified ID (presented as the app would, with a key binding; without
    //    one, and from another phone, see the next test).
    let alices_vid =
        api.get(&format!("/v1/requests/{alice}/verified-id"), Some(&victim)).await.ok(200)["jws"].as_str().expect("jws").to_owned();
    let binding = key_binding(&attacker_key, &alices_vid, &attackers_nonce.0, &attackers_nonce.1, attackers_nonce.2);
    let mut posing = dave_identity();
    posing["verified_id"] = json!(alices_vid);
    refused(&api.post_presenting("/v1/requests", &attacker, &fresh_key(), &posing, &binding).await, 422, "VERIFIED_ID_INVALID");

    // 5. A TAP before approval, and another request's TAP, verdict, session or challenge (the
    //    victim's request is approved).
    refused(&api.post(&p("/tap"), Some(&attacker), &json!({})).await, 409, "REQUEST_NOT_APPROVED");
    let alices = |suffix: &str| format!("/v1/requests/{alice}{suffix}");
    refused(&api.post(&alices("/tap"), Some(&attacker), &json!({})).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.post(&alices("/tap"), Some(&attacker), &json!({ "replaceLost": true })).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.get(&alices("/tap"), Some(&attacker)).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.get(&alices("/verified-id"), Some(&attacker)).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.post(&alices("/government-id/session"), Some(&attacker), &json!({})).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.get(&alices("/government-id"), Some(&attacker)).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.post(&alices("/liveness/challenge"), Some(&attacker), &json!({})).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.post(&alices("/submit"), Some(&attacker), &json!({})).await, 404, "REQUEST_NOT_FOUND");
    refused(&api.get(&alices("/status?wait=0"), Some(&attacker)).await, 404, "REQUEST_NOT_FOUND");
    // A decompression bomb (a small file declaring 12000×12000) as a selfie: refused from its
    // header, and for another device's request before it is read at all.
    let bomb = declaring_jpeg(12_000, 12_000);
    refused(&api.post_bytes(&p("/selfie"), &attacker, "image/jpeg", bomb.clone()).await, 422, "IMAGE_DIMENSIONS_INVALID");
    refused(&api.post_bytes(&alices("/selfie"), &attacker, "image/jpeg", bomb).await, 404, "REQUEST_NOT_FOUND");

    assert_eq!(database(&h, &[(&attacker, &dave), (&victim, &alice)]).await, before, "a refused forgery changed the database");

    // 6. A second TAP for one approval: the victim's own device gets one TAP; a second is refused.
    let before_tap = database(&h, &[(&victim, &alice)]).await;
    let tap = api.post(&alices("/tap"), Some(&victim), &json!({})).await.ok(201);
    assert!(tap["temporaryAccessPass"].is_string());
    let with_tap = database(&h, &[(&victim, &alice)]).await;
    assert_ne!(with_tap, before_tap);
    refused(&api.post(&alices("/tap"), Some(&victim), &json!({})).await, 409, "TAP_ALREADY_ISSUED");
    assert_eq!(database(&h, &[(&victim, &alice)]).await, with_tap, "the refused second TAP changed nothing");
}

#[tokio::test]
async fn frames_after_the_challenge_expired_are_refused() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    let challenge = liveness_challenge(&h.api, &device, &id).await;
    h.clock.advance(120);
    let before = database(&h, &[(&device, &id)]).await;
    let late = h
        .api
        .post(&format!("/v1/requests/{id}/liveness"), Some(&device), &json!({ "challenge_id": challenge, "frames": approach_frames() }))
        .await;
    refused(&late, 410, "LIVENESS_CHALLENGE_EXPIRED");
    assert_eq!(database(&h, &[(&device, &id)]).await, before);
}

#[tokio::test]
async fn a_verified_id_works_only_on_the_phone_that_earned_it_once_per_nonce_and_until_revoked() {
    let h = start().await;
    let api = &h.api;
    // Alice's phone earned a Verified ID (bound to its device key); the attacker copied the JWS
    // and watched one of her presentations go by (the JWS and its key binding).
    let phone = api.register_keyed_device().await;
    let earned = alice_submitted(api, &phone.auth).await;
    approve(&h, &earned).await;
    let jws = api.get(&format!("/v1/requests/{earned}/verified-id"), phone.auth()).await.ok(200)["jws"].as_str().expect("jws").to_owned();
    let watched_binding = api.key_binding_for(&phone, &jws).await;
    let key = fresh_key();
    let mut with_vid = alice();
    with_vid["verified_id"] = json!(jws);
    let genuine = api.post_presenting("/v1/requests", &phone.auth, &key, &with_vid, &watched_binding).await.ok(201);
    assert_eq!(genuine["fast_path"], "eligible", "the phone that earned it takes the fast path");
    let fast = genuine["request_id"].as_str().expect("id").to_owned();
    api.post(&format!("/v1/requests/{fast}/consent"), phone.auth(), &consent_body()).await.ok(200);

    let attacker = api.register_keyed_device().await;
    let attackers_binding = api.key_binding_for(&attacker, &jws).await;
    let attackers_nonce = api.presentation_nonce(&attacker.auth).await;
    let phones_unused_nonce = api.presentation_nonce(&phone.auth).await;
    let before = database(&h, &[(&phone.auth, &earned), (&phone.auth, &fast)]).await;

    // 1. The copy as a bearer token, with no key binding at all.
    refused(&api.post("/v1/requests", attacker.auth(), &with_vid).await, 401, "PRESENTATION_PROOF_INVALID");
    // 2. The copy bound with the attacker's own key: not the key it was issued to.
    refused(
        &api.post_presenting("/v1/requests", &attacker.auth, &fresh_key(), &with_vid, &attackers_binding).await,
        403,
        "VERIFIED_ID_OTHER_DEVICE",
    );
    // 3. The watched presentation replayed from the attacker's phone.
    refused(
        &api.post_presenting("/v1/requests", &attacker.auth, &fresh_key(), &with_vid, &watched_binding).await,
        403,
        "VERIFIED_ID_OTHER_DEVICE",
    );
    // 4. The watched presentation replayed with Alice's stolen device secret too (but not her
    //    device key): its nonce is spent.
    refused(
        &api.post_presenting("/v1/requests", &phone.auth, &fresh_key(), &with_vid, &watched_binding).await,
        409,
        "PRESENTATION_NONCE_USED",
    );
    // 5. Alice's key over a nonce that was issued to another device.
    let (nonce, audience, at) = &attackers_nonce;
    let misdirected = key_binding(&phone.key, &jws, nonce, audience, *at);
    refused(
        &api.post_presenting("/v1/requests", &phone.auth, &fresh_key(), &with_vid, &misdirected).await,
        409,
        "PRESENTATION_NONCE_UNKNOWN",
    );
    // 6. A key binding for another credential, another audience, or edited after signing.
    let (nonce, audience, at) = &phones_unused_nonce;
    let other_credential = key_binding(&phone.key, "another.credential.jws", nonce, audience, *at);
    refused(
        &api.post_presenting("/v1/requests", &phone.auth, &fresh_key(), &with_vid, &other_credential).await,
        401,
        "PRESENTATION_PROOF_INVALID",
    );
    let other_audience = key_binding(&phone.key, &jws, nonce, "https://attacker.example", *at);
    refused(
        &api.post_presenting("/v1/requests", &phone.auth, &fresh_key(), &with_vid, &other_audience).await,
        401,
        "PRESENTATION_PROOF_INVALID",
    );
    let long_ago = key_binding(&phone.key, &jws, nonce, audience, at - 3600);
    refused(&api.post_presenting("/v1/requests", &phone.auth, &fresh_key(), &with_vid, &long_ago).await, 401, "PRESENTATION_PROOF_INVALID");
    // 7. The fast path still needs the service's own liveness verdict.
    refused(&api.post(&format!("/v1/requests/{fast}/submit"), phone.auth(), &json!({})).await, 409, "LIVENESS_REQUIRED");
    // 8. A device key registered with somebody else's proof.
    let stolen_proof = device_key_field(&phone.key);
    let mut claimed = device_key_field(&attacker.key);
    claimed["proof"] = stolen_proof["proof"].clone();
    refused(&api.post("/v1/devices", None, &json!({ "platform": "android", "device_key": claimed })).await, 400, "DEVICE_KEY_INVALID");
    assert_eq!(database(&h, &[(&phone.auth, &earned), (&phone.auth, &fast)]).await, before, "a refused presentation changed the database");

    // 9. A nonce past its 120 seconds.
    h.clock.advance(121);
    let (nonce, audience, at) = &phones_unused_nonce;
    let late = key_binding(&phone.key, &jws, nonce, audience, *at);
    refused(&api.post_presenting("/v1/requests", &phone.auth, &fresh_key(), &with_vid, &late).await, 409, "PRESENTATION_NONCE_EXPIRED");

    // Whether Alice holds a Verified ID is told to her phone only, not to one that claims her.
    let claimed = api.post("/v1/requests", attacker.auth(), &alice()).await.ok(201);
    assert!(claimed["verified_id_issued_at"].is_null(), "{claimed}");
    let hers = api.post("/v1/requests", phone.auth(), &alice()).await.ok(201);
    assert_eq!(hers["verified_id_issued_at"], "2026-11-21T09:00:15Z", "issued on approval");

    // 10. Revoked (a reviewer reports the phone lost): even the phone that earned it is refused,
    //     and the service no longer tells the phone it holds one.
    let revoked = api
        .post(
            "/v1/review/verified-ids/revocation",
            api.reviewer(),
            &json!({ "upn": "ALICE@contoso.example", "reason": "phone reported lost" }),
        )
        .await
        .ok(200);
    assert_eq!(revoked["revoked"], 1);
    refused(&api.create_presenting(&phone, &alice(), &jws).await, 403, "VERIFIED_ID_REVOKED");
    let plain = api.post("/v1/requests", phone.auth(), &alice()).await.ok(201);
    assert!(plain["verified_id_issued_at"].is_null(), "a revoked credential opens nothing: {plain}");
    refused(
        &api.post("/v1/review/verified-ids/revocation", phone.auth(), &json!({ "upn": "alice@contoso.example", "reason": "x" })).await,
        401,
        "REVIEWER_AUTH_INVALID",
    );
}

/// Counts face analyses in flight (each takes a while, like a large selfie's search) and the
/// most seen at once.
#[derive(Default)]
struct CountingFaceCheck {
    running: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
}

impl identity_pass_service::FaceCheck for CountingFaceCheck {
    fn count_faces(&self, _image: &image::DynamicImage) -> Result<usize, identity_pass_service::FaceCheckFailed> {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(150));
        self.running.fetch_sub(1, SeqCst);
        self.done.fetch_add(1, SeqCst);
        Ok(1)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_uploads_is_analysed_at_most_one_per_core_at_a_time_and_every_one_is_answered() {
    let clock = std::sync::Arc::new(identity_pass_service::ManualClock::new(START));
    let pushes = std::sync::Arc::new(identity_pass_service::RecordingPushSender::default());
    let faces = std::sync::Arc::new(CountingFaceCheck::default());
    let config = identity_pass_service::ServiceConfig { face_check: faces.clone(), ..config(clock.clone(), pushes.clone(), None) };
    let h = start_with(config, clock, pushes).await;
    let mut uploads = Vec::new();
    for _ in 0..12 {
        let device = h.api.register_device().await;
        let id = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
        h.api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
        let api = h.api.clone();
        uploads.push(async move { api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await });
    }
    let answers: Vec<_> = all_at_once(uploads).await;
    assert!(answers.iter().all(|a| a.status.as_u16() == 200), "every upload is answered");
    let bound = std::thread::available_parallelism().map_or(2, usize::from);
    let most = faces.most.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(faces.done.load(std::sync::atomic::Ordering::SeqCst), 12);
    assert!(most <= bound, "{most} analyses at once on {bound} cores");
}
