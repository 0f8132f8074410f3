//! The ICE configuration of a reviewer's call, tried against a real TURN relay (Debian's
//! coturn on loopback) by a real WebRTC stack (headless Chromium): with the credentials the
//! service hands each side, Chromium is given a relayed address; with a tampered password, or
//! a correctly signed credential whose hour is over, the relay refuses it. Only the request's
//! device and its assigned reviewer get credentials, and only while the call is on.

mod common;

use base64::Engine;
use common::browser::start_browser;
use common::turn::{start_turn_relay, wall_clock_now};
use common::*;
use fantoccini::Client;
use identity_pass_service::Clock;
use identity_pass_service::secrets::hmac_sha1;
use serde_json::{Value, json};

/// 28 characters; coturn and the service share it.
const TURN_SECRET: &str = "turn-secret-for-the-call-test";

/// Gathers ICE candidates in Chromium through `servers` only (`iceTransportPolicy: relay`: no
/// host or server-reflexive address), and returns the relayed ones.
async fn relayed_candidates(client: &Client, servers: &Value) -> Vec<String> {
    let script = r#"
        const [servers, done] = arguments;
        const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
        pc.createDataChannel('probe');
        const found = [];
        pc.onicecandidate = (event) => { if (event.candidate) found.push(event.candidate.candidate); };
        const complete = new Promise((resolve) => {
            pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
        });
        pc.createOffer()
            .then((offer) => pc.setLocalDescription(offer))
            .then(() => Promise.race([complete, new Promise((resolve) => setTimeout(resolve, 10000))]))
            .then(() => { pc.close(); done(found); }, (error) => done(['error ' + error]));
    "#;
    let answer = client.execute_async(script, vec![servers.clone()]).await.expect("the script runs");
    let candidates: Vec<String> = serde_json::from_value(answer).expect("a list of candidates");
    assert!(!candidates.iter().any(|c| c.starts_with("error")), "{candidates:?}");
    candidates.into_iter().filter(|c| c.contains(" typ relay ")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_side_reaches_a_real_turn_relay_with_its_own_credential_and_nobody_else_does() {
    let relay = start_turn_relay(TURN_SECRET);
    // The relay checks expiry against the wall clock, so the service's clock starts there.
    let h = start_with_relay(&relay).await;
    let started_at = h.clock.now();
    let api = &h.api;
    let device = api.register_device().await;
    let id = alice_submitted(api, &device).await;
    let device_path = format!("/v1/requests/{id}/call/ice-servers");
    let reviewer_path = format!("/v1/review/requests/{id}/call/ice-servers");

    // No credential before the call, nor for another device.
    assert_eq!(api.get(&device_path, Some(&device)).await.code(), "CALL_NOT_STARTED");
    assert_eq!(api.get(&reviewer_path, api.reviewer()).await.code(), "CALL_NOT_STARTED");
    api.review(&id, "call", &json!({})).await.ok(200);
    let stranger = api.register_device().await;
    assert_eq!(api.get(&device_path, Some(&stranger)).await.code(), "REQUEST_NOT_FOUND");
    let other_reviewer = api.reviewer_sign_in(identity_pass_service::domain::directory_seed::SEED_SECOND_REVIEWER, REVIEWER_PASSWORD).await;
    assert_eq!(api.get(&reviewer_path, Some(&other_reviewer)).await.code(), "REQUEST_NOT_FOUND");

    let device_side = api.get(&device_path, Some(&device)).await.ok(200);
    let reviewer_side = api.get(&reviewer_path, api.reviewer()).await.ok(200);
    let turn = &device_side["ice_servers"][0];
    assert_eq!(turn["urls"], json!([relay.url]));
    let username = turn["username"].as_str().expect("a TURN username");
    let call_id = api.get(&format!("/v1/requests/{id}/status"), Some(&device)).await.ok(200)["call_id"].as_str().expect("call").to_owned();
    let expires_at = chrono_seconds(device_side["expires_at"].as_str().expect("expiry"));
    assert_eq!(expires_at, started_at + 3600, "an hour");
    assert_eq!(username, format!("{expires_at}:{call_id}:device"), "the call and the side, never a person");
    assert!(!username.contains("alice"));
    assert_eq!(reviewer_side["ice_servers"][0]["username"], json!(format!("{expires_at}:{call_id}:reviewer")));

    let profile = tempfile::tempdir().expect("profile");
    let (_driver, client) = start_browser(profile.path()).await;
    client.goto(&format!("{}/healthz", h.service.base_url)).await.expect("a page on loopback");

    let relayed = relayed_candidates(&client, &device_side["ice_servers"]).await;
    assert!(!relayed.is_empty(), "the device's credential opens the relay");
    assert!(relayed.iter().all(|c| c.contains(" 127.0.0.1 ")), "relayed on loopback: {relayed:?}");
    assert!(!relayed_candidates(&client, &reviewer_side["ice_servers"]).await.is_empty(), "the reviewer's credential opens the relay");

    // A tampered password is refused. So is a credential signed with the right secret, the way
    // the service signs them, whose hour is over: the relay needs no call to the service to
    // stop a credential that leaked.
    let mut tampered = device_side["ice_servers"].clone();
    tampered[0]["credential"] = json!("eoNtXSE8Sd7kzz/Omn0jRs940SI=");
    assert!(relayed_candidates(&client, &tampered).await.is_empty(), "a tampered password is refused");
    let expired_username = format!("{}:{call_id}:device", wall_clock_now() - 60);
    let expired_password = base64::engine::general_purpose::STANDARD.encode(hmac_sha1(TURN_SECRET.as_bytes(), expired_username.as_bytes()));
    let expired = json!([{ "urls": [relay.url], "username": expired_username, "credential": expired_password }]);
    assert!(relayed_candidates(&client, &expired).await.is_empty(), "an expired credential is refused");

    // Once the call is decided there is nothing to relay.
    h.api.review(&id, "join", &json!({})).await.ok(200);
    h.clock.advance(15);
    h.api.review(&id, "decision", &json!({ "decision": "approve" })).await.ok(200);
    assert_eq!(api.get(&device_path, Some(&device)).await.code(), "CALL_NOT_STARTED");
    client.close().await.expect("the browser closes");
}
