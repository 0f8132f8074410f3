//! The action challenge over HTTP: a phone that can guide it is given a random sequence drawn by
//! the service; frames of a head doing it pass, frames of a printed photo (or of the actions in
//! another order) fail, and the verdict is the service's from the frames alone.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::testing::{PosedHead, liveness_jpeg, poses_doing};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};

static FRAMES_MADE: AtomicU32 = AtomicU32::new(0);

/// The frames of the selfie's head (rendered in 3D, `testing::PosedHead`) doing `actions`,
/// 100 ms apart, as the phone uploads them. A camera never takes the same bytes twice (and the
/// service refuses frames it judged before), so each frame carries its own mark in a corner,
/// large enough to survive the JPEG's quantisation.
fn frames_doing(head: &PosedHead, actions: &[Action]) -> Value {
    let frames: Vec<Value> = poses_doing(actions)
        .into_iter()
        .enumerate()
        .map(|(i, pose)| {
            let mut picture = head.draw(pose);
            let mark = FRAMES_MADE.fetch_add(1, Ordering::SeqCst).to_le_bytes();
            for (x, y) in (0..16).flat_map(|x| (0..16).map(move |y| (x, y))) {
                picture.put_pixel(x, y, image::Rgb([mark[0], mark[1], 255 - mark[0]]));
            }
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

#[tokio::test]
async fn a_head_doing_the_drawn_actions_passes_and_a_photo_or_another_order_fails() {
    let h = start().await;
    let api = &h.api;
    let device = api.register_device().await;
    let id = api.post("/v1/requests", Some(&device), &alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    let liveness = format!("/v1/requests/{id}/liveness");
    let head = PosedHead::new(image::load_from_memory(&face_jpeg()).expect("the selfie decodes").to_rgb8());

    // The old phones' challenge is unchanged.
    let old = api.post(&format!("/v1/requests/{id}/liveness/challenge"), Some(&device), &json!({})).await.ok(200);
    assert_eq!((old["action"].as_str(), old["actions"].as_array().map(Vec::len)), (Some("move_closer"), Some(0)));

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
    assert_eq!((photo["liveness_result"].as_str(), photo["liveness_reason"].as_str()), (Some("failed"), Some("INCOMPLETE")));

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
