//! The README's demo, as `bash scripts/demo.sh` runs it: the built shell in scripted mode goes
//! from the first screen to the TAP with its countdown, against the embedded service, alone.

mod common;

use common::*;
use identity_pass_core::messages::Locale;

fn assert_reaches_the_tap(args: &[&str], locale: Locale, countdown_word: &str) -> String {
    let output = run(args);
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let stderr = String::from_utf8(output.stderr).expect("utf-8 errors");
    assert!(output.status.success(), "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}", output.status.code());
    assert_eq!(titles(&stdout), get_tap_titles(locale), "every screen, in order\n{stdout}");

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
    stdout
}

#[test]
fn scripted_demo_reaches_the_tap_screen_with_its_countdown() {
    let stdout = assert_reaches_the_tap(&[], Locale::English, "expires in");
    assert!(stdout.contains("alice@contoso.example"), "the sample answers are shown as typed");
    assert!(stdout.contains("scripted reviewer: approves the request"), "the reviewer's part is narrated");
    assert!(stdout.contains("in memory, for this scripted demo only"), "the demo store is labelled as such");
}

#[test]
fn scripted_demo_in_chinese_shows_chinese_screens() {
    let stdout = assert_reaches_the_tap(&["--lang", "zh"], Locale::SimplifiedChinese, "后过期");
    assert!(stdout.contains("您的临时访问密码（TAP）"), "the TAP title is the catalog's Chinese");
    assert!(!stdout.contains("Your Temporary Access Pass"), "no English screen text in a Chinese session");
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
/// starts FF D8 FF: `/9j/` in base64, `255, 216, 255` as a printed byte vector, `ffd8ff` in hex).
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
    assert!(!stdout.contains("TRACE"), "logs stay off the screens");
}
