//! The government-ID verdict comes from the partner, server to server, and nothing else can
//! set it: the phone has no endpoint for it, and a callback must be signed with the partner's
//! secret, recent, new, and for a session still waiting. Each refusal leaves the database as it
//! was. The partner here is the reference partner, started by the test so that the test knows
//! the webhook secret and can forge what an attacker would.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use identity_pass_reference_partner::{PartnerConfig, signature};
use identity_pass_service::{ManualClock, PartnerChoice, RecordingPushSender, ReferencePartner};
use serde_json::{Value, json};

const SECRET: &[u8] = b"webhook secret the test shares with its partner";
const API_KEY: &str = "partner api key for tests";

struct World {
    h: Harness,
    _partner: identity_pass_reference_partner::RunningPartner,
}

async fn start_with_partner() -> World {
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    let partner_clock = clock.clone();
    let partner = identity_pass_reference_partner::spawn(PartnerConfig {
        listen: ([127, 0, 0, 1], 0).into(),
        api_key: API_KEY.into(),
        webhook_secret: SECRET.to_vec(),
        session_lifetime: Duration::from_secs(900),
        clock: Arc::new(move || identity_pass_service::Clock::now(&*partner_clock)),
    })
    .await
    .expect("partner starts");
    let adapter = ReferencePartner::new(partner.base_url.clone(), API_KEY.into(), SECRET.to_vec()).expect("adapter");
    let mut config = config(clock.clone(), pushes.clone(), None);
    config.partner = PartnerChoice::External(Arc::new(adapter));
    World { h: start_with(config, clock, pushes).await, _partner: partner }
}

/// dave@ (passkey path) with consent, and his device.
async fn dave(api: &Api) -> (String, String) {
    let device = api.register_device().await;
    let id = api.post("/v1/requests", Some(&device), &dave_identity()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
    (device, id)
}

async fn callback(api: &Api, signature_header: Option<String>, body: &Value) -> Answer {
    let mut request = api.http.post(format!("{}/v1/partner/callback", api.base)).header("content-type", "application/json");
    if let Some(header) = signature_header {
        request = request.header(signature::HEADER, header);
    }
    let response = request.body(serde_json::to_vec(body).expect("json")).send().await.expect("sent");
    let status = response.status();
    Answer { status, body: response.json().await.unwrap_or(Value::Null), replayed: false }
}

fn signed(body: &Value, at: i64) -> Option<String> {
    Some(signature::sign(SECRET, at, &serde_json::to_vec(body).expect("json")))
}

/// What a forgery must leave untouched.
async fn snapshot(h: &Harness, device: &str, id: &str) -> (Value, i64, i64, i64) {
    let mut view = h.api.get(&format!("/v1/requests/{id}"), Some(device)).await.ok(200);
    view["server_time"] = Value::Null;
    let count = |table: &str| h.service.count_rows(table).expect("count");
    (view, count("verified_ids"), count("partner_events"), count("partner_sessions"))
}

#[tokio::test]
async fn only_a_signed_recent_new_callback_for_a_waiting_session_sets_the_verdict() {
    let World { h, _partner } = start_with_partner().await;
    let (device, id) = dave(&h.api).await;
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");
    let session = h.api.post(&p("/government-id/session"), Some(&device), &json!({})).await.ok(200);
    let session_id = session["session_id"].as_str().expect("session").to_owned();
    let before = snapshot(&h, &device, &id).await;
    let verdict = json!({ "event_id": "evt_forged_1", "session_id": session_id, "reference": id, "result": "verified", "reason": null });

    // The phone's own claim: there is no such endpoint.
    let claimed = h.api.post(&p("/government-id"), Some(&device), &json!({ "result": "verified" })).await;
    assert_eq!((claimed.status.as_u16(), claimed.code()), (405, "METHOD_NOT_ALLOWED"));
    // Unsigned, signed with another secret, re-dated, too old, from the future.
    assert_eq!(callback(&h.api, None, &verdict).await.code(), "PARTNER_SIGNATURE_INVALID");
    let wrong_key = Some(signature::sign(b"a guessed secret", START, &serde_json::to_vec(&verdict).expect("json")));
    assert_eq!(callback(&h.api, wrong_key, &verdict).await.status.as_u16(), 401);
    let redated = signed(&verdict, START - 3_600).map(|h| h.replacen(&format!("t={}", START - 3_600), &format!("t={START}"), 1));
    assert_eq!(callback(&h.api, redated, &verdict).await.code(), "PARTNER_SIGNATURE_INVALID");
    assert_eq!(callback(&h.api, signed(&verdict, START - 301), &verdict).await.code(), "PARTNER_SIGNATURE_INVALID");
    assert_eq!(callback(&h.api, signed(&verdict, START + 301), &verdict).await.code(), "PARTNER_SIGNATURE_INVALID");
    // Well signed, but for a session the service never opened.
    let unknown = json!({ "event_id": "evt_2", "session_id": "ps_unknown", "result": "verified" });
    assert_eq!(callback(&h.api, signed(&unknown, START), &unknown).await.code(), "PARTNER_SESSION_UNKNOWN");
    let malformed = json!({ "session_id": session_id, "result": "verified" });
    assert_eq!(callback(&h.api, signed(&malformed, START), &malformed).await.code(), "CALLBACK_INVALID");
    let no_reason = json!({ "event_id": "evt_3", "session_id": session_id, "result": "rejected" });
    assert_eq!(callback(&h.api, signed(&no_reason, START), &no_reason).await.code(), "REASON_REQUIRED");
    assert_eq!(snapshot(&h, &device, &id).await, before, "no refused callback changed anything");
    assert_eq!(h.api.get(&p("/government-id"), Some(&device)).await.ok(200)["status"], "pending");

    // The partner's real verdict (as the partner signs it) is applied once.
    let applied = callback(&h.api, signed(&verdict, START), &verdict).await;
    assert_eq!(applied.status.as_u16(), 204, "{}", applied.body);
    assert_eq!(h.api.get(&p("/government-id"), Some(&device)).await.ok(200)["status"], "verified");
    assert_eq!(h.service.count_rows("verified_ids").expect("count"), 1, "the passkey path's Verified ID is issued");
    let after = snapshot(&h, &device, &id).await;
    let replayed = callback(&h.api, signed(&verdict, START + 10), &verdict).await;
    assert_eq!((replayed.status.as_u16(), replayed.code()), (409, "PARTNER_EVENT_REPLAYED"));
    let overturn = json!({ "event_id": "evt_4", "session_id": session_id, "result": "rejected", "reason": "LATE" });
    assert_eq!(callback(&h.api, signed(&overturn, START), &overturn).await.code(), "PARTNER_SESSION_CLOSED");
    assert_eq!(snapshot(&h, &device, &id).await, after, "a replay or a second verdict changes nothing");
}

#[tokio::test]
async fn sessions_belong_to_their_device_and_end_on_time() {
    let World { h, _partner } = start_with_partner().await;
    let (device, id) = dave(&h.api).await;
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");
    let early = h.api.get(&p("/government-id"), Some(&device)).await;
    assert_eq!((early.status.as_u16(), early.code()), (409, "PARTNER_SESSION_NOT_OPENED"));
    let session = h.api.post(&p("/government-id/session"), Some(&device), &json!({})).await.ok(200);
    let handoff = session["handoff_url"].as_str().expect("hand-off").to_owned();
    assert!(handoff.starts_with(&_partner.base_url), "the hand-off is the partner's page: {handoff}");

    // Another device can neither open nor read this request's check.
    let stranger = h.api.register_device().await;
    assert_eq!(h.api.post(&p("/government-id/session"), Some(&stranger), &json!({})).await.code(), "REQUEST_NOT_FOUND");
    assert_eq!(h.api.get(&p("/government-id"), Some(&stranger)).await.code(), "REQUEST_NOT_FOUND");
    // The page needs the hand-off token, not just the session id.
    let (page, _) = handoff.split_once('?').expect("token");
    let guessed = submit_partner_page(&format!("{page}?token=tok_guess"), &fixture_jpeg("id_document_856x540"), &face_jpeg()).await;
    assert_eq!((guessed.status.as_u16(), guessed.code()), (404, "SESSION_UNKNOWN"));
    let html = http_client().get(&handoff).send().await.expect("page");
    assert!(html.status().is_success() && html.text().await.expect("html").contains("ID document"));

    // Nothing arrives: the session expires, the page refuses, a new session is opened.
    h.clock.advance(900);
    assert_eq!(h.api.get(&p("/government-id"), Some(&device)).await.ok(200)["status"], "expired");
    let late = submit_partner_page(&handoff, &fixture_jpeg("id_document_856x540"), &face_jpeg()).await;
    assert_eq!((late.status.as_u16(), late.code()), (410, "SESSION_EXPIRED"));
    let fresh = h.api.post(&p("/government-id/session"), Some(&device), &json!({})).await.ok(200);
    assert_ne!(fresh["session_id"], session["session_id"]);
    assert_eq!(h.api.get(&p("/government-id"), Some(&device)).await.ok(200)["status"], "pending");
}

#[tokio::test]
async fn an_unreachable_partner_is_a_clear_retryable_error() {
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let address = closed.local_addr().expect("address");
    drop(closed);
    let adapter = ReferencePartner::new(format!("http://{address}"), API_KEY.into(), SECRET.to_vec()).expect("adapter");
    let mut config = config(clock.clone(), pushes.clone(), None);
    config.partner = PartnerChoice::External(Arc::new(adapter));
    let h = start_with(config, clock, pushes).await;
    let (device, id) = dave(&h.api).await;
    let refused = h.api.post(&format!("/v1/requests/{id}/government-id/session"), Some(&device), &json!({})).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (503, "PARTNER_UNAVAILABLE"));
    assert_eq!(h.service.count_rows("partner_sessions").expect("count"), 0);
}
