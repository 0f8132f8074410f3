//! The reviewer's evidence (seeds 000 and 001: the reviewer compares the selfie with the badge
//! photo): the view of a submitted request and its images, for reviewers only, with retention
//! applied on every read — not only when the purge runs.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use identity_pass_service::{ManualClock, RecordingPushSender, ServiceConfig};
use serde_json::{Value, json};

const HOUR: i64 = 3600;
const KINDS: [&str; 3] = ["selfie", "liveness-capture", "badge-photo"];

/// A service whose purge timer never fires during the test: what is refused is refused on read.
async fn start_without_purge() -> Harness {
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    let config = ServiceConfig { purge_interval: Duration::from_secs(24 * 3600), ..config(clock.clone(), pushes.clone(), None) };
    start_with(config, clock, pushes).await
}

/// One image answer: status, the headers that matter, the bytes, and the error code if any.
struct Image {
    status: u16,
    content_type: String,
    cache_control: String,
    bytes: Vec<u8>,
}

impl Image {
    fn code(&self) -> String {
        serde_json::from_slice::<Value>(&self.bytes).ok().and_then(|v| v["code"].as_str().map(str::to_owned)).unwrap_or_default()
    }

    #[track_caller]
    fn jpeg(self) -> Vec<u8> {
        assert_eq!((self.status, self.content_type.as_str()), (200, "image/jpeg"), "error {}", self.code());
        assert_eq!(self.cache_control, "no-store", "faces are never cached");
        self.bytes
    }

    #[track_caller]
    fn refused(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code().as_str()), (status, code));
    }
}

async fn get_image(h: &Harness, id: &str, kind: &str, auth: Option<&str>) -> Image {
    let mut request = h.api.http.get(format!("{}/v1/review/requests/{id}/{kind}", h.api.base));
    if let Some(auth) = auth {
        request = request.bearer_auth(auth);
    }
    let response = request.send().await.expect("sent");
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (status, content_type, cache_control) = (response.status().as_u16(), header("content-type"), header("cache-control"));
    let bytes = response.bytes().await.expect("body").to_vec();
    Image { status, content_type, cache_control, bytes }
}

async fn evidence(h: &Harness, id: &str) -> Value {
    h.api.get(&format!("/v1/review/requests/{id}/evidence"), h.api.reviewer()).await.ok(200)
}

#[tokio::test]
async fn the_reviewer_sees_the_requester_the_results_and_the_images() {
    let h = start_without_purge().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;

    let view = evidence(&h, &id).await;
    let expected = json!({
        "request_id": id, "state": "waiting_for_reviewer",
        "upn": "alice@contoso.example", "employee_id": "E1001", "staff_kind": "employee",
        "personal_email": "alice.home@example.net", "path": "get_tap",
        "government_id_result": null, "government_id_reason": null,
        "liveness_result": "passed", "liveness_reason": null,
        "selfie_available": true, "liveness_capture_available": true, "badge_photo_available": true,
        "deadline_at": "2026-11-22T09:00:00Z",
        "selfie_available_until": "2026-11-22T09:00:00Z",
        "liveness_capture_available_until": "2026-11-23T09:00:00Z",
        "server_time": "2026-11-21T09:00:00Z",
    });
    assert_eq!(view, expected);

    assert_eq!(get_image(&h, &id, "selfie", h.api.reviewer()).await.jpeg(), face_jpeg(), "the selfie as uploaded");
    let capture = get_image(&h, &id, "liveness-capture", h.api.reviewer()).await.jpeg();
    let frame = image::load_from_memory(&capture).expect("the capture is a JPEG");
    assert_eq!((frame.width(), frame.height()), (320, 240), "one of the uploaded liveness frames");
    let badge = get_image(&h, &id, "badge-photo", h.api.reviewer()).await.jpeg();
    assert_eq!(badge, fixture_jpeg("face_portrait_512x512"), "the seeded stand-in for the badge photo store");
}

#[tokio::test]
async fn retention_holds_on_read_before_the_purge_runs() {
    let mut h = start_without_purge().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;

    h.clock.advance(24 * HOUR - 1);
    // A reviewer's session lasts a working day: next morning they sign in again.
    h.api.sign_in_again().await;
    get_image(&h, &id, "selfie", h.api.reviewer()).await.jpeg();
    h.clock.advance(1);
    get_image(&h, &id, "selfie", h.api.reviewer()).await.refused(410, "EVIDENCE_EXPIRED");
    get_image(&h, &id, "liveness-capture", h.api.reviewer()).await.jpeg();
    get_image(&h, &id, "badge-photo", h.api.reviewer()).await.jpeg();
    assert_eq!(h.service.count_rows("selfies").expect("count"), 1, "refused on read: the purge has not run");
    let view = evidence(&h, &id).await;
    assert_eq!(view["state"], "expired", "the reviewer window passed too; the request can still be looked at");
    assert_eq!((view["selfie_available"].clone(), view["selfie_available_until"].clone()), (json!(false), json!("2026-11-22T09:00:00Z")));
    assert_eq!(view["liveness_capture_available"], true);

    h.clock.advance(24 * HOUR - 1);
    h.api.sign_in_again().await;
    get_image(&h, &id, "liveness-capture", h.api.reviewer()).await.jpeg();
    h.clock.advance(1);
    get_image(&h, &id, "liveness-capture", h.api.reviewer()).await.refused(410, "EVIDENCE_EXPIRED");
    assert_eq!(h.service.count_rows("liveness_captures").expect("count"), 1, "refused on read: the purge has not run");
    let view = evidence(&h, &id).await;
    assert_eq!(view["liveness_capture_available"], false);
    assert_eq!(view["liveness_capture_available_until"], "2026-11-23T09:00:00Z");

    // Once purged, the selfie and the capture still read as expired (the request keeps when
    // each was taken), and the badge photo, which retention does not touch, is still there.
    let report = h.service.purge_now().expect("purge");
    assert_eq!((report.selfies, report.liveness_captures), (1, 1));
    get_image(&h, &id, "selfie", h.api.reviewer()).await.refused(410, "EVIDENCE_EXPIRED");
    get_image(&h, &id, "liveness-capture", h.api.reviewer()).await.refused(410, "EVIDENCE_EXPIRED");
    get_image(&h, &id, "badge-photo", h.api.reviewer()).await.jpeg();
}

#[tokio::test]
async fn only_reviewers_see_evidence_and_only_of_submitted_requests() {
    let h = start_without_purge().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    let evidence_path = format!("/v1/review/requests/{id}/evidence");

    let by_device = h.api.get(&evidence_path, Some(&device)).await;
    assert_eq!((by_device.status.as_u16(), by_device.code()), (401, "REVIEWER_AUTH_INVALID"));
    assert_eq!(h.api.get(&evidence_path, None).await.code(), "AUTH_REQUIRED");
    for kind in KINDS {
        get_image(&h, &id, kind, Some(&device)).await.refused(401, "REVIEWER_AUTH_INVALID");
        get_image(&h, &id, kind, None).await.refused(401, "AUTH_REQUIRED");
        get_image(&h, "req_missing", kind, h.api.reviewer()).await.refused(404, "REQUEST_NOT_FOUND");
    }
    let missing = h.api.get("/v1/review/requests/req_missing/evidence", h.api.reviewer()).await;
    assert_eq!((missing.status.as_u16(), missing.code()), (404, "REQUEST_NOT_FOUND"));

    // A draft is the phone's until submitted: it answers like an unknown id.
    let draft = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let draft_id = draft["request_id"].as_str().expect("id");
    h.api.post_bytes(&format!("/v1/requests/{draft_id}/selfie"), &device, "image/jpeg", face_jpeg()).await.ok(200);
    let answer = h.api.get(&format!("/v1/review/requests/{draft_id}/evidence"), h.api.reviewer()).await;
    assert_eq!((answer.status.as_u16(), answer.code()), (404, "REQUEST_NOT_FOUND"));
    get_image(&h, draft_id, "selfie", h.api.reviewer()).await.refused(404, "REQUEST_NOT_FOUND");

    // A decided request can still be looked at.
    h.api.review(&id, "call", &json!({})).await.ok(200);
    let denial = json!({ "decision": "deny", "reason_code": "BADGE_PHOTO_MISMATCH", "message": "Your badge photo needs updating." });
    h.api.review(&id, "decision", &denial).await.ok(200);
    assert_eq!(evidence(&h, &id).await["state"], "denied");
    get_image(&h, &id, "selfie", h.api.reviewer()).await.jpeg();
}

#[tokio::test]
async fn external_staff_have_no_badge_photo_and_no_capture_without_a_liveness_check() {
    let h = start_without_purge().await;
    let device = h.api.register_device().await;
    let identity = json!({ "upn": "v-erin@contoso.example", "employee_id": "X2001", "staff_kind": "external" });
    let created = h.api.post("/v1/requests", Some(&device), &identity).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    h.api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
    h.api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await.ok(200);
    h.api.post(&format!("/v1/requests/{id}/submit"), Some(&device), &json!({})).await.ok(200);

    let view = evidence(&h, id).await;
    assert_eq!(
        (view["staff_kind"].as_str(), view["path"].as_str(), view["personal_email"].clone()),
        (Some("external"), Some("legacy_dob"), Value::Null)
    );
    assert_eq!((view["badge_photo_available"].clone(), view["liveness_capture_available"].clone()), (json!(false), json!(false)));
    assert_eq!((view["liveness_result"].clone(), view["liveness_capture_available_until"].clone()), (Value::Null, Value::Null));
    get_image(&h, id, "selfie", h.api.reviewer()).await.jpeg();
    get_image(&h, id, "badge-photo", h.api.reviewer()).await.refused(404, "EVIDENCE_NOT_FOUND");
    get_image(&h, id, "liveness-capture", h.api.reviewer()).await.refused(404, "EVIDENCE_NOT_FOUND");
}
