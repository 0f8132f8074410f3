//! Device isolation, reviewer/device separation, and the error contract for bad input.

mod common;

use std::sync::Arc;

use base64::Engine;
use common::*;
use identity_pass_service::{FaceCheck, FaceCheckFailed, ManualClock, RecordingPushSender};
use serde_json::json;

#[tokio::test]
async fn a_device_cannot_read_or_change_another_devices_request() {
    let h = start().await;
    let owner = h.api.register_device().await;
    let intruder = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&owner), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");

    let read = h.api.get(&format!("/v1/requests/{id}"), Some(&intruder)).await;
    assert_eq!((read.status.as_u16(), read.code()), (404, "REQUEST_NOT_FOUND"));
    let missing = h.api.get("/v1/requests/req_doesnotexist", Some(&intruder)).await;
    assert_eq!(read.body, missing.body, "someone else's request looks exactly like a missing one");
    let write = h.api.post(&format!("/v1/requests/{id}/consent"), Some(&intruder), &consent_body()).await;
    assert_eq!(write.status.as_u16(), 404);
    let status = h.api.get(&format!("/v1/requests/{id}/status"), Some(&intruder)).await;
    assert_eq!(status.status.as_u16(), 404);
    let own = h.api.get(&format!("/v1/requests/{id}"), Some(&owner)).await.ok(200);
    assert!(own["consent_terms_version"].is_null(), "the intruder's consent was not recorded");

    let (device_id, _) = owner.split_once('.').expect("token");
    let forged = h.api.get(&format!("/v1/requests/{id}"), Some(&format!("{device_id}.wrongsecret"))).await;
    assert_eq!((forged.status.as_u16(), forged.code()), (401, "DEVICE_AUTH_INVALID"));
    let anonymous = h.api.get(&format!("/v1/requests/{id}"), None).await;
    assert_eq!(anonymous.code(), "AUTH_REQUIRED");
}

#[tokio::test]
async fn reviewer_and_device_credentials_do_not_cross() {
    let h = start().await;
    let device = h.api.register_device().await;
    let as_device = h.api.get("/v1/review/requests", Some(&device)).await;
    assert_eq!((as_device.status.as_u16(), as_device.code()), (401, "REVIEWER_AUTH_INVALID"));
    let as_reviewer = h.api.post("/v1/requests", h.api.reviewer(), &alice()).await;
    assert_eq!((as_reviewer.status.as_u16(), as_reviewer.code()), (401, "DEVICE_AUTH_INVALID"));
}

#[tokio::test]
async fn bad_input_gets_a_json_4xx_and_loses_nothing() {
    let h = start().await;
    let device = h.api.register_device().await;
    let url = format!("{}/v1/requests", h.api.base);
    let garbage = h
        .api
        .http
        .post(&url)
        .bearer_auth(&device)
        .header("Idempotency-Key", fresh_key())
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(garbage.status().as_u16(), 400);
    let body: serde_json::Value = garbage.json().await.expect("json error body");
    assert_eq!(body["code"], "INVALID_JSON");

    let no_key = h.api.http.post(&url).bearer_auth(&device).json(&alice()).send().await.expect("sent");
    assert_eq!(no_key.status().as_u16(), 400);
    assert_eq!(no_key.json::<serde_json::Value>().await.expect("json")["code"], "IDEMPOTENCY_KEY_REQUIRED");

    let unknown = h
        .api
        .post("/v1/requests", Some(&device), &json!({ "upn": "nobody@contoso.example", "employee_id": "E1", "staff_kind": "employee" }))
        .await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (422, "IDENTITY_NOT_MATCHED"));
    let bad_kind = h
        .api
        .post("/v1/requests", Some(&device), &json!({ "upn": "alice@contoso.example", "employee_id": "E1001", "staff_kind": "robot" }))
        .await;
    assert_eq!(bad_kind.code(), "INVALID_JSON");
    let no_badge = h
        .api
        .post(
            "/v1/requests",
            Some(&device),
            &json!({ "upn": "carol@contoso.example", "staff_kind": "employee", "date_of_birth": "1992-07-01" }),
        )
        .await;
    assert_eq!(no_badge.code(), "BADGE_PHOTO_MISSING");
    assert_eq!(h.service.count_rows("requests").expect("count"), 0);

    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    let selfie = format!("/v1/requests/{id}/selfie");
    let png = h.api.post_bytes(&selfie, &device, "image/jpeg", b"\x89PNG\r\n\x1a\n".repeat(200)).await;
    assert_eq!((png.status.as_u16(), png.code()), (415, "IMAGE_NOT_JPEG"));
    let wrong_type = h.api.post_bytes(&selfie, &device, "image/png", jpeg(320, 320)).await;
    assert_eq!(wrong_type.code(), "IMAGE_NOT_JPEG");
    let mut broken = jpeg(320, 320);
    broken.truncate(1500);
    broken.extend(std::iter::repeat_n(0u8, 10));
    assert_eq!(h.api.post_bytes(&selfie, &device, "image/jpeg", broken).await.code(), "IMAGE_UNREADABLE");
    let mut garbled = vec![0xFF, 0xD8, 0xFF, 0xE0];
    garbled.extend(std::iter::repeat_n(0x42u8, 4000));
    garbled.extend([0xFF, 0xD9]);
    assert_eq!(h.api.post_bytes(&selfie, &device, "image/jpeg", garbled).await.code(), "IMAGE_UNREADABLE");
    let tiny = h.api.post_bytes(&selfie, &device, "image/jpeg", jpeg(100, 100)).await;
    assert!(matches!(tiny.code(), "IMAGE_TOO_SMALL" | "IMAGE_DIMENSIONS_INVALID"), "{}", tiny.body);
    let thin = h.api.post_bytes(&selfie, &device, "image/jpeg", jpeg(1000, 200)).await;
    assert_eq!(thin.code(), "IMAGE_DIMENSIONS_INVALID");
    let huge = h.api.post_bytes(&selfie, &device, "image/jpeg", vec![0xFF; 6 * 1024 * 1024]).await;
    assert_eq!(huge.code(), "IMAGE_TOO_LARGE");
    let view = h.api.get(&format!("/v1/requests/{id}"), Some(&device)).await.ok(200);
    assert_eq!(view["selfie_uploaded"], false);
    assert_eq!(h.service.count_rows("selfies").expect("count"), 0);

    let declared = h.api.post(&format!("/v1/requests/{id}/liveness"), Some(&device), &json!({ "result": "passed" })).await;
    assert_eq!((declared.status.as_u16(), declared.code()), (400, "INVALID_JSON"), "a result without frames is no result");
    let bad_wait = h.api.get(&format!("/v1/requests/{id}/status?wait=soon"), Some(&device)).await;
    assert_eq!((bad_wait.status.as_u16(), bad_wait.code()), (400, "INVALID_QUERY"));
    let unknown_route = h.api.get("/v1/nothing-here", Some(&device)).await;
    assert_eq!((unknown_route.status.as_u16(), unknown_route.code()), (404, "ROUTE_NOT_FOUND"));
    // A wrong method or path is said as such, before any complaint about a missing key.
    let keyless = |path: &str| h.api.http.post(format!("{}{path}", h.api.base)).json(&json!({})).send();
    let wrong_method = keyless("/healthz").await.expect("sent");
    assert_eq!(wrong_method.status().as_u16(), 405);
    let wrong_path = keyless("/v1/nothing-here").await.expect("sent");
    assert_eq!(wrong_path.status().as_u16(), 404);
    let right_route = keyless("/v1/devices").await.expect("sent");
    let body: serde_json::Value = right_route.json().await.expect("json");
    assert_eq!(body["code"], "IDEMPOTENCY_KEY_REQUIRED", "on a real route the key is still required");
}

/// The default face check is the core's detector: the committed photo fixtures decide.
#[tokio::test]
async fn the_selfie_must_show_exactly_one_face() {
    let h = start().await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    let selfie = format!("/v1/requests/{id}/selfie");

    let coffee = h.api.post_bytes(&selfie, &device, "image/jpeg", fixture_jpeg("no_face_coffee_640x480")).await;
    assert_eq!((coffee.status.as_u16(), coffee.code()), (422, "NO_FACE_DETECTED"));
    let pattern = h.api.post_bytes(&selfie, &device, "image/jpeg", jpeg(320, 320)).await;
    assert_eq!((pattern.status.as_u16(), pattern.code()), (422, "NO_FACE_DETECTED"));
    let two = h.api.post_bytes(&selfie, &device, "image/jpeg", fixture_jpeg("two_faces_640x480")).await;
    assert_eq!((two.status.as_u16(), two.code()), (422, "MULTIPLE_FACES_DETECTED"));
    let view = h.api.get(&format!("/v1/requests/{id}"), Some(&device)).await.ok(200);
    assert_eq!(view["selfie_uploaded"], false);
    assert_eq!(h.service.count_rows("selfies").expect("count"), 0);

    // Liveness frames without a face are judged, and fail, by the service.
    let challenge_id = liveness_challenge(&h.api, &device, id).await;
    let rocket = base64::engine::general_purpose::STANDARD.encode(fixture_jpeg("no_face_rocket_640x480"));
    let frames: Vec<_> = (0..8).map(|i| json!({ "timestamp_ms": i * 100, "jpeg_base64": rocket })).collect();
    let judged = h
        .api
        .post(&format!("/v1/requests/{id}/liveness"), Some(&device), &json!({ "challenge_id": challenge_id, "frames": frames }))
        .await
        .ok(200);
    assert_eq!((&judged["liveness_result"], &judged["liveness_reason"]), (&json!("failed"), &json!("NO_FACE")));
    assert_eq!(h.service.count_rows("liveness_captures").expect("count"), 0, "no face, nothing kept");

    h.api.post_bytes(&selfie, &device, "image/jpeg", fixture_jpeg("face_selfie_1280x720")).await.ok(200);
    assert_eq!(h.service.count_rows("selfies").expect("count"), 1);
}

/// A face check that cannot run, standing in for a corrupted model: the trait stays injectable.
struct BrokenFaceModel;
impl FaceCheck for BrokenFaceModel {
    fn count_faces(&self, _image: &image::DynamicImage) -> Result<usize, FaceCheckFailed> {
        Err(FaceCheckFailed("face model unreadable".to_owned()))
    }
}

#[tokio::test]
async fn a_face_check_that_cannot_run_is_a_server_error_and_stores_nothing() {
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    let mut cfg = config(clock.clone(), pushes.clone(), None);
    cfg.face_check = Arc::new(BrokenFaceModel);
    let h = start_with(cfg, clock, pushes).await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    let refused = h.api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (500, "INTERNAL"));
    assert!(!refused.body.to_string().contains("model"), "internal detail leaked: {}", refused.body);
    assert_eq!(h.service.count_rows("selfies").expect("count"), 0);
}

#[tokio::test]
async fn denial_and_missed_deadline() {
    let mut h = start().await;
    let device = h.api.register_device().await;
    let denied_id = alice_submitted(&h.api, &device).await;
    let no_reason = h.api.review(&denied_id, "decision", &json!({ "decision": "deny" })).await;
    assert_eq!(no_reason.code(), "REASON_CODE_INVALID");
    // Well formed but not in the contract's list: the app could not explain it to the user.
    let unlisted =
        h.api.review(&denied_id, "decision", &json!({ "decision": "deny", "reason_code": "FACE_MISMATCH", "message": "x" })).await;
    assert_eq!(unlisted.code(), "REASON_CODE_INVALID");
    let no_message = h.api.review(&denied_id, "decision", &json!({ "decision": "deny", "reason_code": "BADGE_PHOTO_MISMATCH" })).await;
    assert_eq!(no_message.code(), "DENIAL_MESSAGE_REQUIRED");
    let denied = h
        .api
        .review(
            &denied_id,
            "decision",
            &json!({ "decision": "deny", "reason_code": "BADGE_PHOTO_MISMATCH", "message": "Your badge photo needs updating." }),
        )
        .await
        .ok(200);
    assert_eq!(denied["state"], "denied");
    assert_eq!(denied["denial"]["reason_code"], "BADGE_PHOTO_MISMATCH");
    let twice = h.api.review(&denied_id, "call", &json!({})).await;
    assert_eq!((twice.status.as_u16(), twice.code()), (409, "REQUEST_NOT_PENDING"));

    let waiting_id = alice_submitted(&h.api, &device).await;
    h.clock.advance(24 * 3600 - 1);
    h.api.sign_in_again().await;
    let queue = h.api.get("/v1/review/requests", h.api.reviewer()).await.ok(200);
    assert_eq!(queue["requests"].as_array().expect("list").len(), 1);
    h.clock.advance(1);
    let queue = h.api.get("/v1/review/requests", h.api.reviewer()).await.ok(200);
    assert!(queue["requests"].as_array().expect("list").is_empty());
    let status = h.api.get(&format!("/v1/requests/{waiting_id}/status"), Some(&device)).await.ok(200);
    assert_eq!(status["state"], "expired");
    let late = h.api.review(&waiting_id, "call", &json!({})).await;
    assert_eq!(late.code(), "REQUEST_NOT_PENDING");
}
