//! Reviewer approval → TAP on the phone's screen, over loopback, by how the phone learns of
//! the approval: a push (forwarded the moment the service sends it, with the long-poll still
//! running), the long-poll alone (the China build), and plain polling every 2 s.
//!
//! `cargo bench -p identity-pass-runtime --bench approval_latency` — prints p50/p95 per mode.
//! Each sample is a whole onboarding up to the reviewer's decision (real service, real
//! database, camera frames from the fixture); only approval → TAP visible is timed.

// A bench binary prints its figures.
#![allow(clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::{SecretString, StoreKey};
use identity_pass_runtime::{OnboardingRuntime, PushKind, StatusMode};
use identity_pass_service::{PushMessage, PushSender, PushToken};
use tokio::sync::mpsc;

const SAMPLES: usize = 15;

/// Delivers the service's pushes to the benchmark at once, as FCM/APNs would at best.
struct Forward(mpsc::UnboundedSender<()>);

impl PushSender for Forward {
    fn send(&self, _token: &PushToken, _message: &PushMessage) {
        let _ = self.0.send(());
    }
}

async fn to_review(env: &Env, phone: &OnboardingRuntime) -> String {
    through_selfie(env, phone).await;
    pass_liveness(env, phone, 10_000).await;
    let waiting = wait_screen(phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    waiting.request_id.expect("request")
}

async fn sample(mode: StatusMode, push: bool) -> Duration {
    let (pushes, mut pushed) = mpsc::unbounded_channel();
    let env = Env::start_with_push(Arc::new(Forward(pushes))).await;
    let phone = Arc::new(env.phone(mode));
    if push {
        phone.register_push_token(PushKind::Fcm, SecretString::new("bench-token".into()));
        let nudged = phone.clone();
        tokio::spawn(async move {
            while pushed.recv().await.is_some() {
                nudged.push_received();
            }
        });
    }
    let request_id = to_review(&env, &phone).await;
    env.reviewer_holds_the_call(&phone, &request_id).await;
    // Let a long-poll settle into its wait, as it would be in real life.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    env.review(&request_id, "decision", serde_json::json!({ "decision": "approve" })).await;
    wait_screen(&phone, |s| matches!(s, Screen::Tap { code: Some(_), .. })).await;
    let latency = started.elapsed();
    assert!(env.store.raw(StoreKey::FlowState).is_some());
    latency
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let modes: [(&str, StatusMode, bool); 3] = [
        ("push + long-poll", StatusMode::LongPoll { wait_seconds: 25 }, true),
        ("long-poll only (China build)", StatusMode::LongPoll { wait_seconds: 25 }, false),
        ("polling every 2 s", StatusMode::Poll { interval: Duration::from_secs(2) }, false),
    ];
    println!("approval → TAP visible, loopback, {SAMPLES} onboardings per mode");
    println!("{:<32} {:>10} {:>10} {:>10}", "mode", "p50", "p95", "max");
    for (name, mode, push) in modes {
        let mut latencies: Vec<Duration> = (0..SAMPLES).map(|_| runtime.block_on(sample(mode, push))).collect();
        latencies.sort();
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1_000.0);
        println!(
            "{:<32} {:>10} {:>10} {:>10}",
            name,
            ms(percentile(&latencies, 0.5)),
            ms(percentile(&latencies, 0.95)),
            ms(*latencies.last().expect("samples"))
        );
    }
}
