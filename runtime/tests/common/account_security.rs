//! The user's side of securing the account after the TAP: an authenticator app that scans the
//! barcode the core draws (an independent QR decoder, `quircs`) and makes its codes (an
//! independent TOTP implementation, `totp-rs`), and the browser on the service's password page.

use identity_pass_core::SecretString;
use identity_pass_core::flow::account_security::{SecurityAnswer, SecurityTaskKind};
use identity_pass_core::flow::account_security_view::{QrMatrix, SecureAccountView, SecurityTaskView};
use identity_pass_core::flow::view::Screen;
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::{OnboardingRuntime, SessionView};

use super::{Env, wait_screen, wait_until};

/// The barcode as an authenticator app's camera sees it: decoded by `quircs` from a rendered
/// image (4 modules of quiet zone, 4 pixels a module).
pub fn scan(barcode: &QrMatrix) -> String {
    const SCALE: u32 = 4;
    let side = (barcode.size + 8) * SCALE;
    let pixels: Vec<u8> = (0..side * side)
        .map(|i| {
            let (x, y) = (i % side / SCALE, i / side / SCALE);
            let dark = x >= 4 && y >= 4 && barcode.is_dark(x - 4, y - 4);
            if dark { 0 } else { 255 }
        })
        .collect();
    let mut decoder = quircs::Quirc::default();
    let codes = decoder.identify(side as usize, side as usize, &pixels);
    let code = codes.into_iter().next().expect("one barcode").expect("it is found");
    let data = code.decode().expect("it decodes");
    String::from_utf8(data.payload).expect("the payload is text")
}

/// The code a standard TOTP app shows for `otpauth_uri` at `unix_seconds`.
pub fn authenticator_code(otpauth_uri: &str, unix_seconds: u64) -> String {
    let totp = totp_rs::TOTP::from_url(otpauth_uri).expect("a standard otpauth URI");
    totp.generate(unix_seconds)
}

/// The browser on the password page: the form, then its submission.
pub async fn set_password_in_the_browser(url: &str, password: &str) {
    let http = reqwest::Client::new();
    let page = http.get(url).send().await.expect("the page");
    assert!(page.status().is_success());
    let csp = page.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(csp.contains("default-src 'none'") || csp.contains("default-src 'self'"), "a strict CSP: {csp}");
    let html = page.text().await.expect("html");
    assert!(html.contains("<form"), "{html}");
    let ticket = url.split("ticket=").nth(1).expect("a ticket").split('&').next().unwrap_or_default();
    let action = url.split('?').next().unwrap_or_default();
    let answer = http
        .post(action)
        .header("Origin", url.split("/account").next().unwrap_or_default())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("ticket={ticket}&password={}&confirmation={}", form_encode(password), form_encode(password)))
        .send()
        .await
        .expect("the form");
    assert!(answer.status().is_success(), "{}", answer.status());
}

/// `application/x-www-form-urlencoded` for a value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else if b == b' ' {
                "+".into()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The security screen's data.
pub fn secure_view(view: &SessionView) -> &SecureAccountView {
    match &view.view.screen {
        Screen::SecureAccount { view } => view,
        other => panic!("not securing the account: {other:?}"),
    }
}

/// Waits for the security screen on `task`.
pub async fn wait_task(phone: &OnboardingRuntime, task: impl Fn(&SecurityTaskView) -> bool) -> SessionView {
    wait_screen(phone, |s| matches!(s, Screen::SecureAccount { view } if task(&view.task))).await
}

/// The happy path from the TAP screen: sign in, the mobile app, four questions, the password,
/// finished. Returns the activation's otpauth URI (as the user's app holds it).
pub async fn secure_the_account(env: &Env, phone: &OnboardingRuntime, answers: [&str; 4], password: &str) -> String {
    phone.send(ShellEvent::Continue);
    wait_screen(phone, |s| matches!(s, Screen::SecureAccount { .. })).await;
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::AuthenticatorApp });
    let shown = wait_task(phone, |t| matches!(t, SecurityTaskView::AuthenticatorApp { barcode: Some(_), .. })).await;
    let SecurityTaskView::AuthenticatorApp { barcode: Some(barcode), .. } = &secure_view(&shown).task else { unreachable!() };
    let uri = scan(barcode);
    let now = u64::try_from(identity_pass_service::Clock::now(&*env.clock)).expect("after 1970");
    phone.send(ShellEvent::VerificationCodeEntered { code: SecretString::new(authenticator_code(&uri, now)) });
    wait_screen(phone, |s| matches!(s, Screen::SecureAccount { view } if !view.methods.is_empty())).await;
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::SecurityQuestions });
    let shown = wait_task(phone, |t| matches!(t, SecurityTaskView::SecurityQuestions { .. })).await;
    let SecurityTaskView::SecurityQuestions { questions, .. } = &secure_view(&shown).task else { unreachable!() };
    let answers = questions
        .iter()
        .zip(answers)
        .map(|(q, answer)| SecurityAnswer { question_id: q.id.clone(), answer: SecretString::new(answer.to_owned()) })
        .collect();
    phone.send(ShellEvent::SecurityAnswersEntered { answers });
    wait_screen(phone, |s| {
        matches!(s, Screen::SecureAccount { view } if view.options.iter().any(|o| o.task == SecurityTaskKind::SecurityQuestions && o.done))
    })
    .await;
    phone.send(ShellEvent::SecurityTaskChosen { task: SecurityTaskKind::Password });
    wait_until(|| env.shell.saw(|e| matches!(e, Effect::OpenPasswordPage { .. }))).await;
    let url = password_page(env).expect("the page");
    set_password_in_the_browser(&url, password).await;
    phone.send(ShellEvent::AppResumed);
    wait_screen(phone, |s| matches!(s, Screen::SecureAccount { view } if view.complete)).await;
    phone.send(ShellEvent::Continue);
    wait_screen(phone, |s| matches!(s, Screen::Done { .. })).await;
    uri
}

/// The last password page the phone was asked to open.
pub fn password_page(env: &Env) -> Option<String> {
    env.shell.effects.lock().expect("effects").iter().rev().find_map(|e| match e {
        Effect::OpenPasswordPage { url } => Some(url.expose_secret().to_owned()),
        _ => None,
    })
}

/// The development providers' outbox: what the user's phone received (texts) or is ringing
/// with (calls), newest last, as `(id, kind, to, text, status)`.
pub async fn dev_outbox(env: &Env) -> Vec<(String, String, String, String, String)> {
    let url = format!("{}/v1/dev/outbox", env.base_url.trim_end_matches('/'));
    let body: serde_json::Value = env.http.get(url).send().await.expect("outbox").json().await.expect("json");
    let field = |m: &serde_json::Value, k: &str| m[k].as_str().unwrap_or_default().to_owned();
    body["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| (field(m, "id"), field(m, "kind"), field(m, "to"), field(m, "text"), field(m, "status")))
        .collect()
}

/// The six-digit code in the last text to `to`.
pub async fn texted_code(env: &Env, to: &str) -> String {
    let texts = dev_outbox(env).await;
    let (_, _, _, text, _) = texts.iter().rev().find(|(_, kind, number, _, _)| kind == "sms" && number == to).expect("a text");
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a six-digit code").to_owned()
}

/// The user answers the call ringing at `to` and types `digits` on its keypad.
pub async fn answer_call(env: &Env, to: &str, digits: &str) -> reqwest::StatusCode {
    let calls = dev_outbox(env).await;
    let (id, ..) = calls.iter().rev().find(|(_, kind, number, _, _)| kind == "voice_call" && number.starts_with(to)).expect("a call");
    let url = format!("{}/v1/dev/calls/{id}/keypad", env.base_url.trim_end_matches('/'));
    env.http
        .post(url)
        .header("Idempotency-Key", format!("keypad-{id}-{digits}"))
        .json(&serde_json::json!({ "digits": digits }))
        .send()
        .await
        .expect("keypad")
        .status()
}

/// Waits until the screen explains itself with `code` (the notice of the last event).
pub async fn expect_notice(phone: &OnboardingRuntime, code: &str) {
    let deadline = tokio::time::Instant::now() + super::WAIT;
    loop {
        let notice = phone.view().view.notice.map(|n| n.code);
        if notice.as_deref() == Some(code) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "expected the notice {code}, the screen says {notice:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
