//! Answers lost after the handler's writes: what a kill between the two leaves behind. Each
//! step of "Get TAP" is sent once with its answer lost (the router of
//! [`routes::router_losing_answers`]: the handler runs and writes, the caller gets a 500), then
//! again with the same key and body, as the app's outbox resends it. The retry must get the
//! step's answer, as a replay, and nothing may have happened twice. Before the answer was
//! stored in the handler's own transaction, the retry ran the handler again: a second request,
//! or a refusal of a step that had succeeded (`REQUEST_ALREADY_SUBMITTED`,
//! `LIVENESS_CHALLENGE_USED`, `CALL_ALREADY_STARTED`, `TAP_ALREADY_ISSUED`...), which left the
//! app with no way forward.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use identity_pass_core::selfie::face_model::Action;
use serde_json::{Value, json};

use crate::domain::directory_seed::{add_synthetic_people, synthetic_employee_id, synthetic_upn};
use crate::http::routes;
use crate::{ManualClock, RunningService, ServiceConfig, spawn_embedded};

const START: i64 = 1_795_251_600;
const REVIEWER_PASSWORD: &str = "reviewer-password-for-lost-answers";
const SELFIE: &[u8] = include_bytes!("../../../core/tests/fixtures/face_selfie_640x480.jpg");

enum Body {
    Json(Value),
    Jpeg(Vec<u8>),
}

/// What the caller got.
struct Answer {
    status: u16,
    body: Value,
    replayed: bool,
}

struct Env {
    service: RunningService,
    clock: Arc<ManualClock>,
    base: String,
    http: reqwest::Client,
    lose: Arc<AtomicBool>,
    keys: AtomicU64,
}

impl Env {
    /// The service with two synthetic people ("Get TAP"; the first is asked for liveness),
    /// served through the router that can lose answers.
    async fn start() -> Self {
        let clock = Arc::new(ManualClock::new(START));
        let mut config =
            ServiceConfig { clock: clock.clone(), reviewer_password: Some(REVIEWER_PASSWORD.to_owned()), ..ServiceConfig::default() };
        add_synthetic_people(&mut config.directory, 2);
        let service = spawn_embedded(config).await.expect("service starts");
        let lose = Arc::new(AtomicBool::new(false));
        let router = routes::router_losing_answers(service.state.clone(), lose.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serves") });
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().build().expect("client");
        Self { service, clock, base, http, lose, keys: AtomicU64::new(0) }
    }

    async fn send(&self, path: &str, auth: Option<&str>, key: &str, body: &Body) -> Answer {
        let request = self.http.post(format!("{}{path}", self.base)).header("Idempotency-Key", key);
        let request = match body {
            Body::Json(value) => request.json(value),
            Body::Jpeg(bytes) => request.header("Content-Type", "image/jpeg").body(bytes.clone()),
        };
        let request = match auth {
            Some(auth) => request.bearer_auth(auth),
            None => request,
        };
        let response = request.send().await.expect("answered");
        let status = response.status().as_u16();
        let replayed = response.headers().contains_key("idempotent-replayed");
        let body = response.json().await.unwrap_or(Value::Null);
        Answer { status, body, replayed }
    }

    /// Sends `body` with its answer lost, then again with the same key: the retry's answer.
    async fn lost_then_retried(&self, path: &str, auth: Option<&str>, body: Body) -> Answer {
        let key = format!("lost-{}", self.keys.fetch_add(1, Ordering::SeqCst));
        self.lose.store(true, Ordering::SeqCst);
        let lost = self.send(path, auth, &key, &body).await;
        assert_eq!(lost.status, 500, "{path}: the first answer is lost");
        self.send(path, auth, &key, &body).await
    }

    /// The seeded manager's bearer token (signing in is never lost: its answer is not stored).
    async fn reviewer_token(&self) -> String {
        let sign_in = Body::Json(json!({ "upn": crate::domain::directory_seed::SEED_MANAGER, "password": REVIEWER_PASSWORD }));
        let answer = self.send("/v1/review/tokens", None, "sign-in", &sign_in).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body["token"].as_str().expect("a bearer token").to_owned()
    }

    fn rows(&self, table: &str) -> i64 {
        self.service.count_rows(table).expect("count")
    }
}

/// The retry got `status`, as a replay of the first answer.
#[track_caller]
fn replayed(answer: Answer, status: u16) -> Value {
    assert_eq!(answer.status, status, "the retry is answered: {}", answer.body);
    assert!(answer.replayed, "the retry is answered from the stored answer: {}", answer.body);
    answer.body
}

/// The frames of the selfie's head doing the actions `challenge` asks
/// (`testing::liveness_frames_doing`).
fn liveness_frames(challenge: &Value) -> Value {
    let actions: Vec<Action> = challenge["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|code| Action::from_code(code.as_str().expect("a code")).expect("a known action"))
        .collect();
    let frames: Vec<Value> = identity_pass_core::testing::liveness_frames_doing(&actions, 1)
        .into_iter()
        .zip(0u64..)
        .map(|(jpeg, i)| json!({ "timestamp_ms": 5_000 + i * 100, "jpeg_base64": STANDARD.encode(jpeg) }))
        .collect();
    Value::Array(frames)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_get_tap_step_whose_answer_was_lost_is_answered_on_its_retry_and_done_once() {
    let env = Env::start().await;
    // Registration keeps no answer (no caller to scope it to); the device's own secret makes it
    // idempotent: the same device again.
    let secret = "5e".repeat(32);
    let registered = env.lost_then_retried("/v1/devices", None, Body::Json(json!({ "platform": "ios", "device_secret": secret }))).await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    assert_eq!(env.rows("devices"), 1, "one device");
    let auth = format!("{}.{secret}", registered.body["device_id"].as_str().expect("device id"));
    let auth = Some(auth.as_str());

    let identity = json!({ "upn": synthetic_upn(1), "employee_id": synthetic_employee_id(1), "staff_kind": "employee" });
    let created = replayed(env.lost_then_retried("/v1/requests", auth, Body::Json(identity)).await, 201);
    assert_eq!(env.rows("requests"), 1, "one request");
    let id = created["request_id"].as_str().expect("request id").to_owned();
    let at = |suffix: &str| format!("/v1/requests/{id}{suffix}");

    let consent = json!({ "terms_version": "2026-01", "accepted_at": "2026-11-21T09:00:00Z" });
    replayed(env.lost_then_retried(&at("/consent"), auth, Body::Json(consent)).await, 200);
    let view = replayed(env.lost_then_retried(&at("/selfie"), auth, Body::Jpeg(SELFIE.to_vec())).await, 200);
    assert_eq!(view["selfie_uploaded"], true);
    let challenge = replayed(env.lost_then_retried(&at("/liveness/challenge"), auth, Body::Json(json!({}))).await, 200);
    assert_eq!(env.rows("liveness_challenges"), 1, "one challenge");
    let frames = json!({ "challenge_id": challenge["challenge_id"], "frames": liveness_frames(&challenge) });
    let judged = replayed(env.lost_then_retried(&at("/liveness"), auth, Body::Json(frames)).await, 200);
    assert_eq!(judged["liveness_result"], "passed", "{judged}");
    let submitted = replayed(env.lost_then_retried(&at("/submit"), auth, Body::Json(json!({}))).await, 200);
    assert_eq!(submitted["state"], "waiting_for_reviewer");

    let review = |action: &str| format!("/v1/review/requests/{id}/{action}");
    let token = env.reviewer_token().await;
    let reviewer = Some(token.as_str());
    let invited = replayed(env.lost_then_retried(&review("call"), reviewer, Body::Json(json!({}))).await, 200);
    assert_eq!(invited["state"], "call_invited");
    replayed(env.lost_then_retried(&review("join"), reviewer, Body::Json(json!({}))).await, 200);
    env.clock.advance(15);
    replayed(env.lost_then_retried(&review("leave"), reviewer, Body::Json(json!({}))).await, 200);
    let decided = env.lost_then_retried(&review("decision"), reviewer, Body::Json(json!({ "decision": "approve" }))).await;
    assert_eq!(replayed(decided, 200)["state"], "approved");
    assert_eq!(env.rows("verified_ids"), 1, "one Verified ID issued on approval");

    // The TAP made with the lost answer is issued, and its code is never shown again: the
    // replay says so (no code) and the app asks for a replacement, which revokes it.
    let tap = replayed(env.lost_then_retried(&at("/tap"), auth, Body::Json(json!({}))).await, 201);
    assert!(tap["temporaryAccessPass"].is_null(), "a replay never shows the code: {tap}");
    assert_eq!((env.rows("taps"), env.rows("tap_issuances")), (1, 1), "one TAP, issued once");
    let replacement = env.send(&at("/tap"), auth, "replacement", &Body::Json(json!({ "replaceLost": true }))).await;
    assert_eq!(replacement.status, 201, "{}", replacement.body);
    assert!(replacement.body["temporaryAccessPass"].is_string());
    assert_ne!(replacement.body["id"], tap["id"]);
    assert_eq!((env.rows("taps"), env.rows("tap_issuances")), (1, 2), "the replacement took the lost TAP's place");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_date_of_birth_whose_refusal_was_lost_counts_once() {
    let env = Env::start().await;
    let secret = "d0".repeat(32);
    let registered =
        env.send("/v1/devices", None, "register", &Body::Json(json!({ "platform": "android", "device_secret": secret }))).await;
    let auth = format!("{}.{secret}", registered.body["device_id"].as_str().expect("device id"));
    let bob = json!({ "upn": "bob@contoso.example", "employee_id": "E1002", "staff_kind": "employee" });
    let created = env.send("/v1/requests", Some(&auth), "create", &Body::Json(bob)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["request_id"].as_str().expect("request id");
    let wrong = Body::Json(json!({ "date_of_birth": "1985-12-01" }));
    let refused = env.lost_then_retried(&format!("/v1/requests/{id}/date-of-birth"), Some(&auth), wrong).await;
    assert_eq!((refused.status, refused.body["code"].as_str()), (422, Some("IDENTITY_NOT_MATCHED")));
    assert!(refused.replayed, "the resend is answered with the refusal that was lost");
    assert_eq!(env.rows("date_of_birth_failures"), 1, "one wrong date, counted once");
    let right = env
        .send(&format!("/v1/requests/{id}/date-of-birth"), Some(&auth), "right", &Body::Json(json!({ "date_of_birth": "1985-11-30" })))
        .await;
    assert_eq!((right.status, right.body["identity_check"].as_str()), (200, Some("confirmed")), "{}", right.body);
}
