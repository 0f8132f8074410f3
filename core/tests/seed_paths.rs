//! Walks each seed path step by step, as a table: the action, the step the flow must be on
//! afterwards, and the effects (by name, in order) it must ask for. After every row the driver
//! also checks the invariants and the serialize → deserialize round trip.
//!
//! 000 "Get TAP", 001 "Get Passkey", the 30-day fast path, a denial, an expired TAP and a
//! missed reviewer window.

mod common;

use common::*;
use identity_pass_core::SecretString;
use identity_pass_core::eligibility::Platform;
use identity_pass_core::flow::account_security::{AccountSecurity, AppActivation, SecurityAnswer, SecurityTaskKind};
use identity_pass_core::flow::clock::{DAY_MS, HOUR_MS, MINUTE_MS, Timestamp};
use identity_pass_core::flow::identity_entry::StaffKind;
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::{GovernmentIdOutcome, PartnerStep};
use identity_pass_core::flow::{CallAnswer, Effect, Event, ServiceCall, Step, VERDICT_POLL_MS};
use identity_pass_core::testing::{fresh_account_security, with_authenticator_app};

/// One row of a walk.
enum Act {
    /// Send an event.
    E(Event),
    /// Send an event built from the service's current time.
    S(fn(Timestamp) -> Event),
    /// Answer the pending call of the answer's kind, built from the service's current time.
    A(fn(Timestamp) -> CallAnswer),
    /// Let time pass (phone and service alike).
    Wait(i64),
}

fn step_name(step: &Step) -> &'static str {
    match step {
        Step::DeviceCheck => "DeviceCheck",
        Step::Ineligible { .. } => "Ineligible",
        Step::Permissions => "Permissions",
        Step::Consent => "Consent",
        Step::IdentityEntry { .. } => "IdentityEntry",
        Step::SubmittingIdentity => "SubmittingIdentity",
        Step::DateOfBirth { .. } => "DateOfBirth",
        Step::GovernmentId { .. } => "GovernmentId",
        Step::AwaitingVerifiedId => "AwaitingVerifiedId",
        Step::AddVerifiedId { .. } => "AddVerifiedId",
        Step::Selfie { .. } => "Selfie",
        Step::Liveness { .. } => "Liveness",
        Step::PresentVerifiedId { .. } => "PresentVerifiedId",
        Step::Review(_) => "Review",
        Step::FetchingTap { .. } => "FetchingTap",
        Step::TapReady(_) => "TapReady",
        Step::SecureAccount { .. } => "SecureAccount",
        Step::TapExpired { .. } => "TapExpired",
        Step::Passkey { .. } => "Passkey",
        Step::Denied { .. } => "Denied",
        Step::ReviewWindowMissed => "ReviewWindowMissed",
        Step::Done { .. } => "Done",
    }
}

type Row = (Act, &'static str, &'static [&'static str]);
/// A named walk and the step it must end on.
type SeedPath = (&'static str, fn() -> Vec<Row>, &'static str);

fn flags(liveness_prompt: bool, verified_id: bool) -> RolloutFlags {
    RolloutFlags { liveness_prompt, verified_id }
}

fn start_rows() -> Vec<Row> {
    use Act::E;
    let granted = |permission| E(Event::PermissionReported { permission, status: PermissionStatus::Granted });
    vec![
        (E(Event::DeviceChecked { profile: phone(Platform::Android) }), "Permissions", &["PersistState"]),
        (E(Event::Continue), "Permissions", &["RequestPermission"]),
        (granted(Permission::Camera), "Permissions", &["PersistState", "RequestPermission"]),
        (granted(Permission::Microphone), "Permissions", &["PersistState", "RequestPermission"]),
        (granted(Permission::Notifications), "Permissions", &["PersistState", "RequestPermission"]),
        // Seed 001: "Approximate" is prompted again until "Precise" is chosen.
        (
            E(Event::PermissionReported { permission: Permission::Location, status: PermissionStatus::Approximate }),
            "Permissions",
            &["PersistState", "RequestPermission"],
        ),
        (granted(Permission::Location), "Consent", &["PersistState"]),
        (E(Event::ConsentAnswered { accepted: true }), "IdentityEntry", &["PersistState"]),
        (E(Event::IdentitySubmitted { form: form(StaffKind::Employee) }), "SubmittingIdentity", &["PersistState", "CreateRequest"]),
    ]
}

/// The service's answer to the identity: the path, no fast path.
fn accepted(path: OnboardingPath, flags: RolloutFlags, t: Timestamp) -> CallAnswer {
    CallAnswer::RequestCreated { request_id: "req-1".into(), path, flags, fast_path: false, verified_id_issued_at: None, server_time: t }
}

fn review_rows() -> Vec<Row> {
    use Act::{A, E, S, Wait};
    vec![
        (
            A(|t| CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t }),
            "Review",
            &["PersistState", "WatchStatus", "ScheduleWake"],
        ),
        (Wait(3 * HOUR_MS), "Review", &[]),
        (
            S(|t| Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "call-1".into() }, server_time: t }),
            "Review",
            &["PersistState", "ShowNotification"],
        ),
        (E(Event::Continue), "Review", &["PersistState", "JoinCall"]),
        (E(Event::CallJoined), "Review", &["PersistState"]),
        (Wait(20_000), "Review", &[]),
        (E(Event::CallEnded), "Review", &["PersistState"]),
    ]
}

/// The liveness check: the service issues a challenge, the phone's own check for it passes,
/// and the service judges the frames it captured.
fn liveness_rows(then: &'static str, effects: &'static [&'static str]) -> Vec<Row> {
    use Act::{A, E};
    vec![
        (E(Event::Continue), "Liveness", &["PersistState", "RequestLivenessChallenge"]),
        (
            A(|t| CallAnswer::LivenessChallengeIssued {
                challenge_id: "lc-1".into(),
                expires_at: t + 120_000,
                actions: Vec::new(),
                server_time: t,
            }),
            "Liveness",
            &["PersistState", "StartLiveness"],
        ),
        (E(Event::LivenessFinished { failure: None }), "Liveness", &["PersistState", "SubmitLivenessFrames"]),
        (A(|t| CallAnswer::LivenessJudged { passed: true, reason: None, server_time: t }), then, effects),
    ]
}

fn get_tap_000() -> Vec<Row> {
    use Act::{A, E, S};
    let mut rows = start_rows();
    rows.extend::<Vec<Row>>(vec![
        (A(|t| accepted(OnboardingPath::GetTap, flags(true, true), t)), "Selfie", &["PersistState"]),
        (E(Event::Continue), "Selfie", &["PersistState", "StartSelfie"]),
        (E(Event::SelfieCaptured), "Selfie", &["PersistState", "UploadSelfie"]),
        (A(|t| CallAnswer::SelfieUploaded { server_time: t }), "Liveness", &["PersistState"]),
    ]);
    rows.extend(liveness_rows("Review", &["PersistState", "SubmitForReview"]));
    rows.extend(review_rows());
    rows.extend::<Vec<Row>>(vec![
        (S(|t| Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t }), "FetchingTap", &["PersistState", "CreateTap"]),
        // Rollout flag `verified_id`: the Verified ID is fetched in the background after the TAP.
        (
            A(|t| CallAnswer::TapCreated { tap: tap(t), server_time: t }),
            "TapReady",
            &["PersistState", "ScheduleWake", "ScheduleWake", "ShowNotification", "FetchVerifiedId"],
        ),
        (A(|t| CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t }), "TapReady", &["PersistState"]),
    ]);
    rows.extend(secure_account_rows());
    rows
}

/// The account at `t` after what `done` lists: the app registered, the questions answered, the
/// password set (the service decides `complete`).
fn account(t: Timestamp, app: bool, questions: bool, password: bool) -> AccountSecurity {
    // One sign-in for the whole walk, whatever the row's time: from the start of its day, for
    // two days.
    let mut account = fresh_account_security(t - t.rem_euclid(DAY_MS));
    account.session_expires_at = account.signed_in_at + 2 * DAY_MS;
    if app {
        account = with_authenticator_app(account, t);
    }
    account.security_questions_set = questions;
    account.password_set = password;
    account.complete = app && questions && password;
    account
}

/// Seed 004 after the TAP, with the service as the authority: sign in with the TAP, the mobile
/// app (its barcode, then a code), four security questions, the password page, finished.
fn secure_account_rows() -> Vec<Row> {
    use Act::{A, E};
    let code = || SecretString::new("123456".into());
    vec![
        (E(Event::Continue), "TapReady", &["PersistState", "SignInWithTap"]),
        // The sign-in's end is woken for, on the service's clock.
        (
            A(|t| CallAnswer::SecurityInfo { account: account(t, false, false, false), server_time: t }),
            "SecureAccount",
            &["PersistState", "ScheduleWake"],
        ),
        (
            E(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp }),
            "SecureAccount",
            &["PersistState", "StartAuthenticatorApp"],
        ),
        (
            A(|t| CallAnswer::AuthenticatorAppActivation {
                activation: AppActivation {
                    activation_id: "act-1".into(),
                    activation_code: "123456789".into(),
                    activation_url: "https://pass.example/mfa/activate".into(),
                    otpauth_uri: Some(SecretString::new("otpauth://totp/Identity%20Pass:a%40contoso.com?secret=JBSWY3DPEHPK3PXP".into())),
                    expires_at: t + 10 * MINUTE_MS,
                },
                server_time: t,
            }),
            "SecureAccount",
            &["PersistState"],
        ),
        // On this phone: the otpauth link opens the authenticator app.
        (E(Event::Continue), "SecureAccount", &["OpenOtpauthLink"]),
        (E(Event::VerificationCodeEntered { code: code() }), "SecureAccount", &["PersistState", "VerifyAuthenticatorApp"]),
        (A(|t| CallAnswer::SecurityInfo { account: account(t, true, false, false), server_time: t }), "SecureAccount", &["PersistState"]),
        (E(Event::SecurityTaskChosen { task: SecurityTaskKind::SecurityQuestions }), "SecureAccount", &["PersistState"]),
        (
            E(Event::SecurityAnswersEntered {
                answers: vec![
                    SecurityAnswer { question_id: "q1".into(), answer: SecretString::new("Springfield".into()) },
                    SecurityAnswer { question_id: "q2".into(), answer: SecretString::new("Rex".into()) },
                    SecurityAnswer { question_id: "q3".into(), answer: SecretString::new("Blue".into()) },
                    SecurityAnswer { question_id: "q4".into(), answer: SecretString::new("Pizza".into()) },
                ],
            }),
            "SecureAccount",
            &["PersistState", "SetSecurityAnswers"],
        ),
        (A(|t| CallAnswer::SecurityInfo { account: account(t, true, true, false), server_time: t }), "SecureAccount", &["PersistState"]),
        (E(Event::SecurityTaskChosen { task: SecurityTaskKind::Password }), "SecureAccount", &["PersistState", "OpenPasswordPage"]),
        (
            A(|t| CallAnswer::PasswordPage {
                url: SecretString::new(format!("https://pass.example/account/password?ticket=t{t}")),
                server_time: t,
            }),
            "SecureAccount",
            &["PersistState", "OpenPasswordPage"],
        ),
        // Back from the browser: the service says whether the password was set.
        (E(Event::AppResumed), "SecureAccount", &["PersistState", "FetchSecurityInfo"]),
        (A(|t| CallAnswer::SecurityInfo { account: account(t, true, true, true), server_time: t }), "SecureAccount", &["PersistState"]),
        (E(Event::Continue), "Done", &["PersistState"]),
    ]
}

fn get_passkey_001() -> Vec<Row> {
    use Act::{A, E, S};
    let mut rows = start_rows();
    rows.push((A(|t| accepted(OnboardingPath::GetPasskey, flags(true, true), t)), "GovernmentId", &["PersistState"]));
    // The service opens the partner session and hands the user off to its page.
    rows.push((E(Event::Continue), "GovernmentId", &["PersistState", "OpenPartnerSession"]));
    rows.push((
        A(|t| CallAnswer::PartnerSessionOpened {
            handoff_url: "https://partner.example/sessions/ps_1?token=t".into(),
            expires_at: t + 30 * MINUTE_MS,
            server_time: t,
        }),
        "GovernmentId",
        &["PersistState", "StartGovernmentIdCheck"],
    ));
    for step in PartnerStep::ALL {
        rows.push((E(Event::GovernmentIdProgress { step }), "GovernmentId", &["PersistState"]));
    }
    rows.extend::<Vec<Row>>(vec![
        // Back from the partner: the verdict is the service's; the partner had not reported
        // yet at the first look, so the flow looks again 5 seconds later.
        (E(Event::GovernmentIdHandoffEnded), "GovernmentId", &["PersistState", "FetchGovernmentIdVerdict"]),
        (A(|t| CallAnswer::GovernmentIdVerdict { outcome: None, server_time: t }), "GovernmentId", &["PersistState", "ScheduleWake"]),
        (Act::Wait(VERDICT_POLL_MS), "GovernmentId", &[]),
        (E(Event::Tick), "GovernmentId", &["PersistState", "FetchGovernmentIdVerdict"]),
        (
            A(|t| CallAnswer::GovernmentIdVerdict { outcome: Some(GovernmentIdOutcome::Verified), server_time: t }),
            "AwaitingVerifiedId",
            &["PersistState", "FetchVerifiedId"],
        ),
        (A(|t| CallAnswer::VerifiedId { issued: Some((t, t + 30 * DAY_MS)), server_time: t }), "AddVerifiedId", &["PersistState"]),
        (E(Event::Continue), "AddVerifiedId", &["PersistState", "OpenAuthenticator"]),
        (E(Event::Continue), "Liveness", &["PersistState"]),
    ]);
    rows.extend(liveness_rows("PresentVerifiedId", &["PersistState"]));
    rows.extend::<Vec<Row>>(vec![
        (E(Event::Continue), "PresentVerifiedId", &["PersistState", "PresentVerifiedId"]),
        (A(|t| CallAnswer::VerifiedIdPresented { server_time: t }), "Review", &["PersistState", "SubmitForReview"]),
    ]);
    rows.extend(review_rows());
    rows.extend::<Vec<Row>>(vec![
        (
            S(|t| Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t }),
            "Passkey",
            &["PersistState", "FetchPasskeyOptions"],
        ),
        (
            A(|_| CallAnswer::PasskeyOptions { options_json: "{\"challenge\":\"abc\"}".into() }),
            "Passkey",
            &["PersistState", "RegisterPasskey"],
        ),
        (E(Event::PasskeyCreated { response_json: "{\"id\":\"cred\"}".into() }), "Passkey", &["PersistState", "SubmitPasskey"]),
        (A(|t| CallAnswer::PasskeyRegistered { server_time: t }), "Done", &["PersistState"]),
    ]);
    rows
}

fn fast_path() -> Vec<Row> {
    use Act::A;
    let mut rows = start_rows();
    // Verified 10 days ago: liveness only, no call (seed 000, "Existing Users with a Verified ID").
    rows.push((
        A(|t| CallAnswer::RequestCreated {
            request_id: "req-1".into(),
            path: OnboardingPath::GetTap,
            flags: flags(false, true),
            fast_path: true,
            verified_id_issued_at: Some(t - 10 * DAY_MS),
            server_time: t,
        }),
        "Liveness",
        &["PersistState"],
    ));
    // The TAP through the fast path: present the Verified ID, submit, then the TAP.
    rows.extend(liveness_rows("FetchingTap", &["PersistState", "PresentVerifiedId"]));
    rows.extend::<Vec<Row>>(vec![
        (A(|t| CallAnswer::VerifiedIdPresented { server_time: t }), "FetchingTap", &["PersistState", "SubmitForReview"]),
        (A(|t| CallAnswer::Submitted { status: None, server_time: t }), "FetchingTap", &["PersistState", "CreateTap"]),
        (
            A(|t| CallAnswer::TapCreated { tap: tap(t), server_time: t }),
            "TapReady",
            &["PersistState", "ScheduleWake", "ScheduleWake", "ShowNotification", "FetchVerifiedId"],
        ),
    ]);
    rows
}

fn up_to_review(liveness: bool) -> Vec<Row> {
    use Act::{A, E};
    let mut rows = start_rows();
    rows.push((
        if liveness {
            A(|t| accepted(OnboardingPath::GetTap, flags(true, false), t))
        } else {
            A(|t| accepted(OnboardingPath::GetTap, flags(false, false), t))
        },
        "Selfie",
        &["PersistState"],
    ));
    rows.push((E(Event::Continue), "Selfie", &["PersistState", "StartSelfie"]));
    rows.push((E(Event::SelfieCaptured), "Selfie", &["PersistState", "UploadSelfie"]));
    if liveness {
        rows.push((A(|t| CallAnswer::SelfieUploaded { server_time: t }), "Liveness", &["PersistState"]));
        rows.extend(liveness_rows("Review", &["PersistState", "SubmitForReview"]));
    } else {
        rows.push((A(|t| CallAnswer::SelfieUploaded { server_time: t }), "Review", &["PersistState", "SubmitForReview"]));
    }
    rows
}

fn denial() -> Vec<Row> {
    use Act::{E, S};
    let mut rows = up_to_review(true);
    rows.extend(review_rows());
    rows.push((
        S(|t| Event::ReviewUpdated {
            status: ReviewStatus::Denied { reason_code: "BADGE_PHOTO_MISMATCH".into(), message: "Request denied.".into() },
            server_time: t,
        }),
        "Denied",
        &["PersistState"],
    ));
    rows.push((E(Event::Continue), "IdentityEntry", &["PersistState"]));
    rows
}

fn expired_tap() -> Vec<Row> {
    use Act::{A, E, S, Wait};
    let mut rows = up_to_review(false);
    rows.extend(review_rows());
    rows.extend::<Vec<Row>>(vec![
        (S(|t| Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t }), "FetchingTap", &["PersistState", "CreateTap"]),
        (
            A(|t| CallAnswer::TapCreated { tap: tap(t), server_time: t }),
            "TapReady",
            &["PersistState", "ScheduleWake", "ScheduleWake", "ShowNotification"],
        ),
        // 25 minutes in, the wake the flow scheduled for the warning: warned once, 5 minutes left.
        (Wait(25 * MINUTE_MS), "TapReady", &[]),
        (E(Event::Tick), "TapReady", &["PersistState", "ShowNotification"]),
        (E(Event::Tick), "TapReady", &[]),
        (Wait(5 * MINUTE_MS), "TapReady", &[]),
        (E(Event::Tick), "TapExpired", &["PersistState"]),
        // No Verified ID (rollout off): a new request.
        (E(Event::Continue), "IdentityEntry", &["PersistState"]),
    ]);
    rows
}

fn missed_reviewer_window() -> Vec<Row> {
    use Act::{A, E, Wait};
    let mut rows = up_to_review(false);
    rows.extend::<Vec<Row>>(vec![
        (
            A(|t| CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t }),
            "Review",
            &["PersistState", "WatchStatus", "ScheduleWake"],
        ),
        (Wait(24 * HOUR_MS - 5_000), "Review", &[]),
        (E(Event::Tick), "Review", &[]),
        (Wait(5_000), "Review", &[]),
        (E(Event::Tick), "ReviewWindowMissed", &["PersistState"]),
        // A late invitation for the missed request is stale.
        (E(Event::Continue), "IdentityEntry", &["PersistState"]),
    ]);
    rows
}

fn walk(name: &str, rows: Vec<Row>, skew: i64) -> Driver {
    let mut d = Driver::new(Platform::Android);
    d.skew = skew;
    for (i, (act, expected_step, expected_effects)) in rows.into_iter().enumerate() {
        let effects = match act {
            Act::E(event) => d.send(event),
            Act::S(make) => {
                let event = make(d.server_time() + 1_000);
                d.send(event)
            }
            Act::A(make) => {
                let answer = make(d.server_time() + 1_000);
                d.answer(answer)
            }
            Act::Wait(ms) => {
                d.wait(ms);
                Vec::new()
            }
        };
        let names: Vec<_> = effects.iter().map(Effect::name).collect();
        assert_eq!(step_name(d.flow.step()), expected_step, "{name}, row {i}");
        assert_eq!(names, expected_effects, "{name}, row {i}");
    }
    d
}

#[test]
fn every_seed_path_walks_to_its_end_with_and_without_clock_skew() {
    let paths: [SeedPath; 6] = [
        ("000 Get TAP", get_tap_000, "Done"),
        ("001 Get Passkey", get_passkey_001, "Done"),
        ("fast path", fast_path, "TapReady"),
        ("denial", denial, "IdentityEntry"),
        ("expired TAP", expired_tap, "IdentityEntry"),
        ("missed reviewer window", missed_reviewer_window, "IdentityEntry"),
    ];
    // The service's clock: in step, 7 minutes ahead of the phone, 3 hours behind it.
    for skew in [0, 7 * MINUTE_MS, -3 * HOUR_MS] {
        for (name, rows, end) in paths {
            let d = walk(name, rows(), skew);
            assert_eq!(step_name(d.flow.step()), end, "{name} with skew {skew}");
        }
    }
}

#[test]
fn the_denial_shows_the_seeds_badge_photo_message_in_both_languages() {
    let mut rows = denial();
    rows.pop();
    let mut d = walk("denial", rows, 0);
    let body = d.flow.view(d.now).body.expect("a denial explains itself");
    assert_eq!(body.code, "FLOW_DENIED_BADGE_PHOTO");
    assert!(body.text.starts_with("Request denied. Your identity cannot be verified."), "{}", body.text);
    d.flow.set_locale(identity_pass_core::messages::Locale::SimplifiedChinese);
    assert!(d.flow.view(d.now).body.expect("body").text.contains("工牌照片"));
}

#[test]
fn after_an_expired_tap_a_verified_user_gets_a_new_one_through_the_fast_path() {
    let mut rows = get_tap_000();
    rows.truncate(rows.len() - secure_account_rows().len()); // stop after the Verified ID is issued
    let mut d = walk("000 Get TAP", rows, 0);
    d.wait(31 * MINUTE_MS);
    d.send(Event::Tick);
    assert_eq!(step_name(d.flow.step()), "TapExpired");
    // "Get a new TAP" sends the same identity again, as a new request, at once.
    let effects = d.send(Event::Continue);
    assert!(
        matches!(effects.as_slice(), [Effect::PersistState, Effect::Call { call: ServiceCall::CreateRequest { upn, present_verified_id: true, .. }, .. }] if upn == "alias@contoso.com"),
        "{effects:?}"
    );
    assert_eq!(step_name(d.flow.step()), "SubmittingIdentity");
    let t = d.server_time() + 1_000;
    d.answer(CallAnswer::RequestCreated {
        request_id: "req-2".into(),
        path: OnboardingPath::GetTap,
        flags: flags(true, true),
        fast_path: true,
        verified_id_issued_at: Some(t - 31 * MINUTE_MS),
        server_time: t,
    });
    assert_eq!(step_name(d.flow.step()), "Liveness", "liveness only: no selfie, no call");
    let effects = pass_liveness(&mut d);
    assert_eq!(d.flow.step(), &Step::FetchingTap { fast_path: true, reissued: false });
    assert_eq!(
        calls(&effects).into_iter().map(|(_, c)| c).collect::<Vec<_>>(),
        [ServiceCall::PresentVerifiedId { request_id: "req-2".into() }]
    );
}
