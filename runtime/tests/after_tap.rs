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
    wait_until(|| phone.view().view.notice.is_some()).await;
    assert_eq!(phone.view().view.notice.map(|n| n.code).as_deref(), Some("SERVICE_VERIFICATION_CODE_INVALID"));
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
    wait_until(|| phone.view().view.notice.is_some()).await;
    assert_eq!(phone.view().view.notice.map(|n| n.code).as_deref(), Some("SERVICE_SECURITY_QUESTIONS_TOO_FEW"));
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
