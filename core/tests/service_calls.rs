//! Service calls as effects and their answers as events, tied by an id: what the old design
//! (answers as free-standing events, one "request failed" flag) got wrong, each as a scenario.
//!
//! Every scenario runs on the test driver, which checks the invariants and the snapshot round
//! trip after every event.

mod common;

use common::*;
use identity_pass_core::flow::clock::{DAY_MS, MINUTE_MS, Timestamp};
use identity_pass_core::flow::credential::TapExpiryReason;
use identity_pass_core::flow::identity_entry::StaffKind;
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::GovernmentIdOutcome;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::flow::{CallAnswer, CallFailure, CallId, CallOutcome, Effect, Event, Rejection, ServiceCall, Step, ViewState};

fn code(message: Option<identity_pass_core::messages::LocalizedMessage>) -> Option<String> {
    message.map(|m| m.code)
}

fn view(d: &Driver) -> ViewState {
    d.flow.view(d.now)
}

/// Sends `event` expecting a rejection that changes nothing: same snapshot, no effects.
fn assert_rejected_without_change(d: &mut Driver, event: Event) {
    let before = d.flow.snapshot();
    let transition = d.try_send(event.clone());
    assert_eq!(transition.rejection, Some(Rejection::UnexpectedEvent), "{event:?}");
    assert_eq!(transition.effects, [], "{event:?}");
    assert_eq!(d.flow.snapshot(), before, "{event:?} changed the state");
}

fn answered(id: CallId, answer: CallAnswer) -> Event {
    Event::Answered { id, outcome: CallOutcome::Answered(answer) }
}

/// The passkey path up to the partner's check: the service opened the session, and the user
/// is on the partner's page.
fn to_government_id(d: &mut Driver) {
    drive_to_submitted_identity(d, StaffKind::Employee);
    accept_identity(d, OnboardingPath::GetPasskey, flags(true, true), None);
    d.send(Event::Continue);
    let t = next_server_time(d);
    let handoff_url = "https://partner.example/sessions/ps_1?token=t".to_owned();
    let effects =
        d.answer(CallAnswer::PartnerSessionOpened { handoff_url: handoff_url.clone(), expires_at: t + 30 * MINUTE_MS, server_time: t });
    assert!(effects.contains(&Effect::StartGovernmentIdCheck { request_id: "req-1".into(), handoff_url }), "{effects:?}");
    assert!(matches!(d.flow.step(), Step::GovernmentId { started: true, .. }));
}

/// The service's verdict, as the partner reported it.
fn verdict(d: &Driver, outcome: Option<GovernmentIdOutcome>) -> CallAnswer {
    CallAnswer::GovernmentIdVerdict { outcome, server_time: next_server_time(d) }
}

#[test]
fn a_stale_answer_is_rejected_and_changes_nothing() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    let first = d.pending_id("CreateRequest").expect("identity sent");
    // Refused: "Try again" is a new call, and the first one's answer is stale from then on.
    d.fail("CreateRequest", CallFailure::refused("RATE_LIMITED"));
    let (second, _) = only_call(&d.send(Event::Continue));
    assert_ne!(second, first);
    let t = next_server_time(&d);
    let created = |request_id: &str| CallAnswer::RequestCreated {
        request_id: request_id.into(),
        path: OnboardingPath::GetTap,
        flags: RolloutFlags::default(),
        fast_path: false,
        verified_id_issued_at: None,
        server_time: t,
    };
    // The answer to the call from before the retry, to one never made, and an answer of the
    // wrong kind to the call in flight: none applies, nothing changes.
    assert_rejected_without_change(&mut d, answered(first, created("req-stale")));
    assert_rejected_without_change(&mut d, answered(CallId(second.0 + 100), created("req-never")));
    assert_rejected_without_change(&mut d, answered(second, CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t }));
    assert_rejected_without_change(&mut d, Event::Answered { id: first, outcome: CallOutcome::Failed(CallFailure::no_answer("NETWORK")) });
    assert_eq!(d.flow.pending_calls().iter().map(|p| p.id).collect::<Vec<_>>(), [second]);
    // The answer to the call in flight still applies, once.
    d.send(answered(second, created("req-1")));
    assert_eq!(d.flow.decision().map(|p| p.request_id.as_str()), Some("req-1"));
    assert_rejected_without_change(&mut d, answered(second, created("req-again")));
}

/// A stale answer is the runtime's business, not the user's: the explanation of the failure
/// the user is looking at must stay.
#[test]
fn a_stale_answer_keeps_the_failure_the_user_is_looking_at() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    let first = d.pending_id("CreateRequest").expect("identity sent");
    d.fail("CreateRequest", CallFailure::no_answer("NETWORK"));
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_REQUEST_FAILED"));
    let t = next_server_time(&d);
    assert_rejected_without_change(&mut d, answered(first, CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t }));
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_REQUEST_FAILED"));
}

#[test]
fn killed_during_liveness_the_check_is_done_again_with_a_new_challenge() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_liveness(&mut d, false);
    start_liveness(&mut d, "lc-1");
    let (uploaded, call) = only_call(&d.send(Event::LivenessFinished { failure: None }));
    assert_eq!(call, ServiceCall::SubmitLivenessFrames { request_id: "req-1".into(), challenge_id: "lc-1".into() });
    assert!(view(&d).busy, "waiting for the service");
    assert_eq!(view(&d).primary_action, None, "nothing to press while the service judges");

    // The app is killed: the frames lived in its memory only.
    let effects = d.restart();
    assert_eq!(calls(&effects), [], "the frames cannot be sent again");
    assert_eq!(d.flow.pending_calls(), []);
    assert_eq!(d.flow.step(), &Step::Liveness { in_progress: false, attempts: 0, challenge: None });
    let v = view(&d);
    assert_eq!(code(v.notice).as_deref(), Some("FLOW_NOTICE_LIVENESS_RETAKE"));
    assert_eq!(code(v.primary_action).as_deref(), Some("FLOW_ACTION_START_LIVENESS"));
    assert!(!v.busy);

    // The check is done again, for a new challenge. The old session's verdict, arriving late,
    // does not pass it; the new frames are a new call.
    start_liveness(&mut d, "lc-2");
    let t = next_server_time(&d);
    assert_rejected_without_change(&mut d, answered(uploaded, CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t }));
    let (again, call) = only_call(&d.send(Event::LivenessFinished { failure: None }));
    assert_ne!(again, uploaded);
    assert_eq!(call, ServiceCall::SubmitLivenessFrames { request_id: "req-1".into(), challenge_id: "lc-2".into() });
    let t = next_server_time(&d);
    d.answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t });
    assert!(matches!(d.flow.step(), Step::Review(_)));
}

#[test]
fn killed_with_the_camera_open_the_check_is_done_again_and_a_challenge_request_is_resent() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_liveness(&mut d, false);
    // Killed while asking for the challenge: a read-like call, resent with its id (the service
    // answers the same challenge from its idempotency store).
    let (asked, _) = only_call(&d.send(Event::Continue));
    assert!(view(&d).busy && view(&d).primary_action.is_none(), "asking for the challenge");
    assert_eq!(calls(&d.restart()), [(asked, ServiceCall::RequestLivenessChallenge { request_id: "req-1".into() })]);
    let t = next_server_time(&d);
    d.answer(CallAnswer::LivenessChallengeIssued {
        challenge_id: "lc-1".into(),
        expires_at: t + 120_000,
        actions: Vec::new(),
        server_time: t,
    });
    assert!(matches!(d.flow.step(), Step::Liveness { in_progress: true, challenge: Some(_), .. }));
    // Killed with the camera open: the run is gone; a new one needs a new challenge.
    assert_eq!(calls(&d.restart()), []);
    assert_eq!(d.flow.step(), &Step::Liveness { in_progress: false, attempts: 0, challenge: None });
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_LIVENESS_RETAKE"));
    // The old run's end, reported late, uploads nothing.
    let late = d.try_send(Event::LivenessFinished { failure: None });
    assert_eq!((late.rejection, late.effects), (Some(Rejection::UnexpectedEvent), vec![]));
    start_liveness(&mut d, "lc-2");
}

#[test]
fn a_refused_date_of_birth_stays_editable_across_a_restart() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    accept_identity(&mut d, OnboardingPath::LegacyDob, RolloutFlags::default(), None);
    d.send(Event::DobYearSelected { year: 1990 });
    d.send(Event::DobMonthSelected { month: 2 });
    d.send(Event::DobDaySelected { day: 28 });
    let (refused, call) = only_call(&d.send(Event::Continue));
    assert_eq!(call, ServiceCall::ConfirmDateOfBirth { request_id: "req-1".into(), date_of_birth: "1990-02-28".into() });
    d.fail("ConfirmDateOfBirth", CallFailure::refused("IDENTITY_NOT_MATCHED"));
    assert!(matches!(d.flow.step(), Step::DateOfBirth { submitting: false, .. }));
    let v = view(&d);
    assert_eq!(code(v.notice).as_deref(), Some("SERVICE_IDENTITY_NOT_MATCHED"));
    assert_eq!(code(v.primary_action).as_deref(), Some("FLOW_ACTION_SUBMIT"));
    assert!(matches!(v.screen, Screen::DateOfBirth { day: Some(28), .. }));

    // Killed and restarted: still editable, and nothing is resent.
    assert_eq!(calls(&d.restart()), []);
    assert!(matches!(d.flow.step(), Step::DateOfBirth { submitting: false, .. }));

    // The identity can be edited…
    let mut edit = Driver { flow: d.flow.clone(), now: d.now, skew: d.skew };
    edit.send(Event::EditIdentity);
    assert!(matches!(edit.flow.step(), Step::IdentityEntry { .. }));
    assert_eq!(edit.flow.decision(), None);

    // …or the date changed and sent again, as a new call.
    d.send(Event::DobDaySelected { day: 27 });
    let (again, call) = only_call(&d.send(Event::Continue));
    assert_ne!(again, refused);
    assert_eq!(call, ServiceCall::ConfirmDateOfBirth { request_id: "req-1".into(), date_of_birth: "1990-02-27".into() });
    let t = next_server_time(&d);
    d.answer(CallAnswer::DateOfBirthConfirmed { server_time: t });
    assert!(matches!(d.flow.step(), Step::Selfie { .. }));
}

#[test]
fn a_lost_answer_is_resent_as_the_same_call_and_a_refusal_as_a_new_one() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    let [pending] = d.flow.pending_calls() else { panic!("one call in flight") };
    let (first, call) = (pending.id, pending.call.clone());

    // No answer: the service may have acted, so the retry is the same call (same idempotency key).
    d.fail("CreateRequest", CallFailure::no_answer("TIMEOUT"));
    assert_eq!(d.flow.pending_calls(), []);
    assert_eq!(d.flow.live_call_ids(), [first], "the key of a call to resend as it was is kept");
    assert_eq!(code(view(&d).primary_action).as_deref(), Some("FLOW_ACTION_RETRY"));
    assert_eq!(only_call(&d.send(Event::Continue)), (first, call.clone()));

    // "Key in use": the same call is still running on the service; the retry is that call.
    d.fail("CreateRequest", CallFailure::refused("IDEMPOTENCY_KEY_IN_USE"));
    assert_eq!(only_call(&d.send(Event::Continue)), (first, call.clone()));

    // Refused: the service did nothing and keeps its refusal under that key; a new call.
    d.fail("CreateRequest", CallFailure::refused("RATE_LIMITED"));
    assert_eq!(d.flow.live_call_ids(), [], "a refused call's key is no longer needed");
    let (second, resent) = only_call(&d.send(Event::Continue));
    assert_ne!(second, first);
    assert_eq!(resent, call);
}

#[test]
fn a_restart_resends_the_calls_in_flight_with_their_ids() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_liveness(&mut d, false);
    let (submit, call) = only_call(&pass_liveness(&mut d));
    assert_eq!(call, ServiceCall::SubmitForReview { request_id: "req-1".into() });
    // Killed before the answer: the same call goes out again, with its id.
    assert_eq!(calls(&d.restart()), [(submit, call)]);
    let t = next_server_time(&d);
    d.answer(CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t });
    assert_eq!(d.flow.watched_request(), Some("req-1"));
}

#[test]
fn a_selfie_lost_with_the_app_is_taken_again() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_selfie(&mut d, flags(false, false));
    d.send(Event::Continue);
    let (upload, _) = only_call(&d.send(Event::SelfieCaptured));
    assert_eq!(calls(&d.restart()), []);
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_SELFIE_RETAKE"));
    assert!(matches!(view(&d).screen, Screen::Selfie { phase: identity_pass_core::flow::verification::SelfiePhase::Ready }));
    assert_eq!(d.send(Event::Continue), [Effect::PersistState, Effect::StartSelfie]);
    let (again, _) = only_call(&d.send(Event::SelfieCaptured));
    assert_ne!(again, upload);
}

#[test]
fn after_a_restart_the_tap_screen_says_why_and_asks_for_a_replacement() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, false);
    // The code is on the screen: the action signs in with it (never a replacement).
    assert_eq!(view(&d).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_SECURE_ACCOUNT"), "the code is on the screen");

    // Killed: the code, shown once, is gone with the app's memory.
    assert_eq!(calls(&d.restart()), []);
    let v = view(&d);
    assert!(matches!(v.screen, Screen::Tap { code: None, .. }));
    let body = v.body.expect("a body");
    assert_eq!(body.code, "FLOW_TAP_SHOWN_ONCE_BODY");
    assert!(body.text.starts_with("Your Temporary Access Pass was shown once and can't be shown again."), "{}", body.text);
    let action = v.primary_action.expect("an action");
    assert_eq!((action.code.as_str(), action.text.as_str()), ("FLOW_ACTION_REPLACE_TAP", "Get a new Temporary Access Pass"));
    assert!(!v.busy);

    // No Verified ID for the fast path: the service replaces the lost TAP (one per approval).
    let (_, call) = only_call(&d.send(Event::Continue));
    assert_eq!(call, ServiceCall::CreateTap { request_id: "req-1".into(), replace_lost: true });
    let v = view(&d);
    assert_eq!((v.primary_action, v.busy), (None, true), "asking for it");
    assert_rejected_without_change(&mut d, Event::Continue);

    let t = next_server_time(&d);
    d.answer(CallAnswer::TapCreated { tap: tap(t), server_time: t });
    let Screen::Tap { code: Some(code), .. } = view(&d).screen else { panic!("{:?}", view(&d).screen) };
    assert_eq!(code.expose_secret(), "TAP-SECRET-42");
}

#[test]
fn after_a_restart_the_tap_screen_takes_the_fast_path_when_the_verified_id_allows() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, true);
    let t = next_server_time(&d);
    d.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t });
    assert_eq!(calls(&d.restart()), []);
    assert_eq!(code(view(&d).primary_action).as_deref(), Some("FLOW_ACTION_REPLACE_TAP"));
    // A Verified ID from the last 30 days: a new request on it, liveness only, its own TAP
    // (which replaces the lost one); no replacement is asked of the service.
    let (_, call) = only_call(&d.send(Event::Continue));
    assert!(matches!(call, ServiceCall::CreateRequest { present_verified_id: true, .. }), "{call:?}");
    assert_eq!(d.flow.step(), &Step::SubmittingIdentity);
    let t = next_server_time(&d);
    accept_identity(&mut d, OnboardingPath::GetTap, flags(true, true), Some(t - DAY_MS));
    assert!(matches!(view(&d).screen, Screen::Liveness { fast_path: true, .. }));
    let (_, call) = only_call(&pass_liveness(&mut d));
    assert!(matches!(call, ServiceCall::PresentVerifiedId { .. }), "{call:?}");
}

#[test]
fn a_verified_id_this_phone_cannot_present_is_dropped_and_the_identity_sent_again_without_it() {
    for (failure, notice) in [
        (CallFailure::refused("VERIFIED_ID_REVOKED"), "SERVICE_VERIFIED_ID_REVOKED"),
        (CallFailure::refused("VERIFIED_ID_OTHER_DEVICE"), "SERVICE_VERIFIED_ID_OTHER_DEVICE"),
        (CallFailure::refused("PRESENTATION_NONCE_USED"), "SERVICE_VERIFIED_ID_INVALID"),
        (CallFailure::not_sent(identity_pass_core::flow::NOT_SENT_DEVICE_KEY_UNAVAILABLE), "FLOW_NOTICE_VERIFIED_ID_MISSING"),
    ] {
        let mut d = Driver::new(identity_pass_core::Platform::Android);
        to_tap(&mut d, true);
        let t = next_server_time(&d);
        d.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t });
        d.restart();
        let (first, call) = only_call(&d.send(Event::Continue));
        assert!(matches!(call, ServiceCall::CreateRequest { present_verified_id: true, .. }), "{call:?}");
        assert_eq!(calls(&d.fail("CreateRequest", failure.clone())), [], "the user reads why first");
        assert_eq!(d.flow.step(), &Step::SubmittingIdentity);
        assert_eq!(code(view(&d).notice).as_deref(), Some(notice), "{failure:?}");
        assert!(d.flow.verified_id().is_none(), "forgotten");
        let (second, call) = only_call(&d.send(Event::Continue));
        assert_ne!(second, first, "a new call, not the refused one again");
        assert!(matches!(call, ServiceCall::CreateRequest { present_verified_id: false, .. }), "{call:?}");
    }
    // "Not now" keeps the credential: the same call goes again.
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, true);
    let t = next_server_time(&d);
    d.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t });
    d.restart();
    d.send(Event::Continue);
    assert_eq!(calls(&d.fail("CreateRequest", CallFailure::no_answer("PRESENTATION_NONCES_OUTSTANDING"))), []);
    let (_, call) = only_call(&d.send(Event::Continue));
    assert!(matches!(call, ServiceCall::CreateRequest { present_verified_id: true, .. }), "{call:?}");
}

#[test]
fn a_replacement_refused_for_a_tap_used_to_sign_in_is_explained() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, false);
    d.restart();
    d.send(Event::Continue);
    d.fail("CreateTap", CallFailure::refused("TAP_ALREADY_ISSUED"));
    let notice = view(&d).notice.expect("explained");
    assert_eq!(notice.code, "SERVICE_TAP_ALREADY_ISSUED");
    assert!(notice.text.contains("used to sign in"), "{}", notice.text);
    // Nothing to try again: what is left is a new request.
    assert_eq!(d.flow.step(), &Step::TapExpired { reason: TapExpiryReason::ReportedUnusable });
    assert_eq!(code(view(&d).primary_action).as_deref(), Some("FLOW_ACTION_NEW_REQUEST"));

    // Too soon: the service's words, and "Try again" later.
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, false);
    d.restart();
    d.send(Event::Continue);
    d.fail("CreateTap", CallFailure::no_answer("TAP_REPLACEMENT_TOO_SOON"));
    assert_eq!(code(view(&d).notice).as_deref(), Some("SERVICE_TAP_REPLACEMENT_TOO_SOON"));
    assert_eq!(code(view(&d).primary_action).as_deref(), Some("FLOW_ACTION_RETRY"));
    assert!(matches!(d.flow.step(), Step::TapReady(_)));
    // Too many (429 as well, but final): no "Try again" that cannot work.
    d.send(Event::Continue);
    d.fail("CreateTap", CallFailure::no_answer("TAP_REPLACEMENT_LIMIT"));
    assert_eq!(code(view(&d).notice).as_deref(), Some("SERVICE_TAP_REPLACEMENT_LIMIT"));
    assert_eq!(d.flow.step(), &Step::TapExpired { reason: TapExpiryReason::ReportedUnusable });
    assert_eq!(code(view(&d).primary_action).as_deref(), Some("FLOW_ACTION_NEW_REQUEST"));
}

#[test]
fn a_tap_whose_answer_was_unreadable_is_replaced_once_then_on_request() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_waiting_for_reviewer(&mut d, false);
    let t = next_server_time(&d);
    let (first, call) = only_call(&d.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t }));
    assert_eq!(call, ServiceCall::CreateTap { request_id: "req-1".into(), replace_lost: false });
    // The service made a TAP whose code never arrived: a replacement is asked for, at once.
    let (second, call) = only_call(&d.fail("CreateTap", CallFailure::no_answer("UNEXPECTED_RESPONSE")));
    assert_ne!(second, first);
    assert_eq!(call, ServiceCall::CreateTap { request_id: "req-1".into(), replace_lost: true });
    assert_eq!(view(&d).notice, None);
    // Only once by itself: then the user is told, and asks again. The same call would replay
    // the stored answer, which never carries the code: a new replacement instead.
    assert_eq!(calls(&d.fail("CreateTap", CallFailure::no_answer("UNEXPECTED_RESPONSE"))), []);
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_REQUEST_FAILED"));
    assert_eq!(code(view(&d).primary_action).as_deref(), Some("FLOW_ACTION_RETRY"));
    assert_eq!(d.flow.live_call_ids(), [], "no key kept for a resend");
    let (third, call) = only_call(&d.send(Event::Continue));
    assert!(third != second && third != first);
    assert_eq!(call, ServiceCall::CreateTap { request_id: "req-1".into(), replace_lost: true });
    // A network failure (the service may not have got it) is retried as the same call.
    d.fail("CreateTap", CallFailure::no_answer("NETWORK"));
    assert_eq!(only_call(&d.send(Event::Continue)).0, third);
}

#[test]
fn a_failed_liveness_call_offers_a_retry_instead_of_a_spinner() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_liveness(&mut d, false);
    start_liveness(&mut d, "lc-1");
    let (uploaded, call) = only_call(&d.send(Event::LivenessFinished { failure: None }));
    d.fail("SubmitLivenessFrames", CallFailure::no_answer("NETWORK"));
    assert!(matches!(d.flow.step(), Step::Liveness { in_progress: true, challenge: Some(_), .. }));
    let v = view(&d);
    let notice = v.notice.expect("explained");
    assert_eq!((notice.code.as_str(), notice.text.contains("NETWORK")), ("FLOW_NOTICE_REQUEST_FAILED", true));
    assert_eq!(code(v.primary_action).as_deref(), Some("FLOW_ACTION_RETRY"));
    assert!(!v.busy, "no endless spinner");
    // "Try again" resends the frames (still in memory) as the same call: the same key, so a
    // verdict the service already gave is answered again, not judged twice.
    assert_eq!(only_call(&d.send(Event::Continue)), (uploaded, call));
    let t = next_server_time(&d);
    d.answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t });
    assert!(matches!(d.flow.step(), Step::Review(_)));
}

#[test]
fn the_services_liveness_verdict_decides_and_a_failure_is_retried_with_a_new_challenge() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_liveness(&mut d, false);
    start_liveness(&mut d, "lc-1");
    d.send(Event::LivenessFinished { failure: None });
    // The phone passed, the service did not: the service's verdict and reason stand.
    let t = next_server_time(&d);
    let effects = d.answer(CallAnswer::LivenessJudged { passed: false, reason: Some("ACTIONS_INCOMPLETE".into()), server_time: t });
    assert_eq!(calls(&effects), []);
    assert_eq!(d.flow.step(), &Step::Liveness { in_progress: false, attempts: 1, challenge: None });
    let v = view(&d);
    assert_eq!(code(v.notice).as_deref(), Some("LIVENESS_ACTIONS_INCOMPLETE"));
    assert_eq!(code(v.primary_action).as_deref(), Some("FLOW_ACTION_START_LIVENESS"));
    // The retry asks for a new challenge (the used one would be refused).
    start_liveness(&mut d, "lc-2");
    // The phone's own challenge fails this time: nothing is uploaded, the reason is shown.
    let effects = d.send(Event::LivenessFinished { failure: Some("ACTION_TIMED_OUT".into()) });
    assert_eq!(calls(&effects), []);
    assert_eq!(d.flow.step(), &Step::Liveness { in_progress: false, attempts: 2, challenge: None });
    assert_eq!(code(view(&d).notice).as_deref(), Some("LIVENESS_ACTION_TIMED_OUT"));
    start_liveness(&mut d, "lc-3");
    d.send(Event::LivenessFinished { failure: None });
    let t = next_server_time(&d);
    d.answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t });
    assert!(matches!(d.flow.step(), Step::Review(_)));
}

#[test]
fn a_refused_liveness_upload_is_never_sent_again() {
    for (code_, notice) in [
        ("LIVENESS_CHALLENGE_EXPIRED", "SERVICE_LIVENESS_CHALLENGE_EXPIRED"),
        ("LIVENESS_CHALLENGE_USED", "FLOW_NOTICE_REQUEST_FAILED"),
        ("LIVENESS_FRAMES_REUSED", "FLOW_NOTICE_REQUEST_FAILED"),
    ] {
        let mut d = Driver::new(identity_pass_core::Platform::Android);
        to_liveness(&mut d, false);
        start_liveness(&mut d, "lc-1");
        d.send(Event::LivenessFinished { failure: None });
        assert_eq!(calls(&d.fail("SubmitLivenessFrames", CallFailure::refused(code_))), []);
        assert_eq!(d.flow.step(), &Step::Liveness { in_progress: false, attempts: 0, challenge: None }, "{code_}");
        assert_eq!(d.flow.live_call_ids(), [], "{code_}: no key kept for a resend");
        let v = view(&d);
        assert_eq!(code(v.notice).as_deref(), Some(notice), "{code_}");
        assert_eq!(code(v.primary_action).as_deref(), Some("FLOW_ACTION_START_LIVENESS"), "{code_}");
        // "Start" is a new check for a new challenge, never the refused upload again.
        start_liveness(&mut d, "lc-2");
    }
}

#[test]
fn a_failed_government_id_call_offers_a_retry_instead_of_a_spinner() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_government_id(&mut d);
    let (asked, call) = only_call(&d.send(Event::GovernmentIdHandoffEnded));
    assert_eq!(call, ServiceCall::FetchGovernmentIdVerdict { request_id: "req-1".into() });
    assert_rejected_without_change(&mut d, Event::GovernmentIdHandoffEnded);
    d.fail("FetchGovernmentIdVerdict", CallFailure::no_answer("TIMEOUT"));
    let v = view(&d);
    let notice = v.notice.expect("explained");
    assert_eq!((notice.code.as_str(), notice.text.contains("TIMEOUT")), ("FLOW_NOTICE_REQUEST_FAILED", true));
    assert_eq!(code(v.primary_action).as_deref(), Some("FLOW_ACTION_RETRY"));
    assert!(!v.busy, "no endless spinner");
    // "Try again" asks for the verdict again, and does not restart the partner's check.
    let effects = d.send(Event::Continue);
    assert_eq!(only_call(&effects), (asked, call));
    assert!(!effects.iter().any(|e| matches!(e, Effect::StartGovernmentIdCheck { .. })));
    let (_, fetch) = only_call(&d.answer(verdict(&d, Some(GovernmentIdOutcome::Verified))));
    assert_eq!(d.flow.step(), &Step::AwaitingVerifiedId);
    assert_eq!(fetch, ServiceCall::FetchVerifiedId { request_id: "req-1".into() });
}

/// The Get Passkey path, up to the platform's passkey sheet (options fetched).
fn to_passkey_sheet() -> Driver {
    let mut d = Driver::new(identity_pass_core::Platform::Ios);
    to_government_id(&mut d);
    d.send(Event::GovernmentIdHandoffEnded);
    d.answer(verdict(&d, Some(GovernmentIdOutcome::Verified)));
    let t = next_server_time(&d);
    d.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t });
    d.send(Event::Continue); // open Authenticator
    d.send(Event::Continue); // back: liveness
    pass_liveness(&mut d);
    d.send(Event::Continue); // present the Verified ID
    let t = next_server_time(&d);
    d.answer(CallAnswer::VerifiedIdPresented { server_time: t });
    let t = next_server_time(&d);
    d.answer(CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t });
    let t = next_server_time(&d);
    d.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    d.answer(CallAnswer::PasskeyOptions { options_json: "{\"challenge\":\"c\"}".into() });
    d
}

#[test]
fn a_platform_passkey_failure_is_not_a_cancellation() {
    let mut d = to_passkey_sheet();

    d.send(Event::PasskeyFailed { reason: "no screen lock".into() });
    let failed = view(&d).notice.expect("explained");
    assert_eq!(failed.code, "FLOW_NOTICE_PASSKEY_FAILED");
    d.send(Event::PasskeyCancelled);
    let cancelled = view(&d).notice.expect("explained");
    assert_eq!(cancelled.code, "FLOW_NOTICE_PASSKEY_CANCELLED");
    assert_ne!(failed.text, cancelled.text);
    // Either way the dialog can be opened again.
    assert_eq!(d.send(Event::Continue), [Effect::RegisterPasskey { options_json: "{\"challenge\":\"c\"}".into() }]);
}

#[test]
fn a_failed_background_verified_id_fetch_is_retried_at_its_wake() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_waiting_for_reviewer(&mut d, true);
    let t = next_server_time(&d);
    d.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    let t = next_server_time(&d);
    let effects = d.answer(CallAnswer::TapCreated { tap: tap(t), server_time: t });
    let (first, call) = calls(&effects).pop().expect("the Verified ID is fetched after the TAP");
    assert_eq!(call, ServiceCall::FetchVerifiedId { request_id: "req-1".into() });

    // It fails quietly: the TAP screen stays as it was, and a wake is scheduled.
    let effects = d.fail("FetchVerifiedId", CallFailure::no_answer("NETWORK"));
    let wakes: Vec<Timestamp> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::ScheduleWake { at } => Some(*at),
            _ => None,
        })
        .collect();
    let [at] = wakes[..] else { panic!("one wake: {effects:?}") };
    assert!(at > d.now, "later");
    let v = view(&d);
    // Nobody waits on it: no notice, and the action is the user's own next step, not a retry.
    assert_eq!((v.notice, v.primary_action.map(|a| a.code)), (None, Some("FLOW_ACTION_SECURE_ACCOUNT".to_owned())), "nobody waits on it");
    assert!(matches!(d.flow.step(), Step::TapReady(_)));

    // Not before its time…
    d.now = at - 2_000;
    assert_eq!(calls(&d.send(Event::Tick)), []);
    // …then again, as a new call.
    let (second, call) = only_call(&d.send(Event::Tick));
    assert_ne!(second, first);
    assert_eq!(call, ServiceCall::FetchVerifiedId { request_id: "req-1".into() });
    assert_eq!(calls(&d.send(Event::Tick)), [], "one attempt at a time");

    // Success clears the retry: no further attempts.
    let t = next_server_time(&d);
    d.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t });
    assert_eq!(d.flow.verified_id().map(|v| v.issued_at), Some(t));
    d.wait(20 * MINUTE_MS);
    assert_eq!(calls(&d.send(Event::Tick)), []);
}

#[test]
fn an_answer_from_a_previous_request_does_not_apply_to_the_new_one() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, true);
    let fetch = d.pending_id("FetchVerifiedId").expect("background fetch");
    // The TAP expires; "Start a new request" leaves the old request's calls behind.
    d.wait(31 * MINUTE_MS);
    d.send(Event::Tick);
    assert!(matches!(d.flow.step(), Step::TapExpired { .. }));
    d.send(Event::Continue);
    assert!(matches!(d.flow.step(), Step::IdentityEntry { .. }));
    let t = next_server_time(&d);
    assert_rejected_without_change(&mut d, answered(fetch, CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t }));
    assert_eq!(d.flow.verified_id(), None);
}

/// The background fetch of the Verified ID is nobody's business on screen: its answer must not
/// wipe what the TAP's own answer told the user.
#[test]
fn the_background_verified_id_answer_keeps_the_tap_notice() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_waiting_for_reviewer(&mut d, true);
    let t = next_server_time(&d);
    d.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    let t = next_server_time(&d);
    let not_yet = identity_pass_core::flow::credential::TapUsability::NotYetValid;
    d.answer(CallAnswer::TapCreated {
        tap: identity_pass_core::flow::credential::TapGrant { usability: not_yet, ..tap(t) },
        server_time: t,
    });
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_TAP_NOT_USABLE"));
    let t = next_server_time(&d);
    d.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t });
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_TAP_NOT_USABLE"));
}

/// A TAP asked for again after a restart, whose answer was lost, must be resent as the same
/// call (the service may have made it), even when the background Verified ID retry falls due.
#[test]
fn a_background_retry_does_not_drop_the_failed_call_the_user_retries() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, true);
    let effects = d.fail("FetchVerifiedId", CallFailure::no_answer("NETWORK"));
    let Some(at) = effects.iter().find_map(|e| match e {
        Effect::ScheduleWake { at } => Some(*at),
        _ => None,
    }) else {
        panic!("{effects:?}")
    };
    d.restart();
    let (create, _) = only_call(&d.send(Event::Continue));
    d.fail("CreateTap", CallFailure::no_answer("NETWORK"));
    assert_eq!(d.flow.live_call_ids(), [create]);
    d.now = at;
    let (_, background) = only_call(&d.send(Event::Tick));
    assert!(matches!(background, ServiceCall::FetchVerifiedId { .. }));
    assert!(d.flow.live_call_ids().contains(&create), "the failed TAP call's key is still needed");
    let (resent, _) = only_call(&d.send(Event::Continue));
    assert_eq!(resent, create, "no answer: the same call again");
}

/// The Verified ID to present is gone from this phone's secure storage: resending the same
/// presentation can only fail the same way, and the notice tells the user to start again.
#[test]
fn a_missing_verified_id_on_the_fast_path_is_not_a_dead_end() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    let t = next_server_time(&d);
    accept_identity(&mut d, OnboardingPath::GetTap, flags(false, true), Some(t - 10 * DAY_MS));
    let (_, call) = only_call(&pass_liveness(&mut d));
    assert!(matches!(call, ServiceCall::PresentVerifiedId { .. }));
    let effects = d.fail("PresentVerifiedId", CallFailure::not_sent(identity_pass_core::flow::NOT_SENT_VERIFIED_ID_MISSING));
    assert_eq!(code(view(&d).notice).as_deref(), Some("FLOW_NOTICE_VERIFIED_ID_MISSING"));
    // The full way instead: a new request without the Verified ID, at once.
    assert_eq!(d.flow.step(), &Step::SubmittingIdentity);
    let (_, call) = only_call(&effects);
    assert!(matches!(call, ServiceCall::CreateRequest { present_verified_id: false, .. }), "{call:?}");
    assert_eq!(d.flow.verified_id(), None);
}

/// The app killed during the reviewer's call: its video call is gone, so the user is asked to
/// join again (and the 15 seconds count from the new join) instead of a screen without a way on.
#[test]
fn killed_in_the_reviewers_call_the_user_can_join_again() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_waiting_for_reviewer(&mut d, false);
    let t = next_server_time(&d);
    d.send(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "call-1".into() }, server_time: t });
    assert_eq!(d.send(Event::Continue), [Effect::PersistState, Effect::JoinCall { call_id: "call-1".into() }]);
    d.send(Event::CallJoined);
    assert!(matches!(view(&d).screen, Screen::Review { stage: ReviewStage::InCall }));

    d.restart();
    let shown = view(&d);
    assert!(matches!(shown.screen, Screen::Review { stage: ReviewStage::CallInvited }), "{:?}", shown.screen);
    assert_eq!(code(shown.notice).as_deref(), Some("FLOW_NOTICE_CALL_INTERRUPTED"));
    assert!(shown.primary_action.is_some());
    assert_eq!(d.send(Event::Continue), [Effect::PersistState, Effect::JoinCall { call_id: "call-1".into() }]);
    d.send(Event::CallJoined);
    d.wait(16_000);
    d.send(Event::CallEnded);
    assert!(matches!(view(&d).screen, Screen::Review { stage: ReviewStage::AwaitingDecision }));
}

/// A refused attestation (a used or expired challenge) gets a new challenge and a new passkey
/// instead of the same attestation resent forever.
#[test]
fn a_refused_passkey_attestation_starts_over_with_a_new_challenge() {
    let mut d = to_passkey_sheet();
    d.send(Event::PasskeyCreated { response_json: "{\"id\":\"cred\"}".into() });
    let effects = d.fail("SubmitPasskey", CallFailure::refused("PASSKEY_ATTESTATION_REJECTED"));
    let (_, call) = only_call(&effects);
    assert!(matches!(call, ServiceCall::FetchPasskeyOptions { .. }), "{call:?}");
    assert_eq!(code(view(&d).notice).as_deref(), Some("SERVICE_PASSKEY_ATTESTATION_REJECTED"));
    let effects = d.answer(CallAnswer::PasskeyOptions { options_json: "{\"challenge\":\"d\"}".into() });
    assert!(effects.contains(&Effect::RegisterPasskey { options_json: "{\"challenge\":\"d\"}".into() }), "{effects:?}");
}

/// A passkey from a copy of the app the service does not vouch for is refused for good: the
/// flow stops with the service's explanation instead of opening the passkey sheet again by
/// itself (each sheet would leave an unusable passkey behind); "Try again" asks anew.
#[test]
fn a_passkey_from_an_app_the_service_does_not_vouch_for_stops_until_the_user_retries() {
    let mut d = to_passkey_sheet();
    d.send(Event::PasskeyCreated { response_json: "{\"id\":\"cred\"}".into() });
    let effects = d.fail("SubmitPasskey", CallFailure::refused("PASSKEY_ORIGIN_NOT_ALLOWED"));
    assert!(effects.iter().all(|e| !matches!(e, Effect::Call { .. } | Effect::RegisterPasskey { .. })), "{effects:?}");
    let shown = view(&d);
    assert_eq!(code(shown.notice).as_deref(), Some("SERVICE_PASSKEY_ORIGIN_NOT_ALLOWED"));
    assert_eq!(code(shown.primary_action).as_deref(), Some("FLOW_ACTION_RETRY"));
    let effects = d.send(Event::Continue);
    let (_, call) = only_call(&effects);
    assert!(matches!(call, ServiceCall::FetchPasskeyOptions { .. }), "{call:?}");
}

/// The TAP answer that arrives after the pass already expired is used up: the call leaves the
/// flow (it is not sent again at every start) and nothing else changes.
#[test]
fn an_answer_the_step_has_moved_past_is_used_up_not_kept_in_flight() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    to_tap(&mut d, false);
    d.restart();
    d.send(Event::Continue); // a new TAP, please
    let id = d.pending_id("CreateTap").expect("asked");
    d.wait_minutes(40); // the old pass expires while the answer is on its way
    d.send(Event::Tick);
    assert!(matches!(d.flow.step(), Step::TapExpired { .. }), "{:?}", d.flow.step());
    let t = next_server_time(&d);
    let late = d.try_send(answered(id, CallAnswer::TapCreated { tap: tap(t - 41 * MINUTE_MS), server_time: t }));
    assert_eq!(late.rejection, None);
    assert!(matches!(d.flow.step(), Step::TapExpired { .. }));
    assert!(d.flow.pending_calls().is_empty(), "{:?}", d.flow.pending_calls());
    assert!(calls(&d.restart()).is_empty(), "nothing is resent at the next start");
}

/// A TAP the service hands out unusable is explained in the user's words, never by the enum's
/// name, and differently when waiting helps (not active yet) and when it does not (policy).
#[test]
fn an_unusable_tap_is_explained_by_its_reason_in_both_languages() {
    use identity_pass_core::flow::credential::{TapGrant, TapUsability};
    use identity_pass_core::messages::Locale;
    for (usability, expected) in
        [(TapUsability::NotYetValid, "FLOW_NOTICE_TAP_NOT_USABLE"), (TapUsability::DisabledByPolicy, "FLOW_NOTICE_TAP_DISABLED")]
    {
        let mut d = Driver::new(identity_pass_core::Platform::Android);
        to_waiting_for_reviewer(&mut d, false);
        let t = next_server_time(&d);
        d.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
        let t = next_server_time(&d);
        d.answer(CallAnswer::TapCreated { tap: TapGrant { usability, ..tap(t) }, server_time: t });
        let english = view(&d).notice.expect("explained");
        assert_eq!(english.code, expected);
        d.flow.set_locale(Locale::SimplifiedChinese);
        let chinese = view(&d).notice.expect("explained");
        for text in [&english.text, &chinese.text] {
            assert!(!text.contains(&format!("{usability:?}")), "the enum's name leaked: {text}");
        }
        assert!(chinese.text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", chinese.text);
    }
}
