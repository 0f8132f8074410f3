//! Concurrent "Get TAP" onboardings against the reference service on loopback (issue 14, item 5).
//!
//! `cargo bench -p identity-pass-service --bench load` — starts the service in this process on
//! an on-disk SQLite database (WAL, as the service configures it) in a temporary directory, then
//! runs every simulated device at once, each a tokio task with its own HTTP client (a phone has
//! its own connections; one shared pool would hide the connection count the service must hold):
//! register → create request (its own person) → consent → selfie → liveness challenge + frames
//! (judged by the service with the core's analysis) → submit → status long-poll, held open while
//! a reviewer task calls, records the join, advances the manual clock 15 s, records the leave and
//! approves → TAP. The run is bounded in time; afterwards it prints, per endpoint (route
//! template), count, p50, p99, max and errors, then requests/s and onboardings completed.
//!
//! Environment: `LOAD_DEVICES` (default 200), `LOAD_SECONDS` (time bound, default 120),
//! `LOAD_LIVENESS_DEVICES` (how many of the devices take the liveness step; default all, the
//! others are people whose rollout does not ask for it, for a like-for-like comparison).
//! Exits non-zero if any request failed or any onboarding did not finish within the bound.
//!
//! The manual clock is shared by every request: a reviewer's 15 s jump would age every open
//! liveness challenge (120 s lifetime) by 15 s, which real calls running side by side never do.
//! So a jump waits until no liveness step (challenge → verdict) is in flight, and liveness steps
//! wait for a jump in progress (a bench-side read/write gate); the wait is not inside any timed
//! request.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::testing::liveness_frames_doing;
use identity_pass_service::domain::directory::{Directory, RolloutFlags};
use identity_pass_service::domain::face_image::validate_jpeg;
use identity_pass_service::domain::liveness_check::{self, Asked, UploadedFrame};
use identity_pass_service::{DetectedFace, ManualClock, RecordingPushSender, ServiceConfig, spawn_embedded};
use serde_json::{Value, json};
use tokio::sync::RwLock;

/// 2026-11-21T09:00:00Z, the tests' start.
const START: i64 = 1_795_251_600;
/// The seeded reviewer accounts' password; the reviewer signs in once, before the run.
const REVIEWER_PASSWORD: &str = "reviewer-password-for-load";
/// The longest status long-poll a device asks for (the service's default maximum).
const LONG_POLL_SECONDS: u64 = 30;

/// Latencies and failures of one route template.
#[derive(Default)]
struct Endpoint {
    latencies: Vec<Duration>,
    errors: u64,
}

/// Every request's outcome, by route template; and the failures, described.
#[derive(Default)]
struct Recorder {
    endpoints: Mutex<BTreeMap<&'static str, Endpoint>>,
    failures: Mutex<Vec<String>>,
    /// When, since the run's start, each device reached each step.
    milestones: Mutex<BTreeMap<&'static str, Vec<Duration>>>,
}

impl Recorder {
    fn record(&self, route: &'static str, latency: Duration, failure: Option<String>) {
        if let Ok(mut endpoints) = self.endpoints.lock() {
            let endpoint = endpoints.entry(route).or_default();
            endpoint.latencies.push(latency);
            endpoint.errors += u64::from(failure.is_some());
        }
        if let Some(failure) = failure {
            self.fail(failure);
        }
    }

    fn reached(&self, milestone: &'static str, since_start: Duration) {
        if let Ok(mut milestones) = self.milestones.lock() {
            milestones.entry(milestone).or_default().push(since_start);
        }
    }

    fn fail(&self, failure: String) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.push(failure);
        }
    }
}

static KEYS: AtomicU64 = AtomicU64::new(0);

/// A small JSON client that times each request under its route template.
struct Client {
    http: reqwest::Client,
    base: String,
    recorder: Arc<Recorder>,
}

/// Why a flow stopped: the request that failed (already recorded).
type Step<T> = Result<T, String>;

enum Body {
    Json(Value),
    Jpeg(Vec<u8>),
    None,
}

impl Client {
    fn new(base: &str, recorder: Arc<Recorder>) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(LONG_POLL_SECONDS + 30)).build().expect("client");
        Self { http, base: base.to_owned(), recorder }
    }

    /// Sends one request and records its latency (to the last byte of the answer) under `route`;
    /// any transport error or status other than `expected` is a failure.
    async fn send(&self, route: &'static str, path: &str, auth: Option<&str>, body: Body, expected: u16) -> Step<Value> {
        let url = format!("{}{path}", self.base);
        let post = !matches!(body, Body::None);
        let mut request = match body {
            Body::None => self.http.get(url),
            Body::Json(json) => self.http.post(url).json(&json),
            Body::Jpeg(bytes) => self.http.post(url).header("Content-Type", "image/jpeg").body(bytes),
        };
        if post {
            request = request.header("Idempotency-Key", format!("load-{}", KEYS.fetch_add(1, Ordering::Relaxed)));
        }
        if let Some(auth) = auth {
            request = request.bearer_auth(auth);
        }
        let started = Instant::now();
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                response.bytes().await.map(|bytes| (status, bytes))
            }
            Err(error) => Err(error),
        };
        let latency = started.elapsed();
        let outcome = match answer {
            Ok((status, bytes)) if status == expected => Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null)),
            Ok((status, bytes)) => Err(format!("{route}: {status} {}", String::from_utf8_lossy(&bytes))),
            Err(error) => Err(format!("{route}: transport: {error}")),
        };
        self.recorder.record(route, latency, outcome.as_ref().err().cloned());
        outcome
    }

    async fn post(&self, route: &'static str, path: &str, auth: &str, body: Value, expected: u16) -> Step<Value> {
        self.send(route, path, Some(auth), Body::Json(body), expected).await
    }
}

/// A JSON field the flow needs, or a failure saying which.
fn field(value: &Value, name: &str, step: &str) -> Step<String> {
    value[name].as_str().map(str::to_owned).ok_or_else(|| format!("{step}: no {name} in {value}"))
}

/// The liveness frames (320×240 JPEG, as the tests' `frames_doing` makes them) of the selfie's
/// head doing every sequence of actions the service can draw, keyed by the sequence: drawn and
/// encoded once, before the run, and made unique per device by [`mark`].
fn frames_of_every_draw() -> HashMap<Vec<Action>, Vec<Vec<u8>>> {
    let mut frames = HashMap::new();
    // `Action::sequence_from` reads its four bytes modulo 2, 4, 3 and 2.
    for random in (0..2u8).flat_map(|a| (0..4u8).flat_map(move |b| (0..3u8).flat_map(move |c| (0..2u8).map(move |d| [a, b, c, d])))) {
        frames.entry(Action::sequence_from(random)).or_insert_with_key(|actions| liveness_frames_doing(actions, 0));
    }
    frames
}

/// `jpeg` with a comment segment naming the device and frame right after SOI: other bytes
/// (the service refuses frames it judged before, as a camera never takes the same bytes
/// twice), the same pixels, so the same work to judge.
fn mark(jpeg: &[u8], device: usize, frame: usize) -> Vec<u8> {
    let comment = format!("load device {device} frame {frame}");
    let length = u16::try_from(comment.len() + 2).expect("short comment");
    let mut out = Vec::with_capacity(jpeg.len() + comment.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The generated directory: the seeded one plus `devices` people like Alice ("Get TAP", in the
/// TAP policy's scope, with a badge photo); those from `liveness_devices` on have a per-user
/// rollout without the liveness step.
fn directory(devices: usize, liveness_devices: usize) -> Directory {
    let mut directory = ServiceConfig::default().directory;
    let alice = directory.find("alice@contoso.example").expect("Alice is seeded").clone();
    // The last one is the probe's (`start_probe`).
    for i in 0..=devices {
        let mut person = alice.clone();
        person.upn = upn(i);
        person.employee_id = format!("L{i:05}");
        if i >= liveness_devices {
            person.flags_override = Some(RolloutFlags { liveness_prompt: false, verified_id: true });
        }
        directory.entries.push(person);
    }
    directory
}

fn upn(i: usize) -> String {
    format!("load{i:04}@contoso.example")
}

/// What every device shares.
struct Shared {
    base: String,
    recorder: Arc<Recorder>,
    reviewer: Client,
    /// The seeded manager's bearer token (they review every simulated person).
    reviewer_token: String,
    clock: Arc<ManualClock>,
    /// Liveness steps read, clock jumps write (module doc).
    clock_gate: RwLock<()>,
    selfie: Vec<u8>,
    frames: HashMap<Vec<Action>, Vec<Vec<u8>>>,
    liveness_devices: usize,
    started: Instant,
}

impl Shared {
    fn reached(&self, milestone: &'static str) {
        self.recorder.reached(milestone, self.started.elapsed());
    }
}

/// One device's "Get TAP" onboarding, register to TAP.
async fn onboard(shared: Arc<Shared>, i: usize) -> Step<()> {
    let api = Client::new(&shared.base, shared.recorder.clone());
    let device = api.send("POST /v1/devices", "/v1/devices", None, Body::Json(json!({ "platform": "android" })), 201).await?;
    let auth = format!("{}.{}", field(&device, "device_id", "register")?, field(&device, "device_secret", "register")?);
    shared.reached("1 registered");
    let identity = json!({ "upn": upn(i), "employee_id": format!("L{i:05}"), "staff_kind": "employee" });
    let created = api.post("POST /v1/requests", "/v1/requests", &auth, identity, 201).await?;
    let id = field(&created, "request_id", "create")?;
    let wants_liveness = i < shared.liveness_devices;
    if created["path"] != "get_tap" || created["flags"]["liveness_prompt"] != wants_liveness {
        return Err(format!("create: unexpected path or flags {created}"));
    }
    let consent = json!({ "terms_version": "2026-01", "accepted_at": "2026-11-21T09:00:00Z" });
    api.post("POST /v1/requests/{id}/consent", &format!("/v1/requests/{id}/consent"), &auth, consent, 200).await?;
    let selfie = Body::Jpeg(shared.selfie.clone());
    api.send("POST /v1/requests/{id}/selfie", &format!("/v1/requests/{id}/selfie"), Some(&auth), selfie, 200).await?;
    shared.reached("2 selfie accepted");
    if wants_liveness {
        let _no_clock_jump = shared.clock_gate.read().await;
        let path = format!("/v1/requests/{id}/liveness/challenge");
        let challenge = api.post("POST /v1/requests/{id}/liveness/challenge", &path, &auth, json!({}), 200).await?;
        let drawn = challenge["actions"].as_array().ok_or_else(|| format!("challenge: no actions in {challenge}"))?;
        let drawn = drawn
            .iter()
            .map(|code| code.as_str().and_then(Action::from_code).ok_or_else(|| format!("challenge: unknown action {code}")))
            .collect::<Step<Vec<Action>>>()?;
        let doing = shared.frames.get(&drawn).ok_or_else(|| format!("challenge: a sequence never drawn before the run {drawn:?}"))?;
        let frames: Vec<Value> = doing
            .iter()
            .enumerate()
            .map(|(f, jpeg)| json!({ "timestamp_ms": 5_000 + f * 100, "jpeg_base64": STANDARD.encode(mark(jpeg, i, f)) }))
            .collect();
        let body = json!({ "challenge_id": field(&challenge, "challenge_id", "challenge")?, "frames": frames });
        let judged = api.post("POST /v1/requests/{id}/liveness", &format!("/v1/requests/{id}/liveness"), &auth, body, 200).await?;
        if judged["liveness_result"] != "passed" {
            return Err(format!("liveness: not passed: {}", judged["liveness_reason"]));
        }
        shared.reached("3 liveness passed");
    }
    let submitted = api.post("POST /v1/requests/{id}/submit", &format!("/v1/requests/{id}/submit"), &auth, json!({}), 200).await?;
    shared.reached("4 submitted");
    let mut version = submitted["version"].as_i64().ok_or_else(|| format!("submit: no version in {submitted}"))?;
    let reviewer = tokio::spawn(review(shared.clone(), id.clone()));
    loop {
        let path = format!("/v1/requests/{id}/status?wait={LONG_POLL_SECONDS}&after_version={version}");
        let status = api.send("GET /v1/requests/{id}/status (long-poll)", &path, Some(&auth), Body::None, 200).await?;
        match status["state"].as_str() {
            Some("approved") => break,
            Some("waiting_for_reviewer" | "call_invited" | "in_call") => {}
            _ => return Err(format!("status: unexpected {status}")),
        }
        version = status["version"].as_i64().ok_or_else(|| format!("status: no version in {status}"))?;
    }
    shared.reached("5 approval seen by long-poll");
    reviewer.await.map_err(|e| format!("reviewer task: {e}"))??;
    let tap = api.post("POST /v1/requests/{id}/tap", &format!("/v1/requests/{id}/tap"), &auth, json!({}), 201).await?;
    field(&tap, "temporaryAccessPass", "tap")?;
    shared.reached("6 TAP shown");
    Ok(())
}

/// The reviewer's part: call, the user joins, 15 s of call, the user leaves, approve.
async fn review(shared: Arc<Shared>, id: String) -> Step<()> {
    let api = &shared.reviewer;
    let path = |action: &str| format!("/v1/review/requests/{id}/{action}");
    let token = shared.reviewer_token.as_str();
    api.post("POST /v1/review/requests/{id}/call", &path("call"), token, json!({}), 200).await?;
    api.post("POST /v1/review/requests/{id}/join", &path("join"), token, json!({}), 200).await?;
    {
        let _no_liveness_in_flight = shared.clock_gate.write().await;
        shared.clock.advance(15);
    }
    api.post("POST /v1/review/requests/{id}/leave", &path("leave"), token, json!({}), 200).await?;
    let decision = json!({ "decision": "approve" });
    let approved = api.post("POST /v1/review/requests/{id}/decision", &path("decision"), token, decision, 200).await?;
    if approved["state"] == "approved" { Ok(()) } else { Err(format!("decision: not approved: {approved}")) }
}

/// A device outside the load that, every 250 ms of the run, asks `GET /healthz` (no database)
/// and `GET /v1/requests/{id}` of its own request (one read under the database lock): how long
/// a request waits for a worker, and how long for the database, while the load runs.
async fn start_probe(base: &str, probes: Arc<Recorder>, person: usize) -> Step<tokio::task::JoinHandle<()>> {
    let api = Client::new(base, probes);
    let device = api.send("setup", "/v1/devices", None, Body::Json(json!({ "platform": "android" })), 201).await?;
    let auth = format!("{}.{}", field(&device, "device_id", "register")?, field(&device, "device_secret", "register")?);
    let identity = json!({ "upn": upn(person), "employee_id": format!("L{person:05}"), "staff_kind": "employee" });
    let id = field(&api.post("setup", "/v1/requests", &auth, identity, 201).await?, "request_id", "create")?;
    if let Ok(mut endpoints) = api.recorder.endpoints.lock() {
        endpoints.clear();
    }
    Ok(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_millis(250));
        loop {
            ticks.tick().await;
            let _ = api.send("probe GET /healthz (no database)", "/healthz", None, Body::None, 200).await;
            let _ = api.send("probe GET /v1/requests/{id} (one read)", &format!("/v1/requests/{id}"), Some(&auth), Body::None, 200).await;
        }
    }))
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// User + system CPU seconds of this process so far (Linux `/proc/self/stat`, 100 ticks/s).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1_000.0)
}

/// The judging of one upload alone, before the run: what a liveness upload costs in CPU.
fn judge_alone(actions: &[Action], frames: &[Vec<u8>]) -> Duration {
    let upload: Vec<UploadedFrame> =
        frames.iter().enumerate().map(|(i, jpeg)| UploadedFrame { timestamp_ms: 5_000 + i as u64 * 100, jpeg: jpeg.clone() }).collect();
    let started = Instant::now();
    let verdict = liveness_check::judge(&Asked(actions.to_vec()).stored(), &upload).expect("the frames are judged");
    let took = started.elapsed();
    assert_eq!(verdict.result, "passed", "the frames of {actions:?} pass");
    took
}

/// The selfie check of one upload alone, before the run (format, size, one face by the core's
/// detector), as `POST /v1/requests/{id}/selfie` runs it.
fn selfie_check_alone(selfie: &[u8]) -> Duration {
    let started = Instant::now();
    validate_jpeg(selfie, &DetectedFace).expect("the selfie fixture passes");
    started.elapsed()
}

#[allow(clippy::print_stdout, reason = "a bench binary prints its figures")]
fn print_endpoints(endpoints: BTreeMap<&'static str, Endpoint>) {
    for (route, mut endpoint) in endpoints {
        endpoint.latencies.sort();
        let l = &endpoint.latencies;
        let max = l.last().copied().unwrap_or_default();
        println!(
            "{:<52} {:>6} {:>10} {:>10} {:>10} {:>6}",
            route,
            l.len(),
            ms(percentile(l, 0.5)),
            ms(percentile(l, 0.99)),
            ms(max),
            endpoint.errors
        );
    }
}

#[allow(clippy::print_stdout, reason = "a bench binary prints its figures")]
fn main() {
    let devices = env_number("LOAD_DEVICES", 200);
    let bound = Duration::from_secs(env_number("LOAD_SECONDS", 120) as u64);
    let liveness_devices = env_number("LOAD_LIVENESS_DEVICES", devices).min(devices);
    // A plain-HTTP client still needs a process-wide rustls provider when the workspace's
    // features are unified (see tests/common); installing ring's is harmless otherwise.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let selfie_path = format!("{}/../core/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"));
    let selfie = std::fs::read(&selfie_path).expect("selfie fixture");
    let frames = frames_of_every_draw();
    let alone_actions = Action::sequence_from([0; 4]);
    let alone_frames = frames.get(&alone_actions).expect("every draw was drawn");
    let alone_frame_count = alone_frames.len();
    let judged_alone = judge_alone(&alone_actions, alone_frames);
    let selfie_alone = selfie_check_alone(&selfie);

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let database = tempfile::tempdir().expect("temporary directory");
    let clock = Arc::new(ManualClock::new(START));
    let config = ServiceConfig {
        db_path: Some(database.path().join("load.sqlite3")),
        clock: clock.clone(),
        directory: directory(devices, liveness_devices),
        push_sender: Arc::new(RecordingPushSender::default()),
        reviewer_password: Some(REVIEWER_PASSWORD.to_owned()),
        max_wait_seconds: LONG_POLL_SECONDS,
        ..ServiceConfig::default()
    };
    let service = runtime.block_on(spawn_embedded(config)).expect("service starts");
    let recorder = Arc::new(Recorder::default());
    let probes = Arc::new(Recorder::default());
    let probe = runtime.block_on(start_probe(&service.base_url, probes.clone(), devices)).expect("the probe's request is created");
    let reviewer = Client::new(&service.base_url, recorder.clone());
    let sign_in = json!({ "upn": identity_pass_service::domain::directory_seed::SEED_MANAGER, "password": REVIEWER_PASSWORD });
    let signed_in = runtime
        .block_on(reviewer.send("POST /v1/review/tokens", "/v1/review/tokens", None, Body::Json(sign_in), 200))
        .expect("the reviewer signs in");
    let reviewer_token = field(&signed_in, "token", "sign-in").expect("a bearer token");
    let shared = Arc::new(Shared {
        base: service.base_url.clone(),
        recorder: recorder.clone(),
        reviewer,
        reviewer_token,
        clock,
        clock_gate: RwLock::new(()),
        selfie,
        frames,
        liveness_devices,
        started: Instant::now(),
    });

    let cpu_before = process_cpu_seconds();
    let started = shared.started;
    let mut onboardings: Vec<Duration> = runtime.block_on(async {
        let tasks: Vec<_> = (0..devices)
            .map(|i| {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let began = Instant::now();
                    let outcome = onboard(shared.clone(), i).await;
                    if let Err(failure) = &outcome {
                        shared.recorder.fail(format!("device {i}: {failure}"));
                    }
                    outcome.map(|()| began.elapsed())
                })
            })
            .collect();
        let aborts: Vec<_> = tasks.iter().map(|t| t.abort_handle()).collect();
        let mut done = Vec::new();
        let all = async {
            for task in tasks {
                if let Ok(Ok(took)) = task.await {
                    done.push(took);
                }
            }
        };
        if tokio::time::timeout(bound, all).await.is_err() {
            aborts.iter().for_each(|a| a.abort());
        }
        done
    });
    let wall = started.elapsed();
    let cpu = process_cpu_seconds().zip(cpu_before).map(|(after, before)| after - before);
    probe.abort();
    runtime.block_on(service.shutdown());

    let endpoints = recorder.endpoints.lock().map(|mut e| std::mem::take(&mut *e)).unwrap_or_default();
    let failures = recorder.failures.lock().map(|f| f.clone()).unwrap_or_default();
    let requests: usize = endpoints.values().map(|e| e.latencies.len()).sum();
    let errors: u64 = endpoints.values().map(|e| e.errors).sum();
    println!(
        "load: {devices} devices ({liveness_devices} with liveness), bound {} s, loopback, on-disk SQLite (WAL), {} CPUs",
        bound.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("{:<52} {:>6} {:>10} {:>10} {:>10} {:>6}", "endpoint", "count", "p50 ms", "p99 ms", "max ms", "errors");
    print_endpoints(endpoints);
    onboardings.sort();
    println!(
        "requests: {requests} in {:.1} s = {:.1} requests/s; errors: {errors}",
        wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64()
    );
    if let (Some(first), Some(last)) = (onboardings.first(), onboardings.last()) {
        println!(
            "onboardings completed: {}/{devices}; register → TAP min {} ms, p50 {} ms, p99 {} ms, max {} ms",
            onboardings.len(),
            ms(*first),
            ms(percentile(&onboardings, 0.5)),
            ms(percentile(&onboardings, 0.99)),
            ms(*last)
        );
    } else {
        println!("onboardings completed: 0/{devices}");
    }
    if let Some(cpu) = cpu {
        println!("process CPU during the run: {cpu:.1} s (service, clients and reviewer together)");
    }
    println!(
        "alone, before the run: one liveness upload ({alone_frame_count} frames) judged in {} ms, one selfie checked in {} ms",
        ms(judged_alone),
        ms(selfie_alone)
    );
    println!("while the load ran, every 250 ms:");
    let probe_endpoints = probes.endpoints.lock().map(|mut e| std::mem::take(&mut *e)).unwrap_or_default();
    print_endpoints(probe_endpoints);
    println!("{:<36} {:>8} {:>8} {:>8} {:>8}", "devices reached, s since start", "count", "first", "p50", "last");
    let milestones = recorder.milestones.lock().map(|mut m| std::mem::take(&mut *m)).unwrap_or_default();
    for (milestone, mut times) in milestones {
        times.sort();
        let s = |d: Duration| format!("{:.1}", d.as_secs_f64());
        println!(
            "{:<36} {:>8} {:>8} {:>8} {:>8}",
            milestone,
            times.len(),
            s(times[0]),
            s(percentile(&times, 0.5)),
            s(*times.last().expect("reached"))
        );
    }
    for failure in failures.iter().take(20) {
        println!("failure: {failure}");
    }
    if errors > 0 || !failures.is_empty() || onboardings.len() < devices {
        println!("FAILED: {} request errors, {} onboardings unfinished within the bound", errors, devices - onboardings.len());
        std::process::exit(1);
    }
}
