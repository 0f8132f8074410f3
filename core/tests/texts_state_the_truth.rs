//! Issue 9: texts that did not state the truth, or stated too much.
//!
//! - The TAP screen printed the phone clock's time with a "UTC" label.
//! - A 60-minute TAP still said "within 30 minutes".
//! - A year of birth out of range said "between 1926 and 2010" without the age rule behind it.
//! - Service and partner strings (failure codes, denial messages, rejection and liveness reasons)
//!   were shown verbatim at any length and with any characters.
//!
//! Each scenario drives the public flow as a shell would, in English and in Simplified Chinese.

mod common;

use identity_pass_core::SecretString;
use identity_pass_core::eligibility::{Distribution, Platform};
use identity_pass_core::flow::clock::{HOUR_MS, MINUTE_MS, Timestamp};
use identity_pass_core::flow::credential::{TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::StaffKind;
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::GovernmentIdOutcome;
use identity_pass_core::flow::{CallAnswer, CallFailure, CallOutcome, Event, FailureKind, OnboardingFlow, Screen, Step, Transition};
use identity_pass_core::messages::untrusted::{MAX_CODE_CHARS, MAX_TEXT_CHARS};
use identity_pass_core::messages::{Locale, LocalizedMessage};

/// 2026-11-21T00:00:00Z.
const MIDNIGHT: Timestamp = 1_795_219_200_000;
const LOCALES: [Locale; 2] = [Locale::English, Locale::SimplifiedChinese];

struct Phone {
    flow: OnboardingFlow,
    /// Phone time.
    now: Timestamp,
    /// `server time - phone time`.
    skew: i64,
}

impl Phone {
    fn new(locale: Locale, now: Timestamp, skew: i64) -> Self {
        Phone { flow: OnboardingFlow::new(locale, Platform::Android, Distribution::Global), now, skew }
    }

    /// The service's time of the next event (each event is one phone second after the last).
    fn next_server_time(&self) -> Timestamp {
        self.now + 1_000 + self.skew
    }

    fn try_send(&mut self, event: Event) -> Transition {
        self.now += 1_000;
        let transition = self.flow.handle(event, self.now);
        self.flow.check_invariants().unwrap_or_else(|rule| panic!("invariant broken ({rule}) in {:?}", self.flow.step()));
        transition
    }

    fn send(&mut self, event: Event) {
        let transition = self.try_send(event.clone());
        assert_eq!(transition.rejection, None, "{event:?} rejected in {:?}", self.flow.step());
    }

    fn reply(&mut self, call: &str, outcome: CallOutcome) {
        let id = self
            .flow
            .pending_calls()
            .iter()
            .find(|p| p.call.name() == call)
            .map(|p| p.id)
            .unwrap_or_else(|| panic!("no {call} call pending in {:?}", self.flow.step()));
        self.send(Event::Answered { id, outcome });
    }

    fn answer(&mut self, call: &str, answer: CallAnswer) {
        self.reply(call, CallOutcome::Answered(answer));
    }

    fn notice(&self) -> LocalizedMessage {
        self.flow.view(self.now).notice.expect("a notice")
    }

    fn body(&self) -> LocalizedMessage {
        self.flow.view(self.now).body.expect("a body")
    }
}

/// Device check, permissions, consent, identity: the identity is being submitted.
fn to_identity_submitted(p: &mut Phone) {
    p.send(Event::DeviceChecked { profile: common::phone(Platform::Android) });
    p.send(Event::Continue);
    for permission in Permission::ALL {
        p.send(Event::PermissionReported { permission, status: PermissionStatus::Granted });
    }
    p.send(Event::ConsentAnswered { accepted: true });
    p.send(Event::IdentitySubmitted { form: common::form(StaffKind::Employee) });
}

fn to_path(p: &mut Phone, path: OnboardingPath) {
    to_identity_submitted(p);
    let server_time = p.next_server_time();
    p.answer(
        "CreateRequest",
        CallAnswer::RequestCreated {
            request_id: "req-1".into(),
            path,
            flags: RolloutFlags { liveness_prompt: true, verified_id: false },
            fast_path: false,
            verified_id_issued_at: None,
            server_time,
        },
    );
}

/// The selfie uploaded: the liveness step, not started.
fn to_liveness(p: &mut Phone) {
    to_path(p, OnboardingPath::GetTap);
    p.send(Event::Continue);
    p.send(Event::SelfieCaptured);
    let server_time = p.next_server_time();
    p.answer("UploadSelfie", CallAnswer::SelfieUploaded { server_time });
    assert!(matches!(p.flow.step(), Step::Liveness { .. }), "{:?}", p.flow.step());
}

/// On the liveness step: the service's challenge issued and the camera running.
fn start_liveness(p: &mut Phone) {
    p.send(Event::Continue);
    let server_time = p.next_server_time();
    let challenge = CallAnswer::LivenessChallengeIssued {
        challenge_id: "lc-1".into(),
        expires_at: server_time + 120_000,
        actions: Vec::new(),
        server_time,
    };
    p.answer("RequestLivenessChallenge", challenge);
}

/// The phone's challenge passed and the service judged its frames.
fn liveness_judged(p: &mut Phone, passed: bool, reason: Option<String>) {
    start_liveness(p);
    p.send(Event::LivenessFinished { failure: None });
    let server_time = p.next_server_time();
    p.answer("SubmitLivenessFrames", CallAnswer::LivenessJudged { passed, reason, server_time });
}

/// Liveness passed and the request submitted: waiting for the reviewer.
fn to_waiting_for_reviewer(p: &mut Phone) {
    to_liveness(p);
    liveness_judged(p, true, None);
    let t = p.next_server_time();
    p.answer(
        "SubmitForReview",
        CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t },
    );
}

/// Approved by the reviewer: the TAP is being fetched.
fn to_approved(p: &mut Phone) {
    to_waiting_for_reviewer(p);
    let t = p.next_server_time();
    p.send(Event::ReviewUpdated { status: ReviewStatus::Approved, server_time: t });
}

/// A TAP of `lifetime_minutes`, issued so that it expires at `expires_at` (server time), on a
/// phone whose clock runs `phone_ahead_ms` ahead of the service.
fn tap_screen(locale: Locale, lifetime_minutes: u32, expires_at: Timestamp, phone_ahead_ms: i64) -> Phone {
    let start_at = expires_at - i64::from(lifetime_minutes) * MINUTE_MS;
    // Start the onboarding early enough that the TAP is issued at its start time.
    let mut p = Phone::new(locale, start_at - HOUR_MS + phone_ahead_ms, -phone_ahead_ms);
    to_approved(&mut p);
    // The service answers the TAP call at its start time.
    p.now = start_at + phone_ahead_ms - 1_000;
    let tap = TapGrant {
        id: "tap-1".into(),
        code: SecretString::new("TAP-SECRET-1".into()),
        start_at,
        lifetime_minutes,
        is_usable_once: false,
        usability: TapUsability::EnabledByPolicy,
    };
    let server_time = p.next_server_time();
    assert_eq!(server_time, start_at);
    p.answer("CreateTap", CallAnswer::TapCreated { tap, server_time });
    assert!(matches!(p.flow.view(p.now).screen, Screen::Tap { code: Some(_), .. }), "{:?}", p.flow.step());
    p
}

#[test]
fn the_tap_expiry_is_the_services_time_in_utc_not_the_phones_clock() {
    let expires_at = MIDNIGHT + 12 * HOUR_MS + 30 * MINUTE_MS;
    for locale in LOCALES {
        // The phone's clock is 7 minutes fast: 12:37 on the phone is 12:30 UTC.
        let p = tap_screen(locale, 60, expires_at, 7 * MINUTE_MS);
        let body = p.body();
        assert_eq!(body.code, "FLOW_TAP_BODY");
        assert!(body.text.contains("12:30 UTC"), "{locale:?}: {}", body.text);
        assert!(!body.text.contains("12:37"), "{locale:?}: {}", body.text);
        // The deadline gives both clocks: the instant to show, and the phone's for alarms.
        let deadline = p.flow.view(p.now).deadline.expect("the TAP's deadline");
        assert_eq!((deadline.server_time, deadline.phone_time), (expires_at, expires_at + 7 * MINUTE_MS));
    }
}

#[test]
fn a_phone_running_slow_shows_the_same_utc_expiry() {
    let expires_at = MIDNIGHT + 12 * HOUR_MS + 30 * MINUTE_MS;
    let p = tap_screen(Locale::English, 30, expires_at, -3 * HOUR_MS);
    assert!(p.body().text.contains("expires at 12:30 UTC."), "{}", p.body().text);
}

#[test]
fn an_expiry_on_another_utc_day_carries_its_date() {
    // Issued at 23:00 UTC for two hours: it expires the next day.
    let expires_at = MIDNIGHT + 25 * HOUR_MS;
    let p = tap_screen(Locale::English, 120, expires_at, 0);
    assert!(p.body().text.contains("expires at 2026-11-22 01:00 UTC."), "{}", p.body().text);
}

#[test]
fn the_tap_body_states_the_lifetime_the_service_granted() {
    let expires_at = MIDNIGHT + 12 * HOUR_MS + 30 * MINUTE_MS;
    for (minutes, en, zh) in [(60, "Within 60 minutes,", "请在 60 分钟内"), (30, "Within 30 minutes,", "请在 30 分钟内")] {
        let english = tap_screen(Locale::English, minutes, expires_at, 0).body().text;
        assert!(english.starts_with(en), "{english}");
        let chinese = tap_screen(Locale::SimplifiedChinese, minutes, expires_at, 0).body().text;
        assert!(chinese.starts_with(zh), "{chinese}");
        for text in [&english, &chinese] {
            assert!(!text.contains('{'), "a placeholder left: {text}");
        }
    }
    let english = tap_screen(Locale::English, 60, expires_at, 0).body().text;
    assert!(!english.contains("30 minutes"), "{english}");
}

#[test]
fn a_year_out_of_range_says_the_age_rule_behind_it() {
    for (locale, rule, range) in [
        (Locale::English, "You must be between 16 and 100 years old", "between 1926 and 2010"),
        (Locale::SimplifiedChinese, "您的年龄必须在 16 至 100 周岁之间", "1926 至 2010"),
    ] {
        let mut p = Phone::new(locale, MIDNIGHT + 9 * HOUR_MS, 0);
        to_path(&mut p, OnboardingPath::LegacyDob);
        assert!(matches!(p.flow.step(), Step::DateOfBirth { .. }), "{:?}", p.flow.step());
        for year in [1900, 2020] {
            assert!(p.try_send(Event::DobYearSelected { year }).rejection.is_some(), "{year} accepted");
            let notice = p.notice();
            assert_eq!(notice.code, "FLOW_DOB_YEAR_OUT_OF_RANGE");
            assert!(notice.text.contains(rule) && notice.text.contains(range), "{locale:?}: {}", notice.text);
            assert!(!notice.text.contains('{'), "{}", notice.text);
        }
    }
}

/// A 100 kB service text with a control sequence at its start.
fn flood() -> String {
    // 100 kB: the visible start, then digits to the end.
    format!("Line one\r\nline two\u{1b}[2J\u{202E}reversed {}", "0123456789".repeat(10_000))
}

fn assert_bounded(message: &LocalizedMessage, template_chars: usize) {
    let chars = message.text.chars().count();
    assert!(chars <= template_chars + MAX_TEXT_CHARS, "{} chars: {}", chars, message.text);
    assert!(!message.text.chars().any(|c| c.is_control() || c == '\u{202E}'), "{:?}", message.text);
}

#[test]
fn a_100_kb_denial_message_is_shown_bounded_on_one_line() {
    for locale in LOCALES {
        let mut p = Phone::new(locale, MIDNIGHT + 9 * HOUR_MS, 0);
        to_waiting_for_reviewer(&mut p);
        let t = p.next_server_time();
        p.send(Event::ReviewUpdated {
            status: ReviewStatus::Denied { reason_code: "SOMETHING_NEW".into(), message: flood() },
            server_time: t,
        });
        let view = p.flow.view(p.now);
        assert_eq!(view.screen, Screen::Denied);
        let body = view.body.expect("the denial");
        assert_eq!(body.code, "FLOW_DENIED_OTHER");
        assert_bounded(&body, 120);
        assert!(body.text.contains("Line one line two [2J reversed 0123"), "{}", body.text);
        assert!(body.text.contains('…'), "the cut is visible: {}", body.text);
        // Bounded on arrival too: the saved state does not carry the 100 kB.
        assert!(p.flow.snapshot().len() < 8_000, "snapshot of {} bytes", p.flow.snapshot().len());
    }
}

#[test]
fn a_100_kb_failure_code_is_shown_as_a_short_code() {
    for locale in LOCALES {
        let mut p = Phone::new(locale, MIDNIGHT + 9 * HOUR_MS, 0);
        to_identity_submitted(&mut p);
        p.reply("CreateRequest", CallOutcome::Failed(CallFailure { kind: FailureKind::Refused, code: format!("BAD\n_code-{}", flood()) }));
        let notice = p.notice();
        assert_eq!(notice.code, "FLOW_NOTICE_REQUEST_FAILED");
        assert_bounded(&notice, 120);
        let code: String =
            notice.text.split(['(', '（']).nth(1).expect("the code").chars().take_while(|c| *c != ')' && *c != '）').collect();
        assert!(code.starts_with("BAD_CODELINEONELINETWO2J"), "{code}");
        assert_eq!(code.chars().count(), MAX_CODE_CHARS, "{code}");
        assert!(code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'), "{code}");
    }
}

#[test]
fn a_100_kb_partner_rejection_reason_is_shown_as_a_short_code() {
    for locale in LOCALES {
        let mut p = Phone::new(locale, MIDNIGHT + 9 * HOUR_MS, 0);
        to_path(&mut p, OnboardingPath::GetPasskey);
        p.send(Event::Continue);
        let t = p.next_server_time();
        let handoff_url = "https://partner.example/sessions/ps_1?token=t".to_owned();
        p.answer("OpenPartnerSession", CallAnswer::PartnerSessionOpened { handoff_url, expires_at: t + 30 * MINUTE_MS, server_time: t });
        p.send(Event::GovernmentIdHandoffEnded);
        let t = p.next_server_time();
        let rejected = GovernmentIdOutcome::Rejected { reason: flood() };
        p.answer("FetchGovernmentIdVerdict", CallAnswer::GovernmentIdVerdict { outcome: Some(rejected), server_time: t });
        let notice = p.notice();
        assert_eq!(notice.code, "FLOW_NOTICE_GOV_ID_REJECTED");
        assert_bounded(&notice, 120);
        assert!(notice.text.contains("LINEONELINETWO2JREVERSED0123"), "{}", notice.text);
        assert!(!notice.text.contains(&"X".repeat(MAX_CODE_CHARS + 1)), "{}", notice.text);
    }
}

#[test]
fn a_100_kb_liveness_reason_is_shown_as_a_short_code() {
    for locale in LOCALES {
        let mut p = Phone::new(locale, MIDNIGHT + 9 * HOUR_MS, 0);
        to_liveness(&mut p);
        liveness_judged(&mut p, false, Some(flood()));
        let notice = p.notice();
        assert_eq!(notice.code, "FLOW_NOTICE_LIVENESS_FAILED");
        assert_bounded(&notice, 120);
        assert!(!notice.text.contains(&"X".repeat(MAX_CODE_CHARS + 1)), "{}", notice.text);
    }
}

#[test]
fn known_short_codes_are_shown_as_they_are() {
    let mut p = Phone::new(Locale::English, MIDNIGHT + 9 * HOUR_MS, 0);
    to_liveness(&mut p);
    // The phone's own challenge failed: nothing goes to the service, the reason is shown.
    start_liveness(&mut p);
    p.send(Event::LivenessFinished { failure: Some("TOO_DARK".into()) });
    assert!(p.flow.pending_calls().is_empty(), "a failed check is not uploaded");
    assert!(p.notice().text.contains("(TOO_DARK)"), "{}", p.notice().text);
}

/// A verdict recorded before "move closer" was retired can still carry its reasons; this app
/// has no words of its own for them any more, so they read as the generic notice with the code.
#[test]
fn a_reason_of_the_retired_move_closer_challenge_is_shown_as_its_code() {
    let mut p = Phone::new(Locale::English, MIDNIGHT + 9 * HOUR_MS, 0);
    to_liveness(&mut p);
    liveness_judged(&mut p, false, Some("NOT_SMOOTH".into()));
    let notice = p.notice();
    assert_eq!(notice.code, "FLOW_NOTICE_LIVENESS_FAILED");
    assert!(notice.text.contains("(NOT_SMOOTH)"), "{}", notice.text);
}

#[test]
fn the_services_liveness_reasons_are_said_in_the_users_words() {
    for locale in LOCALES {
        for (reason, code, words) in [
            ("ACTIONS_INCOMPLETE", "LIVENESS_ACTIONS_INCOMPLETE", ["every step", "所有步骤"]),
            ("NO_FACE", "LIVENESS_NO_FACE", ["face couldn't be seen", "未能看到您的脸"]),
            ("ACTION_TIMED_OUT", "LIVENESS_ACTION_TIMED_OUT", ["took too long", "用时过长"]),
        ] {
            let mut p = Phone::new(locale, MIDNIGHT + 9 * HOUR_MS, 0);
            to_liveness(&mut p);
            liveness_judged(&mut p, false, Some(reason.into()));
            let notice = p.notice();
            assert_eq!(notice.code, code);
            let expected = if locale == Locale::English { words[0] } else { words[1] };
            assert!(notice.text.contains(expected), "{reason}: {}", notice.text);
            assert!(!notice.text.contains(reason), "{reason}: the user's words, not the code: {}", notice.text);
        }
    }
}
