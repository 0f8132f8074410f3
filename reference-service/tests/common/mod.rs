//! Helpers shared by the integration tests: a started service with a manual clock and a
//! recording push sender, a small JSON client, and flow shortcuts.
#![allow(dead_code)]

pub mod browser;
pub mod contract;
pub mod generated;
pub mod software_passkey;
pub mod standalone;
pub mod turn;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use identity_pass_core::device_binding::key_binding::{self, KeyBinding};
use identity_pass_core::device_binding::{SoftwareDeviceKey, registration};
use identity_pass_core::selfie::face_model::Action;
use identity_pass_service::{ManualClock, RecordingPushSender, RunningService, ServiceConfig, spawn_embedded};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// 2026-11-21T09:00:00Z.
pub const START: i64 = 1_795_251_600;
/// The password of the seeded reviewer accounts in every test service.
pub const REVIEWER_PASSWORD: &str = "reviewer-password-for-tests";
/// The seeded people's manager: the reviewer of every seeded request.
pub const MANAGER: &str = identity_pass_service::domain::directory_seed::SEED_MANAGER;

pub struct Harness {
    pub service: RunningService,
    pub clock: Arc<ManualClock>,
    pub pushes: Arc<RecordingPushSender>,
    pub api: Api,
}

pub fn config(clock: Arc<ManualClock>, pushes: Arc<RecordingPushSender>, db: Option<PathBuf>) -> ServiceConfig {
    ServiceConfig {
        db_path: db,
        clock,
        push_sender: pushes,
        reviewer_password: Some(REVIEWER_PASSWORD.to_owned()),
        development_providers: true,
        ..ServiceConfig::default()
    }
}

pub async fn start_with(config: ServiceConfig, clock: Arc<ManualClock>, pushes: Arc<RecordingPushSender>) -> Harness {
    let service = spawn_embedded(config).await.expect("service starts");
    let mut api = Api::new(&service.base_url);
    api.reviewer_token = api.reviewer_sign_in(MANAGER, REVIEWER_PASSWORD).await;
    Harness { service, clock, pushes, api }
}

pub async fn start() -> Harness {
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    start_with(config(clock.clone(), pushes.clone(), None), clock, pushes).await
}

static KEYS: AtomicU64 = AtomicU64::new(0);

pub fn fresh_key() -> String {
    format!("test-key-{}-{}", std::process::id(), KEYS.fetch_add(1, Ordering::SeqCst))
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    /// A bearer token of the seeded manager, who reviews every seeded person's requests.
    pub reviewer_token: String,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub replayed: bool,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    #[track_caller]
    pub fn ok(self, expected: u16) -> Value {
        assert_eq!(self.status.as_u16(), expected, "unexpected answer: {}", self.body);
        self.body
    }
}

impl Api {
    pub fn new(base: &str) -> Self {
        let http = http_client();
        Self { base: base.to_owned(), http, reviewer_token: String::new() }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let replayed = response.headers().contains_key("idempotent-replayed");
        let bytes = response.bytes().await.expect("body");
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
        Answer { status, body, replayed }
    }

    pub async fn get(&self, path: &str, auth: Option<&str>) -> Answer {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(auth) = auth {
            request = request.bearer_auth(auth);
        }
        self.send(request).await
    }

    pub async fn post_keyed(&self, path: &str, auth: Option<&str>, key: &str, body: &Value) -> Answer {
        let mut request = self.http.post(format!("{}{path}", self.base)).header("Idempotency-Key", key).json(body);
        if let Some(auth) = auth {
            request = request.bearer_auth(auth);
        }
        self.send(request).await
    }

    pub async fn post(&self, path: &str, auth: Option<&str>, body: &Value) -> Answer {
        self.post_keyed(path, auth, &fresh_key(), body).await
    }

    pub async fn post_bytes(&self, path: &str, auth: &str, content_type: &str, bytes: Vec<u8>) -> Answer {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Idempotency-Key", fresh_key())
            .header("Content-Type", content_type)
            .bearer_auth(auth)
            .body(bytes);
        self.send(request).await
    }

    pub async fn register_device(&self) -> String {
        let body = self.post("/v1/devices", None, &json!({ "platform": "android" })).await.ok(201);
        format!("{}.{}", body["device_id"].as_str().expect("id"), body["device_secret"].as_str().expect("secret"))
    }

    /// A device registered with its device key (a software P-256 key standing in for the
    /// phone's Keystore / Secure Enclave key), as the app registers.
    pub async fn register_keyed_device(&self) -> KeyedDevice {
        let key = SoftwareDeviceKey::generate().expect("key");
        let body = self.post("/v1/devices", None, &json!({ "platform": "android", "device_key": device_key_field(&key) })).await.ok(201);
        let auth = format!("{}.{}", body["device_id"].as_str().expect("id"), body["device_secret"].as_str().expect("secret"));
        KeyedDevice { auth, key }
    }

    /// A fresh nonce for `auth`'s next presentation: (nonce, audience, server time in seconds).
    pub async fn presentation_nonce(&self, auth: &str) -> (String, String, i64) {
        let body = self.post("/v1/verified-id/nonce", Some(auth), &json!({})).await.ok(200);
        let time = chrono_seconds(body["server_time"].as_str().expect("time"));
        (body["nonce"].as_str().expect("nonce").to_owned(), body["audience"].as_str().expect("aud").to_owned(), time)
    }

    /// The key binding for a presentation of `jws` by `device`, over a nonce it just asked
    /// for, as the app builds it.
    pub async fn key_binding_for(&self, device: &KeyedDevice, jws: &str) -> String {
        let (nonce, audience, issued_at) = self.presentation_nonce(&device.auth).await;
        key_binding(&device.key, jws, &nonce, &audience, issued_at)
    }

    /// A POST carrying a presentation's key binding in its header.
    pub async fn post_presenting(&self, path: &str, auth: &str, key: &str, body: &Value, binding: &str) -> Answer {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Idempotency-Key", key)
            .header("Verified-Id-Key-Binding", binding)
            .bearer_auth(auth)
            .json(body);
        self.send(request).await
    }

    /// `device` presents `jws` for request `id`, freshly bound, as the app does.
    pub async fn present(&self, device: &KeyedDevice, id: &str, jws: &str) -> Answer {
        let binding = self.key_binding_for(device, jws).await;
        let path = format!("/v1/requests/{id}/verified-id/presentation");
        self.post_presenting(&path, &device.auth, &fresh_key(), &json!({ "jws": jws }), &binding).await
    }

    /// `device` opens a request with `identity`, presenting `jws` for the fast path.
    pub async fn create_presenting(&self, device: &KeyedDevice, identity: &Value, jws: &str) -> Answer {
        let binding = self.key_binding_for(device, jws).await;
        let mut body = identity.clone();
        body["verified_id"] = json!(jws);
        self.post_presenting("/v1/requests", &device.auth, &fresh_key(), &body, &binding).await
    }

    pub async fn review(&self, id: &str, action: &str, body: &Value) -> Answer {
        self.post(&format!("/v1/review/requests/{id}/{action}"), self.reviewer(), body).await
    }

    /// The seeded manager's bearer token, as `auth`.
    pub fn reviewer(&self) -> Option<&str> {
        Some(&self.reviewer_token)
    }

    /// Signs the seeded manager in again: a session lasts a working day (8 h of service time),
    /// so a test that moves the clock further signs in anew, as a reviewer would next morning.
    pub async fn sign_in_again(&mut self) {
        self.reviewer_token = self.reviewer_sign_in(MANAGER, REVIEWER_PASSWORD).await;
    }

    /// Signs `upn` in as a script does and returns the bearer token.
    pub async fn reviewer_sign_in(&self, upn: &str, password: &str) -> String {
        let body = self.post("/v1/review/tokens", None, &json!({ "upn": upn, "password": password })).await.ok(200);
        body["token"].as_str().expect("token").to_owned()
    }
}

/// One of the core's committed photo fixtures (core/tests/fixtures), e.g. `face_selfie_640x480`.
/// A device and the key it registered.
pub struct KeyedDevice {
    pub auth: String,
    pub key: SoftwareDeviceKey,
}

impl KeyedDevice {
    pub fn auth(&self) -> Option<&str> {
        Some(&self.auth)
    }
}

/// `device_key` of `POST /v1/devices` for `key`.
pub fn device_key_field(key: &SoftwareDeviceKey) -> Value {
    let proof = key.sign_der(&registration::statement(&key.public_key())).expect("signs");
    json!({ "public_key": key.public_key().to_base64url(), "proof": URL_SAFE_NO_PAD.encode(proof) })
}

/// A key-binding JWT by `key` for `jws` over `nonce`.
pub fn key_binding(key: &SoftwareDeviceKey, jws: &str, nonce: &str, audience: &str, issued_at: i64) -> String {
    let binding = KeyBinding { nonce: nonce.to_owned(), audience: audience.to_owned(), issued_at };
    let input = key_binding::signing_input(jws, &binding);
    key_binding::assemble(&input, &key.sign_der(input.as_bytes()).expect("signs")).expect("assembles")
}

/// Unix seconds of an RFC 3339 time the service wrote (`YYYY-MM-DDTHH:MM:SSZ`).
pub fn chrono_seconds(text: &str) -> i64 {
    identity_pass_service::from_rfc3339(text).expect("RFC 3339")
}

pub fn fixture_jpeg(name: &str) -> Vec<u8> {
    let path = format!("{}/../core/tests/fixtures/{name}.jpg", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A real selfie with one face: what the default face check (the core's detector) accepts.
pub fn face_jpeg() -> Vec<u8> {
    fixture_jpeg("face_selfie_640x480")
}

/// A JPEG of the given size with some texture (so it is not trivially small) and no face: for
/// the format, size and dimension checks, which refuse it before the face check runs.
/// A face JPEG whose frame header (SOF0) declares `width`×`height`: a decompression bomb when
/// large (a 320×320 file's bytes, a picture's worth of memory declared).
pub fn declaring_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = face_jpeg();
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame header");
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 7 % 256) as u8, (y * 5 % 256) as u8, ((x ^ y) % 256) as u8]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image).expect("encode");
    out
}

pub fn alice() -> Value {
    json!({ "upn": "alice@contoso.example", "employee_id": "E1001", "staff_kind": "employee",
            "personal_email": "alice.home@example.net" })
}

/// Bob (legacy path) in the app's order: UPN, employee ID and the consent given before, no date.
pub fn bob_identity() -> Value {
    json!({ "upn": "bob@contoso.example", "employee_id": "E1002", "staff_kind": "employee",
            "terms_version": "2026-01", "consent_accepted_at": "2026-11-21T08:59:30Z" })
}

/// Dave (passkey path), with consent.
pub fn dave_identity() -> Value {
    json!({ "upn": "dave@contoso.example", "employee_id": "E1004", "staff_kind": "employee",
            "terms_version": "2026-01", "consent_accepted_at": "2026-11-21T08:59:30Z" })
}

pub fn consent_body() -> Value {
    json!({ "terms_version": "2026-01", "accepted_at": "2026-11-21T09:00:00Z" })
}

/// Alice's "Get TAP" steps up to and including submission; returns the request id.
pub async fn alice_submitted(api: &Api, device: &str) -> String {
    let created = api.post("/v1/requests", Some(device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id").to_owned();
    api.post(&format!("/v1/requests/{id}/consent"), Some(device), &consent_body()).await.ok(200);
    api.post_bytes(&format!("/v1/requests/{id}/selfie"), device, "image/jpeg", face_jpeg()).await.ok(200);
    pass_liveness(api, device, &id).await;
    api.post(&format!("/v1/requests/{id}/submit"), Some(device), &json!({})).await.ok(200);
    id
}

/// Reviewer: call, user joins, 15 s pass, approve.
pub async fn approve(harness: &Harness, id: &str) -> Value {
    harness.api.review(id, "call", &json!({})).await.ok(200);
    harness.api.review(id, "join", &json!({})).await.ok(200);
    harness.clock.advance(15);
    harness.api.review(id, "decision", &json!({ "decision": "approve" })).await.ok(200)
}

/// A plain-HTTP client for loopback. When the whole workspace is built together, cargo unifies
/// reqwest's features with the runtime's `rustls-no-provider`, and building any client then
/// needs a process-wide rustls provider; installing ring's is harmless otherwise.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("client")
}

/// The reference partner's hand-off page, played by a user: the mobile number, the terms, and
/// the two photos, posted to the page's `…/check` endpoint with the hand-off token.
pub async fn submit_partner_page(handoff_url: &str, document: &[u8], selfie: &[u8]) -> Answer {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let (page, query) = handoff_url.split_once('?').expect("the hand-off URL carries its token");
    let form = json!({
        "phone_number": "+14255550123",
        "terms_accepted": true,
        "document_jpeg_base64": engine.encode(document),
        "selfie_jpeg_base64": engine.encode(selfie),
    });
    let response = http_client().post(format!("{page}/check?{query}")).json(&form).send().await.expect("partner reached");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    Answer { status, body, replayed: false }
}

/// Opens the request's partner session and has the user pass the check with real photos; the
/// verdict reaches the service by the partner's signed callback.
pub async fn verify_government_id(api: &Api, device: &str, id: &str) {
    let session = api.post(&format!("/v1/requests/{id}/government-id/session"), Some(device), &json!({})).await.ok(200);
    let handoff = session["handoff_url"].as_str().expect("hand-off URL");
    let answer = submit_partner_page(handoff, &fixture_jpeg("id_document_856x540"), &face_jpeg()).await.ok(200);
    assert_eq!(answer["result"], "verified", "{answer}");
    let verdict = api.get(&format!("/v1/requests/{id}/government-id"), Some(device)).await.ok(200);
    assert_eq!(verdict["status"], "verified");
}

static FRAME_SEEDS: AtomicU64 = AtomicU64::new(1);

/// The selfie fixture zoomed by `zoom` about the face, as the 320×240 JPEG frame the phone
/// uploads for a liveness challenge. A camera never takes the same bytes twice, and the service
/// refuses frames it judged before, so each call marks its frame with a fresh corner pixel.
pub fn liveness_frame(zoom: f32) -> Vec<u8> {
    let seed = FRAME_SEEDS.fetch_add(1, Ordering::SeqCst).to_le_bytes();
    identity_pass_core::testing::face_closer_jpeg(&face_jpeg(), zoom, Some([seed[0], seed[1], seed[2]]))
}

/// A printed photo moved steadily closer (3% a frame, 100 ms apart): 24 frames with a face that
/// do none of the actions asked, so they fail (they passed the retired "move closer"
/// challenge). The tests of refusals use them as any upload.
pub fn approach_frames() -> Value {
    use base64::Engine;
    let frames: Vec<Value> = (0..24)
        .map(|i| {
            let jpeg = liveness_frame(1.0 + 0.03 * i as f32);
            json!({ "timestamp_ms": 5_000 + i * 100, "jpeg_base64": base64::engine::general_purpose::STANDARD.encode(jpeg) })
        })
        .collect();
    Value::Array(frames)
}

/// The frames of the selfie's head (rendered in 3D, `simulated_person::PosedHead`) doing
/// `actions`, 100 ms apart, each with bytes of its own (the service refuses frames it judged
/// before).
pub fn frames_doing(actions: &[Action]) -> Value {
    use base64::Engine;
    // Numbers of this process's own (the service refuses frames judged before, and test
    // binaries share no counter, but each starts its own service).
    let first = FRAME_SEEDS.fetch_add(200, Ordering::SeqCst);
    let frames: Vec<Value> = identity_pass_core::testing::liveness_frames_doing(actions, first)
        .into_iter()
        .enumerate()
        .map(|(i, jpeg)| json!({ "timestamp_ms": 3_000 + i * 100, "jpeg_base64": base64::engine::general_purpose::STANDARD.encode(jpeg) }))
        .collect();
    Value::Array(frames)
}

/// A new liveness challenge for the request.
pub async fn liveness_challenge(api: &Api, device: &str, id: &str) -> String {
    liveness_challenge_drawn(api, device, id).await.0
}

/// A new liveness challenge for the request: its id and the actions the service drew.
pub async fn liveness_challenge_drawn(api: &Api, device: &str, id: &str) -> (String, Vec<Action>) {
    let challenge = api.post(&format!("/v1/requests/{id}/liveness/challenge"), Some(device), &json!({})).await.ok(200);
    assert_eq!(challenge["action"], "actions");
    (challenge["challenge_id"].as_str().expect("challenge").to_owned(), drawn_actions(&challenge))
}

/// The actions a challenge answer asks for, in order.
pub fn drawn_actions(challenge: &Value) -> Vec<Action> {
    challenge["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|code| Action::from_code(code.as_str().expect("a code")).expect("a known action"))
        .collect()
}

/// The liveness check, judged by the service on the frames of a head doing the actions drawn.
pub async fn pass_liveness(api: &Api, device: &str, id: &str) -> Value {
    let (challenge_id, actions) = liveness_challenge_drawn(api, device, id).await;
    let body = json!({ "challenge_id": challenge_id, "frames": frames_doing(&actions) });
    let view = api.post(&format!("/v1/requests/{id}/liveness"), Some(device), &body).await.ok(200);
    assert_eq!(view["liveness_result"], "passed", "{actions:?}: {}", view["liveness_reason"]);
    view
}

/// Runs every future at once (each on its own task, so they truly overlap) and collects their
/// answers in order.
pub async fn all_at_once<F: std::future::Future<Output = Answer> + Send + 'static>(futures: impl IntoIterator<Item = F>) -> Vec<Answer> {
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

/// Alice approved, her TAP issued: (device, request id, TAP code).
pub async fn alice_with_tap(h: &Harness) -> (String, String, String) {
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    approve(h, &id).await;
    let tap = h.api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await.ok(201);
    (device, id, tap["temporaryAccessPass"].as_str().expect("code").to_owned())
}

/// Alice signed in with her TAP on her phone: (device, request id, its security-info path).
pub async fn alice_signed_in(h: &Harness) -> (String, String, String) {
    let (device, id, code) = alice_with_tap(h).await;
    h.api.post(&format!("/v1/requests/{id}/tap/sign-in"), Some(&device), &json!({ "temporaryAccessPass": code })).await.ok(200);
    (device, id.clone(), format!("/v1/requests/{id}/security-info"))
}

/// A test service whose calls name `relay` and share its secret. Its clock starts at the wall
/// clock: the relay checks the credentials' expiry against it.
pub async fn start_with_relay(relay: &turn::TurnRelay) -> Harness {
    let clock = std::sync::Arc::new(identity_pass_service::ManualClock::new(turn::wall_clock_now()));
    let pushes = std::sync::Arc::new(identity_pass_service::RecordingPushSender::default());
    let mut service_config = config(clock.clone(), pushes.clone(), None);
    service_config.call_network = identity_pass_service::domain::call_network::CallNetwork {
        stun_urls: Vec::new(),
        turn_urls: vec![relay.url.clone()],
        turn_secret: Some(identity_pass_service::secrets::Redacted::new(relay.secret.clone())),
        relay_only: false,
    };
    start_with(service_config, clock, pushes).await
}
