//! The app joins the reviewer's call: the runtime's own WebRTC (rtc, H.264 through OpenH264)
//! with the reference service in the middle and the reviewer in the real console in headless
//! Chromium with its fake camera and microphone. The camera frames are the ones a shell pushes
//! for the selfie (the selfie photograph, moving); the reviewer's pictures are what the
//! runtime hands the shell to draw. The user's time in the call is what the service saw of
//! the app's media.

mod common;
// The service's tests drive Chromium and coturn the same way; one helper for both.
#[path = "../../reference-service/tests/common/browser.rs"]
#[allow(dead_code)]
mod browser;
#[path = "../../reference-service/tests/common/turn.rs"]
#[allow(dead_code)]
mod turn;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use browser::{FAKE_MEDIA, start_browser_with, wait_text};
use common::*;
use fantoccini::{Client, Locator};
use identity_pass_core::flow::ShellEvent;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::selfie::{Frame, PixelFormat, Plane};
use identity_pass_runtime::OnboardingRuntime;
use serde_json::json;

/// How long media may take to show what is expected of it.
const MEDIA_WAIT: Duration = Duration::from_secs(30);

async fn click(client: &Client, css: &str) {
    wait_text(client, css, |_| true).await;
    client.find(Locator::Css(css)).await.expect("element").click().await.expect("click");
}

/// The phone's front camera and microphone while the test runs: the selfie photograph, the
/// face drifting left and right, 15 frames a second, and a 440 Hz tone, pushed as a shell
/// pushes them.
struct Camera {
    running: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Camera {
    fn start(phone: Arc<OnboardingRuntime>) -> Self {
        let frames: Vec<Vec<u8>> = (0..8).map(|i| selfie_rgb_at(1.0, [0, 4, 8, 12, 16, 12, 8, 4][i])).collect();
        let running = Arc::new(AtomicBool::new(true));
        let still_running = running.clone();
        let thread = std::thread::spawn(move || {
            let mut n = 0usize;
            while still_running.load(Ordering::Relaxed) {
                let pixels = &frames[n % frames.len()];
                let frame =
                    Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: pixels, row_stride: 1920, pixel_stride: 3 }]).expect("frame");
                let _ = phone.push_frame(&frame, 1_000_000 + n as u64 * 66);
                // 66 ms of the tone, 48 kHz.
                let tone: Vec<i16> = (n * 3_168..(n + 1) * 3_168)
                    .map(|i| (6_000.0 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / 48_000.0).sin()) as i16)
                    .collect();
                phone.push_call_audio(&tone);
                n += 1;
                std::thread::sleep(Duration::from_millis(66));
            }
        });
        Self { running, thread: Some(thread) }
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.running.store(false, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The console's call timer, once `condition` holds for it (the service's measure, polled by
/// the page each second).
async fn wait_timer(client: &Client, condition: impl Fn(&str) -> bool) {
    let started = Instant::now();
    let mut shown = String::new();
    while started.elapsed() < MEDIA_WAIT {
        if let Ok(element) = client.find(Locator::Css("#call-timer")).await {
            shown = element.text().await.unwrap_or_default();
            if condition(&shown) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the console's call timer shows {shown:?}");
}

fn title(phone: &OnboardingRuntime) -> String {
    phone.view().view.title.code
}

async fn wait_title(phone: &OnboardingRuntime, code: &str) {
    let started = Instant::now();
    while title(phone) != code {
        assert!(started.elapsed() < MEDIA_WAIT, "the phone shows {:?}, not {code}", phone.view().view);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the console's `<video>` of the user shows.
async fn console_video(client: &Client) -> serde_json::Value {
    let script = r#"
        const video = document.getElementById('call-remote');
        return { width: video.videoWidth, height: video.videoHeight, frames: video.getVideoPlaybackQuality().totalVideoFrames };
    "#;
    client.execute(script, vec![]).await.expect("script runs")
}

/// The reviewer's pictures the shell has drawn so far.
fn drawn(env: &Env) -> Vec<DrawnPicture> {
    env.shell.call_pictures.lock().expect("pictures").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_joins_the_reviewers_call_each_side_sees_the_other_and_the_service_times_the_app() {
    let _ =
        tracing_subscriber::fmt().with_env_filter("identity_pass_runtime=debug,identity_pass_service=info").with_test_writer().try_init();
    let env = Env::start().await;
    let (phone, id) = env.phone_in_review_joining_calls().await;

    // The reviewer starts the call in the console and connects their camera.
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, client) = start_browser_with(profile.path(), FAKE_MEDIA).await;
    client.goto(&format!("{}/console", env.base_url)).await.expect("open the console");
    let manager = identity_pass_service::domain::directory_seed::SEED_MANAGER;
    client.find(Locator::Css("#upn")).await.expect("upn").send_keys(manager).await.expect("type");
    client.find(Locator::Css("#password")).await.expect("password").send_keys(REVIEWER_PASSWORD).await.expect("type");
    click(&client, "#sign-in").await;
    let row = format!("#row-{id}");
    click(&client, &format!("{row} .act-call")).await;
    click(&client, &format!("{row} .act-evidence")).await;
    wait_text(&client, "#evidence-request", |t| t == id).await;
    click(&client, "#call-connect").await;
    wait_timer(&client, |t| t.contains("waiting for the user")).await;

    // The user joins from the app: the runtime connects, and the phone is in the call once
    // the media is up; the service's timer starts when it sees the app's frames.
    wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::CallInvited })).await;
    let camera = Camera::start(phone.clone());
    phone.send(ShellEvent::Continue);
    wait_title(&phone, "FLOW_REVIEW_IN_CALL_TITLE").await;
    wait_timer(&client, |t| t.contains("in the call for 0 s (15 s needed)")).await;

    // The reviewer sees the user: the console decodes the app's 640×480 H.264.
    let started = Instant::now();
    let shown = loop {
        let shown = console_video(&client).await;
        if shown["width"] == json!(640) && shown["frames"].as_u64().unwrap_or(0) > 10 {
            break shown;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "the console shows no video of the user: {shown}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(shown["height"], json!(480), "{shown}");
    // The user sees the reviewer: the app decodes Chromium's camera (a moving test pattern).
    let started = Instant::now();
    while drawn(&env).len() < 10 {
        assert!(started.elapsed() < MEDIA_WAIT, "the app drew {} pictures of the reviewer", drawn(&env).len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for picture in drawn(&env) {
        assert_eq!((picture.width, picture.height), (640, 480), "{picture:?}");
        assert!(picture.luma_spread > 10.0, "a picture with something in it: {picture:?}");
    }
    // Each hears the other: the console's connection receives the app's tone, and the app
    // plays the reviewer's (Chromium's fake microphone beeps).
    let started = Instant::now();
    let heard = loop {
        let heard = client
            .execute(
                r#"const stats = await callSession.pc.getStats();
                   let energy = 0, packets = 0;
                   stats.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "audio") { energy += s.totalAudioEnergy || 0; packets += s.packetsReceived || 0; } });
                   return { energy, packets };"#,
                vec![],
            )
            .await
            .expect("script runs");
        if heard["energy"].as_f64().unwrap_or(0.0) > 0.01 && heard["packets"].as_u64().unwrap_or(0) > 50 {
            break heard;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "the console does not hear the app: {heard}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let started = Instant::now();
    while env.shell.call_audio.lock().expect("audio").iter().filter(|&&rms| rms > 300.0).count() < 5 {
        let played = env.shell.call_audio.lock().expect("audio").clone();
        assert!(
            started.elapsed() < MEDIA_WAIT,
            "the app does not play the reviewer's voice ({} pieces, loudest {:?}); the console heard {heard}",
            played.len(),
            played.iter().copied().fold(0.0, f64::max)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The user leaves after 5 s: the service saw 5 s, the approval is refused, and the
    // user is told and may join again.
    env.clock.advance(5);
    phone.send(ShellEvent::CallEnded);
    let started = Instant::now();
    loop {
        let notice = phone.view().view.notice.map(|n| n.text).unwrap_or_default();
        if notice.contains("5 seconds") {
            break;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "no explanation of the short call: {:?}", phone.view().view);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let entry = env.queue_entry(&id).await;
    assert_eq!(entry["seconds_in_call"], json!(5), "the service's measure: {entry}");
    let refused = env.review_raw(&id, "decision", json!({ "decision": "approve" })).await;
    assert_eq!((refused.0, refused.1["code"].clone()), (409, json!("CALL_TOO_SHORT")), "{refused:?}");

    // Back in for 10 s more: 15 s in all, and the reviewer approves from the console.
    wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::CallInvited })).await;
    phone.send(ShellEvent::Continue);
    wait_title(&phone, "FLOW_REVIEW_IN_CALL_TITLE").await;
    wait_timer(&client, |t| t.contains("has been in the call for 5 s")).await;
    env.clock.advance(10);
    wait_timer(&client, |t| t.contains("in the call for 15 s (15 s reached)")).await;
    click(&client, &format!("{row} .act-approve")).await;
    wait_screen(&phone, |s| matches!(s, Screen::FetchingTap | Screen::Tap { .. })).await;
    drop(camera);
    let started = Instant::now();
    while env.service.as_ref().expect("service").call_rooms_running() > 0 {
        assert!(started.elapsed() < MEDIA_WAIT, "the room did not end");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.close().await.expect("the browser closes");
}

/// Waits until the service's view of the request (the reviewer's queue) satisfies `condition`.
async fn wait_queue(env: &Env, id: &str, what: &str, condition: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let entry = env.queue_entry(id).await;
        if condition(&entry) {
            return entry;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "{what}: {entry}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A deployment that sends every call through its TURN relay (`relay_only`): the app offers its
/// relayed address only, so when the relay dies the call is cut, and the app comes back by
/// itself when a relay answers again. The service counts the time in, not the time away, and
/// the phone never leaves the call screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_the_turn_relay_only_the_app_comes_back_after_a_cut_and_the_time_away_is_not_counted() {
    let _ =
        tracing_subscriber::fmt().with_env_filter("identity_pass_runtime=debug,identity_pass_service=info").with_test_writer().try_init();
    let secret = "relay-secret-for-runtime-call-tests";
    let relay = turn::start_turn_relay(secret);
    let port = relay.port;
    let env = Env::start_with_call_network(identity_pass_service::domain::call_network::CallNetwork {
        stun_urls: Vec::new(),
        turn_urls: vec![relay.url.clone()],
        turn_secret: Some(identity_pass_service::secrets::Redacted::new(secret.to_owned())),
        relay_only: true,
    })
    .await;
    let (phone, id) = env.phone_in_review_joining_calls().await;
    env.review(&id, "call", json!({})).await;
    wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::CallInvited })).await;
    let _camera = Camera::start(phone.clone());
    phone.send(ShellEvent::Continue);
    wait_title(&phone, "FLOW_REVIEW_IN_CALL_TITLE").await;
    wait_queue(&env, &id, "the service sees the app's media", |e| e["joined_at"].is_string() && e["left_at"].is_null()).await;
    env.clock.advance(5);

    // The relay dies: the service sees the app's media stop (the app had no other path).
    drop(relay);
    wait_queue(&env, &id, "the cut is seen", |e| e["left_at"].is_string() && e["seconds_in_call"] == json!(5)).await;
    // A minute away, then the relay is back where it was: the app reconnects by itself.
    env.clock.advance(60);
    let _relay = turn::start_turn_relay_on(secret, port);
    wait_queue(&env, &id, "the app comes back", |e| e["left_at"].is_null() && e["joined_at"].is_string()).await;
    assert_eq!(title(&phone), "FLOW_REVIEW_IN_CALL_TITLE", "the phone stayed in the call: {:?}", phone.view().view);
    assert_eq!(phone.view().view.notice, None, "nothing to explain to the user");
    env.clock.advance(10);
    let entry = env.queue_entry(&id).await;
    assert_eq!(entry["seconds_in_call"], json!(15), "5 s before the cut, 10 after, the minute away not counted: {entry}");
    env.review(&id, "decision", json!({ "decision": "approve" })).await;
    wait_screen(&phone, |s| matches!(s, Screen::FetchingTap | Screen::Tap { .. })).await;
}
