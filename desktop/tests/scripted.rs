//! The README's demo, as `bash scripts/demo.sh` runs it: the built shell in scripted mode goes
//! from the first screen to the TAP with its countdown, then signs in with it and secures the
//! account (the mobile app through the stand-in authenticator app, four security questions, the
//! password on the service's page through the stand-in browser), against the embedded service,
//! alone.

mod common;

use common::*;
use identity_pass_core::messages::{Locale, flow as msg};

/// script.rs's secrets: the sample answers and password, never on screen or in a log.
const SAMPLE_SECRETS: [&str; 5] = ["Lakeside Primary", "Jordan", "Biscuit", "Seattle", "correct horse battery staple"];

fn assert_secures_the_account(args: &[&str], locale: Locale, countdown_word: &str) -> String {
    let output = run(args);
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let stderr = String::from_utf8(output.stderr).expect("utf-8 errors");
    assert!(output.status.success(), "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}", output.status.code());
    assert_eq!(titles(&stdout), get_tap_and_secure_titles(locale), "every screen, in order\n{stdout}");

    let tap = printed_tap(&stdout).expect("the TAP is printed on its screen");
    assert!(tap.len() >= 8 && tap.chars().all(|c| c.is_ascii_alphanumeric()), "a TAP of the policy's form: {tap:?}");
    assert!(!stderr.contains(&tap), "the TAP is never logged");
    // The countdown runs from the service's 30-minute lifetime, and ticks.
    let ticks = countdowns(&stdout);
    assert!(ticks.len() >= 2, "the countdown is shown ticking\n{stdout}");
    assert!(ticks.iter().all(|&s| (28 * 60..=30 * 60).contains(&s)), "{ticks:?}");
    assert!(ticks.windows(2).all(|w| w[1] <= w[0]), "it counts down: {ticks:?}");
    assert!(ticks.first() > ticks.last(), "it moves: {ticks:?}");
    assert!(stdout.contains(countdown_word), "the countdown's words are in the session language");

    // After the TAP: the barcode is drawn (a version-4+ code is 33 modules or more: 17+ lines of
    // half blocks), and the service, not the shell, says what is registered.
    let barcode = barcode_lines(&stdout);
    assert!(barcode.len() >= 17, "the activation barcode is drawn: {} lines\n{stdout}", barcode.len());
    let after_barcode = stdout.split(barcode[barcode.len() - 1]).nth(1).unwrap_or_default();
    assert!(checked(after_barcode, msg::TASK_APP, locale), "the mobile app is registered after its code\n{stdout}");
    assert!(checked(&stdout, msg::TASK_QUESTIONS_DONE, locale), "the questions are answered\n{stdout}");
    assert!(checked(&stdout, msg::TASK_PASSWORD_DONE, locale), "the password is set\n{stdout}");
    let typed_answers = stdout
        .lines()
        .filter(|l| l.starts_with("  · ✎ ") && l.ends_with(if locale == Locale::English { "(not shown)" } else { "（不显示）" }));
    assert_eq!(typed_answers.count(), 4, "four questions answered, their answers not shown\n{stdout}");
    for secret in SAMPLE_SECRETS {
        assert!(!stdout.contains(secret) && !stderr.contains(secret), "{secret:?} is shown or logged");
    }
    assert!(!stdout.contains("secret=") && !stderr.contains("secret="), "the otpauth secret is only in the barcode");
    assert!(!stdout.contains("ticket=") && !stderr.contains("ticket="), "the password page's ticket is the stand-in browser's only");
    stdout
}

#[test]
fn scripted_demo_shows_the_tap_with_its_countdown_then_secures_the_account() {
    let stdout = assert_secures_the_account(&[], Locale::English, "expires in");
    assert!(stdout.contains("alice@contoso.example"), "the sample answers are shown as typed");
    assert!(stdout.contains("scripted reviewer: approves the request"), "the reviewer's part is narrated");
    // The shell joined the call's media (the runtime reported the join once it connected) and
    // the service measured the call from it: the reviewer recorded nothing by hand.
    assert!(stdout.contains("in the call with the reviewer: your camera goes to them, and a 440 Hz tone"), "{stdout}");
    assert!(!stdout.contains("records that you"), "{stdout}");
    assert!(stdout.contains("in memory, for this scripted demo only"), "the demo store is labelled as such");
    assert!(stdout.contains("stand-in authenticator app: added Identity Pass (alice@contoso.example)"), "{stdout}");
    assert!(stdout.contains("stand-in browser: the page took the password"), "{stdout}");
    assert!(stdout.contains("done: the onboarding finished"), "the summary says the onboarding finished\n{stdout}");
}

#[test]
fn scripted_demo_in_chinese_shows_chinese_screens() {
    let stdout = assert_secures_the_account(&["--lang", "zh"], Locale::SimplifiedChinese, "后过期");
    assert!(stdout.contains("您的临时访问密码（TAP）"), "the TAP title is the catalog's Chinese");
    assert!(!stdout.contains("Your Temporary Access Pass"), "no English screen text in a Chinese session");
    assert!(!stdout.contains("Secure your account") && !stdout.contains("Security questions"), "nor after the TAP");
    assert!(stdout.contains("模拟身份验证器应用") && stdout.contains("模拟浏览器"), "the stand-ins speak Chinese\n{stdout}");
    assert!(stdout.contains("完成入职流程"), "the summary says the onboarding finished\n{stdout}");
}

/// `--passkey-path`: dave@ walks "Get Passkey": the script fills the reference partner's page
/// (the partner, not the app, tells the service), the Verified ID is issued, liveness, the
/// review, and a passkey from the software authenticator.
#[test]
fn scripted_passkey_path_fills_the_partners_page_and_registers_a_passkey() {
    let output = run(&["--passkey-path"]);
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let stderr = String::from_utf8(output.stderr).expect("utf-8 errors");
    assert!(output.status.success(), "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}", output.status.code());
    assert!(stdout.contains("dave@contoso.example"), "the passkey sample is typed");
    let page =
        stdout.lines().find(|l| l.contains("ID check page http://127.0.0.1:")).unwrap_or_else(|| panic!("no partner page\n{stdout}"));
    assert!(page.contains("/sessions/ps_") && page.contains("token="), "the page is the partner's hand-off: {page}");
    assert!(stdout.contains("the partner's page says \"verified\""), "{stdout}");
    let titles = titles(&stdout);
    let position = |title: &str| titles.iter().position(|t| t == title).unwrap_or_else(|| panic!("no {title:?} in {titles:?}"));
    assert!(position("Verify your government ID") < position("Add your Verified ID to Authenticator"));
    assert!(position("Add your Verified ID to Authenticator") < position("Liveness check"));
    assert!(position("Liveness check") < position("Register your passkey"));
    assert!(position("Register your passkey") < position("You're all set"));
    assert!(stdout.contains("done: the onboarding finished"), "{stdout}");
}

/// `RUST_LOG` reaches the runtime's and the embedded service's logs (on stderr, beside the
/// screens on stdout), and at the most verbose level no secret is in them: not the TAP shown on
/// screen, which appears on stdout only on the TAP screen's own line; no credential (a JWS or
/// JWT, whose header always starts `eyJ`), no `Authorization` value, and no picture (a JPEG
/// starts FF D8 FF: `/9j/` in base64, `255, 216, 255` as a printed byte vector, `ffd8ff` in hex);
/// after the TAP, no otpauth secret (`secret=`: the barcode is its only form on screen), no
/// password page ticket, and none of the sample answers or the password.
/// The device secret and the Verified ID themselves are searched for by value in the runtime's
/// `tests/secrets.rs`, which can read the phone's store; this shell's store is in its memory.
#[test]
fn rust_log_shows_the_runtimes_work_and_never_the_tap() {
    let output = shell().env("RUST_LOG", "trace").stdin(std::process::Stdio::null()).output().expect("the shell runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit {:?}\nstderr tail:\n{}", output.status.code(), &stderr[stderr.len().saturating_sub(2000)..]);
    assert!(stderr.contains("CreateTap") && stderr.contains("sending"), "the runtime's calls are logged");
    assert!(stderr.contains("route=\"/v1/requests/{id}/tap\""), "the embedded service's requests are logged");
    assert!(stderr.contains("TRACE"), "at the most verbose level");
    let tap = printed_tap(&stdout).expect("the TAP is printed on its screen");
    assert!(!stderr.contains(&tap), "the TAP is never logged, even at trace level");
    let showing: Vec<&str> = stdout.lines().filter(|line| line.contains(&tap)).collect();
    assert!(showing.iter().all(|line| line.starts_with("  TAP  ")), "the TAP only on its screen: {showing:?}");
    for leak in ["eyJ", "Bearer", "authorization: ", "/9j/", "255, 216, 255", "ffd8ff", "FFD8FF"] {
        assert!(!stderr.contains(leak), "{leak:?} in the log: a credential or a picture");
    }
    assert!(stderr.contains("SetSecurityAnswers") && stderr.contains("VerifyAuthenticatorApp"), "the securing is logged too");
    for leak in ["secret=", "otpauth://", "ticket="].iter().chain(SAMPLE_SECRETS.iter()) {
        assert!(!stderr.contains(leak) && !stdout.contains(leak), "{leak:?} on the screen or in the log");
    }
    assert!(!stdout.contains("TRACE"), "logs stay off the screens");
}
