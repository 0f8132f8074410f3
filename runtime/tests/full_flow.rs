//! The whole "Get TAP" onboarding (seed 000) against the real reference service: the runtime
//! performs every service call, follows the review by long-poll, and shows the TAP until it
//! expires; the app is killed and restarted along the way.

mod common;

use std::time::Duration;

use common::*;
use identity_pass_core::StoreKey;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::StatusMode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_tap_from_first_screen_to_an_expired_tap() {
    let env = Env::start().await;
    let phone = env.phone(StatusMode::LongPoll { wait_seconds: 5 });
    through_identity(&phone, alice()).await;

    // Alice's groups: "Get TAP", liveness on, Verified ID on.
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::StartSelfie)).await;
    push_frames(&phone, 1_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;

    // A challenge from the service, then "move closer": the face grows smoothly frame after
    // frame; the phone's check guides, and the service judges the frames it kept.
    start_liveness(&env, &phone).await;
    perform_liveness(&phone, 10_000);
    let review = wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    let request_id = review.request_id.expect("a request");

    // Killed while waiting for the reviewer; the new process resumes and keeps watching.
    drop(phone);
    let phone = env.phone(StatusMode::LongPoll { wait_seconds: 5 });
    env.reviewer_holds_the_call(&phone, &request_id).await;
    env.review(&request_id, "decision", serde_json::json!({ "decision": "approve" })).await;

    let shown = wait_screen(&phone, |s| matches!(s, Screen::Tap { code: Some(_), .. })).await;
    let Screen::Tap { code: Some(code), .. } = &shown.view.screen else { unreachable!() };
    let code = code.expose_secret().to_owned();
    assert!(code.len() >= 8, "a TAP of the policy's length");
    let saved = String::from_utf8(env.store.raw(StoreKey::FlowState).expect("saved")).expect("text");
    assert!(!saved.contains(&code), "the TAP never reaches storage");
    // The Verified ID issued on approval is kept for the 30-day fast path.
    wait_until(|| env.store.raw(StoreKey::VerifiedId).is_some()).await;
    assert!(env.shell.saw(|e| matches!(e, Effect::ShowNotification { .. })));

    // 25 minutes on (server time): the warning; 30 minutes: gone, and a new TAP is offered.
    env.clock.advance(25 * 60 + 1);
    phone.send(ShellEvent::Tick);
    wait_until(|| env.shell.saw(|e| matches!(e, Effect::ShowNotification { message } if message.code == "FLOW_NOTIFY_TAP_EXPIRES_SOON")))
        .await;
    env.clock.advance(5 * 60);
    phone.send(ShellEvent::Tick);
    let expired = wait_screen(&phone, |s| matches!(s, Screen::TapExpired { .. })).await;
    assert!(!format!("{:?}", expired.view).contains(&code), "the expired TAP is gone from the view");
    tokio::time::sleep(Duration::from_millis(50)).await;
}
