//! The action challenge over HTTP: every phone is given a random sequence drawn by the
//! service; frames of a head doing it pass, frames of a printed photo (or of the actions in
//! another order) fail, and the verdict is the service's from the frames alone.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::simulated_person::PosedHead;
use serde_json::{Value, json};

async fn action_challenge(api: &Api, device: &str, id: &str) -> (String, Vec<Action>) {
    let challenge =
        api.post(&format!("/v1/requests/{id}/liveness/challenge"), Some(device), &json!({ "supports_actions": true })).await.ok(200);
    assert_eq!(challenge["action"], "actions");
    assert_eq!(challenge["per_action_ms"], 5_000);
    (challenge["challenge_id"].as_str().expect("id").to_owned(), drawn_actions(&challenge))
}

/// The service, a device, Alice's request on it, and the selfie's head to pose
/// (`testing::selfie_head`, which `frames_doing` draws too).
async fn alice_on_the_default_service() -> (Harness, String, String, &'static PosedHead) {
    let h = start().await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id").to_owned();
    (h, device, id, identity_pass_core::testing::selfie_head())
}

#[tokio::test]
async fn every_phone_gets_actions_whatever_it_says_it_supports() {
    let h = start().await;
    let device = h.api.register_device().await;
    let created = h.api.post("/v1/requests", Some(&device), &alice()).await.ok(201);
    let id = created["request_id"].as_str().expect("id");
    // Nothing, what phones sent when "move closer" was offered to some, and a phone that says it
    // cannot guide actions: none of them lowers the bar.
    for body in [json!({}), json!({ "supports_actions": true }), json!({ "supports_actions": false })] {
        let challenge = h.api.post(&format!("/v1/requests/{id}/liveness/challenge"), Some(&device), &body).await.ok(200);
        assert_eq!(challenge["action"], "actions", "{body}");
        assert_eq!(challenge["actions"].as_array().map(Vec::len), Some(3), "{body}");
    }
}

#[tokio::test]
async fn a_head_doing_the_drawn_actions_passes_and_a_photo_or_another_order_fails() {
    let (h, device, id, _) = alice_on_the_default_service().await;
    let api = &h.api;
    let liveness = format!("/v1/requests/{id}/liveness");

    // Drawn by the service: several challenges are not all the same sequence.
    let mut drawn = Vec::new();
    for _ in 0..6 {
        drawn.push(action_challenge(api, &device, &id).await.1);
    }
    assert!(drawn.iter().any(|d| *d != drawn[0]), "{drawn:?}");
    assert!(drawn.iter().all(|d| d.contains(&Action::Blink) && d.len() == 3), "{drawn:?}");

    // A printed photo moved towards the camera: the approach that passed the retired "move closer".
    let (challenge, _) = action_challenge(api, &device, &id).await;
    let photo = api.post(&liveness, Some(&device), &json!({ "challenge_id": challenge, "frames": approach_frames() })).await.ok(200);
    assert_eq!((photo["liveness_result"].as_str(), photo["liveness_reason"].as_str()), (Some("failed"), Some("ACTIONS_INCOMPLETE")));

    // The right actions in another order.
    let (challenge, asked) = action_challenge(api, &device, &id).await;
    let mut other_order = asked.clone();
    other_order.rotate_left(1);
    let shuffled = frames_doing(&other_order);
    let wrong = api.post(&liveness, Some(&device), &json!({ "challenge_id": challenge, "frames": shuffled })).await.ok(200);
    assert_eq!(wrong["liveness_result"], "failed", "{asked:?} done as {other_order:?}");

    // What was asked.
    let (challenge, asked) = action_challenge(api, &device, &id).await;
    let passed = api.post(&liveness, Some(&device), &json!({ "challenge_id": challenge, "frames": frames_doing(&asked) })).await.ok(200);
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
