//! The app killed at random moments, against the real service: a user who follows whatever the
//! screen says, and an app killed (its runtime dropped, a new one started on the same secure
//! store) after a random pause following a random share of the user's actions, including while
//! a call is on its way. Every run must end at a TAP shown on the phone, with nothing done twice
//! on the service.
//!
//! The number of kills defaults to 50; `IDENTITY_PASS_RANDOM_KILLS=200` asks for more, and
//! `IDENTITY_PASS_RANDOM_SEED=<n>` replays a run (the seed is printed on failure).

mod common;

use std::time::Duration;

use common::*;
use identity_pass_core::flow::verification::SelfiePhase;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::{OnboardingRuntime, StatusMode};

const LONG_POLL: StatusMode = StatusMode::LongPoll { wait_seconds: 2 };

/// A small deterministic generator (xorshift64*), so a failing run can be replayed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the reviewer has done so far (the service keeps it across the phone's kills), and the
/// requests the phone has shown.
#[derive(Default)]
struct Reviewer {
    invited: bool,
    call_done: bool,
    decided: bool,
    /// Every request id a view named. A kill on the TAP screen loses the code, and with the
    /// Verified ID the new TAP comes through the 30-day fast path: a request of its own.
    requests: std::collections::BTreeSet<String>,
}

/// One user action chosen from the screen. Returns `Some(code)` once the TAP is shown.
async fn act(env: &Env, phone: &OnboardingRuntime, reviewer: &mut Reviewer, frame_time: &mut u64) -> Option<String> {
    // A new session publishes its first view once the actor has resumed the saved flow.
    let view = phone.wait_for(WAIT, |v| v.revision > 0).await.unwrap_or_else(|v| panic!("no first view: {v:?}"));
    reviewer.requests.extend(view.request_id.clone());
    let effects_before = env.shell.effects.lock().expect("effects").len();
    let started = |matches: fn(&Effect) -> bool| env.shell.effects.lock().expect("effects")[effects_before..].iter().any(matches);
    match &view.view.screen {
        Screen::Tap { code: Some(code), .. } => return Some(code.expose_secret().to_owned()),
        Screen::DeviceCheck => phone.send(ShellEvent::DeviceChecked { profile: android_14() }),
        Screen::Permissions { missing } => {
            phone.send(ShellEvent::Continue);
            for permission in missing.clone() {
                phone.send(ShellEvent::PermissionReported {
                    permission,
                    status: identity_pass_core::flow::permissions::PermissionStatus::Granted,
                });
            }
        }
        Screen::Consent { .. } => phone.send(ShellEvent::ConsentAnswered { accepted: true }),
        Screen::IdentityEntry { .. } => phone.send(ShellEvent::IdentitySubmitted { form: alice() }),
        Screen::Selfie { phase: SelfiePhase::Ready } => {
            phone.send(ShellEvent::Continue);
            wait_until(|| started(|e| *e == Effect::StartSelfie)).await;
            *frame_time = push_frames(phone, *frame_time, std::iter::repeat_n(1.0, 30), |v| v.captured) + 1_000;
        }
        // "Start": a challenge from the service (maybe already on its way from before a kill),
        // then the camera's run; the phone uploads the frames when its own check passes.
        Screen::Liveness { in_progress: false, .. } => {
            phone.send(ShellEvent::Continue);
            wait_until(|| started(|e| matches!(e, Effect::StartLiveness { .. }))).await;
            *frame_time = perform_liveness(phone, *frame_time) + 1_000;
        }
        // A failed call, or a TAP screen without its code (after a restart): the screen's button.
        _ if view.calls_in_flight == 0 && view.view.notice.is_some() => phone.send(ShellEvent::Continue),
        Screen::Tap { code: None, .. } if view.calls_in_flight == 0 => phone.send(ShellEvent::Continue),
        Screen::Review { stage: ReviewStage::Waiting } if !reviewer.invited => {
            let request_id = view.request_id.clone().expect("a request under review");
            env.review(&request_id, "call", serde_json::json!({})).await;
            reviewer.invited = true;
        }
        Screen::Review { stage: ReviewStage::CallInvited } if !reviewer.call_done => {
            let request_id = view.request_id.clone().expect("a request under review");
            phone.send(ShellEvent::Continue);
            wait_until(|| started(|e| matches!(e, Effect::JoinCall { .. }))).await;
            phone.send(ShellEvent::CallJoined);
            env.review(&request_id, "join", serde_json::json!({})).await;
            env.clock.advance(20);
            env.review(&request_id, "leave", serde_json::json!({})).await;
            phone.send(ShellEvent::CallEnded);
            reviewer.call_done = true;
        }
        // The reviewer decides once the call is over, whatever the phone shows (a phone killed
        // before it reported the end of the call asks to join again).
        Screen::Review { stage: ReviewStage::InCall | ReviewStage::CallInvited | ReviewStage::AwaitingDecision }
            if reviewer.call_done && !reviewer.decided =>
        {
            let request_id = view.request_id.clone().expect("a request under review");
            env.review(&request_id, "decision", serde_json::json!({ "decision": "approve" })).await;
            reviewer.decided = true;
        }
        _ => {}
    }
    // Let the screen move on (or the call finish) before the next look.
    let revision = view.revision;
    let _ = phone.wait_for(Duration::from_millis(600), |v| v.revision > revision).await;
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stdout, reason = "the kills and seed are the figures the documented command reports")]
async fn fifty_random_kills_all_end_at_a_tap() {
    let wanted: u32 = std::env::var("IDENTITY_PASS_RANDOM_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let seed: u64 = std::env::var("IDENTITY_PASS_RANDOM_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1
    });
    let mut dice = Dice(seed);
    let (mut kills, mut runs) = (0u32, 0u32);
    while kills < wanted {
        runs += 1;
        let env = Env::start().await;
        let mut phone = env.phone(LONG_POLL);
        let mut reviewer = Reviewer::default();
        let mut frame_time = 1_000;
        let mut code = None;
        for step in 0..200 {
            if let Some(shown) = act(&env, &phone, &mut reviewer, &mut frame_time).await {
                code = Some(shown);
                break;
            }
            if kills < wanted && dice.chance(35) {
                // A random moment: often while a call is still on its way.
                tokio::time::sleep(Duration::from_millis(dice.below(250))).await;
                drop(phone);
                phone = env.phone(LONG_POLL);
                kills += 1;
            }
            assert!(step < 199, "seed {seed}, run {runs}: no TAP after 200 actions; stuck on {:?}", phone.view());
        }
        assert!(code.is_some_and(|c| !c.is_empty()), "seed {seed}, run {runs}: a TAP is shown");
        // Nothing made twice: every request on the service is one the phone went on with (the
        // first, and one per fast path taken after losing a TAP's code to a kill).
        let requests = i64::try_from(reviewer.requests.len()).expect("a few");
        assert_eq!(env.rows("requests"), requests, "seed {seed}, run {runs}: requests {:?}", reviewer.requests);
        assert_eq!(env.rows("devices"), 1, "seed {seed}, run {runs}: one device");
        drop(phone);
    }
    println!("random kills: {kills} kills over {runs} runs, every run at a TAP (seed {seed})");
}
