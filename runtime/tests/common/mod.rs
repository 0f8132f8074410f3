//! A phone on one machine: the real reference service (SQLite in a temporary directory), the
//! runtime against it over loopback HTTP, a scripted shell in place of the app's screens, a
//! reviewer talking to the service's reviewer API, and camera frames made from real photographs.
//! The phone's keystore is the one thing replaced (`MemorySecureStore`, a named test double).

#![allow(dead_code)]

pub mod account_security;
pub mod contract;
pub mod http_message;
pub mod lossy_proxy;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use identity_pass_core::eligibility::{DeviceProfile, Distribution, Platform, RequiredApp};
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::view::{ReviewStage, Screen, ViewState};
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_core::selfie::{Frame, PixelFormat, Plane};
use identity_pass_core::testing::MemorySecureStore;
use identity_pass_runtime::{Clock, OnboardingRuntime, SessionConfig, SessionListener, SessionView, StatusMode};
use identity_pass_service::{ManualClock, RunningService, ServiceConfig};

pub const WAIT: Duration = Duration::from_secs(20);

/// The phone's clock, following the service's manual clock (plus a skew).
pub struct PhoneClock {
    pub service: Arc<ManualClock>,
    pub skew_ms: i64,
}

impl Clock for PhoneClock {
    fn now_ms(&self) -> i64 {
        identity_pass_service::Clock::now(&*self.service) * 1_000 + self.skew_ms
    }
}

/// Records what the runtime asks the platform to do.
#[derive(Default)]
pub struct ScriptedShell {
    pub effects: Mutex<Vec<Effect>>,
    pub views: Mutex<Vec<ViewState>>,
    /// The reviewer's video as the call drew it: each picture's size and the spread of its
    /// luma (a flat picture has none).
    pub call_pictures: Mutex<Vec<DrawnPicture>>,
    /// The reviewer's voice as the call played it: the loudness (RMS) of each piece.
    pub call_audio: Mutex<Vec<f64>>,
}

/// One picture of the reviewer the shell was given to draw.
#[derive(Debug, Clone, Copy)]
pub struct DrawnPicture {
    pub width: u32,
    pub height: u32,
    pub luma_spread: f64,
}

impl SessionListener for ScriptedShell {
    fn on_view(&self, view: ViewState) {
        self.views.lock().expect("views").push(view);
    }
    fn on_platform_effect(&self, effect: Effect) {
        self.effects.lock().expect("effects").push(effect);
    }
    fn on_call_video(&self, picture: &identity_pass_core::selfie::call_picture::CallPicture) {
        let luma = picture.y();
        let mean = luma.iter().map(|&v| f64::from(v)).sum::<f64>() / luma.len() as f64;
        let spread = (luma.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / luma.len() as f64).sqrt();
        self.call_pictures.lock().expect("pictures").push(DrawnPicture {
            width: picture.width(),
            height: picture.height(),
            luma_spread: spread,
        });
    }
    fn on_call_audio(&self, samples: &[i16]) {
        let rms = (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len().max(1) as f64).sqrt();
        self.call_audio.lock().expect("audio").push(rms);
    }
}

impl ScriptedShell {
    pub fn saw(&self, matches: impl Fn(&Effect) -> bool) -> bool {
        self.effects.lock().expect("effects").iter().any(matches)
    }
}

pub struct Env {
    pub service: Option<RunningService>,
    pub clock: Arc<ManualClock>,
    pub store: Arc<MemorySecureStore>,
    pub shell: Arc<ScriptedShell>,
    pub db: PathBuf,
    pub base_url: String,
    pub listen: std::net::SocketAddr,
    _dir: tempfile::TempDir,
    pub http: reqwest::Client,
    push: Arc<dyn identity_pass_service::PushSender>,
    call_network: identity_pass_service::domain::call_network::CallNetwork,
}

pub const START: i64 = 1_795_219_200; // 2026-11-20T00:00:00Z

impl Env {
    pub async fn start() -> Env {
        Env::start_with_push(Arc::new(identity_pass_service::RecordingPushSender::default())).await
    }

    /// With `push` delivering the service's pushes (the benchmark forwards them to the phone).
    pub async fn start_with_push(push: Arc<dyn identity_pass_service::PushSender>) -> Env {
        Env::start_configured(push, START, identity_pass_service::domain::call_network::CallNetwork::default()).await
    }

    /// A service whose calls go through `network` (a TURN relay), its clock at the wall clock's
    /// time: the relay checks the credentials' expiry against its own clock.
    pub async fn start_with_call_network(network: identity_pass_service::domain::call_network::CallNetwork) -> Env {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(START, |d| d.as_secs() as i64);
        Env::start_configured(Arc::new(identity_pass_service::RecordingPushSender::default()), now, network).await
    }

    async fn start_configured(
        push: Arc<dyn identity_pass_service::PushSender>,
        start: i64,
        call_network: identity_pass_service::domain::call_network::CallNetwork,
    ) -> Env {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("service.sqlite3");
        let clock = Arc::new(ManualClock::new(start));
        let service = spawn_with(&clock, &db, "127.0.0.1:0".parse().expect("addr"), push.clone(), call_network.clone()).await;
        let listen: std::net::SocketAddr =
            service.base_url.trim_start_matches("http://").trim_end_matches('/').parse().expect("loopback address");
        let base_url = service.base_url.clone();
        Env {
            service: Some(service),
            clock,
            store: Arc::new(MemorySecureStore::default()),
            shell: Arc::new(ScriptedShell::default()),
            db,
            base_url,
            listen,
            _dir: dir,
            http: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client"),
            push,
            call_network,
        }
    }

    /// A runtime over this env's store: a fresh one is what the app is after being killed.
    pub fn phone(&self, mode: StatusMode) -> OnboardingRuntime {
        self.phone_at(&self.base_url, mode)
    }

    /// A runtime that reaches the service through `url` (a proxy).
    pub fn phone_at(&self, url: &str, mode: StatusMode) -> OnboardingRuntime {
        self.phone_with(url, self.store.clone(), mode)
    }

    /// A runtime over another phone's `store` (its own device credential and device key).
    pub fn phone_with(&self, url: &str, store: Arc<MemorySecureStore>, mode: StatusMode) -> OnboardingRuntime {
        self.phone_configured(url, store, mode, false)
    }

    /// A runtime that opens the reviewer's call's media itself (`joins_call_media`).
    pub fn phone_joining_calls(&self) -> OnboardingRuntime {
        self.phone_configured(&self.base_url, self.store.clone(), StatusMode::LongPoll { wait_seconds: 2 }, true)
    }

    /// [`Self::phone_joining_calls`] walked to the review (Alice, the selfie, liveness): the
    /// phone and its request.
    pub async fn phone_in_review_joining_calls(&self) -> (Arc<OnboardingRuntime>, String) {
        let phone = Arc::new(self.phone_joining_calls());
        through_selfie(self, &phone).await;
        pass_liveness(self, &phone, 10_000).await;
        let waiting = wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
        (phone, waiting.request_id.expect("a request"))
    }

    fn phone_configured(&self, url: &str, store: Arc<MemorySecureStore>, mode: StatusMode, joins_call_media: bool) -> OnboardingRuntime {
        let mut config = SessionConfig::new(url.to_owned(), Platform::Android, Distribution::China);
        config.status_mode = mode;
        config.joins_call_media = joins_call_media;
        config.transport.retry.base_delay = Duration::from_millis(50);
        config.transport.retry.max_delay = Duration::from_millis(200);
        OnboardingRuntime::start(
            config,
            store.clone(),
            self.shell.clone(),
            Arc::new(identity_pass_runtime::software_passkey::SoftwarePasskeyAuthenticator::new("https://id.contoso.example")),
            // The phone's Keystore, faked: a software key kept in this phone's store, so a
            // restarted app has the same key and another phone (another env) another one.
            Arc::new(identity_pass_runtime::software_device_key::StoredSoftwareDeviceKey::new(store)),
            Arc::new(PhoneClock { service: self.clock.clone(), skew_ms: -7 * 60_000 }),
        )
        .expect("runtime starts")
    }

    pub async fn stop_service(&mut self) {
        if let Some(service) = self.service.take() {
            service.shutdown().await;
        }
    }

    pub async fn restart_service(&mut self) {
        self.stop_service().await;
        self.service = Some(spawn_with(&self.clock, &self.db, self.listen, self.push.clone(), self.call_network.clone()).await);
    }

    pub fn rows(&self, table: &str) -> i64 {
        self.service.as_ref().expect("service running").count_rows(table).expect("count")
    }

    /// A bearer token of the seeded manager, signed in afresh: sessions last 8 h of service
    /// time and the tests move the clock by days and restart the service.
    pub async fn reviewer_token(&self) -> String {
        let url = format!("{}/v1/review/tokens", self.base_url.trim_end_matches('/'));
        let body = serde_json::json!({ "upn": identity_pass_service::domain::directory_seed::SEED_MANAGER, "password": REVIEWER_PASSWORD });
        let response =
            self.http.post(url).header("Idempotency-Key", format!("sign-in-{}", rand_suffix())).json(&body).send().await.expect("sign-in");
        let status = response.status();
        let answer: serde_json::Value = response.json().await.unwrap_or_default();
        assert!(status.is_success(), "reviewer sign-in: {status} {answer}");
        answer["token"].as_str().expect("a bearer token").to_owned()
    }

    /// A reviewer action whose refusal is the point: the status and the body, whatever they are.
    pub async fn review_raw(&self, request_id: &str, action: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let url = format!("{}/v1/review/requests/{request_id}/{action}", self.base_url.trim_end_matches('/'));
        let response = self
            .http
            .post(url)
            .bearer_auth(self.reviewer_token().await)
            .header("Idempotency-Key", format!("review-{action}-{}", rand_suffix()))
            .json(&body)
            .send()
            .await
            .expect("reviewer call");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    /// The reviewer's queue entry of `request_id` (the service's view of the call).
    pub async fn queue_entry(&self, request_id: &str) -> serde_json::Value {
        let url = format!("{}/v1/review/requests", self.base_url.trim_end_matches('/'));
        let response = self.http.get(url).bearer_auth(self.reviewer_token().await).send().await.expect("queue");
        let queue: serde_json::Value = response.json().await.expect("queue body");
        let entries = queue["requests"].as_array().cloned().unwrap_or_default();
        entries.into_iter().find(|e| e["request_id"] == serde_json::json!(request_id)).unwrap_or_default()
    }

    pub async fn review(&self, request_id: &str, action: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, body) = self.review_raw(request_id, action, body).await;
        assert!((200..300).contains(&status), "reviewer {action}: {status} {body}");
        body
    }

    /// Whether `code` signs `upn` in (the service's stand-in for Entra's TAP sign-in).
    pub async fn tap_signs_in(&self, upn: &str, code: &str) -> bool {
        let url = format!("{}/v1/tap/sign-in", self.base_url.trim_end_matches('/'));
        let response = self
            .http
            .post(url)
            .header("Idempotency-Key", format!("sign-in-{}", rand_suffix()))
            .json(&serde_json::json!({ "upn": upn, "temporaryAccessPass": code }))
            .send()
            .await
            .expect("sign-in call");
        response.status().is_success()
    }

    /// The reviewer's whole call: invite, the user joins, 20 s pass, the user leaves.
    pub async fn reviewer_holds_the_call(&self, phone: &OnboardingRuntime, request_id: &str) {
        self.review(request_id, "call", serde_json::json!({})).await;
        wait_screen(phone, |s| matches!(s, Screen::Review { stage: ReviewStage::CallInvited })).await;
        phone.send(ShellEvent::Continue);
        wait_until(|| self.shell.saw(|e| matches!(e, Effect::JoinCall { .. }))).await;
        phone.send(ShellEvent::CallJoined);
        self.review(request_id, "join", serde_json::json!({})).await;
        self.clock.advance(20);
        self.review(request_id, "leave", serde_json::json!({})).await;
        phone.send(ShellEvent::CallEnded);
    }
}

fn rand_suffix() -> String {
    identity_pass_runtime::IdempotencyKey::generate().expect("random").as_str().to_owned()
}

/// The seeded reviewer accounts' password in these tests.
pub const REVIEWER_PASSWORD: &str = "reviewer-password-for-runtime-tests";

async fn spawn_with(
    clock: &Arc<ManualClock>,
    db: &std::path::Path,
    listen: std::net::SocketAddr,
    push_sender: Arc<dyn identity_pass_service::PushSender>,
    call_network: identity_pass_service::domain::call_network::CallNetwork,
) -> RunningService {
    let config = ServiceConfig {
        call_network,
        listen,
        db_path: Some(db.to_path_buf()),
        clock: clock.clone(),
        push_sender,
        // Fixed, so the accounts a first start created still sign in after a restart.
        reviewer_password: Some(REVIEWER_PASSWORD.to_owned()),
        // Text messages and voice calls go to the development providers' outbox, which the
        // tests read as the user's phone (`GET /v1/dev/outbox`, the keypad of a call).
        development_providers: true,
        ..ServiceConfig::default()
    };
    identity_pass_service::spawn_embedded(config).await.expect("service starts")
}

pub async fn wait_until(condition: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn wait_screen(phone: &OnboardingRuntime, matches: impl Fn(&Screen) -> bool) -> SessionView {
    match phone.wait_for(WAIT, |v| matches(&v.view.screen)).await {
        Ok(view) => view,
        Err(view) => panic!(
            "screen never came; stuck on {:?} (notice {:?}, calls in flight {}, revision {})",
            view.view.screen, view.view.notice, view.calls_in_flight, view.revision
        ),
    }
}

pub fn android_14() -> DeviceProfile {
    DeviceProfile {
        platform: Platform::Android,
        os_major: 14,
        os_minor: 0,
        distribution: Distribution::China,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: RequiredApp::ALL.to_vec(),
    }
}

pub fn person(upn: &str, employee_id: &str) -> IdentityForm {
    IdentityForm { upn: upn.into(), employee_id: employee_id.into(), personal_email: None, staff_kind: StaffKind::Employee }
}

pub fn alice() -> IdentityForm {
    IdentityForm { upn: "alice@contoso.example".into(), employee_id: "E1001".into(), personal_email: None, staff_kind: StaffKind::Employee }
}

/// Device check, permissions (precise location), consent, identity: up to the service's answer.
pub async fn through_identity(phone: &OnboardingRuntime, form: IdentityForm) {
    phone.send(ShellEvent::DeviceChecked { profile: android_14() });
    phone.send(ShellEvent::Continue);
    for permission in Permission::ALL {
        phone.send(ShellEvent::PermissionReported { permission, status: PermissionStatus::Granted });
    }
    phone.send(ShellEvent::ConsentAnswered { accepted: true });
    wait_screen(phone, |s| matches!(s, Screen::IdentityEntry { .. })).await;
    phone.send(ShellEvent::IdentitySubmitted { form });
}

/// Plays the user on the reference partner's page the phone was handed off to (the runtime's
/// `reference_partner`, as the desktop demo does): the phone number, the partner's terms, a
/// photo of the ID document and a selfie. The partner reports its verdict to the service, not
/// to the phone; its answer to the page (`verified` or `rejected`) is returned.
pub async fn complete_reference_partner_check(handoff_url: &str) -> String {
    use identity_pass_runtime::reference_partner::{PartnerForm, submit_reference_partner_page};
    let fixture = |name: &str| {
        let path = format!("{}/../core/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let (document_jpeg, selfie_jpeg) = (fixture("id_document_856x540.jpg"), fixture("face_selfie_640x480.jpg"));
    let form = PartnerForm { phone_number: "+14255550123", document_jpeg: &document_jpeg, selfie_jpeg: &selfie_jpeg };
    submit_reference_partner_page(handoff_url, form).await.unwrap_or_else(|e| panic!("the partner's check: {e}"))
}

/// The hand-off URL of the last partner check the phone started.
pub fn handoff_url(shell: &ScriptedShell) -> String {
    let effects = shell.effects.lock().expect("effects");
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::StartGovernmentIdCheck { handoff_url, .. } => Some(handoff_url.clone()),
            _ => None,
        })
        .expect("a partner check was started")
}

/// The user is back from the partner's page: the phone asks the service for the verdict, and
/// while the partner has not reported it, asks again at the wake-up 5 s later. The phone's
/// clock is the service's manual one, so the test moves it and delivers the OS wake-up; a
/// wake-up with nothing due does nothing. Returns the first view past the government ID, or
/// the one explaining why it did not get past (a rejection, a failed call).
pub async fn back_from_the_partner(env: &Env, phone: &OnboardingRuntime) -> SessionView {
    phone.send(ShellEvent::GovernmentIdHandoffEnded);
    for _ in 0..20 {
        let decided = |v: &SessionView| !matches!(v.view.screen, Screen::GovernmentId { .. }) || v.view.notice.is_some();
        if let Ok(view) = phone.wait_for(Duration::from_secs(1), decided).await {
            return view;
        }
        env.clock.advance(5);
        phone.send(ShellEvent::Tick);
    }
    panic!("no verdict from the service; stuck on {:?}", phone.view().view);
}

/// The selfie photograph, zoomed by `zoom` about the face, as 640×480 RGB.
pub fn selfie_rgb(zoom: f32) -> Vec<u8> {
    selfie_rgb_at(zoom, 0)
}

/// The selfie photograph, zoomed by `zoom` about a point `dx` pixels right of the face, as
/// 640×480 RGB (the face `dx` pixels left of where `selfie_rgb` has it).
pub fn selfie_rgb_at(zoom: f32, dx: u32) -> Vec<u8> {
    let path = format!("{}/../core/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"));
    let source = image::open(path).expect("fixture").to_rgb8();
    let (w, h) = (640.0 / zoom, 480.0 / zoom);
    let x = (320.0 - w / 2.0).max(0.0) as u32 + dx;
    let y = (250.0 - h / 2.0).max(0.0) as u32;
    let crop = image::imageops::crop_imm(&source, x, y, w as u32, h as u32).to_image();
    image::imageops::resize(&crop, 640, 480, image::imageops::FilterType::Triangle).into_raw()
}

/// Frames the liveness camera has made in this process, each marked with its number.
static LIVENESS_FRAMES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The liveness step's camera: the selfie's head (turned and blinking in 3D,
/// `simulated_person::PosedHead`) doing what each verdict asks (`simulated_person::ObedientPerson`), 100 ms
/// apart, until the phone's challenge ends; returns the next frame time. Every frame carries
/// its own number along its top (`mark_frame`), so no two frames are the same picture: a real camera never
/// gives one twice, and the service refuses frames it judged before for another challenge
/// (`LIVENESS_FRAMES_REUSED`, a replay).
pub fn perform_liveness(phone: &OnboardingRuntime, first_timestamp: u64) -> u64 {
    use identity_pass_core::selfie::LivenessState;
    use identity_pass_core::simulated_person::{ObedientPerson, PosedHead, mark_frame};
    static HEAD: std::sync::OnceLock<PosedHead> = std::sync::OnceLock::new();
    let head = HEAD.get_or_init(|| {
        let path = format!("{}/../core/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"));
        PosedHead::new(image::open(path).expect("fixture").to_rgb8()).expect("the selfie shows one face")
    });
    let mut person = ObedientPerson::default();
    let mut told = None;
    let mut t = first_timestamp;
    let mut trail = Vec::new();
    for _ in 0..160 {
        let mut picture = head.draw(person.next_pose(told));
        mark_frame(&mut picture, u64::from(LIVENESS_FRAMES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
        let frame =
            Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: picture.as_raw(), row_stride: 1920, pixel_stride: 3 }]).expect("frame");
        let verdict = phone.push_frame(&frame, t).expect("analysed");
        trail.push(format!("{t}: {told:?} → {:?}", verdict.liveness));
        t += 100;
        told = match verdict.liveness {
            Some(LivenessState::DoAction { action, index, .. }) => Some((index, action)),
            Some(LivenessState::Passed { .. }) => break,
            Some(LivenessState::Failed { .. }) => {
                // Shown with the test's failure: what the person was told, frame by frame.
                eprintln!("the phone's liveness challenge failed:\n{}", trail.join("\n"));
                break;
            }
            _ => None,
        };
    }
    t
}

/// How many liveness runs the phone has started (`Effect::StartLiveness`).
pub fn liveness_runs(shell: &ScriptedShell) -> usize {
    shell.effects.lock().expect("effects").iter().filter(|e| matches!(e, Effect::StartLiveness { .. })).count()
}

/// "Start liveness check": the phone asks the service for a challenge, and its answer starts
/// the camera's run.
pub async fn start_liveness(env: &Env, phone: &OnboardingRuntime) {
    let before = liveness_runs(&env.shell);
    phone.send(ShellEvent::Continue);
    wait_until(|| liveness_runs(&env.shell) > before).await;
}

/// Alice up to the liveness screen: identity, then the selfie taken and uploaded.
pub async fn through_selfie(env: &Env, phone: &OnboardingRuntime) {
    through_identity(phone, alice()).await;
    wait_screen(phone, |s| matches!(s, Screen::Selfie { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::StartSelfie)).await;
    push_frames(phone, 1_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    wait_screen(phone, |s| matches!(s, Screen::Liveness { .. })).await;
}

/// The liveness step: "Continue" (a challenge from the service), then a face coming closer
/// until the phone's challenge passes; its frames then go to the service, which judges them.
pub async fn pass_liveness(env: &Env, phone: &OnboardingRuntime, first_timestamp: u64) {
    start_liveness(env, phone).await;
    perform_liveness(phone, first_timestamp);
}

/// Pushes camera frames until `done` says so; returns the frames pushed.
pub fn push_frames(
    phone: &OnboardingRuntime,
    first_timestamp: u64,
    zooms: impl Iterator<Item = f32>,
    done: impl Fn(&identity_pass_core::selfie::FrameVerdict) -> bool,
) -> u64 {
    let mut t = first_timestamp;
    for zoom in zooms {
        let pixels = selfie_rgb(zoom);
        let frame = Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 1920, pixel_stride: 3 }]).expect("frame");
        let verdict = phone.push_frame(&frame, t).expect("analysed");
        t += 100;
        if done(&verdict) {
            break;
        }
    }
    t
}

/// Walks "Get TAP" for Alice from the first screen to the TAP, calling `between` at every
/// milestone (it may hand back a new runtime: the app killed and started again). Returns the
/// runtime, the request and the TAP code.
pub async fn walk_get_tap(
    env: &Env,
    phone: OnboardingRuntime,
    between: impl FnMut(OnboardingRuntime) -> OnboardingRuntime,
) -> (OnboardingRuntime, String, String) {
    walk_get_tap_as(env, phone, alice(), between).await
}

/// `walk_get_tap` for anyone on the "Get TAP" path with liveness on.
pub async fn walk_get_tap_as(
    env: &Env,
    phone: OnboardingRuntime,
    form: IdentityForm,
    mut between: impl FnMut(OnboardingRuntime) -> OnboardingRuntime,
) -> (OnboardingRuntime, String, String) {
    use identity_pass_core::flow::view::{ReviewStage, Screen};

    through_identity(&phone, form).await;
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    let phone = between(phone);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::StartSelfie)).await;
    push_frames(&phone, 1_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    let phone = between(phone);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    pass_liveness(env, &phone, 10_000).await;
    let waiting = wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    let request_id = waiting.request_id.expect("a request");
    let phone = between(phone);
    env.reviewer_holds_the_call(&phone, &request_id).await;
    let phone = between(phone);
    env.review(&request_id, "decision", serde_json::json!({ "decision": "approve" })).await;
    let shown = wait_screen(&phone, |s| matches!(s, Screen::Tap { code: Some(_), .. })).await;
    let Screen::Tap { code: Some(code), .. } = &shown.view.screen else { unreachable!() };
    let code = code.expose_secret().to_owned();
    (phone, request_id, code)
}

/// After a TAP: it expires (31 minutes on both clocks), then "Get a new TAP" — a new request
/// on the stored Verified ID, liveness only, no reviewer call. Returns the new TAP's code.
pub async fn new_tap_through_the_fast_path(env: &Env, phone: &OnboardingRuntime) -> String {
    use identity_pass_core::flow::view::Screen;
    wait_until(|| env.store.raw(identity_pass_core::StoreKey::VerifiedId).is_some()).await;
    env.clock.advance(31 * 60);
    phone.send(ShellEvent::Tick);
    wait_screen(phone, |s| matches!(s, Screen::TapExpired { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_screen(phone, |s| matches!(s, Screen::Liveness { fast_path: true, .. })).await;
    pass_liveness(env, phone, 100_000).await;
    let shown = wait_screen(phone, |s| matches!(s, Screen::Tap { code: Some(_), .. })).await;
    let Screen::Tap { code: Some(code), .. } = &shown.view.screen else { unreachable!() };
    code.expose_secret().to_owned()
}
