//! Property tests: random event sequences, at random times and with a random clock skew
//! between phone and service, never panic, never break an invariant, survive serialize →
//! deserialize at every point, and a rejected event changes nothing but what time alone
//! would have changed.
//!
//! Purely random sequences rarely get past the permission screen, so each case starts with a
//! random-length prefix of a guided walk down one of the paths, then goes random.

mod common;

use common::*;
use identity_pass_core::eligibility::Platform;
use identity_pass_core::flow::clock::{Timestamp, DAY_MS, HOUR_MS, MINUTE_MS};
use identity_pass_core::flow::credential::{ChecklistItem, TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::{GovernmentIdOutcome, PartnerStep};
use identity_pass_core::flow::{Event, OnboardingFlow};
use identity_pass_core::SecretString;
use proptest::prelude::*;

/// Marks a service time to be filled in with the service's "now" when the event is sent.
const NOW: Timestamp = 0;

fn stamp(event: Event, server_now: Timestamp) -> Event {
    let fill = |t: Timestamp| if t == NOW { server_now } else { t };
    match event {
        Event::IdentityAccepted { request_id, path, flags, verified_id_issued_at, server_time } => Event::IdentityAccepted {
            request_id,
            path,
            flags,
            verified_id_issued_at: verified_id_issued_at.map(|t| if t < 0 { server_now + t } else { t }),
            server_time: fill(server_time),
        },
        Event::SelfieUploaded { server_time } => Event::SelfieUploaded { server_time: fill(server_time) },
        Event::DateOfBirthAccepted { server_time } => Event::DateOfBirthAccepted { server_time: fill(server_time) },
        Event::VerifiedIdPresented { server_time } => Event::VerifiedIdPresented { server_time: fill(server_time) },
        Event::PasskeyRegistered { server_time } => Event::PasskeyRegistered { server_time: fill(server_time) },
        Event::VerifiedIdIssued { issued_at, expires_at, server_time } => Event::VerifiedIdIssued {
            issued_at: fill(issued_at),
            expires_at: if expires_at == NOW { server_now + 30 * DAY_MS } else { expires_at },
            server_time: fill(server_time),
        },
        Event::ReviewUpdated { status, server_time } => {
            let status = match status {
                ReviewStatus::Submitted { submitted_at } => ReviewStatus::Submitted { submitted_at: fill(submitted_at) },
                ReviewStatus::WaitingForReviewer { submitted_at } => {
                    ReviewStatus::WaitingForReviewer { submitted_at: fill(submitted_at) }
                }
                ReviewStatus::InCall { call_id, joined_at } => ReviewStatus::InCall { call_id, joined_at: fill(joined_at) },
                other => other,
            };
            Event::ReviewUpdated { status, server_time: fill(server_time) }
        }
        Event::TapIssued { tap, server_time } => {
            Event::TapIssued { tap: TapGrant { start_at: fill(tap.start_at), ..tap }, server_time: fill(server_time) }
        }
        other => other,
    }
}

fn guided(path: OnboardingPath, staff_kind: StaffKind, flags: RolloutFlags, vid: Option<Timestamp>) -> Vec<Event> {
    let mut events = vec![Event::DeviceChecked { profile: phone(Platform::Android) }, Event::Continue];
    events.extend(Permission::ALL.map(|permission| Event::PermissionReported { permission, status: PermissionStatus::Granted }));
    events.push(Event::ConsentAnswered { accepted: true });
    events.push(Event::IdentitySubmitted { form: form(staff_kind) });
    events.push(Event::IdentityAccepted { request_id: "req-1".into(), path, flags, verified_id_issued_at: vid, server_time: NOW });
    match path {
        OnboardingPath::GetPasskey => {
            events.push(Event::Continue);
            events.extend(PartnerStep::ALL.map(|step| Event::GovernmentIdProgress { step }));
            events.push(Event::GovernmentIdFinished { outcome: GovernmentIdOutcome::Verified });
            events.push(Event::VerifiedIdIssued { issued_at: NOW, expires_at: NOW, server_time: NOW });
            events.extend([Event::Continue, Event::Continue, Event::Continue, Event::LivenessPassed, Event::Continue]);
            events.push(Event::VerifiedIdPresented { server_time: NOW });
        }
        _ => {
            events.extend([Event::DobYearSelected { year: 1990 }, Event::DobMonthSelected { month: 2 }, Event::DobDaySelected { day: 28 }, Event::Continue]);
            events.push(Event::DateOfBirthAccepted { server_time: NOW });
            events.extend([Event::Continue, Event::SelfieCaptured, Event::SelfieUploaded { server_time: NOW }]);
            events.extend([Event::Continue, Event::LivenessPassed]);
        }
    }
    events.push(Event::ReviewUpdated { status: ReviewStatus::WaitingForReviewer { submitted_at: NOW }, server_time: NOW });
    events.push(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "call-1".into() }, server_time: NOW });
    events.extend([Event::Continue, Event::CallJoined, Event::Tick, Event::CallEnded]);
    events.push(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: NOW });
    if path == OnboardingPath::GetPasskey {
        events.push(Event::PasskeyOptionsReceived { options_json: "{}".into() });
        events.push(Event::PasskeyCreated { response_json: "{}".into() });
        events.push(Event::PasskeyRegistered { server_time: NOW });
    } else {
        events.push(Event::TapIssued { tap: tap(NOW), server_time: NOW });
        events.extend([Event::SignedInWithTap, Event::ChecklistItemDone { item: ChecklistItem::PasswordSet }]);
    }
    events
}

fn arb_time() -> impl Strategy<Value = Timestamp> {
    prop_oneof![Just(NOW), (-40 * DAY_MS..40 * DAY_MS).prop_map(|d| START + d)]
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
    let path = prop::sample::select(vec![OnboardingPath::GetTap, OnboardingPath::GetPasskey, OnboardingPath::LegacyDob]);
    let review = prop_oneof![
        arb_time().prop_map(|t| ReviewStatus::Submitted { submitted_at: t }),
        arb_time().prop_map(|t| ReviewStatus::WaitingForReviewer { submitted_at: t }),
        Just(ReviewStatus::CallInvited { call_id: "call-1".into() }),
        arb_time().prop_map(|t| ReviewStatus::InCall { call_id: "call-1".into(), joined_at: t }),
        Just(ReviewStatus::Approved),
        Just(ReviewStatus::Denied { reason_code: "BADGE_PHOTO_MISMATCH".into(), message: "no".into() }),
        Just(ReviewStatus::Expired),
    ];
    let usability = prop::sample::select(vec![
        TapUsability::EnabledByPolicy,
        TapUsability::DisabledByPolicy,
        TapUsability::Expired,
        TapUsability::NotYetValid,
        TapUsability::OneTimeUsed,
    ]);
    let text = prop::sample::select(vec!["", "x", "alias@contoso.com", "  A@B.cn ", "12 34", "🙂@例子.中国"]);
    prop_oneof![
        Just(Event::Continue),
        Just(Event::Tick),
        Just(Event::AppResumed),
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
        prop_oneof![
            Just(GovernmentIdOutcome::Verified),
            Just(GovernmentIdOutcome::Rejected { reason: "BLURRY".into() }),
            Just(GovernmentIdOutcome::Expired)
        ]
        .prop_map(|outcome| Event::GovernmentIdFinished { outcome }),
        Just(Event::SelfieCaptured),
        arb_time().prop_map(|server_time| Event::SelfieUploaded { server_time }),
        Just(Event::LivenessPassed),
        Just(Event::LivenessFailed { reason: "TOO_DARK".into() }),
        Just(Event::CallJoined),
        Just(Event::CallEnded),
        prop::sample::select(vec![ChecklistItem::PasswordSet, ChecklistItem::MfaRegistered])
            .prop_map(|item| Event::ChecklistItemDone { item }),
        Just(Event::SignedInWithTap),
        Just(Event::PasskeyCreated { response_json: "{}".into() }),
        Just(Event::PasskeyCancelled),
        (path, any::<(bool, bool)>(), prop::option::of(-40 * DAY_MS..0), arb_time()).prop_map(|(path, (l, v), vid, t)| {
            Event::IdentityAccepted {
                request_id: "req-2".into(),
                path,
                flags: RolloutFlags { liveness_prompt: l, verified_id: v },
                verified_id_issued_at: vid,
                server_time: t,
            }
        }),
        arb_time().prop_map(|server_time| Event::DateOfBirthAccepted { server_time }),
        (arb_time(), arb_time()).prop_map(|(issued_at, server_time)| Event::VerifiedIdIssued { issued_at, expires_at: NOW, server_time }),
        arb_time().prop_map(|server_time| Event::VerifiedIdPresented { server_time }),
        (review, arb_time()).prop_map(|(status, server_time)| Event::ReviewUpdated { status, server_time }),
        (usability, any::<bool>(), 0u32..600, arb_time()).prop_map(|(usability, once, lifetime, t)| Event::TapIssued {
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
        Just(Event::PasskeyOptionsReceived { options_json: "{}".into() }),
        arb_time().prop_map(|server_time| Event::PasskeyRegistered { server_time }),
        prop::sample::select(vec!["NETWORK", "RATE_LIMITED"]).prop_map(|c| Event::RequestFailed { code: c.into() }),
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
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

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
        let guided = start.into_iter().map(|e| (e, 1_000));
        for (event, delay) in guided.chain(random) {
            d.wait(delay);
            let event = stamp(event, d.server_time());
            let before = d.flow.clone();
            let transition = d.try_send(event); // checks invariants and the round trip
            if transition.rejection.is_some() {
                let mut time_only: OnboardingFlow = before;
                let tick = time_only.handle(Event::Tick, d.now);
                // A rejected event asks for nothing, except saving what time alone changed
                // (a deadline that passed meanwhile).
                prop_assert_eq!(&transition.effects, &tick.effects);
                prop_assert_eq!(time_only.step(), d.flow.step());
                prop_assert_eq!(time_only.decision(), d.flow.decision());
                prop_assert_eq!(time_only.clock(), d.flow.clock());
            }
        }
    }
}
