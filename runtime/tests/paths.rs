//! The other seed paths against the real service: 001 "Get Passkey" (government ID, Verified
//! ID, liveness, presentation, review, a passkey from a software authenticator), the legacy
//! date-of-birth path, the 30-day fast path after an expired TAP, and a denial.

mod common;

use common::*;
use identity_pass_core::flow::credential::CredentialKind;
use identity_pass_core::flow::verification::PartnerStep;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::StatusMode;
use std::sync::Arc;

const LONG_POLL: StatusMode = StatusMode::LongPoll { wait_seconds: 3 };

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_001_get_passkey_with_a_software_authenticator() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, person("dave@contoso.example", "E1004")).await;
    wait_screen(&phone, |s| matches!(s, Screen::GovernmentId { .. })).await;

    // The service opens the partner (AU10TIX) session; the shell shows its page, which may
    // report each step. The verdict goes from the partner to the service, never via the phone.
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| matches!(e, Effect::StartGovernmentIdCheck { .. }))).await;
    for step in PartnerStep::ALL {
        phone.send(ShellEvent::GovernmentIdProgress { step });
    }
    // The user on the partner's page the service handed out; the verdict goes to the service.
    assert_eq!(complete_reference_partner_check(&handoff_url(&env.shell)).await, "verified");
    back_from_the_partner(&env, &phone).await;
    wait_screen(&phone, |s| matches!(s, Screen::AddVerifiedId { .. })).await;
    phone.send(ShellEvent::Continue); // open Authenticator to add the Verified ID
    wait_until(|| env.shell.saw(|e| *e == Effect::OpenAuthenticator)).await;
    phone.send(ShellEvent::Continue); // back from Authenticator
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    pass_liveness(&env, &phone, 1_000).await;
    wait_screen(&phone, |s| matches!(s, Screen::PresentVerifiedId { .. })).await;
    phone.send(ShellEvent::Continue);
    let waiting = wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    let request_id = waiting.request_id.expect("request");

    env.reviewer_holds_the_call(&phone, &request_id).await;
    env.review(&request_id, "decision", serde_json::json!({ "decision": "approve" })).await;
    wait_screen(&phone, |s| matches!(s, Screen::Done { credential: CredentialKind::Passkey })).await;
    assert_eq!(env.rows("passkeys"), 1, "the service verified and stored the passkey");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_path_asks_the_date_of_birth_year_first() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, person("bob@contoso.example", "E1002")).await;
    wait_screen(&phone, |s| matches!(s, Screen::DateOfBirth { .. })).await;
    // Month first is refused and explained; year first works.
    phone.send(ShellEvent::DobMonthSelected { month: 11 });
    let refused = phone.wait_for(WAIT, |v| v.view.notice.is_some()).await.expect("explained");
    assert!(matches!(refused.view.screen, Screen::DateOfBirth { month_enabled: false, .. }));
    phone.send(ShellEvent::DobYearSelected { year: 1985 });
    phone.send(ShellEvent::DobMonthSelected { month: 11 });
    phone.send(ShellEvent::DobDaySelected { day: 30 });
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_expired_tap_the_fast_path_needs_liveness_only() {
    let env = Env::start().await;
    let (phone, _, first_code) = walk_get_tap(&env, env.phone(LONG_POLL), |p| p).await;
    let code = new_tap_through_the_fast_path(&env, &phone).await;
    assert_ne!(code, first_code, "a new TAP");
    assert_eq!(env.rows("requests"), 2, "the fast path is a request of its own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_copied_with_its_verified_id_to_another_phone_goes_the_full_way() {
    use identity_pass_core::StoreKey;
    let env = Env::start().await;
    let (phone, _, _) = walk_get_tap(&env, env.phone(LONG_POLL), |p| p).await;
    wait_until(|| env.store.raw(StoreKey::VerifiedId).is_some()).await;
    phone.shutdown();
    // Everything the app keeps, copied to another phone — but not the device key, which a phone
    // never lets out, nor the device credential (the copy registers as a new device).
    let other = Arc::new(identity_pass_core::testing::MemorySecureStore::default());
    for key in [StoreKey::FlowState, StoreKey::VerifiedId] {
        other.put_raw(key, env.store.raw(key).expect("kept"));
    }
    let copy = env.phone_with(&env.base_url, other, LONG_POLL);
    env.clock.advance(31 * 60);
    copy.send(ShellEvent::Tick);
    wait_screen(&copy, |s| matches!(s, Screen::TapExpired { .. })).await;
    copy.send(ShellEvent::Continue);
    // The service refuses the copy (bound to the first phone's key); the flow drops it and tells
    // the user, who continues the full way: selfie and reviewer.
    wait_until(|| copy.view().view.notice.is_some_and(|n| n.code == "SERVICE_VERIFIED_ID_OTHER_DEVICE")).await;
    assert_eq!(env.rows("requests"), 1, "the refused presentation created nothing");
    assert_eq!(env.rows("devices"), 2, "the copy registered as a device of its own");
    copy.send(ShellEvent::Continue);
    wait_screen(&copy, |s| matches!(s, Screen::Selfie { .. })).await;
    assert_eq!(env.rows("requests"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denial_is_explained_with_the_seed_message() {
    let env = Env::start().await;
    let phone = env.phone(LONG_POLL);
    through_identity(&phone, alice()).await;
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::StartSelfie)).await;
    push_frames(&phone, 1_000, std::iter::repeat_n(1.0, 30), |v| v.captured);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    pass_liveness(&env, &phone, 10_000).await;
    let waiting = wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    let request_id = waiting.request_id.expect("request");
    env.reviewer_holds_the_call(&phone, &request_id).await;
    env.review(
        &request_id,
        "decision",
        serde_json::json!({
            "decision": "deny",
            "reason_code": "BADGE_PHOTO_MISMATCH",
            "message": "Request denied. The selfie does not match the badge photo."
        }),
    )
    .await;
    let denied = wait_screen(&phone, |s| matches!(s, Screen::Denied)).await;
    let body = denied.view.body.expect("explained").text;
    assert!(body.contains("badge"), "{body}");
}
