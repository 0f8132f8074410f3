//! Property tests: random event sequences, at random times and with a random clock skew
//! between phone and service, never panic, never break an invariant, survive serialize →
//! deserialize at every point, and a rejected event changes nothing but what time alone
//! would have changed.
//!
//! The service's answers are filled in when they are sent with the id of a pending call of
//! their kind (or of any pending call, or of one the flow no longer waits for); an answer to
//! a call the flow is not waiting for is always rejected. Every call the flow asks for is
//! recorded as pending, and saved before it goes out.
//!
//! Purely random sequences rarely get past the permission screen, so each case starts with a
//! random-length prefix of a guided walk down one of the paths, then goes random.

mod common;

use common::*;
use identity_pass_core::SecretString;
use identity_pass_core::eligibility::Platform;
use identity_pass_core::flow::account_security::{
    AccountSecurity, AppActivation, OnwardLink, PhoneVerification, PhoneVerificationStatus, SecurityAnswer, SecurityMethodKind,
    SecurityTaskKind,
};
use identity_pass_core::flow::clock::{DAY_MS, HOUR_MS, MINUTE_MS, Timestamp};
use identity_pass_core::flow::credential::{TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::{GovernmentIdOutcome, PartnerStep};
use identity_pass_core::flow::{
    CallAnswer, CallFailure, CallId, CallOutcome, Effect, Event, NOT_SENT_INPUT_LOST, NOT_SENT_SECURE_STORAGE, OnboardingFlow, Rejection,
};
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::testing::{fresh_account_security, with_authenticator_app};
use proptest::prelude::*;

/// Marks a service time to be filled in with the service's "now" when the event is sent.
const NOW: Timestamp = 0;

/// The partner's page the service hands out.
const HANDOFF: &str = "https://partner.example/sessions/ps_1?token=t";

/// Marks an answer's id to be filled in when it is sent: the oldest pending call of the
/// answer's kind (for a failure, the oldest pending call). With none pending it stays as it
/// is, an id the flow never issued, and the answer must be rejected.
const MATCHING: CallId = CallId(u64::MAX);
/// An id to be filled in with a call the flow made earlier and no longer waits for (a late
/// answer from before a retry, a restart or a new request); with none, one it never issued.
const RETIRED: CallId = CallId(u64::MAX - 1);
/// `PICK_FIRST + i`: the `i`-th pending call, whatever its kind (an answer of the wrong kind).
const PICK_FIRST: u64 = u64::MAX - 10;

/// Ids are filled in at send time, from the flow's pending calls and the ids it issued so far.
fn fill_id(id: CallId, outcome: &CallOutcome, flow: &OnboardingFlow, issued: &[CallId]) -> CallId {
    let pending = flow.pending_calls();
    let filled = if id == MATCHING {
        match outcome {
            CallOutcome::Answered(answer) => pending_answerable(flow, answer),
            CallOutcome::Failed(_) => pending.first().map(|p| p.id),
        }
    } else if id == RETIRED {
        issued.iter().rev().copied().find(|id| pending.iter().all(|p| p.id != *id))
    } else if id.0 >= PICK_FIRST && !pending.is_empty() {
        let index = usize::try_from(id.0 - PICK_FIRST).unwrap_or(0) % pending.len();
        Some(pending[index].id)
    } else {
        None
    };
    filled.unwrap_or(MATCHING)
}

fn stamp(event: Event, server_now: Timestamp, flow: &OnboardingFlow, issued: &[CallId]) -> Event {
    let fill = |t: Timestamp| if t == NOW { server_now } else { t };
    match event {
        Event::Answered { id, outcome } => {
            let id = fill_id(id, &outcome, flow, issued);
            let outcome = match outcome {
                CallOutcome::Answered(answer) => CallOutcome::Answered(stamp_answer(answer, server_now)),
                failed => failed,
            };
            Event::Answered { id, outcome }
        }
        Event::ReviewUpdated { status, server_time } => {
            Event::ReviewUpdated { status: stamp_status(status, server_now), server_time: fill(server_time) }
        }
        other => other,
    }
}

fn stamp_status(status: ReviewStatus, server_now: Timestamp) -> ReviewStatus {
    let fill = |t: Timestamp| if t == NOW { server_now } else { t };
    match status {
        ReviewStatus::Submitted { submitted_at } => ReviewStatus::Submitted { submitted_at: fill(submitted_at) },
        ReviewStatus::WaitingForReviewer { submitted_at } => ReviewStatus::WaitingForReviewer { submitted_at: fill(submitted_at) },
        ReviewStatus::InCall { call_id, joined_at } => ReviewStatus::InCall { call_id, joined_at: fill(joined_at) },
        ReviewStatus::LeftCall { call_id, left_at, seconds_in_call } => {
            ReviewStatus::LeftCall { call_id, left_at: fill(left_at), seconds_in_call }
        }
        other => other,
    }
}

fn stamp_answer(answer: CallAnswer, server_now: Timestamp) -> CallAnswer {
    let fill = |t: Timestamp| if t == NOW { server_now } else { t };
    match answer {
        CallAnswer::RequestCreated { request_id, path, flags, fast_path, verified_id_issued_at, server_time } => {
            CallAnswer::RequestCreated {
                request_id,
                path,
                flags,
                fast_path,
                verified_id_issued_at: verified_id_issued_at.map(|t| if t < 0 { server_now + t } else { t }),
                server_time: fill(server_time),
            }
        }
        CallAnswer::DateOfBirthConfirmed { server_time } => CallAnswer::DateOfBirthConfirmed { server_time: fill(server_time) },
        CallAnswer::PartnerSessionOpened { handoff_url, expires_at, server_time } => CallAnswer::PartnerSessionOpened {
            handoff_url,
            expires_at: if expires_at == NOW { server_now + 30 * MINUTE_MS } else { expires_at },
            server_time: fill(server_time),
        },
        CallAnswer::GovernmentIdVerdict { outcome, server_time } => {
            CallAnswer::GovernmentIdVerdict { outcome, server_time: fill(server_time) }
        }
        CallAnswer::VerifiedId { issued, server_time } => CallAnswer::VerifiedId {
            issued: issued
                .map(|(issued_at, expires_at)| (fill(issued_at), if expires_at == NOW { server_now + 30 * DAY_MS } else { expires_at })),
            server_time: fill(server_time),
        },
        CallAnswer::SelfieUploaded { server_time } => CallAnswer::SelfieUploaded { server_time: fill(server_time) },
        CallAnswer::VerifiedIdPresented { server_time } => CallAnswer::VerifiedIdPresented { server_time: fill(server_time) },
        CallAnswer::Submitted { status, server_time } => {
            CallAnswer::Submitted { status: status.map(|s| stamp_status(s, server_now)), server_time: fill(server_time) }
        }
        CallAnswer::TapCreated { tap, server_time } => {
            CallAnswer::TapCreated { tap: TapGrant { start_at: fill(tap.start_at), ..tap }, server_time: fill(server_time) }
        }
        CallAnswer::PasskeyRegistered { server_time } => CallAnswer::PasskeyRegistered { server_time: fill(server_time) },
        // An account stamped at NOW: its times run from the service's now.
        CallAnswer::SecurityInfo { mut account, server_time } => {
            if account.signed_in_at == NOW {
                account.signed_in_at += server_now;
                account.session_expires_at += server_now;
                account.registration_deadline = account.registration_deadline.map(|d| d + server_now);
            }
            CallAnswer::SecurityInfo { account, server_time: fill(server_time) }
        }
        CallAnswer::PhoneVerification { mut verification, server_time } => {
            if verification.expires_at == NOW {
                verification.expires_at = server_now + 5 * MINUTE_MS;
                verification.resend_available_at = server_now + 30_000;
            }
            CallAnswer::PhoneVerification { verification, server_time: fill(server_time) }
        }
        other => other,
    }
}

/// An activation as the service issues one.
fn activation() -> AppActivation {
    AppActivation {
        activation_id: "act-1".into(),
        activation_code: "123456789".into(),
        activation_url: "https://pass.example/mfa/activate".into(),
        otpauth_uri: Some(SecretString::new("otpauth://totp/Identity%20Pass:a%40contoso.com?secret=JBSWY3DPEHPK3PXP".into())),
        expires_at: NOW,
    }
}

/// The account after the app was registered (and the password set, when `password`).
fn secured(password: bool) -> AccountSecurity {
    let mut account = with_authenticator_app(fresh_account_security(NOW), NOW);
    account.security_questions_set = true;
    account.password_set = password;
    account.complete = password;
    account
}

/// The service's answer to the oldest pending call of its kind.
fn answer(answer: CallAnswer) -> Event {
    Event::Answered { id: MATCHING, outcome: CallOutcome::Answered(answer) }
}

fn guided(path: OnboardingPath, staff_kind: StaffKind, flags: RolloutFlags, vid: Option<Timestamp>) -> Vec<Event> {
    let mut events = vec![Event::DeviceChecked { profile: phone(Platform::Android) }, Event::Continue];
    events.extend(Permission::ALL.map(|permission| Event::PermissionReported { permission, status: PermissionStatus::Granted }));
    events.push(Event::ConsentAnswered { accepted: true });
    events.push(Event::IdentitySubmitted { form: form(staff_kind) });
    events.push(answer(CallAnswer::RequestCreated {
        request_id: "req-1".into(),
        path,
        flags,
        fast_path: vid.is_some(),
        verified_id_issued_at: vid,
        server_time: NOW,
    }));
    let liveness = [
        Event::Continue,
        answer(CallAnswer::LivenessChallengeIssued { challenge_id: "lc-1".into(), expires_at: NOW, actions: Vec::new(), server_time: NOW }),
        Event::LivenessFinished { failure: None },
        answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time: NOW }),
    ];
    match path {
        OnboardingPath::GetPasskey => {
            events.push(Event::Continue);
            events.push(answer(CallAnswer::PartnerSessionOpened { handoff_url: HANDOFF.into(), expires_at: NOW, server_time: NOW }));
            events.extend(PartnerStep::ALL.map(|step| Event::GovernmentIdProgress { step }));
            events.push(Event::GovernmentIdHandoffEnded);
            events.push(answer(CallAnswer::GovernmentIdVerdict { outcome: None, server_time: NOW }));
            events.push(Event::Tick);
            events.push(answer(CallAnswer::GovernmentIdVerdict { outcome: Some(GovernmentIdOutcome::Verified), server_time: NOW }));
            events.push(answer(CallAnswer::VerifiedId { issued: Some((NOW, NOW)), server_time: NOW }));
            events.extend([Event::Continue, Event::Continue]);
            events.extend(liveness);
            events.push(Event::Continue);
            events.push(answer(CallAnswer::VerifiedIdPresented { server_time: NOW }));
        }
        _ => {
            events.extend([
                Event::DobYearSelected { year: 1990 },
                Event::DobMonthSelected { month: 2 },
                Event::DobDaySelected { day: 28 },
                Event::Continue,
            ]);
            events.push(answer(CallAnswer::DateOfBirthConfirmed { server_time: NOW }));
            events.extend([Event::Continue, Event::SelfieCaptured, answer(CallAnswer::SelfieUploaded { server_time: NOW })]);
            events.extend(liveness);
            // The fast path presents the Verified ID before it submits.
            events.push(answer(CallAnswer::VerifiedIdPresented { server_time: NOW }));
        }
    }
    let waiting = ReviewStatus::WaitingForReviewer { submitted_at: NOW };
    events.push(answer(CallAnswer::Submitted { status: Some(waiting), server_time: NOW }));
    events.push(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "call-1".into() }, server_time: NOW });
    events.extend([Event::Continue, Event::CallJoined, Event::Tick, Event::CallEnded]);
    events.push(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: NOW });
    if path == OnboardingPath::GetPasskey {
        events.push(answer(CallAnswer::PasskeyOptions { options_json: "{}".into() }));
        events.push(Event::PasskeyCreated { response_json: "{}".into() });
        events.push(answer(CallAnswer::PasskeyRegistered { server_time: NOW }));
    } else {
        events.push(answer(CallAnswer::TapCreated { tap: tap(NOW), server_time: NOW }));
        events.push(answer(CallAnswer::VerifiedId { issued: Some((NOW, NOW)), server_time: NOW }));
        // Secure the account: sign in, the app's code, the questions, the password page.
        events.push(Event::Continue);
        events.push(answer(CallAnswer::SecurityInfo { account: fresh_account_security(NOW), server_time: NOW }));
        events.push(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
        events.push(answer(CallAnswer::AuthenticatorAppActivation { activation: activation(), server_time: NOW }));
        events.push(Event::VerificationCodeEntered { code: SecretString::new("123456".into()) });
        events.push(answer(CallAnswer::SecurityInfo { account: secured(false), server_time: NOW }));
        events.push(Event::SecurityTaskChosen { task: SecurityTaskKind::Password });
        let page = SecretString::new("https://pass.example/account/password?ticket=t".into());
        events.push(answer(CallAnswer::PasswordPage { url: page, server_time: NOW }));
        events.push(Event::AppResumed);
        events.push(answer(CallAnswer::SecurityInfo { account: secured(true), server_time: NOW }));
        events.push(Event::Continue);
    }
    events
}

fn arb_time() -> impl Strategy<Value = Timestamp> {
    prop_oneof![Just(NOW), (-40 * DAY_MS..40 * DAY_MS).prop_map(|d| START + d)]
}

fn arb_review() -> impl Strategy<Value = ReviewStatus> {
    prop_oneof![
        arb_time().prop_map(|t| ReviewStatus::Submitted { submitted_at: t }),
        arb_time().prop_map(|t| ReviewStatus::WaitingForReviewer { submitted_at: t }),
        Just(ReviewStatus::CallInvited { call_id: "call-1".into() }),
        arb_time().prop_map(|t| ReviewStatus::InCall { call_id: "call-1".into(), joined_at: t }),
        (arb_time(), 0i64..40).prop_map(|(t, s)| ReviewStatus::LeftCall { call_id: "call-1".into(), left_at: t, seconds_in_call: s }),
        Just(ReviewStatus::Approved),
        Just(ReviewStatus::Denied { reason_code: "BADGE_PHOTO_MISMATCH".into(), message: "no".into() }),
        Just(ReviewStatus::Expired),
    ]
}

fn arb_answer() -> impl Strategy<Value = CallAnswer> {
    let path = prop::sample::select(vec![OnboardingPath::GetTap, OnboardingPath::GetPasskey, OnboardingPath::LegacyDob]);
    let usability = prop::sample::select(vec![
        TapUsability::EnabledByPolicy,
        TapUsability::DisabledByPolicy,
        TapUsability::Expired,
        TapUsability::NotYetValid,
        TapUsability::OneTimeUsed,
    ]);
    prop_oneof![
        (path, any::<(bool, bool, bool)>(), prop::option::of(-40 * DAY_MS..0), arb_time()).prop_map(|(path, (l, v, fast_path), vid, t)| {
            CallAnswer::RequestCreated {
                request_id: "req-2".into(),
                path,
                flags: RolloutFlags { liveness_prompt: l, verified_id: v },
                fast_path,
                verified_id_issued_at: vid,
                server_time: t,
            }
        }),
        arb_time().prop_map(|server_time| CallAnswer::DateOfBirthConfirmed { server_time }),
        (arb_time(), arb_time()).prop_map(|(expires_at, server_time)| CallAnswer::PartnerSessionOpened {
            handoff_url: HANDOFF.into(),
            expires_at,
            server_time
        }),
        (
            prop::option::of(prop_oneof![
                Just(GovernmentIdOutcome::Verified),
                Just(GovernmentIdOutcome::Rejected { reason: "BLURRY".into() }),
                Just(GovernmentIdOutcome::Expired)
            ]),
            arb_time()
        )
            .prop_map(|(outcome, server_time)| CallAnswer::GovernmentIdVerdict { outcome, server_time }),
        (prop::option::of(arb_time()), arb_time())
            .prop_map(|(issued_at, server_time)| CallAnswer::VerifiedId { issued: issued_at.map(|i| (i, NOW)), server_time }),
        arb_time().prop_map(|server_time| CallAnswer::SelfieUploaded { server_time }),
        (arb_time(), arb_time(), prop::collection::vec(prop::sample::select(Action::ALL.to_vec()), 0..4)).prop_map(
            |(expires_at, server_time, actions)| CallAnswer::LivenessChallengeIssued {
                challenge_id: "lc-r".into(),
                expires_at,
                actions,
                server_time
            }
        ),
        (any::<bool>(), prop::option::of(prop_oneof![Just("INCOMPLETE".to_owned()), Just("NOT_SMOOTH".to_owned())]), arb_time())
            .prop_map(|(passed, reason, server_time)| CallAnswer::LivenessJudged { passed, reason, server_time }),
        arb_time().prop_map(|server_time| CallAnswer::VerifiedIdPresented { server_time }),
        (prop::option::of(arb_review()), arb_time()).prop_map(|(status, server_time)| CallAnswer::Submitted { status, server_time }),
        (usability, any::<bool>(), 0u32..600, arb_time()).prop_map(|(usability, once, lifetime, t)| CallAnswer::TapCreated {
            tap: TapGrant {
                id: "tap-r".into(),
                code: SecretString::new("TAP-SECRET-R".into()),
                start_at: t,
                lifetime_minutes: lifetime,
                is_usable_once: once,
                usability,
            },
            server_time: t,
        }),
        Just(CallAnswer::PasskeyOptions { options_json: "{}".into() }),
        arb_time().prop_map(|server_time| CallAnswer::PasskeyRegistered { server_time }),
        (any::<(bool, bool, bool)>(), prop::option::of(0..20 * MINUTE_MS), arb_time()).prop_map(|((password, method, once), window, t)| {
            let mut account = if method { secured(password) } else { fresh_account_security(NOW) };
            account.password_set = password;
            account.complete = password && method;
            account.registration_deadline = window.filter(|_| once);
            CallAnswer::SecurityInfo { account, server_time: t }
        }),
        arb_time().prop_map(|server_time| CallAnswer::AuthenticatorAppActivation { activation: activation(), server_time }),
        arb_time().prop_map(|server_time| CallAnswer::PasswordPage {
            url: SecretString::new("https://pass.example/account/password?ticket=t".into()),
            server_time
        }),
        (
            prop::sample::select(vec![SecurityMethodKind::TextMessage, SecurityMethodKind::VoiceCall]),
            prop::sample::select(vec![
                PhoneVerificationStatus::Pending,
                PhoneVerificationStatus::Verified,
                PhoneVerificationStatus::Failed
            ]),
            arb_time()
        )
            .prop_map(|(delivery, status, server_time)| CallAnswer::PhoneVerification {
                verification: PhoneVerification {
                    verification_id: "pv-1".into(),
                    delivery,
                    phone_number: "+14255550100".into(),
                    status,
                    expires_at: NOW,
                    resend_available_at: NOW,
                    attempts_left: 5,
                },
                server_time
            }),
    ]
}

fn arb_failure() -> impl Strategy<Value = CallFailure> {
    prop::sample::select(vec![
        CallFailure::no_answer("NETWORK"),
        CallFailure::no_answer("UNEXPECTED_RESPONSE"),
        CallFailure::refused("RATE_LIMITED"),
        CallFailure::refused("IDENTITY_NOT_MATCHED"),
        CallFailure::refused("IDEMPOTENCY_KEY_IN_USE"),
        CallFailure::not_sent(NOT_SENT_INPUT_LOST),
        CallFailure::not_sent(NOT_SENT_SECURE_STORAGE),
    ])
}

fn arb_call_id() -> impl Strategy<Value = CallId> {
    prop_oneof![6 => Just(MATCHING), 2 => Just(RETIRED), 2 => (0u64..3).prop_map(|i| CallId(PICK_FIRST + i))]
}

fn arb_event() -> impl Strategy<Value = Event> {
    let permission = prop::sample::select(Permission::ALL.to_vec());
    let status = prop::sample::select(vec![
        PermissionStatus::NotRequested,
        PermissionStatus::Granted,
        PermissionStatus::GrantedOnlyThisTime,
        PermissionStatus::Denied,
        PermissionStatus::PermanentlyDenied,
        PermissionStatus::Approximate,
        PermissionStatus::ReducedAccuracy,
    ]);
    let text = prop::sample::select(vec!["", "x", "alias@contoso.com", "  A@B.cn ", "12 34", "🙂@例子.中国"]);
    prop_oneof![
        Just(Event::Continue),
        Just(Event::Tick),
        Just(Event::AppResumed),
        Just(Event::SessionStarted),
        any::<bool>().prop_map(|ok| Event::DeviceChecked {
            profile: identity_pass_core::eligibility::DeviceProfile { has_front_camera: ok, ..phone(Platform::Android) }
        }),
        (permission, status).prop_map(|(permission, status)| Event::PermissionReported { permission, status }),
        any::<bool>().prop_map(|accepted| Event::ConsentAnswered { accepted }),
        (text.clone(), text.clone(), prop::option::of(text), any::<bool>()).prop_map(|(u, e, p, employee)| {
            Event::IdentitySubmitted {
                form: IdentityForm {
                    upn: u.into(),
                    employee_id: e.into(),
                    personal_email: p.map(Into::into),
                    staff_kind: if employee { StaffKind::Employee } else { StaffKind::External },
                },
            }
        }),
        (-5i32..3000).prop_map(|year| Event::DobYearSelected { year }),
        (0u32..14).prop_map(|month| Event::DobMonthSelected { month }),
        (0u32..33).prop_map(|day| Event::DobDaySelected { day }),
        Just(Event::EditIdentity),
        prop::sample::select(PartnerStep::ALL.to_vec()).prop_map(|step| Event::GovernmentIdProgress { step }),
        Just(Event::GovernmentIdHandoffEnded),
        Just(Event::SelfieCaptured),
        Just(Event::LivenessFinished { failure: None }),
        Just(Event::LivenessFinished { failure: Some("TOO_DARK".into()) }),
        Just(Event::CallJoined),
        Just(Event::CallEnded),
        Just(Event::CallConnectionFailed),
        prop::sample::select(vec![
            SecurityTaskKind::Checklist,
            SecurityTaskKind::AuthenticatorApp,
            SecurityTaskKind::TextMessage,
            SecurityTaskKind::VoiceCall,
            SecurityTaskKind::Pin,
            SecurityTaskKind::SecurityQuestions,
            SecurityTaskKind::Password,
        ])
        .prop_map(|task| Event::SecurityTaskChosen { task }),
        Just(Event::PhoneNumberEntered { phone_number: "+1 425 555 0100".into(), extension: None, backup_phone_number: None }),
        Just(Event::VerificationCodeEntered { code: SecretString::new("123456".into()) }),
        Just(Event::ResendVerificationCode),
        Just(Event::PinEntered { pin: SecretString::new("4826".into()), confirmation: SecretString::new("4826".into()) }),
        Just(Event::SecurityAnswersEntered {
            answers: (1..=4)
                .map(|i| SecurityAnswer { question_id: format!("q{i}"), answer: SecretString::new("SECRET-ANSWER".into()) })
                .collect()
        }),
        Just(Event::SecurityMethodRemoved { method_id: "m-app".into() }),
        Just(Event::OnwardLinkOpened { link: OnwardLink::CompanyPortal }),
        Just(Event::PasskeyCreated { response_json: "{}".into() }),
        Just(Event::PasskeyCancelled),
        Just(Event::PasskeyFailed { reason: "NO_SCREEN_LOCK".into() }),
        (arb_review(), arb_time()).prop_map(|(status, server_time)| Event::ReviewUpdated { status, server_time }),
        // The service's answers and the runtime's failures, to a pending call or a stale one
        // (twice as likely as the other events: the service answers a lot).
        (arb_call_id(), arb_answer()).prop_map(|(id, a)| Event::Answered { id, outcome: CallOutcome::Answered(a) }),
        (arb_call_id(), arb_answer()).prop_map(|(id, a)| Event::Answered { id, outcome: CallOutcome::Answered(a) }),
        (arb_call_id(), arb_failure()).prop_map(|(id, f)| Event::Answered { id, outcome: CallOutcome::Failed(f) }),
    ]
}

fn arb_delay() -> impl Strategy<Value = i64> {
    prop_oneof![8 => 0..2 * MINUTE_MS, 3 => 0..2 * HOUR_MS, 1 => 0..40 * DAY_MS]
}

fn arb_start() -> impl Strategy<Value = Vec<Event>> {
    (
        prop::sample::select(vec![OnboardingPath::GetTap, OnboardingPath::GetPasskey, OnboardingPath::LegacyDob]),
        any::<(bool, bool, bool)>(),
        prop::option::of(-40 * DAY_MS..0),
        0usize..60,
    )
        .prop_map(|(path, (employee, l, v), vid, len)| {
            let kind = if employee { StaffKind::Employee } else { StaffKind::External };
            let mut events = guided(path, kind, RolloutFlags { liveness_prompt: l, verified_id: v }, vid);
            events.truncate(len);
            events
        })
}

proptest! {
    // 400 cases by default; `PROPTEST_CASES` asks for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_event_sequences_keep_the_flow_consistent_and_restorable(
        start in arb_start(),
        random in prop::collection::vec((arb_event(), arb_delay()), 0..60),
        skew in -DAY_MS..DAY_MS,
        ios in any::<bool>(),
    ) {
        let platform = if ios { Platform::Ios } else { Platform::Android };
        let mut d = Driver::new(platform);
        d.skew = skew;
        // Every id the flow has sent a call with, oldest first.
        let mut issued: Vec<CallId> = Vec::new();
        let guided = start.into_iter().map(|e| (e, 1_000));
        for (event, delay) in guided.chain(random) {
            d.wait(delay);
            if event == Event::SessionStarted {
                // A new session runs on the saved state: the app was killed.
                d.flow = OnboardingFlow::restore(&d.flow.snapshot()).expect("own snapshot restores");
            }
            let event = stamp(event, d.server_time(), &d.flow, &issued);
            let before = d.flow.clone();
            let stale = match &event {
                Event::Answered { id, .. } => before.pending_calls().iter().all(|p| p.id != *id),
                _ => false,
            };
            let transition = d.try_send(event); // checks invariants and the round trip
            if stale {
                // An answer to a call the flow is not waiting for never applies.
                prop_assert_eq!(transition.rejection, Some(Rejection::UnexpectedEvent));
            }
            if transition.rejection.is_some() {
                let mut time_only: OnboardingFlow = before.clone();
                let tick = time_only.handle(Event::Tick, d.now);
                // A rejected event asks for nothing, except saving what time alone changed
                // (a deadline that passed meanwhile, a background retry that fell due).
                prop_assert_eq!(&transition.effects, &tick.effects);
                prop_assert_eq!(time_only.step(), d.flow.step());
                prop_assert_eq!(time_only.decision(), d.flow.decision());
                prop_assert_eq!(time_only.clock(), d.flow.clock());
                prop_assert_eq!(time_only.pending_calls(), d.flow.pending_calls());
                prop_assert_eq!(time_only.live_call_ids(), d.flow.live_call_ids());
            }
            // Every call the flow asks for is one it waits for, and a new one is saved first
            // (a killed app resends it instead of forgetting it).
            let made = calls(&transition.effects);
            for (id, call) in &made {
                prop_assert!(
                    d.flow.pending_calls().iter().any(|p| p.id == *id && p.call == *call),
                    "{:?} {:?} sent but not pending", id, call
                );
            }
            let new_call = made.iter().any(|(id, _)| before.pending_calls().iter().all(|p| p.id != *id));
            if new_call {
                prop_assert_eq!(transition.effects.first(), Some(&Effect::PersistState));
            }
            let mut ids: Vec<CallId> = d.flow.pending_calls().iter().map(|p| p.id).collect();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), d.flow.pending_calls().len(), "pending ids are unique");
            issued.extend(made.into_iter().map(|(id, _)| id));
        }
    }
}
