//! Unit tests per step, driven through `handle` as a shell would.

use super::clock::{HOUR_MS, MINUTE_MS, Timestamp};
use super::credential::{ChecklistItem, TapExpiryReason, TapGrant, TapUsability};
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
        let call = answer.call_name();
        let id = self.pending(call).unwrap_or_else(|| panic!("no {call} call pending in {:?}", self.flow.step));
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

#[test]
fn a_rejected_government_id_and_a_failed_liveness_can_be_retried() {
    let mut s = Shell::new(Platform::Android);
    to_path(&mut s, OnboardingPath::GetPasskey, true);
    assert_eq!(s.ok(Event::Continue), [Effect::StartGovernmentIdCheck { request_id: "req".into() }]);
    s.ok(Event::GovernmentIdFinished { outcome: GovernmentIdOutcome::Rejected { reason: "GLARE".into() } });
    s.answer(CallAnswer::GovernmentIdRecorded);
    assert_eq!(s.notice().as_deref(), Some("FLOW_NOTICE_GOV_ID_REJECTED"));
    assert_eq!(s.flow.step, Step::GovernmentId { completed: vec![], started: false });
    s.ok(Event::Continue);
    s.ok(Event::GovernmentIdFinished { outcome: GovernmentIdOutcome::Verified });
    s.answer(CallAnswer::GovernmentIdRecorded);
    let t = s.server();
    s.answer(CallAnswer::VerifiedId { issued: Some((t, t + 30 * 24 * HOUR_MS)), server_time: t });
    s.ok(Event::Continue);
    s.ok(Event::Continue);
    s.ok(Event::Continue);
    s.ok(Event::LivenessFinished { failure: Some("TOO_DARK".into()) });
    s.answer(CallAnswer::LivenessRecorded);
    assert_eq!(s.flow.step, Step::Liveness { in_progress: false, attempts: 1 });
    assert!(s.flow.view(s.now).notice.expect("explained").text.contains("TOO_DARK"));
    assert!(matches!(&s.ok(Event::Continue)[..], [Effect::StartLiveness { .. }]));
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
    s.ok(Event::CallJoined);
    s.now += 15_000;
    s.ok(Event::CallEnded);
    assert!(matches!(&s.flow.step, Step::Review(r) if r.phase == ReviewPhase::AwaitingDecision));
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
    assert_eq!(view.body.map(|b| b.code).as_deref(), Some("FLOW_TAP_HIDDEN_BODY"));
    assert_eq!(view.deadline.map(|d| d.kind), Some(view::DeadlineKind::TapExpiry));
}

#[test]
fn a_one_time_tap_must_be_used_for_registration_within_ten_minutes_of_sign_in() {
    let mut s = Shell::new(Platform::Android);
    to_tap(&mut s, true);
    let effects = s.ok(Event::SignedInWithTap);
    assert_eq!(effects, [Effect::ScheduleWake { at: s.now + 10 * MINUTE_MS }]);
    assert_eq!(s.flow.view(s.now).deadline.map(|d| d.kind), Some(view::DeadlineKind::OneTimeRegistration));
    s.ok(Event::ChecklistItemDone { item: ChecklistItem::PasswordSet });
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
    to_review_waiting(&mut s);
    let t = s.server();
    s.ok(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "c".into() }, server_time: t });
    s.ok(Event::Continue);
    s.ok(Event::CallJoined);
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
