//! Exports the onboarding flow: one object wrapping the core state machine, and mirrors of its
//! event, effect and view types. No rule lives here; every call forwards to the core.
//!
//! A shell creates an `OnboardingFlow` (or restores one from its saved snapshot), sends each
//! user action, OS observation and service answer to `handle` with the current time, renders
//! the returned view and performs the returned effects in order.

#[cfg(feature = "test-support")]
mod runtime_events;
mod types;

#[cfg(feature = "test-support")]
use runtime_events::RuntimeEvent;

use std::sync::{Arc, Mutex, MutexGuard};

use identity_pass_core::eligibility::{Distribution, Platform};
use identity_pass_core::flow::{self as core_flow, Effect, Rejection, ShellEvent, ViewState};
use identity_pass_core::messages::Locale;

use crate::error::FlowError;

/// The result of one `handle` call: the view to render and the effects to perform, in order.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Transition {
    /// The view after the event.
    pub view: ViewState,
    /// What the shell must do.
    pub effects: Vec<Effect>,
    /// Set when the event was not applied (the state is unchanged; `view.notice` may explain).
    pub rejection: Option<Rejection>,
}

/// One user's onboarding on this phone.
#[derive(uniffi::Object)]
pub struct OnboardingFlow {
    inner: Mutex<core_flow::OnboardingFlow>,
}

impl OnboardingFlow {
    fn lock(&self) -> MutexGuard<'_, core_flow::OnboardingFlow> {
        // The core never panics while holding the lock; should it ever, its state is still a
        // consistent value (transitions are applied whole), so the guard is safe to reuse.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[uniffi::export]
impl OnboardingFlow {
    /// A new onboarding, waiting for the shell's `DeviceChecked` event.
    #[uniffi::constructor]
    pub fn new(locale: Locale, platform: Platform, distribution: Distribution) -> Arc<Self> {
        Arc::new(OnboardingFlow { inner: Mutex::new(core_flow::OnboardingFlow::new(locale, platform, distribution)) })
    }

    /// Resumes from `snapshot()`. Throws `FlowError` for a document from another app version
    /// or one that is damaged; the caller then starts a new onboarding.
    #[uniffi::constructor]
    pub fn restore(snapshot: String) -> Result<Arc<Self>, FlowError> {
        let flow = core_flow::OnboardingFlow::restore(&snapshot)?;
        Ok(Arc::new(OnboardingFlow { inner: Mutex::new(flow) }))
    }

    /// Applies one event a shell reports, at phone time `now_ms` (Unix milliseconds).
    pub fn handle(&self, event: ShellEvent, now_ms: i64) -> Transition {
        self.apply(event.into(), now_ms)
    }

    /// The view at phone time `now_ms`, without changing anything.
    pub fn view(&self, now_ms: i64) -> ViewState {
        self.lock().view(now_ms)
    }

    /// The state to save (after each `PersistState` effect). Never contains the TAP code.
    pub fn snapshot(&self) -> String {
        self.lock().snapshot()
    }

    /// Switches the language of the view and notifications.
    pub fn set_locale(&self, locale: Locale) {
        self.lock().set_locale(locale);
    }
}

impl OnboardingFlow {
    fn apply(&self, event: core_flow::Event, now_ms: i64) -> Transition {
        let mut flow = self.lock();
        let transition = flow.handle(event, now_ms);
        Transition { view: flow.view(now_ms), effects: transition.effects, rejection: transition.rejection }
    }
}

#[cfg(feature = "test-support")]
#[uniffi::export]
impl OnboardingFlow {
    /// Test support: feeds what only the runtime may feed (a service answer, a capture).
    pub fn handle_runtime_event(&self, event: RuntimeEvent, now_ms: i64) -> Transition {
        self.apply(event.into(), now_ms)
    }
}

/// The catalog language for an OS language tag (`zh-CN`, `en-GB`, …).
#[uniffi::export]
pub fn locale_from_language_tag(tag: String) -> Locale {
    Locale::from_language_tag(&tag)
}

#[cfg(test)]
mod tests {
    //! Drives the exported object exactly as the Kotlin and Swift tests do (seed 000, "Get TAP").

    use super::*;
    use identity_pass_core::SecretString;
    use identity_pass_core::eligibility::{DeviceProfile, RequiredApp};
    use identity_pass_core::flow::credential::{TapGrant, TapUsability};
    use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
    use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
    use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
    use identity_pass_core::flow::review::ReviewStatus;
    use identity_pass_core::flow::{CallAnswer, CallId, CallOutcome, Event, Screen};

    const T0: i64 = 1_795_219_200_000;

    fn names(t: &Transition) -> Vec<String> {
        t.effects.iter().map(|e| e.name().to_owned()).collect()
    }

    /// The shell: one second passes before each event; `next()` is the time of the next one
    /// (the service's clock equals the phone's here). `runtime` plays the runtime's part.
    struct Shell {
        flow: Arc<OnboardingFlow>,
        now: i64,
    }

    impl Shell {
        fn next(&self) -> i64 {
            self.now + 1_000
        }

        fn send(&mut self, event: ShellEvent) -> Transition {
            self.now += 1_000;
            let t = self.flow.handle(event, self.now);
            assert_eq!(t.rejection, None);
            t
        }

        fn runtime(&mut self, event: Event) -> Transition {
            self.now += 1_000;
            let t = self.flow.apply(event, self.now);
            assert_eq!(t.rejection, None);
            t
        }

        /// Answers the call the flow made last.
        fn answer(&mut self, answer: CallAnswer) -> Transition {
            let id = self.flow.lock().pending_calls().last().expect("a call in flight").id;
            self.runtime(Event::Answered { id, outcome: CallOutcome::Answered(answer) })
        }
    }

    /// Device check, permissions, consent and identity, up to the service's choice of `path`.
    fn through_identity(path: OnboardingPath) -> (Shell, Transition) {
        let mut s = Shell { flow: OnboardingFlow::new(Locale::English, Platform::Android, Distribution::Global), now: T0 };
        let profile = DeviceProfile {
            platform: Platform::Android,
            os_major: 14,
            os_minor: 0,
            distribution: Distribution::Global,
            has_front_camera: true,
            notifications_supported: true,
            network_available: true,
            installed_apps: vec![RequiredApp::CompanyPortal, RequiredApp::Authenticator],
        };
        assert!(matches!(s.send(ShellEvent::DeviceChecked { profile }).view.screen, Screen::Permissions { .. }));
        assert_eq!(names(&s.send(ShellEvent::Continue)), ["RequestPermission"]);
        for permission in Permission::ALL {
            s.send(ShellEvent::PermissionReported { permission, status: PermissionStatus::Granted });
        }
        assert!(matches!(s.send(ShellEvent::ConsentAnswered { accepted: true }).view.screen, Screen::IdentityEntry { .. }));
        let form = IdentityForm {
            upn: "alias@contoso.com".into(),
            employee_id: "123456".into(),
            personal_email: None,
            staff_kind: StaffKind::Employee,
        };
        // The state that records the call is saved before the call goes out.
        assert_eq!(names(&s.send(ShellEvent::IdentitySubmitted { form })), ["PersistState", "CreateRequest"]);
        let t = s.answer(CallAnswer::RequestCreated {
            request_id: "req-1".into(),
            path,
            flags: RolloutFlags { liveness_prompt: true, verified_id: false },
            fast_path: false,
            verified_id_issued_at: None,
            server_time: s.next(),
        });
        (s, t)
    }

    #[test]
    fn seed_000_get_tap_end_to_end_through_the_exported_object() {
        let (mut s, t) = through_identity(OnboardingPath::GetTap);
        assert!(matches!(t.view.screen, Screen::Selfie { .. }));
        assert_eq!(names(&s.send(ShellEvent::Continue)), ["PersistState", "StartSelfie"]);
        assert_eq!(names(&s.runtime(Event::SelfieCaptured)), ["PersistState", "UploadSelfie"]);
        s.answer(CallAnswer::SelfieUploaded { server_time: s.next() });
        // Liveness: a challenge from the service starts the camera; the phone's own check
        // passing uploads its frames, and the service's verdict moves on.
        assert_eq!(names(&s.send(ShellEvent::Continue)), ["PersistState", "RequestLivenessChallenge"]);
        let server_time = s.next();
        let t = s.answer(CallAnswer::LivenessChallengeIssued {
            challenge_id: "lc-1".into(),
            expires_at: server_time + 120_000,
            actions: Vec::new(),
            server_time,
        });
        assert_eq!(t.effects, [Effect::PersistState, Effect::StartLiveness { request_id: "req-1".into(), challenge_id: "lc-1".into() }]);
        assert_eq!(names(&s.runtime(Event::LivenessFinished { failure: None })), ["PersistState", "SubmitLivenessFrames"]);
        let t = s.answer(CallAnswer::LivenessJudged { passed: true, reason: None, server_time: s.next() });
        assert_eq!(names(&t), ["PersistState", "SubmitForReview"]);
        let submitted_at = s.next();
        let t = s.runtime(Event::ReviewUpdated { status: ReviewStatus::WaitingForReviewer { submitted_at }, server_time: submitted_at });
        assert!(t.effects.contains(&Effect::ScheduleWake { at: submitted_at + 24 * 3_600_000 }), "{:?}", t.effects);

        // The app is killed while waiting for the reviewer, and resumes from its snapshot.
        s.flow = OnboardingFlow::restore(s.flow.snapshot()).expect("own snapshot restores");
        s.runtime(Event::ReviewUpdated { status: ReviewStatus::CallInvited { call_id: "call-1".into() }, server_time: s.next() });
        // Joining is a state of its own (the call's media connecting), so it is saved.
        assert_eq!(s.send(ShellEvent::Continue).effects, [Effect::PersistState, Effect::JoinCall { call_id: "call-1".into() }]);
        s.send(ShellEvent::CallJoined);
        s.now += 20_000;
        s.send(ShellEvent::CallEnded);
        let t = s.runtime(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: s.next() });
        assert_eq!(names(&t), ["PersistState", "CreateTap"]);
        let start_at = s.next();
        let tap = TapGrant {
            id: "tap-1".into(),
            code: SecretString::new("ABCD-1234".into()),
            start_at,
            lifetime_minutes: 30,
            is_usable_once: false,
            usability: TapUsability::EnabledByPolicy,
        };
        let t = s.answer(CallAnswer::TapCreated { tap, server_time: start_at });
        let Screen::Tap { code: Some(code), .. } = &t.view.screen else { panic!("{:?}", t.view.screen) };
        assert_eq!(code.expose_secret(), "ABCD-1234");
        let wakes: Vec<_> = t.effects.iter().filter(|e| matches!(e, Effect::ScheduleWake { .. })).cloned().collect();
        assert_eq!(wakes, [Effect::ScheduleWake { at: start_at + 25 * 60_000 }, Effect::ScheduleWake { at: start_at + 30 * 60_000 }]);
        assert!(!s.flow.snapshot().contains("ABCD-1234"));

        // Killed on the TAP screen: the code is gone; the screen says why and offers a new
        // one, which (no Verified ID here) the service issues as a replacement.
        s.flow = OnboardingFlow::restore(s.flow.snapshot()).expect("own snapshot restores");
        let t = s.runtime(Event::SessionStarted);
        assert!(matches!(t.view.screen, Screen::Tap { code: None, .. }));
        assert_eq!(t.view.body.map(|b| b.code).as_deref(), Some("FLOW_TAP_SHOWN_ONCE_BODY"));
        assert_eq!(t.view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_REPLACE_TAP"));
        let t = s.send(ShellEvent::Continue);
        let [Effect::PersistState, Effect::Call { call, .. }] = &t.effects[..] else { panic!("{:?}", t.effects) };
        assert_eq!(*call, identity_pass_core::flow::ServiceCall::CreateTap { request_id: "req-1".into(), replace_lost: true });
        let start_at = s.next();
        let tap = TapGrant {
            id: "tap-2".into(),
            code: SecretString::new("EFGH-5678".into()),
            start_at,
            lifetime_minutes: 30,
            is_usable_once: false,
            usability: TapUsability::EnabledByPolicy,
        };
        let t = s.answer(CallAnswer::TapCreated { tap, server_time: start_at });
        assert!(matches!(&t.view.screen, Screen::Tap { code: Some(code), .. } if code.expose_secret() == "EFGH-5678"));
        // "Secure your account": the service records the sign-in and says what is registered;
        // the shell cannot mark anything done, and finishing needs the service's "complete".
        assert_eq!(t.view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_SECURE_ACCOUNT"));
        assert_eq!(names(&s.send(ShellEvent::Continue)), ["PersistState", "SignInWithTap"]);
        let mut account = identity_pass_core::testing::fresh_account_security(s.next());
        let t = s.answer(CallAnswer::SecurityInfo { account: account.clone(), server_time: account.signed_in_at });
        let Screen::SecureAccount { view } = &t.view.screen else { panic!("{:?}", t.view.screen) };
        assert!(view.options.iter().all(|o| !o.done));
        assert_eq!(names(&s.send(ShellEvent::Continue)), ["PersistState", "FetchSecurityInfo"]);
        account.password_set = true;
        account.security_questions_set = true;
        let signed_in_at = account.signed_in_at;
        let mut account = identity_pass_core::testing::with_authenticator_app(account, signed_in_at);
        account.complete = true;
        let t = s.answer(CallAnswer::SecurityInfo { account, server_time: s.next() });
        assert_eq!(t.view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_FINISH"));
        let t = s.send(ShellEvent::Continue);
        assert!(matches!(t.view.screen, Screen::Done { .. }));
    }

    #[test]
    fn seed_001_the_government_id_verdict_comes_from_the_service() {
        use identity_pass_core::flow::verification::GovernmentIdOutcome;
        let (mut s, t) = through_identity(OnboardingPath::GetPasskey);
        assert!(matches!(t.view.screen, Screen::GovernmentId { started: false, .. }));
        assert_eq!(names(&s.send(ShellEvent::Continue)), ["PersistState", "OpenPartnerSession"]);
        let handoff_url = "https://partner.example/sessions/ps_1?token=t0k".to_owned();
        let server_time = s.next();
        let t = s.answer(CallAnswer::PartnerSessionOpened {
            handoff_url: handoff_url.clone(),
            expires_at: server_time + 1_800_000,
            server_time,
        });
        assert_eq!(t.effects, [Effect::PersistState, Effect::StartGovernmentIdCheck { request_id: "req-1".into(), handoff_url }]);
        // Back from the partner's page: the shell has no verdict to give, the service is asked.
        assert_eq!(names(&s.send(ShellEvent::GovernmentIdHandoffEnded)), ["PersistState", "FetchGovernmentIdVerdict"]);
        let t = s.answer(CallAnswer::GovernmentIdVerdict { outcome: None, server_time: s.next() });
        let at = s.now + 5_000;
        assert_eq!(t.effects, [Effect::PersistState, Effect::ScheduleWake { at }]);
        assert_eq!(t.view.body.map(|b| b.code).as_deref(), Some("FLOW_GOV_ID_WAITING_BODY"));
        // The OS wake-up asks again.
        s.now = at - 1_000;
        assert_eq!(names(&s.send(ShellEvent::Tick)), ["PersistState", "FetchGovernmentIdVerdict"]);
        let t = s.answer(CallAnswer::GovernmentIdVerdict { outcome: Some(GovernmentIdOutcome::Verified), server_time: s.next() });
        assert!(matches!(t.view.screen, Screen::AwaitingVerifiedId));
        assert_eq!(names(&t), ["PersistState", "FetchVerifiedId"]);
    }

    #[test]
    fn an_answer_to_a_call_the_flow_did_not_make_changes_nothing() {
        let flow = OnboardingFlow::new(Locale::English, Platform::Android, Distribution::Global);
        let before = flow.snapshot();
        let judged = CallAnswer::LivenessJudged { passed: true, reason: None, server_time: T0 };
        let t = flow.apply(Event::Answered { id: CallId(7), outcome: CallOutcome::Answered(judged) }, T0);
        assert_eq!(t.rejection, Some(Rejection::UnexpectedEvent));
        assert!(t.effects.is_empty());
        assert_eq!(flow.snapshot(), before);
    }

    #[test]
    fn a_damaged_snapshot_is_a_typed_error() {
        assert!(matches!(OnboardingFlow::restore("{".into()), Err(FlowError::Unreadable { .. })));
        assert!(matches!(OnboardingFlow::restore("{\"version\":9,\"flow\":{}}".into()), Err(FlowError::TooNew { found: 9, supported: 1 })));
    }
}
