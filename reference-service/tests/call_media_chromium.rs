//! The reviewer's call through the service's media path, with real WebRTC on both sides:
//! headless Chromium with its fake camera and microphone plays the reviewer and, until the
//! app's own call is built (issue 15), the user's device too, each side in its own peer
//! connection posting its offer to its own endpoint. The service forwards each side's media
//! to the other, and Chromium's `getStats()` shows each side decoding the other's video and
//! audio. The user's join and leave are what the service saw of their media, not anyone's
//! click: the 15-second rule refuses an approval after 5 s in the call, a user whose
//! connection was cut comes back with a new session, and the decision ends the call.

mod common;

use std::time::{Duration, Instant};

use common::browser::{FAKE_MEDIA, start_browser_with, wait_text};
use common::turn::start_turn_relay;
use common::*;
use fantoccini::{Client, Locator};
use identity_pass_service::Clock;
use serde_json::{Value, json};

/// How long the media may take to show what is expected of it.
const MEDIA_WAIT: Duration = Duration::from_secs(30);

/// Opens a peer connection named `name` in the page with the fake camera and microphone on
/// a send-and-receive transceiver each, and returns its offer.
async fn offer(client: &Client, name: &str) -> Value {
    offer_with(client, name, &json!({ "iceServers": [] })).await
}

/// [`offer`] with this `RTCConfiguration`. With TURN servers it waits for the relayed
/// candidates to be gathered into the offer (the service takes no trickled candidates).
async fn offer_with(client: &Client, name: &str, configuration: &Value) -> Value {
    let script = r#"
        const [name, configuration, done] = arguments;
        window.calls = window.calls || {};
        (async () => {
            const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
            const pc = new RTCPeerConnection(configuration);
            for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] });
            // Play what arrives, as a call page does: Chromium decodes audio as it plays it out.
            pc.ontrack = (event) => {
                if (event.track.kind !== 'audio') return;
                const player = new Audio();
                player.srcObject = event.streams[0] || new MediaStream([event.track]);
                player.play().catch(() => {});
            };
            window.calls[name] = pc;
            const gathered = new Promise((resolve) => {
                pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
            });
            await pc.setLocalDescription(await pc.createOffer());
            if (configuration.iceServers.length > 0) {
                await Promise.race([gathered, new Promise((resolve) => setTimeout(resolve, 10000))]);
            }
            return { type: 'offer', sdp: pc.localDescription.sdp };
        })().then(done, (error) => done({ error: String(error) }));
    "#;
    let offer = client.execute_async(script, vec![json!(name), configuration.clone()]).await.expect("the script runs");
    assert!(offer.get("error").is_none(), "{offer}");
    offer
}

/// Gives `name`'s peer connection the service's answer.
async fn accept(client: &Client, name: &str, answer: &Value) {
    let script = r#"
        const [name, answer, done] = arguments;
        window.calls[name].setRemoteDescription(answer).then(() => done('ok'), (error) => done(String(error)));
    "#;
    let result = client.execute_async(script, vec![json!(name), answer.clone()]).await.expect("the script runs");
    assert_eq!(result, json!("ok"));
}

/// What `name`'s peer connection has received and decoded so far, from `getStats()`.
async fn received(client: &Client, name: &str) -> Value {
    let script = r#"
        const [name, done] = arguments;
        const pc = window.calls[name];
        pc.getStats().then((report) => {
            const seen = { state: pc.connectionState, frames_decoded: 0, frame_width: 0, audio_samples: 0, audio_packets: 0, audio_energy: 0, local_candidate: null };
            const byId = new Map();
            report.forEach((stat) => byId.set(stat.id, stat));
            report.forEach((stat) => {
                if (stat.type === 'transport' && stat.selectedCandidatePairId) {
                    const pair = byId.get(stat.selectedCandidatePairId);
                    const local = pair && byId.get(pair.localCandidateId);
                    seen.local_candidate = local ? local.candidateType : null;
                }
                if (stat.type !== 'inbound-rtp') return;
                if (stat.kind === 'video') {
                    seen.frames_decoded = stat.framesDecoded || 0;
                    seen.frame_width = stat.frameWidth || 0;
                }
                if (stat.kind === 'audio') {
                    seen.audio_samples = stat.totalSamplesReceived || 0;
                    seen.audio_packets = stat.packetsReceived || 0;
                    seen.audio_energy = stat.totalAudioEnergy || 0;
                }
            });
            done(seen);
        }, (error) => done({ error: String(error) }));
    "#;
    client.execute_async(script, vec![json!(name)]).await.expect("the script runs")
}

/// Waits until `name` has decoded more than `frames` video frames and received audio.
async fn wait_decoding(client: &Client, name: &str, frames: u64) -> Value {
    let started = Instant::now();
    loop {
        let seen = received(client, name).await;
        if seen["frames_decoded"].as_u64().unwrap_or(0) > frames && seen["audio_packets"].as_u64().unwrap_or(0) > 0 {
            return seen;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "{name} decoded nothing new: {seen}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the request's status, as the device reads it, satisfies `condition`.
async fn wait_status(h: &Harness, device: &str, id: &str, what: &str, condition: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let status = h.api.get(&format!("/v1/requests/{id}/status"), Some(device)).await.ok(200);
        if condition(&status) {
            return status;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "waited for {what}: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn close(client: &Client, name: &str) {
    client.execute("window.calls[arguments[0]].close(); return 'ok';", vec![json!(name)]).await.expect("closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_sides_see_and_hear_each_other_through_the_service_and_its_observations_drive_the_rules() {
    let h = start().await;
    let api = &h.api;
    let device = api.register_device().await;
    let id = alice_submitted(api, &device).await;
    let device_path = format!("/v1/requests/{id}/call/session");
    let reviewer_path = format!("/v1/review/requests/{id}/call/session");

    let profile = tempfile::tempdir().expect("profile");
    let (_driver, client) = start_browser_with(profile.path(), FAKE_MEDIA).await;
    client.goto(&format!("{}/healthz", h.service.base_url)).await.expect("a page on loopback");
    let device_offer = offer(&client, "device").await;
    let reviewer_offer = offer(&client, "reviewer").await;

    // Nobody gets a session before the call, nor for someone else's call.
    assert_eq!(api.post(&device_path, Some(&device), &device_offer).await.code(), "CALL_NOT_STARTED");
    api.review(&id, "call", &json!({})).await.ok(200);
    let stranger = api.register_device().await;
    assert_eq!(api.post(&device_path, Some(&stranger), &device_offer).await.code(), "REQUEST_NOT_FOUND");
    let other_reviewer = api.reviewer_sign_in(identity_pass_service::domain::directory_seed::SEED_SECOND_REVIEWER, REVIEWER_PASSWORD).await;
    assert_eq!(api.post(&reviewer_path, Some(&other_reviewer), &reviewer_offer).await.code(), "REQUEST_NOT_FOUND");
    // Hostile offers are refused without quoting them back.
    let not_sdp = api.post(&device_path, Some(&device), &json!({ "type": "offer", "sdp": "a=ice-pwd:do-not-echo" })).await;
    assert_eq!((not_sdp.status.as_u16(), not_sdp.code()), (422, "CALL_OFFER_INVALID"));
    assert!(!not_sdp.body.to_string().contains("do-not-echo"), "{}", not_sdp.body);
    let answer_as_offer = json!({ "type": "answer", "sdp": device_offer["sdp"] });
    assert_eq!(api.post(&device_path, Some(&device), &answer_as_offer).await.code(), "CALL_OFFER_INVALID");
    let huge = json!({ "type": "offer", "sdp": "v=0\r\n".repeat(20_000) });
    assert_eq!(api.post(&device_path, Some(&device), &huge).await.code(), "CALL_OFFER_INVALID");

    // Both sides join. The user is in the call when the service sees their media, at the
    // service's time, and not before.
    let joined_at = h.clock.now();
    let reviewer_answer = api.post(&reviewer_path, api.reviewer(), &reviewer_offer).await.ok(200);
    assert_eq!(reviewer_answer["type"], json!("answer"));
    accept(&client, "reviewer", &reviewer_answer).await;
    let status = api.get(&format!("/v1/requests/{id}/status"), Some(&device)).await.ok(200);
    assert_eq!(status["state"], json!("call_invited"), "the reviewer's media does not put the user in the call");
    let device_answer = api.post(&device_path, Some(&device), &device_offer).await.ok(200);
    assert!(device_answer["sdp"].as_str().is_some_and(|sdp| sdp.contains("a=ice-lite")), "{device_answer}");
    accept(&client, "device", &device_answer).await;
    let status = wait_status(&h, &device, &id, "the join", |s| s["state"] == json!("in_call")).await;
    assert_eq!(chrono_seconds(status["joined_at"].as_str().expect("joined")), joined_at);
    // The service measures this call now: the reviewer's buttons cannot contradict it.
    for action in ["leave", "join"] {
        let click = api.review(&id, action, &json!({})).await;
        assert_eq!((click.status.as_u16(), click.code()), (409, "CALL_MEASURED_BY_SERVICE"), "{action}");
    }

    // Each side decodes what the other sends, through the service.
    let seen_by_reviewer = wait_decoding(&client, "reviewer", 10).await;
    let seen_by_device = wait_decoding(&client, "device", 10).await;
    assert_eq!(seen_by_reviewer["frame_width"], json!(640), "{seen_by_reviewer}");
    assert_eq!(seen_by_device["frame_width"], json!(640), "{seen_by_device}");
    assert!(seen_by_reviewer["audio_samples"].as_u64().unwrap_or(0) > 0, "{seen_by_reviewer}");
    assert!(seen_by_device["audio_samples"].as_u64().unwrap_or(0) > 0, "{seen_by_device}");
    // Not silence: the fake microphone's beep came through, decoded.
    assert!(seen_by_reviewer["audio_energy"].as_f64().unwrap_or(0.0) > 0.0, "{seen_by_reviewer}");
    assert!(seen_by_device["audio_energy"].as_f64().unwrap_or(0.0) > 0.0, "{seen_by_device}");

    // The user's connection is cut after 5 s: the service sees their media stop, and the
    // 15-second rule refuses the approval.
    h.clock.advance(5);
    close(&client, "device").await;
    let status = wait_status(&h, &device, &id, "the leave", |s| s["left_at"].is_string()).await;
    assert_eq!(chrono_seconds(status["left_at"].as_str().expect("left")), joined_at + 5);
    assert_eq!(status["seconds_in_call"], json!(5));
    assert_eq!(api.review(&id, "decision", &json!({ "decision": "approve" })).await.code(), "CALL_TOO_SHORT");

    // A minute away, then they come back with a new session; the reviewer's session carries on
    // and sees them again. The minute away is not counted; the 5 s before are.
    h.clock.advance(60);
    let before = received(&client, "reviewer").await["frames_decoded"].as_u64().unwrap_or(0);
    let rejoined_at = h.clock.now();
    let device_offer = offer(&client, "device").await;
    let device_answer = api.post(&device_path, Some(&device), &device_offer).await.ok(200);
    accept(&client, "device", &device_answer).await;
    let status = wait_status(&h, &device, &id, "the second join", |s| s["left_at"].is_null()).await;
    assert_eq!(chrono_seconds(status["joined_at"].as_str().expect("joined")), rejoined_at);
    wait_decoding(&client, "reviewer", before + 10).await;
    wait_decoding(&client, "device", 10).await;

    // 9 s later they have 14 s in the call: not yet. At 10 s, 15: the reviewer approves, and
    // the call is over: its room ends.
    h.clock.advance(9);
    let status = api.get(&format!("/v1/requests/{id}/status"), Some(&device)).await.ok(200);
    assert_eq!(status["seconds_in_call"], json!(14), "{status}");
    assert_eq!(api.review(&id, "decision", &json!({ "decision": "approve" })).await.code(), "CALL_TOO_SHORT");
    h.clock.advance(1);
    api.review(&id, "decision", &json!({ "decision": "approve" })).await.ok(200);
    assert_eq!(api.post(&device_path, Some(&device), &device_offer).await.code(), "CALL_NOT_STARTED");
    let started = Instant::now();
    while h.service.call_rooms_running() > 0 {
        assert!(started.elapsed() < MEDIA_WAIT, "the room did not end");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = api.get(&format!("/v1/requests/{id}/status"), Some(&device)).await.ok(200);
    assert_eq!(status["state"], json!("approved"));
    client.close().await.expect("the browser closes");
}

/// 28 characters; coturn and the service share it.
const TURN_SECRET: &str = "turn-secret-for-the-call-test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_call_goes_through_a_real_turn_relay_when_direct_paths_are_refused() {
    let relay = start_turn_relay(TURN_SECRET);
    let h = start_with_relay(&relay).await;
    let api = &h.api;
    let device = api.register_device().await;
    let id = alice_submitted(api, &device).await;
    api.review(&id, "call", &json!({})).await.ok(200);

    let profile = tempfile::tempdir().expect("profile");
    let (_driver, client) = start_browser_with(profile.path(), FAKE_MEDIA).await;
    client.goto(&format!("{}/healthz", h.service.base_url)).await.expect("a page on loopback");
    // Each side with its own credential, and relayed candidates only: no direct path.
    let sides = [
        (
            "reviewer",
            format!("/v1/review/requests/{id}/call/ice-servers"),
            format!("/v1/review/requests/{id}/call/session"),
            api.reviewer(),
        ),
        ("device", format!("/v1/requests/{id}/call/ice-servers"), format!("/v1/requests/{id}/call/session"), Some(device.as_str())),
    ];
    for (name, servers_path, session_path, auth) in &sides {
        let servers = api.get(servers_path, *auth).await.ok(200)["ice_servers"].clone();
        let offer = offer_with(&client, name, &json!({ "iceServers": servers, "iceTransportPolicy": "relay" })).await;
        let sdp = offer["sdp"].as_str().expect("sdp");
        assert!(sdp.contains(" typ relay ") && !sdp.contains(" typ host "), "relayed candidates only:\n{sdp}");
        let answer = api.post(session_path, *auth, &offer).await.ok(200);
        accept(&client, name, &answer).await;
    }
    wait_status(&h, &device, &id, "the join through the relay", |s| s["state"] == json!("in_call")).await;
    for name in ["reviewer", "device"] {
        let seen = wait_decoding(&client, name, 10).await;
        assert_eq!(seen["local_candidate"], json!("relay"), "{name} went through the relay: {seen}");
        assert!(seen["audio_energy"].as_f64().unwrap_or(0.0) > 0.0, "{name} heard the other side: {seen}");
    }
    client.close().await.expect("the browser closes");
}

async fn click(client: &Client, css: &str) {
    wait_text(client, css, |_| true).await;
    client.find(Locator::Css(css)).await.expect("element").click().await.expect("click");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reviewer_console_shows_the_user_beside_the_selfie_and_badge_photo_with_the_services_timer() {
    let h = start().await;
    let api = &h.api;
    let device = api.register_device().await;
    let id = alice_submitted(api, &device).await;
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, client) = start_browser_with(profile.path(), FAKE_MEDIA).await;
    client.goto(&format!("{}/console", h.service.base_url)).await.expect("open the console");
    client.find(Locator::Css("#upn")).await.expect("upn").send_keys(MANAGER).await.expect("type");
    client.find(Locator::Css("#password")).await.expect("password").send_keys(REVIEWER_PASSWORD).await.expect("type");
    click(&client, "#sign-in").await;
    wait_text(&client, "#who", |t| t == MANAGER).await;
    let row = format!("#row-{id}");
    click(&client, &format!("{row} .act-call")).await;
    wait_text(&client, &format!("{row} .state"), |t| t == "call_invited").await;
    click(&client, &format!("{row} .act-evidence")).await;
    wait_text(&client, "#evidence-request", |t| t == id).await;
    let beside = client.execute("return !!document.querySelector('#evidence .photos > #evidence-selfie ~ #call-panel');", vec![]).await;
    assert_eq!(beside.expect("script runs"), json!(true), "the call sits beside the selfie and the badge photo");
    click(&client, "#call-connect").await;
    wait_text(&client, "#call-timer", |t| t.contains("waiting for the user")).await;

    // The user joins (a peer connection in the same page stands in for the app, its offer posted
    // with the device's credential): the console plays them, and times them by the service.
    let device_offer = offer(&client, "device").await;
    let device_answer = api.post(&format!("/v1/requests/{id}/call/session"), Some(&device), &device_offer).await.ok(200);
    accept(&client, "device", &device_answer).await;
    wait_text(&client, "#call-timer", |t| t.contains("in the call for 0 s (15 s needed)")).await;
    let playing = r#"
        const video = document.getElementById('call-remote');
        const stream = video.srcObject;
        return {
            width: video.videoWidth,
            frames: video.getVideoPlaybackQuality().totalVideoFrames,
            audio_tracks: stream ? stream.getAudioTracks().length : 0,
            muted: video.muted,
        };
    "#;
    let started = Instant::now();
    let shown = loop {
        let shown = client.execute(playing, vec![]).await.expect("script runs");
        if shown["width"] == json!(640) && shown["frames"].as_u64().unwrap_or(0) > 10 {
            break shown;
        }
        assert!(started.elapsed() < MEDIA_WAIT, "the console shows no video of the user: {shown}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!((shown["audio_tracks"].clone(), shown["muted"].clone()), (json!(1), json!(false)), "and plays their voice: {shown}");
    // The user sees and hears the reviewer.
    let seen_by_device = wait_decoding(&client, "device", 10).await;
    assert!(seen_by_device["audio_energy"].as_f64().unwrap_or(0.0) > 0.0, "{seen_by_device}");

    h.clock.advance(15);
    wait_text(&client, "#call-timer", |t| t.contains("in the call for 15 s (15 s reached)")).await;
    click(&client, &format!("{row} .act-approve")).await;
    wait_text(&client, "#call-timer", |t| t == "not connected").await;
    let started = Instant::now();
    while h.service.call_rooms_running() > 0 {
        assert!(started.elapsed() < MEDIA_WAIT, "the room did not end");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.close().await.expect("the browser closes");
}
