//! A test driver acting as the shell: it sends events at an advancing phone clock, and after
//! every event checks the invariants and that the state survives serialize → deserialize.

#![allow(dead_code)]

use identity_pass_core::eligibility::{DeviceProfile, Distribution, Platform, RequiredApp};
use identity_pass_core::flow::clock::{Timestamp, MINUTE_MS};
use identity_pass_core::flow::credential::{TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::{Effect, Event, OnboardingFlow, Transition};
use identity_pass_core::messages::Locale;
use identity_pass_core::SecretString;

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
    let mut expected = flow.view(now);
    if let identity_pass_core::flow::Screen::Tap { code, .. } = &mut expected.screen {
        *code = None;
    }
    let mut actual = restored.view(now);
    if let (identity_pass_core::flow::Screen::Tap { .. }, Some(body)) = (&actual.screen, &mut actual.body) {
        // After a restart the TAP body says "shown once" instead of repeating the code.
        body.code = expected.body.as_ref().map(|b| b.code.clone()).unwrap_or_default();
        body.text = expected.body.as_ref().map(|b| b.text.clone()).unwrap_or_default();
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

pub fn accept_identity(d: &mut Driver, path: OnboardingPath, flags: RolloutFlags, vid: Option<Timestamp>) -> Vec<Effect> {
    let server_time = d.server_time();
    d.send(Event::IdentityAccepted {
        request_id: "req-1".into(),
        path,
        flags,
        verified_id_issued_at: vid,
        server_time,
    })
}
