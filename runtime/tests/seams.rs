//! The seams between the flow, the runtime and the service, driven as a user would against the
//! real service: the app killed while the liveness frames are on their way, a mistyped date of
//! birth, the app killed on the TAP screen (a replacement, or the fast path), a secure store
//! that fails, and a closed session that must not write any more.

mod common;

use std::time::Duration;

use common::*;
use identity_pass_core::StoreKey;
use identity_pass_core::flow::ShellEvent;
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_runtime::StatusMode;

const LONG_POLL: StatusMode = StatusMode::LongPoll { wait_seconds: 3 };

fn notice_code(phone: &identity_pass_runtime::OnboardingRuntime) -> Option<String> {
    phone.view().view.notice.map(|n| n.code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_the_liveness_result_is_on_its_way_the_check_is_redone_not_stuck() {
    let mut env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_selfie(&env, &phone).await;
    // With the challenge issued, the service goes away, so the frames cannot reach it; then
    // the app is killed. Whether the upload was still running or had already failed, its
    // frames lived in the app's memory.
    start_liveness(&env, &phone).await;
    env.stop_service().await;
    perform_liveness(&phone, 10_000);
    drop(phone);
    env.restart_service().await;

    let phone = env.phone(LONG_POLL);
    let redo = phone
        .wait_for(WAIT, |v| matches!(v.view.screen, Screen::Liveness { .. }) && v.view.notice.is_some() && v.calls_in_flight == 0)
        .await
        .unwrap_or_else(|view| panic!("the liveness screen explains why: {view:?}"));
    assert_eq!(redo.view.notice.map(|n| n.code).as_deref(), Some("FLOW_NOTICE_LIVENESS_RETAKE"));
    // Done again, it goes through under a new key: no IDEMPOTENCY_KEY_* dead end.
    pass_liveness(&env, &phone, 50_000).await;
    wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    assert_eq!(env.rows("requests"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_date_of_birth_can_be_corrected_even_after_a_restart() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, person("bob@contoso.example", "E1002")).await;
    wait_screen(&phone, |s| matches!(s, Screen::DateOfBirth { .. })).await;
    phone.send(ShellEvent::DobYearSelected { year: 1985 });
    phone.send(ShellEvent::DobMonthSelected { month: 11 });
    phone.send(ShellEvent::DobDaySelected { day: 29 }); // Bob was born on the 30th
    phone.send(ShellEvent::Continue);
    let refused = phone.wait_for(WAIT, |v| v.view.notice.is_some() && v.calls_in_flight == 0).await.expect("refused");
    assert_eq!(refused.view.notice.map(|n| n.code).as_deref(), Some("SERVICE_IDENTITY_NOT_MATCHED"));

    // The refusal survives a restart, and the date stays editable.
    drop(phone);
    let phone = env.phone(LONG_POLL);
    let restored = wait_screen(&phone, |s| matches!(s, Screen::DateOfBirth { day: Some(29), .. })).await;
    assert_eq!(restored.calls_in_flight, 0, "the wrong date is not resent by itself");
    phone.send(ShellEvent::DobDaySelected { day: 30 });
    wait_screen(&phone, |s| matches!(s, Screen::DateOfBirth { day: Some(30), .. })).await;
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    assert_eq!(notice_code(&phone), None);
}

/// Frank (external staff, "Get TAP", no Verified ID rolled out to him): the service replaces
/// the TAP whose code died with the app, and the lost one stops working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_on_the_tap_screen_the_user_gets_a_replacement_at_once() {
    let env = Env::start().await;
    let frank = IdentityForm { staff_kind: StaffKind::External, ..person("v-frank@contoso.example", "X2002") };
    let (phone, _, first_code) = walk_get_tap_as(&env, env.phone(LONG_POLL), frank, |p| p).await;
    drop(phone);
    let phone = env.phone(LONG_POLL);
    let hidden = wait_screen(&phone, |s| matches!(s, Screen::Tap { code: None, .. })).await;
    assert_eq!(hidden.view.body.map(|b| b.code).as_deref(), Some("FLOW_TAP_SHOWN_ONCE_BODY"), "the screen says why");
    assert_eq!(hidden.view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_REPLACE_TAP"));
    phone.send(ShellEvent::Continue);
    let shown = wait_screen(&phone, |s| matches!(s, Screen::Tap { code: Some(_), .. })).await;
    let Screen::Tap { code: Some(code), .. } = &shown.view.screen else { unreachable!() };
    assert_ne!(code.expose_secret(), first_code, "a new TAP, shown once");
    assert_eq!(env.rows("requests"), 1, "a replacement, not a new request");
    assert!(!env.tap_signs_in("v-frank@contoso.example", &first_code).await, "the lost TAP is revoked");
    assert!(env.tap_signs_in("v-frank@contoso.example", code.expose_secret()).await);
}

/// Alice holds a Verified ID from this approval: the new TAP comes through the 30-day fast
/// path (a new request, a liveness check), not as a replacement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_on_the_tap_screen_with_a_verified_id_the_fast_path_gives_a_new_tap() {
    let env = Env::start().await;
    let (phone, _, first_code) = walk_get_tap(&env, env.phone(LONG_POLL), |p| p).await;
    // The Verified ID fetched after the TAP is in the saved flow before the app dies.
    wait_until(|| env.store.raw(StoreKey::VerifiedId).is_some()).await;
    phone.wait_for(WAIT, |v| v.calls_in_flight == 0).await.expect("the Verified ID's answer applied");
    drop(phone);
    let phone = env.phone(LONG_POLL);
    let hidden = wait_screen(&phone, |s| matches!(s, Screen::Tap { code: None, .. })).await;
    assert_eq!(hidden.view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_REPLACE_TAP"));
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { fast_path: true, .. })).await;
    pass_liveness(&env, &phone, 100_000).await;
    let shown = wait_screen(&phone, |s| matches!(s, Screen::Tap { code: Some(_), .. })).await;
    let Screen::Tap { code: Some(code), .. } = &shown.view.screen else { unreachable!() };
    assert_ne!(code.expose_secret(), first_code);
    assert_eq!(env.rows("requests"), 2, "a new request on the Verified ID");
    assert!(!env.tap_signs_in("alice@contoso.example", &first_code).await, "one TAP per user: the lost one is revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_secure_store_is_named_as_such_not_as_the_network() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    phone.send(ShellEvent::DeviceChecked { profile: android_14() });
    phone.send(ShellEvent::Continue);
    for permission in identity_pass_core::flow::permissions::Permission::ALL {
        phone.send(ShellEvent::PermissionReported { permission, status: identity_pass_core::flow::permissions::PermissionStatus::Granted });
    }
    phone.send(ShellEvent::ConsentAnswered { accepted: true });
    wait_screen(&phone, |s| matches!(s, Screen::IdentityEntry { .. })).await;
    env.store.fail_with(Some("the keystore is locked"));
    phone.send(ShellEvent::IdentitySubmitted { form: alice() });
    let failed = phone.wait_for(WAIT, |v| v.view.notice.is_some() && v.calls_in_flight == 0).await.expect("explained");
    assert_eq!(failed.view.notice.map(|n| n.code).as_deref(), Some("FLOW_NOTICE_SECURE_STORAGE_FAILED"));
    assert_eq!(env.rows("requests"), 0, "nothing was sent without its key saved");
    // Unlocked, "Try again" goes through.
    env.store.fail_with(None);
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    assert_eq!(env.rows("requests"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shut_down_session_writes_nothing_more() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, alice()).await;
    wait_screen(&phone, |s| matches!(s, Screen::SubmittingIdentity)).await;
    // The request is on its way; the session closes before its answer.
    phone.shutdown();
    let state = env.store.raw(StoreKey::FlowState);
    let outbox = env.store.raw(StoreKey::Outbox);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(env.store.raw(StoreKey::FlowState), state, "the flow state is as the session left it");
    assert_eq!(env.store.raw(StoreKey::Outbox), outbox);
    // A new session resumes from there and finishes what was in flight.
    let phone = env.phone(LONG_POLL);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    assert_eq!(env.rows("requests"), 1);
}
