//! After the TAP (issue 13, seeds 000, 003 and 004), driven through the runtime against the real
//! service: the user signs in with the TAP in the app, registers the mobile app by scanning the
//! barcode the core draws (decoded here by an independent QR decoder, its codes made by an
//! independent TOTP implementation, as any authenticator app would), answers four security
//! questions, sets the password on the service's page (this test is the browser), and finishes
//! only when the service says the account is secured.

mod common;

use common::account_security::*;
use common::*;
use identity_pass_core::SecretString;
use identity_pass_core::flow::account_security::{SecurityAnswer, SecurityTaskKind};
use identity_pass_core::flow::account_security_view::SecurityTaskView;
use identity_pass_core::flow::view::Screen;
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::{OnboardingRuntime, StatusMode};

async fn signed_in(env: &Env) -> (OnboardingRuntime, String) {
    let phone = env.phone(StatusMode::LongPoll { wait_seconds: 3 });
    let (phone, request_id, _code) = walk_get_tap(env, phone, |p| p).await;
    assert_eq!(
        phone.view().view.primary_action.map(|a| a.code).as_deref(),
        Some("FLOW_ACTION_SECURE_ACCOUNT"),
        "the TAP screen offers to secure the account"
    );
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::SecureAccount { .. })).await;
    (phone, request_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_the_tap_to_a_secured_account_with_the_service_deciding_each_step() {
    let env = Env::start().await;
    let (phone, _request_id) = signed_in(&env).await;
    let checklist = phone.view();
    assert!(secure_view(&checklist).options.iter().all(|o| !o.done), "nothing is done until the service says so");

    // The mobile app: the barcode, scanned by an authenticator app.
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    let shown = wait_screen(
        &phone,
        |s| matches!(s, Screen::SecureAccount { view } if matches!(view.task, SecurityTaskView::AuthenticatorApp { barcode: Some(_), .. })),
    )
    .await;
    let SecurityTaskView::AuthenticatorApp { barcode: Some(barcode), activation_code: Some(activation_code), .. } =
        &secure_view(&shown).task
    else {
        unreachable!()
    };
    let uri = scan(barcode);
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    assert!(!activation_code.is_empty());
    let now = u64::try_from(identity_pass_service::Clock::now(&*env.clock)).expect("after 1970");
    let code = authenticator_code(&uri, now);
    phone.send(ShellEvent::VerificationCodeEntered { code: SecretString::new(code.clone()) });
    wait_screen(&phone, |s| matches!(s, Screen::SecureAccount { view } if !view.methods.is_empty())).await;

    // The same code again is refused (a code seen over a shoulder): the service says why.
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    wait_screen(
        &phone,
        |s| matches!(s, Screen::SecureAccount { view } if matches!(view.task, SecurityTaskView::AuthenticatorApp { barcode: Some(_), .. })),
    )
    .await;
    phone.send(ShellEvent::VerificationCodeEntered { code: SecretString::new("000000".into()) });
    expect_notice(&phone, "SERVICE_VERIFICATION_CODE_INVALID").await;
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::Checklist });

    // Four security questions, from the admin's list.
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::SecurityQuestions });
    let questions = wait_screen(
        &phone,
        |s| matches!(s, Screen::SecureAccount { view } if matches!(view.task, SecurityTaskView::SecurityQuestions { .. })),
    )
    .await;
    let SecurityTaskView::SecurityQuestions { questions, count } = &secure_view(&questions).task else { unreachable!() };
    assert_eq!(*count, 4);
    let answers = questions
        .iter()
        .take(3)
        .map(|q| SecurityAnswer { question_id: q.id.clone(), answer: SecretString::new(format!("Answer to {}", q.id)) })
        .collect();
    // Three are too few: refused, explained, nothing lost.
    phone.send(ShellEvent::SecurityAnswersEntered { answers });
    expect_notice(&phone, "SERVICE_SECURITY_QUESTIONS_TOO_FEW").await;
    let answers = questions
        .iter()
        .take(4)
        .map(|q| SecurityAnswer { question_id: q.id.clone(), answer: SecretString::new(format!("  Answer to {}  ", q.id)) })
        .collect();
    phone.send(ShellEvent::SecurityAnswersEntered { answers });
    wait_screen(&phone, |s| {
        matches!(s, Screen::SecureAccount { view } if view.options.iter().any(|o| o.task == SecurityTaskKind::SecurityQuestions && o.done))
    })
    .await;

    // The password: the service's page, in the browser (this test).
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::Password });
    wait_until(|| env.shell.saw(|e| matches!(e, Effect::OpenPasswordPage { .. }))).await;
    let url = password_page(&env).expect("the page");
    set_password_in_the_browser(&url, "correct horse battery staple 42").await;
    phone.send(ShellEvent::AppResumed);
    let done = wait_screen(&phone, |s| matches!(s, Screen::SecureAccount { view } if view.complete)).await;
    assert_eq!(done.view.primary_action.map(|a| a.code).as_deref(), Some("FLOW_ACTION_FINISH"));
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Done { .. })).await;
    phone.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_message_a_voice_call_with_the_pin_and_later_changes() {
    let env = Env::start().await;
    let (phone, _request_id) = signed_in(&env).await;

    // Text message: a number without its country code is refused, and the form stays.
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::TextMessage });
    wait_task(&phone, |t| matches!(t, SecurityTaskView::PhoneNumber { .. })).await;
    phone.send(ShellEvent::PhoneNumberEntered { phone_number: "425 555 0100".into(), extension: None, backup_phone_number: None });
    expect_notice(&phone, "SERVICE_PHONE_NUMBER_INVALID").await;
    assert!(matches!(secure_view(&phone.view()).task, SecurityTaskView::PhoneNumber { .. }), "nothing lost: still on the number");
    phone.send(ShellEvent::PhoneNumberEntered { phone_number: "+1 (425) 555-0100".into(), extension: None, backup_phone_number: None });
    let asked = wait_task(&phone, |t| matches!(t, SecurityTaskView::PhoneCode { .. })).await;
    let SecurityTaskView::PhoneCode { phone_number, attempts_left, .. } = &secure_view(&asked).task else { unreachable!() };
    assert_eq!(phone_number, "+14255550100", "normalised to E.164 by the service");
    let code = texted_code(&env, "+14255550100").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    phone.send(ShellEvent::VerificationCodeEntered { code: SecretString::new(wrong.into()) });
    expect_notice(&phone, "SERVICE_VERIFICATION_CODE_INVALID").await;
    assert!(*attempts_left > 1);
    phone.send(ShellEvent::VerificationCodeEntered { code: SecretString::new(code) });
    let texted = wait_screen(&phone, |s| matches!(s, Screen::SecureAccount { view } if !view.methods.is_empty())).await;
    let sms_id = secure_view(&texted).methods[0].id.clone();
    assert_eq!(secure_view(&texted).methods[0].phone_number.as_deref(), Some("+14255550100"));

    // The last method cannot be removed: the service refuses, and explains.
    phone.send(ShellEvent::SecurityMethodRemoved { method_id: sms_id.clone() });
    expect_notice(&phone, "SERVICE_LAST_METHOD").await;

    // A voice call asks for the PIN: the PIN comes first, and the policy is the service's.
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::VoiceCall });
    wait_task(&phone, |t| matches!(t, SecurityTaskView::Pin { .. })).await;
    expect_notice(&phone, "FLOW_NOTICE_PIN_FOR_VOICE").await;
    phone.send(ShellEvent::PinEntered { pin: SecretString::new("1234".into()), confirmation: SecretString::new("1234".into()) });
    expect_notice(&phone, "SERVICE_PIN_SEQUENTIAL_DIGITS").await;
    phone.send(ShellEvent::PinEntered { pin: SecretString::new("4826".into()), confirmation: SecretString::new("4826".into()) });
    wait_screen(
        &phone,
        |s| matches!(s, Screen::SecureAccount { view } if view.options.iter().any(|o| o.task == SecurityTaskKind::Pin && o.done)),
    )
    .await;
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::VoiceCall });
    wait_task(&phone, |t| matches!(t, SecurityTaskView::PhoneNumber { .. })).await;
    phone.send(ShellEvent::PhoneNumberEntered {
        phone_number: "+44 20 7946 0958".into(),
        extension: Some("12".into()),
        backup_phone_number: None,
    });
    wait_task(&phone, |t| matches!(t, SecurityTaskView::PhoneCode { .. })).await;
    // The user answers, types the PIN and #; back in the app, "Check again" asks the service.
    assert!(answer_call(&env, "+442079460958", "4826#").await.is_success());
    phone.send(ShellEvent::Continue);
    let both = wait_screen(&phone, |s| matches!(s, Screen::SecureAccount { view } if view.methods.len() == 2)).await;
    assert!(secure_view(&both).methods.iter().any(|m| m.phone_number.as_deref() == Some("+442079460958")));

    // Later changes: the first number goes; the call's number stays.
    phone.send(ShellEvent::SecurityMethodRemoved { method_id: sms_id });
    let left = wait_screen(&phone, |s| matches!(s, Screen::SecureAccount { view } if view.methods.len() == 1)).await;
    assert_eq!(secure_view(&left).methods[0].phone_number.as_deref(), Some("+442079460958"));
    phone.shutdown();
}
