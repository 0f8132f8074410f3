//! The action challenge over HTTP: a phone that can guide it is given a random sequence drawn by
//! the service; frames of a head doing it pass, frames of a printed photo (or of the actions in
//! another order) fail, and the verdict is the service's from the frames alone.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::simulated_person::{PosedHead, mark_frame, poses_doing};
use identity_pass_core::testing::liveness_jpeg;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};

static FRAMES_MADE: AtomicU32 = AtomicU32::new(0);

/// The frames of the selfie's head (rendered in 3D, `simulated_person::PosedHead`) doing `actions`,
/// 100 ms apart, as the phone uploads them. A camera never takes the same bytes twice (and the
/// service refuses frames it judged before), so each frame carries its own number
/// (`mark_frame`).
fn frames_doing(head: &PosedHead, actions: &[Action]) -> Value {
    let frames: Vec<Value> = poses_doing(actions)
        .into_iter()
        .enumerate()
        .map(|(i, pose)| {
            let mut picture = head.draw(pose);
            mark_frame(&mut picture, u64::from(FRAMES_MADE.fetch_add(1, Ordering::SeqCst)));
            let jpeg = liveness_jpeg(&picture, None);
            json!({ "timestamp_ms": 3_000 + i * 100, "jpeg_base64": STANDARD.encode(jpeg) })
        })
        .collect();
    Value::Array(frames)
}

async fn action_challenge(api: &Api, device: &str, id: &str) -> (String, Vec<Action>) {
    let challenge =
        api.post(&format!("/v1/requests/{id}/liveness/challenge"), Some(device), &json!({ "supports_actions": true })).await.ok(200);
    assert_eq!(challenge["action"], "actions");
    assert_eq!(challenge["per_action_ms"], 5_000);
    let actions: Vec<Action> = challenge["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|code| Action::from_code(code.as_str().expect("a code")).expect("a known action"))
        .collect();
    (challenge["challenge_id"].as_str().expect("id").to_owned(), actions)
}

/// The service as deployed: actions for every phone.
async fn start_default() -> Harness {
    let clock = std::sync::Arc::new(identity_pass_service::ManualClock::new(START));
    let pushes = std::sync::Arc::new(identity_pass_service::RecordingPushSender::default());
    let config = identity_pass_service::ServiceConfig { accept_move_closer: false, ..config(clock.clone(), pushes.clone(), None) };
    start_with(config, clock, pushes).await
}

/// The default service, a device, Alice's request on it, and the selfie's head to pose.
async fn alice_on_the_default_service() -> (Harness, String, String, PosedHead) {
    let h = start_default().await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id").to_owned();
    let head =
        PosedHead::new(image::load_from_memory(&face_jpeg()).expect("the selfie decodes").to_rgb8()).expect("the selfie shows one face");
    (h, device, id, head)
}

#[tokio::test]
async fn a_phone_that_asks_for_less_still_gets_actions_unless_the_service_is_configured_for_it() {
    for (service, expected) in [(start_default().await, "actions"), (start().await, "move_closer")] {
        let device = service.api.register_device().await;
        let created = service.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
        let id = created["request_id"].as_str().expect("id");
        let old = service.api.post(&format!("/v1/requests/{id}/liveness/challenge"), Some(&device), &json!({})).await.ok(200);
        assert_eq!(old["action"], expected);
        assert_eq!(old["actions"].as_array().map(Vec::len), Some(if expected == "actions" { 3 } else { 0 }));
    }
}

#[tokio::test]
async fn a_head_doing_the_drawn_actions_passes_and_a_photo_or_another_order_fails() {
    let (h, device, id, head) = alice_on_the_default_service().await;
    let api = &h.api;
    let liveness = format!("/v1/requests/{id}/liveness");

    // Drawn by the service: several challenges are not all the same sequence.
    let mut drawn = Vec::new();
    for _ in 0..6 {
        drawn.push(action_challenge(api, &device, &id).await.1);
    }
    assert!(drawn.iter().any(|d| *d != drawn[0]), "{drawn:?}");
    assert!(drawn.iter().all(|d| d.contains(&Action::Blink) && d.len() == 3), "{drawn:?}");

    // A printed photo moved towards the camera: the approach that passes "move closer".
    let (challenge, _) = action_challenge(api, &device, &id).await;
    let photo = api.post(&liveness, Some(&device), &json!({ "challenge_id": challenge, "frames": approach_frames() })).await.ok(200);
    assert_eq!((photo["liveness_result"].as_str(), photo["liveness_reason"].as_str()), (Some("failed"), Some("ACTIONS_INCOMPLETE")));

    // The right actions in another order.
    let (challenge, asked) = action_challenge(api, &device, &id).await;
    let mut other_order = asked.clone();
    other_order.rotate_left(1);
    let shuffled = frames_doing(&head, &other_order);
    let wrong = api.post(&liveness, Some(&device), &json!({ "challenge_id": challenge, "frames": shuffled })).await.ok(200);
    assert_eq!(wrong["liveness_result"], "failed", "{asked:?} done as {other_order:?}");

    // What was asked.
    let (challenge, asked) = action_challenge(api, &device, &id).await;
    let passed =
        api.post(&liveness, Some(&device), &json!({ "challenge_id": challenge, "frames": frames_doing(&head, &asked) })).await.ok(200);
    assert_eq!(passed["liveness_result"], "passed", "{asked:?}: {}", passed["liveness_reason"]);
}

/// The whole path: the phone's selfie session guides a person through the sequence the service
/// drew (`simulated_person::ObedientPerson` does what each verdict says), and the service, judging the
/// frames the session kept, passes them.
#[tokio::test]
async fn the_frames_the_phone_kept_while_guiding_the_drawn_actions_pass_on_the_service() {
    use identity_pass_core::selfie::{Frame, LivenessState, PixelFormat, Plane, SelfieConfig, SelfieSession};
    use identity_pass_core::simulated_person::ObedientPerson;
    let (h, device, id, head) = alice_on_the_default_service().await;
    let api = &h.api;
    let (challenge, asked) = action_challenge(api, &device, &id).await;

    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.start_liveness_actions(asked.clone());
    let mut person = ObedientPerson::default();
    let mut told = None;
    for i in 0..150u64 {
        let picture = head.draw(person.next_pose(told));
        let frame =
            Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: picture.as_raw(), row_stride: 1920, pixel_stride: 3 }]).expect("valid");
        told = match session.push_frame(&frame, 40_000 + i * 100).expect("analysed").liveness {
            Some(LivenessState::DoAction { action, index, .. }) => Some((index, action)),
            Some(LivenessState::Passed { .. } | LivenessState::Failed { .. }) => break,
            _ => None,
        };
    }
    let outcome = session.take_liveness_outcome().expect("the session ended the challenge");
    assert_eq!(outcome.failure, None, "{asked:?}");
    let frames: Vec<Value> = outcome
        .evidence
        .iter()
        .map(|f| json!({ "timestamp_ms": f.captured_at_ms(), "jpeg_base64": STANDARD.encode(f.expose_jpeg()) }))
        .collect();
    let judged = api
        .post(&format!("/v1/requests/{id}/liveness"), Some(&device), &json!({ "challenge_id": challenge, "frames": frames }))
        .await
        .ok(200);
    assert_eq!(judged["liveness_result"], "passed", "{asked:?}: {}", judged["liveness_reason"]);
}
