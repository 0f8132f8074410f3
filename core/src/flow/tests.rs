//! Unit tests per step, driven through `handle` as a shell would.

use super::clock::{HOUR_MS, MINUTE_MS, Timestamp};
use super::credential::{TapExpiryReason, TapGrant, TapUsability};
use super::identity_entry::{IdentityField, IdentityForm, StaffKind};
use super::path::{OnboardingPath, RolloutFlags};
use super::permissions::{Permission, PermissionStatus};
use super::review::{ReviewPhase, ReviewStatus};
use super::verification::GovernmentIdOutcome;
use super::*;
use crate::eligibility::{DeviceProfile, RequiredApp};
use crate::secret::SecretString;

const T0: Timestamp = 1_795_219_200_000;

struct Shell {
    flow: OnboardingFlow,
    now: Timestamp,
    skew: i64,
}

impl Shell {
    fn new(platform: Platform) -> Self {
        Shell { flow: OnboardingFlow::new(Locale::English, platform, Distribution::Global), now: T0, skew: 0 }
    }

    fn send(&mut self, event: Event) -> Transition {
        self.now += 1_000;
        let t = self.flow.handle(event, self.now);
        assert_eq!(self.flow.check_invariants(), Ok(()));
        t
    }

    fn ok(&mut self, event: Event) -> Vec<Effect> {
        let t = self.send(event.clone());
        assert_eq!(t.rejection, None, "{event:?} in {:?}", self.flow.step);
        t.effects.into_iter().filter(|e| *e != Effect::PersistState).collect()
    }

    fn server(&self) -> Timestamp {
        self.now + 1_000 + self.skew
    }

    fn notice(&self) -> Option<String> {
        self.flow.view(self.now).notice.map(|n| n.code)
    }

    /// Answers the oldest pending call of the answer's kind; the answer must be accepted.
    fn answer(&mut self, answer: CallAnswer) -> Vec<Effect> {
        let id = self.flow.pending_calls().iter().find(|p| answer.answers(&p.call)).map(|p| p.id);
        let id = id.unwrap_or_else(|| panic!("no call pending for {} in {:?}", answer.call_name(), self.flow.step));
        self.ok(Event::Answered { id, outcome: CallOutcome::Answered(answer) })
    }

    /// Fails the oldest pending call named `call`; the failure must be accepted.
    fn fail(&mut self, call: &str, failure: CallFailure) -> Vec<Effect> {
        let id = self.pending(call).unwrap_or_else(|| panic!("no {call} call pending in {:?}", self.flow.step));
        self.ok(Event::Answered { id, outcome: CallOutcome::Failed(failure) })
    }

    /// The id of the oldest pending call named `call` (`ServiceCall::name`).
    fn pending(&self, call: &str) -> Option<CallId> {
        self.flow.pending_calls().iter().find(|p| p.call.name() == call).map(|p| p.id)
    }
}

/// The one effect, a call: what it asks.
fn only_call(effects: &[Effect]) -> ServiceCall {
    match effects {
        [Effect::Call { call, .. }] => call.clone(),
        other => panic!("expected one call, got {other:?}"),
    }
}

fn phone(platform: Platform) -> DeviceProfile {
    DeviceProfile {
        platform,
        os_major: 17,
        os_minor: 0,
        distribution: Distribution::Global,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: RequiredApp::ALL.to_vec(),
    }
}

fn form() -> IdentityForm {
    IdentityForm { upn: "alias@contoso.com".into(), employee_id: "42".into(), personal_email: None, staff_kind: StaffKind::Employee }
}

fn to_identity(s: &mut Shell) {
    s.ok(Event::DeviceChecked { profile: phone(s.flow.platform) });
    for permission in Permission::ALL {
        s.ok(Event::PermissionReported { permission, status: PermissionStatus::Granted });
    }
    s.ok(Event::ConsentAnswered { accepted: true });
}

fn to_path(s: &mut Shell, path: OnboardingPath, liveness_prompt: bool) {
    to_identity(s);
    s.ok(Event::IdentitySubmitted { form: form() });
    let server_time = s.server();
    s.answer(CallAnswer::RequestCreated {
        request_id: "req".into(),
        path,
        flags: RolloutFlags { liveness_prompt, verified_id: false },
        fast_path: false,
        verified_id_issued_at: None,
        server_time,
    });
}

fn to_review_waiting(s: &mut Shell) -> Timestamp {
    to_path(s, OnboardingPath::GetTap, false);
    s.ok(Event::Continue);
    s.ok(Event::SelfieCaptured);
    let t = s.server();
    s.answer(CallAnswer::SelfieUploaded { server_time: t });
    let submitted_at = s.server();
    s.answer(CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at }), server_time: submitted_at });
    submitted_at
}

/// Submitted, invited to the call by call `c`, and in it.
fn to_review_in_call(s: &mut Shell) {
    to_review_waiting(s);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "c".into() }, server_time: t });
    s.ok(Event::Continue);
    s.ok(Event::CallJoined);
}

fn to_tap(s: &mut Shell, is_usable_once: bool) {
    to_review_waiting(s);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    let start_at = s.server();
    let tap = TapGrant {
        id: "tap".into(),
        code: SecretString::new("TAP-SECRET-1".into()),
        start_at,
        lifetime_minutes: 30,
        is_usable_once,
        usability: TapUsability::EnabledByPolicy,
    };
    s.answer(CallAnswer::TapCreated { tap, server_time: start_at });
}

#[test]
fn an_ineligible_phone_lists_every_blocker_and_can_be_rechecked() {
    let mut s = Shell::new(Platform::Android);
    let old = DeviceProfile { os_major: 13, has_front_camera: false, ..phone(Platform::Android) };
    s.ok(Event::DeviceChecked { profile: old });
    let view = s.flow.view(s.now);
    let Screen::Ineligible { reasons } = view.screen else { panic!("{:?}", view.screen) };
    assert_eq!(reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["ELIG_OS_TOO_OLD", "ELIG_NO_CAMERA"]);
    s.ok(Event::DeviceChecked { profile: phone(Platform::Android) });
    assert_eq!(s.flow.step, Step::Permissions);
}

#[test]
fn the_core_decides_which_permission_to_ask_next() {
    let mut s = Shell::new(Platform::Android);
    s.ok(Event::DeviceChecked { profile: phone(Platform::Android) });
    assert_eq!(s.ok(Event::Continue), [Effect::RequestPermission { permission: Permission::Camera }]);
    // A plain denial is explained, not re-prompted at once.
    assert_eq!(s.ok(Event::PermissionReported { permission: Permission::Camera, status: PermissionStatus::Denied }), []);
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_PERMISSION_CAMERA"));
    assert_eq!(s.ok(Event::Continue), [Effect::RequestPermission { permission: Permission::Camera }]);
    // "Don't ask again": only the settings help.
    s.ok(Event::PermissionReported { permission: Permission::Camera, status: PermissionStatus::PermanentlyDenied });
    assert_eq!(s.flow.view(s.now).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_OPEN_SETTINGS"));
    assert_eq!(s.ok(Event::Continue), [Effect::OpenAppSettings { permission: Permission::Camera }]);
    assert_eq!(s.ok(Event::AppResumed), [Effect::CheckPermissions]);
}

#[test]
fn approximate_location_is_asked_again_and_ios_reduced_accuracy_has_its_own_prompt() {
    for (platform, status, expected) in [
        (Platform::Android, PermissionStatus::Approximate, Effect::RequestPermission { permission: Permission::Location }),
        (Platform::Ios, PermissionStatus::ReducedAccuracy, Effect::RequestFullAccuracyLocation),
    ] {
        let mut s = Shell::new(platform);
        s.ok(Event::DeviceChecked { profile: phone(platform) });
        for permission in [Permission::Camera, Permission::Microphone, Permission::Notifications] {
            s.ok(Event::PermissionReported { permission, status: PermissionStatus::Granted });
        }
        assert_eq!(s.ok(Event::PermissionReported { permission: Permission::Location, status }), [expected]);
        assert_eq!(s.flow.step, Step::Permissions);
    }
}

#[test]
fn one_time_grants_are_rechecked_on_resume_and_gate_the_camera_steps() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetTap, false);
    s.ok(Event::PermissionReported { permission: Permission::Camera, status: PermissionStatus::GrantedOnlyThisTime });
    assert_eq!(s.ok(Event::AppResumed), [Effect::CheckPermissions]);
    // The OS says the one-time grant lapsed: the selfie asks again instead of opening the camera.
    s.ok(Event::PermissionReported { permission: Permission::Camera, status: PermissionStatus::Denied });
    assert_eq!(s.ok(Event::Continue), [Effect::RequestPermission { permission: Permission::Camera }]);
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_PERMISSION_CAMERA"));
}

/// Android cannot say that a grant was "only this time": it reports it as granted. The flow
/// still re-reads the permissions on every return while a step ahead needs the camera, so a
/// grant that lapsed in the background is caught before the camera step, not by its failure.
#[test]
fn grants_reported_as_lasting_are_still_rechecked_on_resume_until_the_review_is_decided() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetTap, false);
    assert!(s.flow.permissions.all_granted() && !s.flow.permissions.has_one_time_grants());
    assert_eq!(s.ok(Event::AppResumed), [Effect::CheckPermissions]);
    s.ok(Event::PermissionReported { permission: Permission::Camera, status: PermissionStatus::NotRequested });
    assert_eq!(s.ok(Event::Continue), [Effect::RequestPermission { permission: Permission::Camera }]);
}

#[test]
fn declining_consent_is_explained_and_accepting_records_version_and_server_time() {
    let mut s = Shell::new(Platform::Android);
    s.ok(Event::DeviceChecked { profile: phone(Platform::Android) });
    for permission in Permission::ALL {
        s.ok(Event::PermissionReported { permission, status: PermissionStatus::Granted });
    }
    s.ok(Event::ConsentAnswered { accepted: false });
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_CONSENT_REQUIRED"));
    s.ok(Event::ConsentAnswered { accepted: true });
    let consent = s.flow.consent.clone().expect("recorded");
    assert_eq!((consent.terms_version.as_str(), consent.accepted_at), (consent::CURRENT_TERMS_VERSION, s.now));
}

#[test]
fn identity_errors_appear_under_their_fields_and_keep_the_typed_values() {
    let mut s = Shell::new(Platform::Android);
    to_identity(&mut s);
    let bad = IdentityForm { upn: "alias".into(), employee_id: "".into(), ..form() };
    assert_eq!(s.ok(Event::IdentitySubmitted { form: bad.clone() }), []);
    let Screen::IdentityEntry { form: typed, field_errors } = s.flow.view(s.now).screen else { panic!() };
    assert_eq!(typed, Some(bad));
    let codes: Vec<_> = field_errors.iter().map(|e| (e.field, e.message.code.as_str())).collect();
    assert_eq!(codes, [(IdentityField::Upn, "FLOW_UPN_INVALID"), (IdentityField::EmployeeId, "FLOW_EMPLOYEE_ID_MISSING")]);
    let effects = s.ok(Event::IdentitySubmitted { form: form() });
    assert!(
        matches!(only_call(&effects), ServiceCall::CreateRequest { upn, staff_kind: StaffKind::Employee, .. } if upn == "alias@contoso.com")
    );
}

#[test]
fn the_date_of_birth_is_year_first_and_explains_why() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::LegacyDob, false);
    assert!(matches!(s.flow.step, Step::DateOfBirth { .. }));
    let touched_month_first = s.send(Event::DobMonthSelected { month: 2 });
    assert_eq!(touched_month_first.rejection, Some(Rejection::InvalidInput));
    assert_eq!(s.notice().as_deref(), Some("FLOW_DOB_YEAR_FIRST"));
    let Screen::DateOfBirth { month_enabled, day_enabled, first_year, last_year, .. } = s.flow.view(s.now).screen else { panic!() };
    assert_eq!((month_enabled, day_enabled, first_year, last_year), (false, false, 1926, 2010));
    s.ok(Event::DobYearSelected { year: 2001 });
    s.ok(Event::DobMonthSelected { month: 2 });
    assert_eq!(s.send(Event::DobDaySelected { day: 29 }).rejection, Some(Rejection::InvalidInput));
    assert_eq!(s.notice().as_deref(), Some("FLOW_DOB_INVALID_DAY"));
    s.ok(Event::DobDaySelected { day: 28 });
    assert_eq!(
        only_call(&s.ok(Event::Continue)),
        ServiceCall::ConfirmDateOfBirth { request_id: "req".into(), date_of_birth: "2001-02-28".into() }
    );
    let t = s.server();
    s.answer(CallAnswer::DateOfBirthConfirmed { server_time: t });
    assert!(matches!(s.flow.step, Step::Selfie { .. }));
}

#[test]
fn external_staff_skip_the_date_of_birth_on_the_legacy_path() {
    let mut s = Shell::new(Platform::Android);
    to_identity(&mut s);
    s.ok(Event::IdentitySubmitted { form: IdentityForm { staff_kind: StaffKind::External, ..form() } });
    let t = s.server();
    s.answer(CallAnswer::RequestCreated {
        request_id: "r".into(),
        path: OnboardingPath::LegacyDob,
        flags: RolloutFlags::default(),
        fast_path: false,
        verified_id_issued_at: None,
        server_time: t,
    });
    assert!(matches!(s.flow.step, Step::Selfie { .. }));
}

#[test]
fn a_failed_request_keeps_the_step_and_continue_resends_it() {
    let mut s = Shell::new(Platform::Android);
    to_identity(&mut s);
    s.ok(Event::IdentitySubmitted { form: form() });
    assert_eq!(s.send(Event::Continue).rejection, Some(Rejection::UnexpectedEvent), "no double submit while waiting");
    s.fail("CreateRequest", CallFailure::no_answer("NETWORK"));
    assert_eq!(s.flow.step, Step::SubmittingIdentity);
    let view = s.flow.view(s.now);
    assert_eq!(view.notice.map(|n| n.text), Some("Something went wrong (NETWORK). Check your connection and try again.".into()));
    s.ok(Event::Tick);
    assert!(matches!(only_call(&s.ok(Event::Continue)), ServiceCall::CreateRequest { .. }));
}

#[test]
fn stale_answers_are_rejected_without_changing_anything() {
    let mut s = Shell::new(Platform::Android);
    to_identity(&mut s);
    let before = s.flow.snapshot();
    let t = s.server();
    let tap = TapGrant {
        id: "x".into(),
        code: SecretString::new("TAP-SECRET-9".into()),
        start_at: t,
        lifetime_minutes: 30,
        is_usable_once: false,
        usability: TapUsability::EnabledByPolicy,
    };
    let stale = s.send(Event::Answered { id: CallId(99), outcome: CallOutcome::Answered(CallAnswer::TapCreated { tap, server_time: t }) });
    assert_eq!((stale.rejection, stale.effects), (Some(Rejection::UnexpectedEvent), vec![]));
    assert_eq!(s.flow.snapshot(), before);
}

const HANDOFF: &str = "https://partner.example/sessions/ps_1?token=t0k";

/// The service's answer to `OpenPartnerSession`.
fn session_opened(s: &Shell) -> CallAnswer {
    let server_time = s.server();
    CallAnswer::PartnerSessionOpened { handoff_url: HANDOFF.into(), expires_at: server_time + 30 * MINUTE_MS, server_time }
}

/// The service's answer to `FetchGovernmentIdVerdict`.
fn verdict(s: &Shell, outcome: Option<GovernmentIdOutcome>) -> CallAnswer {
    CallAnswer::GovernmentIdVerdict { outcome, server_time: s.server() }
}

/// On the government-ID step: "Start verification", and the service's session hands the user
/// off to the partner's page.
fn open_partner(s: &mut Shell) {
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::OpenPartnerSession { request_id: "req".into() });
    let answer = session_opened(s);
    assert_eq!(
        s.answer(answer),
        [Effect::StartGovernmentIdCheck { request_id: "req".into(), handoff_url: HANDOFF.into() }],
        "the service's hand-off page reaches the shell"
    );
    assert!(matches!(s.flow.step, Step::GovernmentId { started: true, awaiting_verdict: None, .. }));
}

#[test]
fn the_partner_page_comes_from_the_service_and_the_verdict_is_asked_of_it() {
    let mut s = Shell::new(Platform::Ios);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    // Opening is a call; a second tap while the service answers would open a second session.
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::OpenPartnerSession { request_id: "req".into() });
    assert_eq!(s.send(Event::Continue).rejection, Some(Rejection::UnexpectedEvent));
    assert_eq!(s.flow.view(s.now).primary_action, None, "nothing to press while the session opens");
    let t = s.server() + 5 * MINUTE_MS;
    s.skew = 5 * MINUTE_MS;
    let effects =
        s.answer(CallAnswer::PartnerSessionOpened { handoff_url: HANDOFF.into(), expires_at: t + 30 * MINUTE_MS, server_time: t });
    assert_eq!(effects, [Effect::StartGovernmentIdCheck { request_id: "req".into(), handoff_url: HANDOFF.into() }]);
    assert_eq!(s.flow.clock().offset_ms(), 5 * MINUTE_MS, "the session's answer teaches the clock");
    // Back from the page: the flow asks the service, not the phone.
    assert_eq!(only_call(&s.ok(Event::GovernmentIdHandoffEnded)), ServiceCall::FetchGovernmentIdVerdict { request_id: "req".into() });
    let v = s.flow.view(s.now);
    assert_eq!(v.body.map(|b| b.code).as_deref(), Some("FLOW_GOV_ID_WAITING_BODY"));
    assert!(v.busy);
    s.answer(verdict(&s, Some(GovernmentIdOutcome::Verified)));
    assert_eq!(s.flow.step, Step::AwaitingVerifiedId);
    assert!(s.pending("FetchVerifiedId").is_some(), "the Verified ID follows");
}

#[test]
fn a_verdict_not_yet_reported_is_asked_again_after_a_wake_up() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    // Pending: the step waits for the partner, says so, and wakes itself in 5 s.
    let answer = verdict(&s, None);
    let effects = s.answer(answer);
    let at = s.now + VERDICT_POLL_MS;
    assert_eq!(effects, [Effect::ScheduleWake { at }]);
    assert!(matches!(s.flow.step, Step::GovernmentId { started: true, awaiting_verdict: Some(when), .. } if when == at));
    assert!(s.flow.pending_calls().is_empty());
    let v = s.flow.view(s.now);
    assert_eq!(v.body.as_ref().map(|b| b.code.as_str()), Some("FLOW_GOV_ID_WAITING_BODY"));
    assert!(v.body.is_some_and(|b| b.text.contains("waiting for the ID check result")));
    assert_eq!(v.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_CHECK_AGAIN"));
    assert!(v.busy);
    // A tick before the time asks nothing; one at the time asks again, once.
    s.now = at - 2_000;
    assert_eq!(s.ok(Event::Tick), []);
    s.now = at - 1_000;
    let (id, call) = match &s.send(Event::Tick).effects[..] {
        [Effect::PersistState, Effect::Call { id, call }] => (*id, call.clone()),
        other => panic!("expected a saved call, got {other:?}"),
    };
    assert_eq!(call, ServiceCall::FetchGovernmentIdVerdict { request_id: "req".into() });
    assert_eq!(s.ok(Event::Tick), [], "not twice while one is in flight");
    // Still pending: another wake-up. Then "Check again" asks at once, without waiting for it.
    let server_time = s.server();
    let effects =
        s.ok(Event::Answered { id, outcome: CallOutcome::Answered(CallAnswer::GovernmentIdVerdict { outcome: None, server_time }) });
    assert_eq!(effects, [Effect::ScheduleWake { at: s.now + VERDICT_POLL_MS }]);
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::FetchGovernmentIdVerdict { request_id: "req".into() });
    s.answer(verdict(&s, Some(GovernmentIdOutcome::Expired)));
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_GOV_ID_EXPIRED"));
    assert_eq!(s.flow.step, Step::GovernmentId { completed: vec![], started: false, awaiting_verdict: None });
    assert_eq!(s.ok(Event::Tick), [], "no more asking once the verdict is in");
}

#[test]
fn a_duplicate_or_stale_return_from_the_partner_is_refused() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    // Never opened: a return from the partner is stale.
    assert_eq!(s.send(Event::GovernmentIdHandoffEnded).rejection, Some(Rejection::UnexpectedEvent));
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    let before = s.flow.snapshot();
    // The same return reported twice, or a tap, while the service looks the verdict up.
    for event in [Event::GovernmentIdHandoffEnded, Event::Continue] {
        let t = s.send(event);
        assert_eq!((t.rejection, t.effects), (Some(Rejection::UnexpectedEvent), vec![]));
        assert_eq!(s.flow.snapshot(), before);
    }
    assert_eq!(s.flow.pending_calls().len(), 1);
    // A new session in the meantime is refused too, so the verdict's answer cannot land on it.
    assert!(s.pending("OpenPartnerSession").is_none());
}

#[test]
fn failed_government_id_calls_are_explained_and_retried_by_the_user() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    s.ok(Event::Continue);
    // The session was not opened: the user sees why, and "Try again" is a new attempt.
    let first = s.pending("OpenPartnerSession").expect("opening");
    s.fail("OpenPartnerSession", CallFailure::refused("REQUEST_NOT_FOUND"));
    let v = s.flow.view(s.now);
    assert_eq!(s.notice().as_deref(), Some("SERVICE_REQUEST_NOT_FOUND"));
    assert_eq!((v.primary_action.map(|a| a.code).as_deref(), v.busy), (Some("FLOW_ACTION_RETRY"), false));
    s.ok(Event::Continue);
    assert_ne!(s.pending("OpenPartnerSession"), Some(first));
    let answer = session_opened(&s);
    s.answer(answer);
    s.ok(Event::GovernmentIdHandoffEnded);
    s.answer(verdict(&s, None));
    s.now += VERDICT_POLL_MS;
    s.ok(Event::Tick);
    // The second look's answer was lost: the same call again, and no wake-up asks meanwhile.
    let fetch = s.pending("FetchGovernmentIdVerdict").expect("asking again");
    s.fail("FetchGovernmentIdVerdict", CallFailure::no_answer("TIMEOUT"));
    let v = s.flow.view(s.now);
    assert_eq!((v.primary_action.map(|a| a.code).as_deref(), v.busy), (Some("FLOW_ACTION_RETRY"), false));
    s.now += 10 * VERDICT_POLL_MS;
    assert_eq!(s.ok(Event::Tick), []);
    assert!(
        matches!(&s.ok(Event::Continue)[..], [Effect::Call { id, call: ServiceCall::FetchGovernmentIdVerdict { .. } }] if *id == fetch)
    );
}

#[test]
fn a_refused_verdict_look_up_starts_the_check_again_instead_of_asking_in_vain() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    s.fail("FetchGovernmentIdVerdict", CallFailure::refused("PARTNER_SESSION_NOT_OPENED"));
    assert_eq!(s.notice().as_deref(), Some("SERVICE_PARTNER_SESSION_NOT_OPENED"));
    assert_eq!(s.flow.step, Step::GovernmentId { completed: vec![], started: false, awaiting_verdict: None });
    assert_eq!(s.flow.view(s.now).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_START_VERIFICATION"));
    open_partner(&mut s);
}

#[test]
fn a_restart_while_the_verdict_is_awaited_asks_at_once() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    s.answer(verdict(&s, None));
    // The app is killed before the wake-up; the new session asks without waiting for it.
    s.flow = OnboardingFlow::restore(&s.flow.snapshot()).expect("own snapshot restores");
    assert_eq!(only_call(&s.ok(Event::SessionStarted)), ServiceCall::FetchGovernmentIdVerdict { request_id: "req".into() });
    // And one in flight goes out again with its id (a read: safe to repeat).
    let id = s.pending("FetchGovernmentIdVerdict").expect("asking");
    s.flow = OnboardingFlow::restore(&s.flow.snapshot()).expect("own snapshot restores");
    assert!(matches!(&s.ok(Event::SessionStarted)[..], [Effect::Call { id: resent, .. }] if *resent == id));
}

#[test]
fn a_restart_while_the_session_opens_resends_the_same_call() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    s.ok(Event::Continue);
    let id = s.pending("OpenPartnerSession").expect("opening");
    s.flow = OnboardingFlow::restore(&s.flow.snapshot()).expect("own snapshot restores");
    // Same id, so the same idempotency key: the service hands back the same session.
    assert!(
        matches!(&s.ok(Event::SessionStarted)[..], [Effect::Call { id: resent, call: ServiceCall::OpenPartnerSession { .. } }] if *resent == id)
    );
}

#[test]
fn the_phone_cannot_report_a_verdict() {
    // Every event a shell can send: a new variant fails to compile here until it is listed.
    let all = vec![
        ShellEvent::DeviceChecked { profile: phone(Platform::Android) },
        ShellEvent::PermissionReported { permission: Permission::Camera, status: PermissionStatus::Granted },
        ShellEvent::AppResumed,
        ShellEvent::Tick,
        ShellEvent::Continue,
        ShellEvent::ConsentAnswered { accepted: true },
        ShellEvent::IdentitySubmitted { form: form() },
        ShellEvent::DobYearSelected { year: 1990 },
        ShellEvent::DobMonthSelected { month: 1 },
        ShellEvent::DobDaySelected { day: 1 },
        ShellEvent::EditIdentity,
        ShellEvent::GovernmentIdProgress { step: verification::PartnerStep::Selfie },
        ShellEvent::GovernmentIdHandoffEnded,
        ShellEvent::CallJoined,
        ShellEvent::CallEnded,
        ShellEvent::SecurityTaskChosen { task: super::account_security::SecurityTaskKind::Pin },
        ShellEvent::PhoneNumberEntered { phone_number: "+14255550100".into(), extension: None, backup_phone_number: None },
        ShellEvent::VerificationCodeEntered { code: SecretString::new("123456".into()) },
        ShellEvent::ResendVerificationCode,
        ShellEvent::PinEntered { pin: SecretString::new("4826".into()), confirmation: SecretString::new("4826".into()) },
        ShellEvent::SecurityAnswersEntered { answers: Vec::new() },
        ShellEvent::SecurityMethodRemoved { method_id: "m".into() },
        ShellEvent::OnwardLinkOpened { link: super::account_security::OnwardLink::Authenticator },
    ];
    for event in &all {
        match event {
            ShellEvent::DeviceChecked { .. }
            | ShellEvent::PermissionReported { .. }
            | ShellEvent::AppResumed
            | ShellEvent::Tick
            | ShellEvent::Continue
            | ShellEvent::ConsentAnswered { .. }
            | ShellEvent::IdentitySubmitted { .. }
            | ShellEvent::DobYearSelected { .. }
            | ShellEvent::DobMonthSelected { .. }
            | ShellEvent::DobDaySelected { .. }
            | ShellEvent::EditIdentity
            | ShellEvent::GovernmentIdProgress { .. }
            | ShellEvent::GovernmentIdHandoffEnded
            | ShellEvent::CallJoined
            | ShellEvent::CallEnded
            | ShellEvent::SecurityTaskChosen { .. }
            | ShellEvent::PhoneNumberEntered { .. }
            | ShellEvent::VerificationCodeEntered { .. }
            | ShellEvent::ResendVerificationCode
            | ShellEvent::PinEntered { .. }
            | ShellEvent::SecurityAnswersEntered { .. }
            | ShellEvent::SecurityMethodRemoved { .. }
            | ShellEvent::OnwardLinkOpened { .. } => {}
        }
    }
    // From every point of the step (opened, back and asking, told "not yet"), nothing a shell
    // sends, in any order, gets past the government ID: only the service's verdict does.
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    open_partner(&mut s);
    let opened = s.flow.clone();
    s.ok(Event::GovernmentIdHandoffEnded);
    let asking = s.flow.clone();
    s.answer(verdict(&s, None));
    let told_not_yet = s.flow.clone();
    for start in [opened, asking, told_not_yet] {
        let mut flow = start;
        let mut now = s.now;
        for _ in 0..3 {
            for event in &all {
                now += VERDICT_POLL_MS;
                flow.handle(Event::from(event.clone()), now);
                assert!(matches!(flow.step(), Step::GovernmentId { .. }), "{event:?} moved the step to {:?}", flow.step());
            }
        }
    }
}

#[test]
fn a_snapshot_holding_the_removed_verdict_call_still_loads() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    // What a build that sent the phone's verdict saved with that call in flight.
    let fetching = r#"{"FetchGovernmentIdVerdict":{"request_id":"req"}}"#;
    let snapshot = s.flow.snapshot();
    assert!(snapshot.contains(fetching), "{snapshot}");
    let old = snapshot.replace(fetching, r#"{"RecordGovernmentId":{"request_id":"req","outcome":"Verified"}}"#);
    let mut flow = OnboardingFlow::restore(&old).expect("an older build's snapshot loads");
    assert!(matches!(flow.step(), Step::GovernmentId { started: true, .. }));
    assert!(flow.pending_calls().is_empty(), "the call this build no longer makes is dropped");
    assert_eq!(flow.check_invariants(), Ok(()));
    // Nothing is resent; the user's button opens a new partner session.
    assert_eq!(flow.handle(Event::SessionStarted, s.now + 1_000).effects, []);
    let effects = flow.handle(Event::Continue, s.now + 2_000).effects;
    assert!(
        matches!(&effects[..], [Effect::PersistState, Effect::Call { call: ServiceCall::OpenPartnerSession { .. }, .. }]),
        "{effects:?}"
    );
    // The same for one that failed and waited for "Try again".
    s.fail("FetchGovernmentIdVerdict", CallFailure::no_answer("TIMEOUT"));
    let old = s.flow.snapshot().replace(fetching, r#"{"RecordGovernmentId":{"request_id":"req","outcome":"Verified"}}"#);
    assert!(old.contains("RecordGovernmentId"));
    let flow = OnboardingFlow::restore(&old).expect("an older build's snapshot loads");
    assert_eq!(flow.view(s.now).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_START_VERIFICATION"));
}

#[test]
fn a_rejected_government_id_and_a_failed_liveness_can_be_retried() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    s.answer(verdict(&s, Some(GovernmentIdOutcome::Rejected { reason: "GLARE".into() })));
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_GOV_ID_REJECTED"));
    assert_eq!(s.flow.step, Step::GovernmentId { completed: vec![], started: false, awaiting_verdict: None });
    open_partner(&mut s);
    s.ok(Event::GovernmentIdHandoffEnded);
    s.answer(verdict(&s, Some(GovernmentIdOutcome::Verified)));
    let t = s.server();
    s.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * 24 * HOUR_MS)), server_time: t });
    s.ok(Event::Continue);
    s.ok(Event::Continue);
    start_liveness(&mut s, "lc-1");
    s.ok(Event::LivenessFinished { failure: Some("TOO_DARK".into()) });
    assert_eq!(s.flow.step, Step::Liveness { in_progress: false, attempts: 1, challenge: None });
    assert!(s.flow.view(s.now).notice.expect("explained").text.contains("TOO_DARK"));
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::RequestLivenessChallenge { request_id: "req".into() });
}

/// On the liveness step: "Start" asks the service for a challenge; its answer opens the camera.
fn start_liveness(s: &mut Shell, challenge_id: &str) {
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::RequestLivenessChallenge { request_id: "req".into() });
    let server_time = s.server();
    let effects = s.answer(CallAnswer::LivenessChallengeIssued {
        challenge_id: challenge_id.into(),
        expires_at: server_time + 120_000,
        actions: Vec::new(),
        server_time,
    });
    assert_eq!(effects, [Effect::StartLiveness { request_id: "req".into(), challenge_id: challenge_id.into() }]);
}

/// Up to the liveness step of the TAP path (the selfie uploaded).
fn to_liveness(s: &mut Shell) {
    to_path(s, OnboardingPath::GetTap, true);
    s.ok(Event::Continue);
    s.ok(Event::SelfieCaptured);
    let t = s.server();
    s.answer(CallAnswer::SelfieUploaded { server_time: t });
    assert_eq!(s.flow.step, Step::Liveness { in_progress: false, attempts: 0, challenge: None });
}

#[test]
fn the_liveness_verdict_is_the_services_on_the_phones_frames() {
    let mut s = Shell::new(Platform::Android);
    to_liveness(&mut s);
    // "Start" asks for a challenge; a second tap while it comes would ask for two.
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::RequestLivenessChallenge { request_id: "req".into() });
    assert_eq!(s.send(Event::Continue).rejection, Some(Rejection::UnexpectedEvent));
    let v = s.flow.view(s.now);
    assert_eq!((v.primary_action, v.busy), (None, true), "waiting for the challenge");
    assert_eq!(s.send(Event::LivenessFinished { failure: None }).rejection, Some(Rejection::UnexpectedEvent), "no run yet");
    let t = s.server() + 5 * MINUTE_MS;
    s.skew = 5 * MINUTE_MS;
    let effects = s.answer(CallAnswer::LivenessChallengeIssued {
        challenge_id: "lc-1".into(),
        expires_at: t + 120_000,
        actions: Vec::new(),
        server_time: t,
    });
    assert_eq!(effects, [Effect::StartLiveness { request_id: "req".into(), challenge_id: "lc-1".into() }]);
    assert_eq!(s.flow.clock().offset_ms(), 5 * MINUTE_MS, "the challenge's answer teaches the clock");
    assert!(matches!(&s.flow.step, Step::Liveness { in_progress: true, challenge: Some(c), .. } if c.id == "lc-1"));
    // The phone's challenge passed: its frames go to the service for that challenge; the
    // phone's own result is not part of the call.
    let call = only_call(&s.ok(Event::LivenessFinished { failure: None }));
    assert_eq!(call, ServiceCall::SubmitLivenessFrames { request_id: "req".into(), challenge_id: "lc-1".into() });
    assert!(call.needs_in_memory_input(), "the frames live in memory only");
    for event in [Event::LivenessFinished { failure: None }, Event::Continue] {
        assert_eq!(s.send(event).rejection, Some(Rejection::UnexpectedEvent), "while the service judges");
    }
    let v = s.flow.view(s.now);
    assert_eq!((v.primary_action, v.busy), (None, true), "waiting for the verdict");
    // The service's verdict moves the step.
    let server_time = s.server();
    let effects = s.answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time });
    assert_eq!(only_call(&effects), ServiceCall::SubmitForReview { request_id: "req".into() });
    assert!(matches!(s.flow.step, Step::Review(_)));
}

#[test]
fn the_actions_the_service_drew_are_the_ones_the_phone_guides_even_after_a_restart() {
    use crate::selfie::face_model::Action;
    let mut s = Shell::new(Platform::Android);
    to_liveness(&mut s);
    assert_eq!(s.flow.liveness_actions(), None, "no challenge yet");
    s.ok(Event::Continue);
    let t = s.server();
    let drawn = vec![Action::Blink, Action::TurnLeft, Action::ComeCloser];
    let effects = s.answer(CallAnswer::LivenessChallengeIssued {
        challenge_id: "lc-1".into(),
        expires_at: t + 120_000,
        actions: drawn.clone(),
        server_time: t,
    });
    assert_eq!(effects, [Effect::StartLiveness { request_id: "req".into(), challenge_id: "lc-1".into() }]);
    assert_eq!(s.flow.liveness_actions(), Some(drawn.as_slice()));
    s.flow = OnboardingFlow::restore(&s.flow.snapshot()).expect("own snapshot restores");
    assert_eq!(s.flow.liveness_actions(), Some(drawn.as_slice()), "kept in the snapshot, under their codes");
    assert!(s.flow.snapshot().contains(r#"["blink","turn_left","come_closer"]"#));
    // The service judged: the challenge is over, and so are its actions.
    s.ok(Event::LivenessFinished { failure: None });
    let server_time = s.server();
    s.answer(CallAnswer::LivenessJudged { passed: false, reason: Some("ACTIONS_INCOMPLETE".into()), server_time });
    assert_eq!(s.flow.liveness_actions(), None);
    assert_eq!(s.notice().as_deref(), Some("LIVENESS_ACTIONS_INCOMPLETE"));
}

#[test]
fn a_liveness_failure_shows_the_services_reason_and_a_retry_asks_for_a_new_challenge() {
    let mut s = Shell::new(Platform::Android);
    to_liveness(&mut s);
    start_liveness(&mut s, "lc-1");
    s.ok(Event::LivenessFinished { failure: None });
    let server_time = s.server();
    assert_eq!(s.answer(CallAnswer::LivenessJudged { passed: false, reason: Some("NO_FACE".into()), server_time }), []);
    assert_eq!(s.flow.step, Step::Liveness { in_progress: false, attempts: 1, challenge: None });
    assert_eq!(s.notice().as_deref(), Some("LIVENESS_NO_FACE"));
    let v = s.flow.view(s.now);
    assert_eq!((v.primary_action.map(|a| a.code).as_deref(), v.busy), (Some("FLOW_ACTION_START_LIVENESS"), false));
    // An unknown reason (a newer service) is shown as a code inside the generic notice.
    start_liveness(&mut s, "lc-2");
    s.ok(Event::LivenessFinished { failure: None });
    let server_time = s.server();
    s.answer(CallAnswer::LivenessJudged { passed: false, reason: Some("BLINK_MISSING".into()), server_time });
    let notice = s.flow.view(s.now).notice.expect("explained");
    assert_eq!(notice.code, "FLOW_NOTICE_LIVENESS_FAILED");
    assert!(notice.text.contains("(BLINK_MISSING)"), "{}", notice.text);
    // "Start" again while a run is open abandons it for a new challenge; the old run's end is stale.
    start_liveness(&mut s, "lc-3");
    assert_eq!(only_call(&s.ok(Event::Continue)), ServiceCall::RequestLivenessChallenge { request_id: "req".into() });
    assert_eq!(s.flow.step, Step::Liveness { in_progress: false, attempts: 2, challenge: None });
    assert_eq!(s.send(Event::LivenessFinished { failure: None }).rejection, Some(Rejection::UnexpectedEvent));
}

#[test]
fn a_snapshot_holding_the_removed_liveness_call_still_loads() {
    let mut s = Shell::new(Platform::Android);
    to_liveness(&mut s);
    start_liveness(&mut s, "lc-1");
    s.ok(Event::LivenessFinished { failure: None });
    // What a build that sent the phone's own result saved with that call in flight: the step
    // without a challenge, and `RecordLiveness`.
    let mut old: serde_json::Value = serde_json::from_str(&s.flow.snapshot()).expect("a JSON snapshot");
    let liveness = old["flow"]["step"]["Liveness"].as_object_mut().expect("on the liveness step");
    assert!(liveness.remove("challenge").is_some());
    let [pending] = old["flow"]["calls"].as_array_mut().expect("calls").as_mut_slice() else { panic!("one call in flight") };
    assert_eq!(pending["call"], serde_json::json!({ "SubmitLivenessFrames": { "request_id": "req", "challenge_id": "lc-1" } }));
    pending["call"] = serde_json::json!({ "RecordLiveness": { "request_id": "req", "passed": true, "reason": null } });
    let old = old.to_string();
    let mut flow = OnboardingFlow::restore(&old).unwrap_or_else(|e| panic!("an older build's snapshot loads: {e}"));
    assert_eq!(flow.step(), &Step::Liveness { in_progress: true, attempts: 0, challenge: None });
    assert!(flow.pending_calls().is_empty(), "the call this build no longer makes is dropped");
    assert_eq!(flow.check_invariants(), Ok(()));
    // Its frames died with that app: nothing is resent, the user does the check again.
    assert_eq!(flow.handle(Event::SessionStarted, s.now + 1_000).effects, [Effect::PersistState]);
    assert_eq!(flow.step(), &Step::Liveness { in_progress: false, attempts: 0, challenge: None });
    assert_eq!(flow.view(s.now + 1_000).notice.map(|n| n.code).as_deref(), Some("FLOW_NOTICE_LIVENESS_RETAKE"));
    let effects = flow.handle(Event::Continue, s.now + 2_000).effects;
    assert!(
        matches!(&effects[..], [Effect::PersistState, Effect::Call { call: ServiceCall::RequestLivenessChallenge { .. }, .. }]),
        "{effects:?}"
    );
    // A `CreateTap` saved before replacements existed asks for a first TAP.
    let call: ServiceCall = serde_json::from_str(r#"{"CreateTap":{"request_id":"req"}}"#).expect("an older call loads");
    assert_eq!(call, ServiceCall::CreateTap { request_id: "req".into(), replace_lost: false });
}

#[test]
fn leaving_the_call_before_15_seconds_is_explained_and_allows_rejoining() {
    let mut s = Shell::new(Platform::Android);
    to_review_waiting(&mut s);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "c".into() }, server_time: t });
    assert_eq!(s.ok(Event::Continue), [Effect::JoinCall { call_id: "c".into() }]);
    s.ok(Event::CallJoined);
    s.now += 8_000;
    s.ok(Event::CallEnded);
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_CALL_TOO_SHORT"));
    assert!(s.flow.view(s.now).notice.expect("notice").text.contains("9 seconds"));
    assert!(matches!(&s.flow.step, Step::Review(r) if r.phase == ReviewPhase::CallInvited { call_id: "c".into() }));
    assert_eq!(s.ok(Event::Continue), [Effect::JoinCall { call_id: "c".into() }]);
    s.ok(Event::CallJoined);
    s.now += 15_000;
    s.ok(Event::CallEnded);
    assert!(matches!(&s.flow.step, Step::Review(r) if r.phase == ReviewPhase::AwaitingDecision));
}

/// The call's media is open from the user's "join" until they leave: while it connects, in the
/// call, and not after a failed connection (which is explained), a cancel, or the service's
/// leave. A connection that never came up can be tried again.
#[test]
fn the_calls_media_is_wanted_from_join_until_leave_and_a_failed_connection_is_explained() {
    let mut s = Shell::new(Platform::Android);
    to_review_waiting(&mut s);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "c".into() }, server_time: t });
    assert_eq!(s.flow.call_media_wanted(), None, "invited is not joined");
    assert_eq!(s.ok(Event::Continue), [Effect::JoinCall { call_id: "c".into() }]);
    assert_eq!(s.flow.call_media_wanted(), Some("c"));
    assert_eq!(s.flow.view(s.now).title.code, "FLOW_REVIEW_JOINING_TITLE");
    assert_eq!(s.send(Event::Continue).rejection, Some(Rejection::UnexpectedEvent), "a second join while connecting");

    // The connection never comes up: told, and back to the invitation.
    s.ok(Event::CallConnectionFailed);
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_CALL_CONNECTION_FAILED"));
    assert_eq!(s.flow.call_media_wanted(), None);
    assert!(matches!(&s.flow.step, Step::Review(r) if r.phase == ReviewPhase::CallInvited { call_id: "c".into() }));

    // Cancelled while connecting.
    assert_eq!(s.ok(Event::Continue), [Effect::JoinCall { call_id: "c".into() }]);
    s.ok(Event::CallEnded);
    assert_eq!(s.flow.call_media_wanted(), None);
    assert!(matches!(&s.flow.step, Step::Review(r) if r.phase == ReviewPhase::CallInvited { call_id: "c".into() }));

    // Joined; a leave the service reported before this join does not pull the user out.
    assert_eq!(s.ok(Event::Continue), [Effect::JoinCall { call_id: "c".into() }]);
    let t = s.server();
    s.ok(Event::ReviewUpdated {
        status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: t - 60_000, seconds_in_call: 5 },
        server_time: t,
    });
    assert_eq!(s.flow.call_media_wanted(), Some("c"), "an old leave while joining again");
    s.ok(Event::CallJoined);
    assert_eq!(s.flow.call_media_wanted(), Some("c"));
    assert_eq!(s.flow.view(s.now).title.code, "FLOW_REVIEW_IN_CALL_TITLE");

    // The connection is lost for good in the call: told, and the media is let go.
    s.now += 4_000;
    s.ok(Event::CallConnectionFailed);
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_CALL_CONNECTION_FAILED"));
    assert_eq!(s.flow.call_media_wanted(), None);
    assert_eq!(s.send(Event::CallConnectionFailed).rejection, Some(Rejection::UnexpectedEvent), "nothing is connecting");

    // The service's leave while the phone is in the call is a cut the media comes back from:
    // the media stays wanted. The decision ends it.
    assert_eq!(s.ok(Event::Continue), [Effect::JoinCall { call_id: "c".into() }]);
    s.ok(Event::CallJoined);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: t, seconds_in_call: 16 }, server_time: t });
    assert_eq!(s.flow.call_media_wanted(), Some("c"));
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    assert_eq!(s.flow.call_media_wanted(), None);
}

#[test]
fn the_reviewer_deadline_follows_the_server_clock_not_the_phone() {
    let mut s = Shell::new(Platform::Android);
    s.skew = -2 * HOUR_MS; // the phone runs two hours fast
    to_path(&mut s, OnboardingPath::GetTap, false);
    s.ok(Event::Continue);
    s.ok(Event::SelfieCaptured);
    let t = s.server();
    s.answer(CallAnswer::SelfieUploaded { server_time: t });
    let submitted_at = s.server();
    let effects =
        s.answer(CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at }), server_time: submitted_at });
    let wake_at = submitted_at + 24 * HOUR_MS + 2 * HOUR_MS;
    assert_eq!(effects, [Effect::WatchStatus { request_id: "req".into() }, Effect::ScheduleWake { at: wake_at }]);
    let deadline = s.flow.view(s.now).deadline.expect("deadline shown");
    assert_eq!((deadline.server_time, deadline.phone_time), (submitted_at + 24 * HOUR_MS, wake_at));
    s.now = wake_at - 2_000;
    s.ok(Event::Tick);
    assert!(matches!(s.flow.step, Step::Review(_)), "23:59:59 on the server clock");
    s.ok(Event::Tick);
    assert_eq!(s.flow.step, Step::ReviewWindowMissed);
}

#[test]
fn the_tap_code_is_shown_once_and_never_saved() {
    let mut s = Shell::new(Platform::Android);
    to_tap(&mut s, false);
    let Screen::Tap { code, .. } = s.flow.view(s.now).screen else { panic!() };
    assert_eq!(code.as_ref().map(|c| c.expose_secret()), Some("TAP-SECRET-1"));
    assert!(!format!("{:?}", s.flow).contains("TAP-SECRET"), "Debug redacts the code");
    let snapshot = s.flow.snapshot();
    assert!(!snapshot.contains("TAP-SECRET"));
    let restored = OnboardingFlow::restore(&snapshot).expect("restores");
    let view = restored.view(s.now);
    assert!(matches!(view.screen, Screen::Tap { code: None, .. }));
    assert_eq!(view.body.map(|b| b.code).as_deref(), Some("FLOW_TAP_SHOWN_ONCE_BODY"));
    assert_eq!(view.deadline.map(|d| d.kind), Some(view::DeadlineKind::TapExpiry));
}

#[test]
fn a_one_time_tap_must_be_used_for_registration_within_ten_minutes_of_sign_in() {
    let mut s = Shell::new(Platform::Android);
    to_tap(&mut s, true);
    // The sign-in is the service's: it answers with the window it enforces.
    s.ok(Event::Continue);
    let mut account = crate::testing::fresh_account_security(s.server());
    account.registration_deadline = Some(account.signed_in_at + 10 * MINUTE_MS);
    let signed_in_at = account.signed_in_at;
    let effects = s.answer(CallAnswer::SecurityInfo { account: account.clone(), server_time: signed_in_at });
    assert!(effects.contains(&Effect::ScheduleWake { at: s.now + 10 * MINUTE_MS }), "{effects:?}");
    assert_eq!(s.flow.view(s.now).deadline.map(|d| d.kind), Some(view::DeadlineKind::OneTimeRegistration));
    // The password alone does not stop the clock: a method must be registered.
    account.password_set = true;
    s.ok(Event::AppResumed);
    s.answer(CallAnswer::SecurityInfo { account, server_time: s.server() });
    s.now += 10 * MINUTE_MS;
    s.ok(Event::Tick);
    assert_eq!(s.flow.step, Step::TapExpired { reason: TapExpiryReason::RegistrationWindow });
    assert_eq!(s.flow.view(s.now).body.map(|b| b.code).as_deref(), Some("FLOW_TAP_WINDOW_MISSED_BODY"));
}

#[test]
fn a_tap_issued_already_expired_is_not_shown() {
    let mut s = Shell::new(Platform::Android);
    to_review_waiting(&mut s);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    let server_time = s.server();
    let tap = TapGrant {
        id: "t".into(),
        code: SecretString::new("TAP-SECRET-2".into()),
        start_at: server_time - 31 * MINUTE_MS,
        lifetime_minutes: 30,
        is_usable_once: false,
        usability: TapUsability::EnabledByPolicy,
    };
    s.answer(CallAnswer::TapCreated { tap, server_time });
    assert_eq!(s.flow.step, Step::TapExpired { reason: TapExpiryReason::ReportedUnusable });
}

#[test]
fn an_unknown_denial_shows_the_services_message_and_a_cancelled_passkey_can_be_retried() {
    let mut s = Shell::new(Platform::Android);
    to_review_waiting(&mut s);
    let t = s.server();
    s.ok(Event::ReviewUpdated {
        status: ReviewStatus::Denied { reason_code: "OTHER".into(), message: "Badge expired.".into() },
        server_time: t,
    });
    let body = s.flow.view(s.now).body.expect("body");
    assert_eq!((body.code.as_str(), body.text.contains("Badge expired.")), ("FLOW_DENIED_OTHER", true));

    let mut p = Shell::new(Platform::Ios);
    to_path(&mut p, OnboardingPath::GetPasskey, false);
    p.flow.step = Step::Review(review::Review { submitted_at: Some(p.now), phase: ReviewPhase::AwaitingDecision });
    let t = p.server();
    assert_eq!(
        only_call(&p.ok(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t })),
        ServiceCall::FetchPasskeyOptions { request_id: "req".into() }
    );
    p.answer(CallAnswer::PasskeyOptions { options_json: "{\"o\":1}".into() });
    p.ok(Event::PasskeyCancelled);
    assert_eq!(p.notice().as_deref(), Some("FLOW_NOTICE_PASSKEY_CANCELLED"));
    assert_eq!(p.ok(Event::Continue), [Effect::RegisterPasskey { options_json: "{\"o\":1}".into() }]);
}

#[test]
fn every_screen_text_exists_in_chinese_too() {
    let mut s = Shell::new(Platform::Android);
    s.flow.set_locale(Locale::SimplifiedChinese);
    to_tap(&mut s, true);
    let view = s.flow.view(s.now);
    assert_eq!(view.title.text, "您的临时访问密码（TAP）");
    assert!(view.body.expect("body").text.contains("10 分钟"));
}

#[test]
fn late_status_answers_never_move_the_call_backwards() {
    let mut s = Shell::new(Platform::Android);
    to_review_in_call(&mut s);
    let joined = match s.flow.step() {
        Step::Review(review) => review.phase.clone(),
        other => panic!("{other:?}"),
    };
    // A long-poll answer from before the join, then one with the service's own join time.
    let t = s.server();
    s.send(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "c".into() }, server_time: t });
    s.send(Event::ReviewUpdated { status: ReviewStatus::InCall { call_id: "c".into(), joined_at: t + 5_000 }, server_time: t });
    assert!(matches!(s.flow.step(), Step::Review(review) if review.phase == joined), "the phone's join time stands");
    s.now += 20_000;
    s.ok(Event::CallEnded);
    let t = s.server();
    s.send(Event::ReviewUpdated { status: ReviewStatus::InCall { call_id: "c".into(), joined_at: t }, server_time: t });
    assert!(matches!(s.flow.step(), Step::Review(review) if review.phase == ReviewPhase::AwaitingDecision));
}

#[test]
fn the_services_count_of_the_call_is_what_the_user_is_told_and_may_send_them_back_in() {
    let mut s = Shell::new(Platform::Android);
    to_review_in_call(&mut s);
    // The service saw their media stop after 5 s while the phone is still in the call: a cut
    // the phone's media is coming back from, not the user leaving. Nothing changes.
    s.now += 5_000;
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: t, seconds_in_call: 5 }, server_time: t });
    assert_eq!(s.notice(), None);
    assert!(matches!(s.flow.step(), Step::Review(review) if matches!(review.phase, ReviewPhase::InCall { .. })));
    // The user leaves; the service counted 5 s: they are told the service's count, whatever
    // the phone's clock says, and may join again.
    s.ok(Event::CallEnded);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: t, seconds_in_call: 5 }, server_time: t });
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_CALL_TOO_SHORT"));
    assert!(s.flow.view(s.now).notice.is_some_and(|n| n.text.contains("after 5 seconds")));
    assert!(matches!(s.flow.step(), Step::Review(review) if review.phase == ReviewPhase::CallInvited { call_id: "c".into() }));
    let stale_left_at = t;
    s.ok(Event::Continue);
    s.ok(Event::CallJoined);
    // A leave from before this join (an answer that crossed it) changes nothing.
    s.now += 1_000;
    let t = s.server();
    s.send(Event::ReviewUpdated {
        status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: stale_left_at - 1_000, seconds_in_call: 4 },
        server_time: t,
    });
    assert!(matches!(s.flow.step(), Step::Review(review) if matches!(review.phase, ReviewPhase::InCall { .. })));
    // The phone thinks 20 s is enough; the service counted 14 s in all: the service's count
    // stands, and the user is sent back in rather than left waiting for an approval that
    // cannot come.
    s.now += 19_000;
    s.ok(Event::CallEnded);
    assert!(matches!(s.flow.step(), Step::Review(review) if review.phase == ReviewPhase::AwaitingDecision));
    let t = s.server();
    s.send(Event::ReviewUpdated {
        status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: t, seconds_in_call: 14 },
        server_time: t,
    });
    assert!(s.flow.view(s.now).notice.is_some_and(|n| n.text.contains("after 14 seconds")), "the service's count");
    assert!(matches!(s.flow.step(), Step::Review(review) if review.phase == ReviewPhase::CallInvited { call_id: "c".into() }));
    // Fifteen seconds in all: the reviewer decides.
    s.ok(Event::Continue);
    s.ok(Event::CallJoined);
    s.now += 1_000;
    s.ok(Event::CallEnded);
    let t = s.server();
    s.send(Event::ReviewUpdated {
        status: ReviewStatus::LeftCall { call_id: "c".into(), left_at: t, seconds_in_call: 15 },
        server_time: t,
    });
    assert!(matches!(s.flow.step(), Step::Review(review) if review.phase == ReviewPhase::AwaitingDecision));
}

#[test]
fn a_selfie_lost_with_the_app_before_its_upload_is_taken_again() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetTap, false);
    s.ok(Event::Continue);
    s.ok(Event::SelfieCaptured);
    // The runtime lost the capture with its memory: the upload could not be sent.
    s.fail("UploadSelfie", CallFailure::not_sent(NOT_SENT_INPUT_LOST));
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_SELFIE_RETAKE"));
    assert_eq!(s.ok(Event::Continue), [Effect::StartSelfie], "Continue opens the camera again");
}
