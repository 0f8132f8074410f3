//! Faults on the way to a TAP: the service killed and restarted mid-flow, every answer lost
//! once on the network, duplicate submits, and the app killed at every step. Each time the
//! flow resumes, and the service holds exactly one device, one request and one TAP.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::lossy_proxy::LossyProxy;
use common::*;
use identity_pass_core::flow::view::Screen;
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::StatusMode;

const LONG_POLL: StatusMode = StatusMode::LongPoll { wait_seconds: 3 };

fn assert_nothing_twice(env: &Env) {
    assert_eq!(env.rows("devices"), 1, "one device");
    assert_eq!(env.rows("requests"), 1, "one request");
    assert_eq!(env.rows("selfies"), 1, "one selfie");
    assert_eq!(env.rows("taps"), 1, "one TAP");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_killed_at_every_step_resumes_and_submits_nothing_twice() {
    let env = Env::start().await;
    let mut restarts = 0;
    let (_phone, _, _) = walk_get_tap(&env, env.phone(LONG_POLL), |phone| {
        drop(phone);
        restarts += 1;
        env.phone(LONG_POLL)
    })
    .await;
    assert_eq!(restarts, 4);
    assert_nothing_twice(&env);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_call_losing_its_answer_once_is_recovered_without_duplicates() {
    let env = Env::start().await;
    let proxy = LossyProxy::start(env.listen).await;
    proxy.cut_each_call_once.store(true, Ordering::SeqCst);
    let phone = env.phone_at(&format!("http://{}", proxy.address), LONG_POLL);
    let (_phone, _, code) = walk_get_tap(&env, phone, |p| p).await;
    assert!(!code.is_empty());
    let cut = proxy.cut_calls.lock().expect("calls").iter().map(|l| l.trim_end_matches(" HTTP/1.1").to_owned()).collect::<Vec<_>>();
    for call in ["POST /v1/devices", "POST /v1/requests", "/selfie", "/liveness", "/submit", "/status", "POST /v1/requests/"] {
        assert!(cut.iter().any(|c| c.contains(call)), "{call} lost an answer: {cut:?}");
    }
    assert!(cut.iter().any(|c| c.starts_with("POST") && c.ends_with("/tap")), "{cut:?}");
    // The liveness challenge and the upload of its frames each lost an answer: the resend
    // under the same key got the same challenge, and the verdict the service had already given.
    assert!(cut.iter().any(|c| c.ends_with("/liveness/challenge")), "{cut:?}");
    assert!(cut.iter().any(|c| c.ends_with("/liveness")), "{cut:?}");
    assert_eq!(env.rows("liveness_challenges"), 1, "one challenge");
    assert_eq!(proxy.dropped.load(Ordering::SeqCst) as usize, cut.len());
    assert_nothing_twice(&env);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_killed_and_restarted_mid_flow() {
    let mut env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, alice()).await;
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;

    // The service goes down just before the selfie upload.
    env.stop_service().await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::StartSelfie)).await;
    push_frames(&phone, 1_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    let failed = phone
        .wait_for(WAIT, |v| v.view.notice.is_some() && v.calls_in_flight == 0)
        .await
        .unwrap_or_else(|v| panic!("no failure shown: {v:?}"));
    assert!(matches!(failed.view.screen, Screen::Selfie { .. }), "{:?}", failed.view.screen);

    // Back up: "Retry" sends the same upload again (the capture was kept in memory).
    env.restart_service().await;
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    assert_eq!(env.rows("selfies"), 1);
    assert_eq!(env.rows("requests"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_tap_on_submit_creates_one_request() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, alice()).await;
    // The impatient user: the same form again, and "Continue" twice, while the first is out.
    phone.send(ShellEvent::IdentitySubmitted { form: alice() });
    phone.send(ShellEvent::Continue);
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(env.rows("requests"), 1);
    assert_eq!(env.rows("devices"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selfie_lost_with_the_app_before_its_upload_is_taken_again() {
    let mut env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, alice()).await;
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    // The upload cannot get through, and the app is killed with the capture in its memory.
    env.stop_service().await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::StartSelfie)).await;
    push_frames(&phone, 1_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    phone.wait_for(WAIT, |v| v.view.notice.is_some()).await.expect("the failed upload is shown");
    drop(phone);
    env.restart_service().await;

    // The new process knows the picture died with the old one: instead of a "Try again" that
    // could only fail, it asks at once for a new picture, and says why.
    let phone = env.phone(LONG_POLL);
    phone.wait_for(WAIT, |v| v.view.notice.is_some()).await.expect("the failure is still explained");
    let retake = phone
        .wait_for(WAIT, |v| v.view.notice.as_ref().is_some_and(|n| n.code == "FLOW_NOTICE_SELFIE_RETAKE"))
        .await
        .unwrap_or_else(|v| panic!("no retake asked: {v:?}"));
    assert!(matches!(retake.view.screen, Screen::Selfie { .. }));
    let opened = env.shell.effects.lock().expect("effects").iter().filter(|e| **e == Effect::StartSelfie).count();
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.effects.lock().expect("effects").iter().filter(|e| **e == Effect::StartSelfie).count() > opened).await;
    push_frames(&phone, 50_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    assert_eq!(env.rows("selfies"), 1);
}
