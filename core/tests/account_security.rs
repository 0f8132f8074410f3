//! After the TAP (issue 13): the flow follows the service's word on the account and never
//! marks anything done itself; what the user types is never saved; refusals explain and keep
//! the task; the one-time TAP's 10 minutes and the sign-in's end are enforced on the service's
//! clock.

mod common;

use common::*;
use identity_pass_core::SecretString;
use identity_pass_core::eligibility::Platform;
use identity_pass_core::flow::account_security::{
    AccountSecurity, AppActivation, OnwardLink, PhoneVerification, PhoneVerificationStatus, SecurityAnswer, SecurityMethodKind,
    SecurityTask, SecurityTaskKind,
};
use identity_pass_core::flow::account_security_view::{QrMatrix, SecurityTaskView};
use identity_pass_core::flow::clock::MINUTE_MS;
use identity_pass_core::flow::credential::TapExpiryReason;
use identity_pass_core::flow::{CallAnswer, CallFailure, Effect, Event, Rejection, Screen, ServiceCall, Step, VOICE_POLL_MS};
use identity_pass_core::testing::{fresh_account_security, with_authenticator_app};

const TOTP_URI: &str = "otpauth://totp/Identity%20Pass:alias%40contoso.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Identity%20Pass";

/// Approved, the TAP shown, signed in with it: the checklist, as the service reported it.
fn signed_in(once: bool) -> (Driver, AccountSecurity) {
    let mut d = Driver::new(Platform::Android);
    to_tap(&mut d, false);
    let effects = d.send(Event::Continue);
    let [Effect::PersistState, Effect::Call { call: ServiceCall::SignInWithTap { code: Some(code), .. }, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(code.expose_secret(), "TAP-SECRET-42", "the TAP this process holds");
    let mut account = fresh_account_security(d.server_time());
    if once {
        account.registration_deadline = Some(account.signed_in_at + 10 * MINUTE_MS);
    }
    d.answer(CallAnswer::SecurityInfo { account: account.clone(), server_time: d.server_time() });
    (d, account)
}

fn task(d: &Driver) -> SecurityTask {
    match d.flow.step() {
        Step::SecureAccount { task, .. } => task.clone(),
        other => panic!("not securing the account: {other:?}"),
    }
}

fn activation() -> AppActivation {
    AppActivation {
        activation_id: "act-1".into(),
        activation_code: "918273645".into(),
        activation_url: "https://pass.example/mfa/activate".into(),
        otpauth_uri: Some(SecretString::new(TOTP_URI.into())),
        expires_at: i64::MAX / 2,
    }
}

#[test]
fn nothing_the_shell_sends_marks_the_account_secured() {
    let (mut d, _) = signed_in(false);
    // Every shell action on the checklist: none finishes, none marks a task done.
    for event in [
        Event::Continue,
        Event::AppResumed,
        Event::SecurityTaskChosen { task: SecurityTaskKind::Checklist },
        Event::OnwardLinkOpened { link: OnwardLink::Authenticator },
    ] {
        let _ = d.try_send(event);
        let Screen::SecureAccount { view } = d.flow.view(d.now).screen else { panic!("left the checklist") };
        assert!(view.options.iter().all(|o| !o.done) && !view.complete);
    }
    // Only the service's "complete" finishes.
    let mut account = with_authenticator_app(fresh_account_security(d.server_time()), d.server_time());
    account.password_set = true;
    account.security_questions_set = true;
    account.complete = true;
    if d.flow.pending_calls().iter().all(|p| !matches!(p.call, ServiceCall::FetchSecurityInfo { .. })) {
        d.send(Event::Continue);
    }
    d.answer(CallAnswer::SecurityInfo { account, server_time: d.server_time() });
    assert_eq!(d.flow.view(d.now).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_FINISH"));
    d.send(Event::Continue);
    assert!(matches!(d.flow.step(), Step::Done { .. }));
}

#[test]
fn the_barcode_encodes_the_activation_and_never_reaches_the_snapshot() {
    let (mut d, _) = signed_in(false);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    d.answer(CallAnswer::AuthenticatorAppActivation { activation: activation(), server_time: d.server_time() });
    let Screen::SecureAccount { view } = d.flow.view(d.now).screen else { panic!() };
    let SecurityTaskView::AuthenticatorApp { activation_code, barcode: Some(barcode), .. } = view.task else { panic!("{:?}", view.task) };
    assert_eq!(activation_code.as_deref(), Some("918273645"));
    assert_eq!(Some(barcode.clone()), QrMatrix::encode(TOTP_URI));
    // A QR code's size is 17 + 4 × version, with its three finder patterns in the corners.
    assert_eq!((barcode.size - 17) % 4, 0);
    for (x, y) in [(0, 0), (barcode.size - 7, 0), (0, barcode.size - 7)] {
        assert!(barcode.is_dark(x, y) && barcode.is_dark(x + 6, y + 6) && !barcode.is_dark(x + 1, y + 1) && barcode.is_dark(x + 3, y + 3));
    }
    assert!(!format!("{barcode:?}").contains("true"), "its Debug hides the modules");
    // "Add to the app on this phone": the otpauth link, handed to the platform.
    assert_eq!(d.send(Event::Continue), [Effect::OpenOtpauthLink { uri: SecretString::new(TOTP_URI.into()) }]);
    let snapshot = d.flow.snapshot();
    assert!(!snapshot.contains("JBSWY3DP") && !snapshot.contains("otpauth"), "the TOTP secret is never saved");
    // After a restart the secret is gone: the screen asks for a new activation.
    d.restart();
    assert_eq!(d.flow.view(d.now).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_RETRY"));
    let effects = d.send(Event::Continue);
    assert!(calls(&effects).iter().any(|(_, c)| matches!(c, ServiceCall::StartAuthenticatorApp { .. })), "{effects:?}");
}

#[test]
fn a_refused_code_keeps_the_task_and_the_next_code_is_a_new_call() {
    let (mut d, _) = signed_in(false);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    d.answer(CallAnswer::AuthenticatorAppActivation { activation: activation(), server_time: d.server_time() });
    let first = calls(&d.send(Event::VerificationCodeEntered { code: SecretString::new("000000".into()) }));
    d.fail("VerifyAuthenticatorApp", CallFailure::refused("VERIFICATION_CODE_INVALID"));
    assert!(matches!(task(&d), SecurityTask::AuthenticatorApp { activation: Some(_) }), "still on the app");
    let notice = d.flow.view(d.now).notice.expect("the refusal is explained");
    assert_eq!(notice.code, "SERVICE_VERIFICATION_CODE_INVALID");
    // "Try again" does not resend a refused code: the user types the next one.
    let second = calls(&d.send(Event::VerificationCodeEntered { code: SecretString::new("287082".into()) }));
    assert_ne!(first[0].0, second[0].0, "a new call, with a new idempotency key");
    // Too many: the activation is dead; back to the checklist to start again.
    d.fail("VerifyAuthenticatorApp", CallFailure::refused("VERIFICATION_ATTEMPTS_EXCEEDED"));
    assert_eq!(task(&d), SecurityTask::Checklist);
}

#[test]
fn what_the_user_typed_is_never_saved_and_is_asked_again_after_a_restart() {
    let (mut d, _) = signed_in(false);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::SecurityQuestions });
    let answers =
        (1..=4).map(|i| SecurityAnswer { question_id: format!("q{i}"), answer: SecretString::new(format!("SECRET-ANSWER-{i}")) }).collect();
    d.send(Event::SecurityAnswersEntered { answers });
    assert!(!d.flow.snapshot().contains("SECRET-ANSWER"));
    // Killed before the answer came: the answers are gone, and the user is told to type them again.
    d.restart();
    assert_eq!(d.flow.view(d.now).notice.map(|n| n.code).as_deref(), Some("FLOW_NOTICE_TYPE_AGAIN"));
    assert_eq!(task(&d), SecurityTask::SecurityQuestions);
    assert!(d.flow.pending_calls().iter().all(|p| !p.call.carries_typed_secret()));
    // The same for a PIN.
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::Pin });
    d.send(Event::PinEntered { pin: SecretString::new("4826".into()), confirmation: SecretString::new("4826".into()) });
    d.restart();
    assert_eq!(d.flow.view(d.now).notice.map(|n| n.code).as_deref(), Some("FLOW_NOTICE_TYPE_AGAIN"));
}

#[test]
fn a_one_time_tap_ends_when_its_ten_minutes_pass_without_a_method() {
    let (mut d, _) = signed_in(true);
    let view = d.flow.view(d.now);
    assert_eq!(view.deadline.map(|x| x.kind), Some(identity_pass_core::flow::view::DeadlineKind::OneTimeRegistration));
    d.wait_minutes(10);
    d.send(Event::Tick);
    assert_eq!(d.flow.step(), &Step::TapExpired { reason: TapExpiryReason::RegistrationWindow });
}

#[test]
fn a_registered_method_stops_the_ten_minute_clock() {
    let (mut d, account) = signed_in(true);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    d.answer(CallAnswer::AuthenticatorAppActivation { activation: activation(), server_time: d.server_time() });
    d.send(Event::VerificationCodeEntered { code: SecretString::new("287082".into()) });
    d.answer(CallAnswer::SecurityInfo {
        account: with_authenticator_app(account.clone(), account.signed_in_at),
        server_time: d.server_time(),
    });
    d.wait_minutes(11);
    d.send(Event::Tick);
    assert!(matches!(d.flow.step(), Step::SecureAccount { .. }), "a method was registered in time");
    assert_eq!(d.flow.view(d.now).deadline.map(|x| x.kind), Some(identity_pass_core::flow::view::DeadlineKind::TapExpiry));
}

#[test]
fn the_service_ending_the_sign_in_ends_the_step() {
    let (mut d, _) = signed_in(true);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::Pin });
    d.send(Event::PinEntered { pin: SecretString::new("4826".into()), confirmation: SecretString::new("4826".into()) });
    d.fail("SetPin", CallFailure::refused("REGISTRATION_WINDOW_CLOSED"));
    assert_eq!(d.flow.step(), &Step::TapExpired { reason: TapExpiryReason::RegistrationWindow });
}

#[test]
fn a_voice_call_needs_a_pin_first_and_its_result_is_asked_for_until_it_comes() {
    let (mut d, account) = signed_in(false);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::VoiceCall });
    assert_eq!(task(&d), SecurityTask::Pin, "the call asks for the PIN, so the PIN comes first");
    assert_eq!(d.flow.view(d.now).notice.map(|n| n.code).as_deref(), Some("FLOW_NOTICE_PIN_FOR_VOICE"));
    d.send(Event::PinEntered { pin: SecretString::new("4826".into()), confirmation: SecretString::new("4826".into()) });
    let mut with_pin = account.clone();
    with_pin.pin_set = true;
    d.answer(CallAnswer::SecurityInfo { account: with_pin.clone(), server_time: d.server_time() });
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::VoiceCall });
    d.send(Event::PhoneNumberEntered { phone_number: "+1 425 555 0100".into(), extension: Some("12".into()), backup_phone_number: None });
    let pending = PhoneVerification {
        verification_id: "pv-1".into(),
        delivery: SecurityMethodKind::VoiceCall,
        phone_number: "+14255550100".into(),
        status: PhoneVerificationStatus::Pending,
        expires_at: d.server_time() + 5 * MINUTE_MS,
        resend_available_at: d.server_time() + 30_000,
        attempts_left: 3,
    };
    let effects = d.answer(CallAnswer::PhoneVerification { verification: pending.clone(), server_time: d.server_time() });
    assert!(effects.iter().any(|e| matches!(e, Effect::ScheduleWake { .. })), "{effects:?}");
    // Not before its time…
    assert!(calls(&d.send(Event::Tick)).is_empty());
    d.wait(VOICE_POLL_MS);
    let asked = calls(&d.send(Event::Tick));
    assert!(matches!(&asked[..], [(_, ServiceCall::FetchPhoneVerification { .. })]), "{asked:?}");
    // The call was answered with the right PIN: the service registered the number.
    let verified = PhoneVerification { status: PhoneVerificationStatus::Verified, ..pending };
    let effects = d.answer(CallAnswer::PhoneVerification { verification: verified, server_time: d.server_time() });
    assert!(calls(&effects).iter().any(|(_, c)| matches!(c, ServiceCall::FetchSecurityInfo { .. })));
    assert_eq!(task(&d), SecurityTask::Checklist);
}

#[test]
fn a_method_the_admin_does_not_offer_cannot_be_chosen() {
    let (mut d, mut account) = signed_in(false);
    account.policy.methods = vec![SecurityMethodKind::AuthenticatorApp];
    d.send(Event::Continue);
    d.answer(CallAnswer::SecurityInfo { account, server_time: d.server_time() });
    let t = d.try_send(Event::SecurityTaskChosen { task: SecurityTaskKind::TextMessage });
    assert_eq!(t.rejection, Some(Rejection::UnexpectedEvent));
    let Screen::SecureAccount { view } = d.flow.view(d.now).screen else { panic!() };
    assert!(view.options.iter().all(|o| o.task != SecurityTaskKind::TextMessage), "not offered on screen either");
}

#[test]
fn every_text_on_the_security_screens_exists_in_both_languages() {
    use identity_pass_core::messages::Locale;
    let (mut d, _) = signed_in(false);
    let tasks = [
        SecurityTaskKind::Checklist,
        SecurityTaskKind::Pin,
        SecurityTaskKind::SecurityQuestions,
        SecurityTaskKind::TextMessage,
        SecurityTaskKind::VoiceCall,
    ];
    for kind in tasks {
        let _ = d.try_send(Event::SecurityTaskChosen { task: kind });
        for locale in [Locale::English, Locale::SimplifiedChinese] {
            d.flow.set_locale(locale);
            let view = d.flow.view(d.now);
            let texts = std::iter::once(&view.title).chain(view.body.iter()).chain(view.primary_action.iter());
            for text in texts {
                assert!(!text.text.is_empty() && !text.text.contains('{'), "{kind:?} {locale:?}: {text:?}");
            }
            if let Screen::SecureAccount { view } = view.screen {
                for label in view.options.iter().map(|o| &o.label).chain(view.links.iter().map(|l| &l.label)) {
                    assert!(!label.text.is_empty(), "{label:?}");
                }
                if let SecurityTaskView::SecurityQuestions { questions, .. } = view.task {
                    let chinese = questions.iter().all(|q| q.text.contains('问'));
                    assert_eq!(chinese, locale == Locale::SimplifiedChinese, "questions in the user's language");
                }
            }
        }
        d.flow.set_locale(Locale::English);
        let _ = d.try_send(Event::SecurityTaskChosen { task: SecurityTaskKind::Checklist });
    }
}

#[test]
fn onward_links_suit_the_platform() {
    let (mut d, _) = signed_in(false);
    let effects = d.send(Event::OnwardLinkOpened { link: OnwardLink::CompanyPortal });
    assert_eq!(effects, [Effect::OpenUrl { url: "market://details?id=com.microsoft.windowsintune.companyportal".into() }]);
    assert!(OnwardLink::Authenticator.url(Platform::Ios).starts_with("https://apps.apple.com/"));
}

#[test]
fn a_lost_activation_is_asked_for_again_as_a_new_call() {
    // The service never sends an activation's secret twice: its replay has none, which the
    // runtime reports as unreadable. "Try again" must not resend the same call (same key).
    let (mut d, _) = signed_in(false);
    let first = calls(&d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp }));
    d.fail("StartAuthenticatorApp", CallFailure::no_answer(identity_pass_core::flow::ANSWER_UNREADABLE));
    assert_eq!(d.flow.view(d.now).primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_RETRY"));
    let again = calls(&d.send(Event::Continue));
    assert!(matches!(&again[..], [(_, ServiceCall::StartAuthenticatorApp { .. })]), "{again:?}");
    assert_ne!(first[0].0, again[0].0, "a new call, so a new idempotency key");
}

#[test]
fn the_services_limits_are_not_retried_as_the_same_call() {
    // 429 is "not now" on the wire, but a dead activation stays dead: back to the checklist.
    let (mut d, _) = signed_in(false);
    d.send(Event::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    d.answer(CallAnswer::AuthenticatorAppActivation { activation: activation(), server_time: d.server_time() });
    d.send(Event::VerificationCodeEntered { code: SecretString::new("000000".into()) });
    d.fail("VerifyAuthenticatorApp", CallFailure::no_answer("VERIFICATION_ATTEMPTS_EXCEEDED"));
    assert_eq!(task(&d), SecurityTask::Checklist);
    let view = d.flow.view(d.now);
    assert_eq!(view.notice.map(|n| n.code).as_deref(), Some("SERVICE_VERIFICATION_ATTEMPTS_EXCEEDED"));
    assert_ne!(view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_RETRY"), "no resend of the dead attempt");
}
