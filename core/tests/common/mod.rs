//! A test driver acting as the shell: it sends events at an advancing phone clock, and after
//! every event checks the invariants and that the state survives serialize → deserialize.

#![allow(dead_code)]

use identity_pass_core::SecretString;
use identity_pass_core::eligibility::{DeviceProfile, Distribution, Platform, RequiredApp};
use identity_pass_core::flow::account_security_view::SecurityTaskView;
use identity_pass_core::flow::clock::{MINUTE_MS, Timestamp};
use identity_pass_core::flow::credential::{TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::{
    CallAnswer, CallFailure, CallId, CallOutcome, Effect, Event, OnboardingFlow, ServiceCall, Step, Transition,
};
use identity_pass_core::messages::Locale;

/// 2026-11-21T00:00:00Z on the phone.
pub const START: Timestamp = 1_795_219_200_000;

pub struct Driver {
    pub flow: OnboardingFlow,
    pub now: Timestamp,
    /// Added to `now` for every `server_time` sent: the service's clock runs this far ahead.
    pub skew: i64,
}

impl Driver {
    pub fn new(platform: Platform) -> Self {
        Driver { flow: OnboardingFlow::new(Locale::English, platform, Distribution::Global), now: START, skew: 0 }
    }

    pub fn server_time(&self) -> Timestamp {
        self.now + self.skew
    }

    /// Sends one event one second after the previous one; the event must be accepted.
    pub fn send(&mut self, event: Event) -> Vec<Effect> {
        let transition = self.try_send(event.clone());
        assert_eq!(transition.rejection, None, "{event:?} rejected in {:?}", self.flow.step());
        transition.effects
    }

    pub fn try_send(&mut self, event: Event) -> Transition {
        self.now += 1_000;
        let transition = self.flow.handle(event, self.now);
        check(&self.flow, self.now);
        transition
    }

    /// Answers the oldest pending call of the answer's kind; the answer must be accepted.
    pub fn answer(&mut self, answer: CallAnswer) -> Vec<Effect> {
        let id = pending_answerable(&self.flow, &answer)
            .unwrap_or_else(|| panic!("no call pending for {} in {:?}", answer.call_name(), self.flow.step()));
        self.send(Event::Answered { id, outcome: CallOutcome::Answered(answer) })
    }

    /// Fails the oldest pending call named `call` (`ServiceCall::name`); must be accepted.
    pub fn fail(&mut self, call: &str, failure: CallFailure) -> Vec<Effect> {
        let id = self.pending_id(call).unwrap_or_else(|| panic!("no {call} call pending in {:?}", self.flow.step()));
        self.send(Event::Answered { id, outcome: CallOutcome::Failed(failure) })
    }

    /// The id of the oldest pending call named `call`.
    pub fn pending_id(&self, call: &str) -> Option<CallId> {
        pending_id(&self.flow, call)
    }

    /// Saves the flow, and starts a new session on what was saved (the app was killed): the
    /// TAP code and everything in the runtime's memory are gone.
    pub fn restart(&mut self) -> Vec<Effect> {
        self.flow = OnboardingFlow::restore(&self.flow.snapshot()).expect("own snapshot restores");
        self.send(Event::SessionStarted)
    }

    pub fn wait(&mut self, ms: i64) {
        self.now += ms;
    }

    pub fn wait_minutes(&mut self, minutes: i64) {
        self.wait(minutes * MINUTE_MS);
    }
}

/// Invariants hold and the snapshot restores to an identical snapshot and view (the TAP code
/// excepted: it is never saved).
pub fn check(flow: &OnboardingFlow, now: Timestamp) {
    flow.check_invariants().unwrap_or_else(|rule| panic!("invariant broken ({rule}) in {:?}", flow.step()));
    let snapshot = flow.snapshot();
    let restored = OnboardingFlow::restore(&snapshot).expect("own snapshot restores");
    assert_eq!(restored.snapshot(), snapshot);
    assert!(!snapshot.contains("TAP-SECRET"), "the TAP code must never be saved");
    assert!(!snapshot.contains("JBSWY3DPEHPK3PXP"), "the TOTP secret must never be saved");
    assert!(!snapshot.contains("SECRET-ANSWER"), "security answers must never be saved");
    let mut expected = flow.view(now);
    // The activation barcode holds the TOTP secret, which lives in memory only: after a restart
    // the screen offers a new activation instead.
    if let identity_pass_core::flow::Screen::SecureAccount { view } = &mut expected.screen
        && let SecurityTaskView::AuthenticatorApp { barcode, .. } = &mut view.task
        && barcode.take().is_some()
    {
        expected.primary_action = expected.primary_action.map(|_| identity_pass_core::messages::flow::ACTION_RETRY.text(flow.locale()));
    }
    let mut code_lost = false;
    if let identity_pass_core::flow::Screen::Tap { code, .. } = &mut expected.screen {
        code_lost = code.take().is_some();
    }
    let mut actual = restored.view(now);
    if let (identity_pass_core::flow::Screen::Tap { .. }, Some(body)) = (&actual.screen, &mut actual.body) {
        // After a restart the TAP body says "shown once" instead of repeating the code.
        body.code = expected.body.as_ref().map(|b| b.code.clone()).unwrap_or_default();
        body.text = expected.body.as_ref().map(|b| b.text.clone()).unwrap_or_default();
    }
    if code_lost && actual.primary_action != expected.primary_action {
        // …and offers a new TAP, which replaces the one whose code is gone.
        let offered = actual.primary_action.as_ref().map(|a| a.code.as_str());
        assert!(
            matches!(offered, Some("FLOW_ACTION_REPLACE_TAP" | "FLOW_ACTION_RETRY")),
            "after restore the TAP screen offers {offered:?}"
        );
        actual.primary_action = expected.primary_action.clone();
    }
    assert_eq!(actual, expected, "the view after restore differs");
}

pub fn phone(platform: Platform) -> DeviceProfile {
    DeviceProfile {
        platform,
        os_major: if platform == Platform::Ios { 17 } else { 14 },
        os_minor: 0,
        distribution: Distribution::Global,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: RequiredApp::ALL.to_vec(),
    }
}

pub fn form(staff_kind: StaffKind) -> IdentityForm {
    IdentityForm {
        upn: "alias@contoso.com".into(),
        employee_id: "123456".into(),
        personal_email: Some("alias@example.cn".into()),
        staff_kind,
    }
}

pub fn tap(start_at: Timestamp) -> TapGrant {
    TapGrant {
        id: "tap-1".into(),
        code: SecretString::new("TAP-SECRET-42".into()),
        start_at,
        lifetime_minutes: 30,
        is_usable_once: false,
        usability: TapUsability::EnabledByPolicy,
    }
}

/// Device check, every permission granted, consent, identity submitted: waiting for the path.
pub fn drive_to_submitted_identity(d: &mut Driver, staff_kind: StaffKind) {
    d.send(Event::DeviceChecked { profile: phone(Platform::Android) });
    d.send(Event::Continue);
    for permission in Permission::ALL {
        d.send(Event::PermissionReported { permission, status: PermissionStatus::Granted });
    }
    d.send(Event::ConsentAnswered { accepted: true });
    d.send(Event::IdentitySubmitted { form: form(staff_kind) });
}

/// The service's answer to the identity; a Verified ID issued at `vid` opens the fast path.
pub fn accept_identity(d: &mut Driver, path: OnboardingPath, flags: RolloutFlags, vid: Option<Timestamp>) -> Vec<Effect> {
    let server_time = d.server_time();
    d.answer(CallAnswer::RequestCreated {
        request_id: "req-1".into(),
        path,
        flags,
        fast_path: vid.is_some(),
        verified_id_issued_at: vid,
        server_time,
    })
}

/// The id of the oldest pending call named `call`.
/// The id of the oldest pending call `answer` can answer.
pub fn pending_answerable(flow: &OnboardingFlow, answer: &CallAnswer) -> Option<CallId> {
    flow.pending_calls().iter().find(|p| answer.answers(&p.call)).map(|p| p.id)
}

pub fn pending_id(flow: &OnboardingFlow, call: &str) -> Option<CallId> {
    flow.pending_calls().iter().find(|p| p.call.name() == call).map(|p| p.id)
}

/// The calls among `effects`, with their ids.
pub fn calls(effects: &[Effect]) -> Vec<(CallId, ServiceCall)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Call { id, call } => Some((*id, call.clone())),
            _ => None,
        })
        .collect()
}

/// The one call among `effects`.
pub fn only_call(effects: &[Effect]) -> (CallId, ServiceCall) {
    match calls(effects).as_slice() {
        [one] => one.clone(),
        other => panic!("expected one call, got {other:?} in {effects:?}"),
    }
}

/// On the liveness step: "Start" asks the service for a challenge, and its answer opens the
/// camera for it. Returns the answer's effects.
pub fn start_liveness(d: &mut Driver, challenge_id: &str) -> Vec<Effect> {
    let (_, call) = only_call(&d.send(Event::Continue));
    assert!(matches!(call, ServiceCall::RequestLivenessChallenge { .. }), "{call:?}");
    let server_time = d.server_time() + 1_000;
    let effects = d.answer(CallAnswer::LivenessChallengeIssued {
        challenge_id: challenge_id.into(),
        expires_at: server_time + 120_000,
        actions: Vec::new(),
        server_time,
    });
    assert!(effects.iter().any(|e| matches!(e, Effect::StartLiveness { challenge_id: c, .. } if c == challenge_id)), "{effects:?}");
    effects
}

/// The liveness step, passed: a challenge, the phone's own check passed, its frames uploaded,
/// and the service's verdict `passed`. Returns the verdict's effects.
pub fn pass_liveness(d: &mut Driver) -> Vec<Effect> {
    start_liveness(d, "lc-1");
    let (_, call) = only_call(&d.send(Event::LivenessFinished { failure: None }));
    assert!(matches!(call, ServiceCall::SubmitLivenessFrames { ref challenge_id, .. } if challenge_id == "lc-1"), "{call:?}");
    let server_time = d.server_time() + 1_000;
    d.answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time })
}

// The walks several suites share: up to a step, through the service's answers.

/// Rollout flags.
pub fn flags(liveness_prompt: bool, verified_id: bool) -> RolloutFlags {
    RolloutFlags { liveness_prompt, verified_id }
}

/// The service's time of the next event (the driver moves the phone clock one second per event).
pub fn next_server_time(d: &Driver) -> Timestamp {
    d.server_time() + 1_000
}

/// Up to the selfie on the TAP path.
pub fn to_selfie(d: &mut Driver, flags: RolloutFlags) {
    drive_to_submitted_identity(d, StaffKind::Employee);
    accept_identity(d, OnboardingPath::GetTap, flags, None);
    assert!(matches!(d.flow.step(), Step::Selfie { .. }));
}

/// Up to the liveness check (the selfie uploaded), on the TAP path.
pub fn to_liveness(d: &mut Driver, verified_id: bool) {
    to_selfie(d, flags(true, verified_id));
    d.send(Event::Continue);
    d.send(Event::SelfieCaptured);
    let t = next_server_time(d);
    d.answer(CallAnswer::SelfieUploaded { server_time: t });
    assert_eq!(d.flow.step(), &Step::Liveness { in_progress: false, attempts: 0, challenge: None });
}

/// Through the liveness check, submitted: waiting for the reviewer.
pub fn to_waiting_for_reviewer(d: &mut Driver, verified_id: bool) {
    to_liveness(d, verified_id);
    pass_liveness(d);
    let t = next_server_time(d);
    d.answer(CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t });
}

/// Through the liveness check and the review, up to the TAP screen.
pub fn to_tap(d: &mut Driver, verified_id: bool) {
    to_waiting_for_reviewer(d, verified_id);
    let t = next_server_time(d);
    d.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
    let t = next_server_time(d);
    d.answer(CallAnswer::TapCreated { tap: tap(t), server_time: t });
    assert!(matches!(d.flow.step(), Step::TapReady(_)));
}
