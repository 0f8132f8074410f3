//! `--interactive`: a person types the answers on stdin and a real reviewer acts through the
//! reviewer console's API, signing in with the account and password the shell prints. This test is both:
//! it answers each prompt as it appears and presses the console's buttons over HTTP. After the
//! TAP it is also the person's phone, which scans the barcode drawn in the terminal (decoded by
//! an independent QR decoder, its code made by an independent TOTP implementation, as any
//! authenticator app would), and their browser on the password page.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use common::*;
use identity_pass_core::messages::{Locale, flow as msg};

/// A generous guard so a broken shell fails the test instead of hanging it.
const GUARD: Duration = Duration::from_secs(120);

/// The shell's process, killed if the test fails before it exits: a shell left waiting in the
/// call would go on sending its camera to it, a core's worth of work, after the test is gone.
struct Shell(Child);

impl Drop for Shell {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

struct Session {
    stdin: ChildStdin,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Session {
    /// Reads lines until one satisfies `matches`; returns it.
    fn until(&mut self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        loop {
            match self.lines.recv_timeout(GUARD) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if matches(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("never saw {what}; output so far:\n{}", self.seen.join("\n")),
            }
        }
    }

    fn answer(&mut self, prompt: &str, text: &str) {
        self.until(prompt, |line| line.contains("· ?") && line.contains(prompt));
        writeln!(self.stdin, "{text}").expect("stdin");
    }
}

/// The reviewer's side: the console's buttons are these API calls.
struct Console {
    address: String,
    token: String,
}

impl Console {
    /// Signs in at `address` as a script does (`POST /v1/review/tokens`).
    fn sign_in(address: &str, upn: &str, password: &str) -> Self {
        let body = serde_json::json!({ "upn": upn, "password": password }).to_string();
        let (status, answer) = exchange(address, "/v1/review/tokens", None, &body);
        assert_eq!(status, 200, "reviewer sign-in: {answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
        Self { address: address.to_owned(), token: answer["token"].as_str().expect("a bearer token").to_owned() }
    }

    /// A button press: (status, body).
    fn try_act(&self, request_id: &str, action: &str, body: &str) -> (u16, String) {
        exchange(&self.address, &format!("/v1/review/requests/{request_id}/{action}"), Some(&self.token), body)
    }

    fn act(&self, request_id: &str, action: &str, body: &str) {
        let (status, answer) = self.try_act(request_id, action, body);
        assert!((200..300).contains(&status), "reviewer {action}: HTTP {status} {answer}");
    }
}

/// One POST over a raw connection: (status, body).
fn exchange(address: &str, path: &str, bearer: Option<&str>, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("service reachable");
    let authorization = bearer.map(|token| format!("Authorization: Bearer {token}\r\n")).unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\n{authorization}Idempotency-Key: test-{}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        path.replace('/', "-"),
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("answer");
    let status = response.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
    (status, body)
}

/// The person's browser on a page of the service: (status, body) of one request.
fn browse(address: &str, method: &str, path: &str, form: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("service reachable");
    let body = form.unwrap_or_default();
    let content =
        form.map(|f| format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n", f.len())).unwrap_or_default();
    let request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\n{content}Connection: close\r\n\r\n{body}");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("answer");
    let status = response.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    (status, response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default())
}

/// The phone's camera on the terminal: the half-block lines back to modules (two rows a line),
/// rendered with a quiet zone and decoded by `quircs`; the payload.
fn scan(lines: &[&str]) -> String {
    const SCALE: usize = 4;
    // The printed quiet zone and indent are dropped; the decoder gets a fresh quiet zone.
    let left = lines.iter().filter_map(|l| l.find(['█', '▀', '▄'])).min().expect("a barcode");
    let rows: Vec<Vec<bool>> = lines
        .iter()
        .flat_map(|line| {
            let cells: Vec<char> = line[left..].chars().collect();
            let top = cells.iter().map(|c| matches!(c, '█' | '▀')).collect::<Vec<_>>();
            let bottom = cells.iter().map(|c| matches!(c, '█' | '▄')).collect::<Vec<_>>();
            [top, bottom]
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let side = (width.max(rows.len()) + 8) * SCALE;
    let pixels: Vec<u8> = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) / SCALE, (i / side) / SCALE);
            let dark = x >= 4 && y >= 4 && rows.get(y - 4).and_then(|row| row.get(x - 4)).copied().unwrap_or(false);
            if dark { 0 } else { 255 }
        })
        .collect();
    let mut decoder = quircs::Quirc::default();
    let code = decoder.identify(side, side, &pixels).next().expect("one barcode").expect("it is found");
    String::from_utf8(code.decode().expect("it decodes").payload).expect("the payload is text")
}

/// "reviewer: open http://127.0.0.1:PORT/console in a browser, sign in as U with password P, and act on request R"
fn parse_console_line(line: &str) -> (Console, String) {
    let after = |marker: &str| line.split(marker).nth(1).and_then(|rest| rest.split([' ', ',']).next()).map(str::to_owned);
    let url = after("open ").expect("console URL");
    let upn = after("sign in as ").expect("account");
    let password = after("with password ").expect("password");
    let request_id = after("act on request ").expect("request id");
    let address = url.trim_start_matches("http://").trim_end_matches("/console").to_owned();
    (Console::sign_in(&address, &upn, &password), request_id)
}

#[test]
fn a_person_answers_on_stdin_and_a_reviewer_approves_in_the_console() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/face_selfie_640x480.jpg");
    let mut child = Shell(
        shell()
            .args(["--interactive", "--selfie", fixture])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the shell starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut session = Session { stdin: child.0.stdin.take().expect("stdin"), lines, seen: Vec::new() };

    // Frank: external staff on "Get TAP" with the liveness prompt (seeded directory).
    session.answer("\"Allow\"", "");
    session.answer("(y/n)", "y");
    // A mistake first: the core explains it under the form, which is asked again, prefilled.
    session.answer("Work email", "frank at contoso");
    session.answer("Employee ID", "X2002");
    session.answer("Personal email", "");
    session.answer("Staff", "external");
    session.until("the field error", |line| line.starts_with("  ! "));
    session.answer("Work email [frank at contoso]", "v-frank@contoso.example");
    session.answer("Employee ID [X2002]", "");
    session.answer("Personal email", "");
    session.answer("Staff", "external");
    session.answer("\"Take selfie\"", "");
    session.answer("\"Start liveness check\"", "");

    let console_line = session.until("the reviewer console's address", |line| line.contains("reviewer: open "));
    let (console, request_id) = parse_console_line(&console_line);
    console.act(&request_id, "call", "{}");
    session.answer("\"Join the call\"", "");
    session.until("the call being joined", |line| line.contains("joining video call"));
    // The shell's camera (the photograph's simulated person) goes to the call: the service
    // sees the media and records the join itself, so the reviewer's button is refused.
    session.until("the media connected", |line| line.contains("in the call with the reviewer: your camera goes to them"));
    let (status, body) = console.try_act(&request_id, "join", "{}");
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("CALL_MEASURED_BY_SERVICE"), "{body}");
    // The rule is 15 s in the call, on the service's clock; the shell shows the time as it passes.
    session.until("the call timer past 15 s", |line| {
        line.trim()
            .strip_prefix("in the call: ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|s| s.parse::<u32>().ok())
            .is_some_and(|seconds| seconds >= 16)
    });
    // The user leaves (the service sees the media stop) and the reviewer approves on the
    // service's measure of the call.
    writeln!(session.stdin).expect("leave the call");
    session.until("the decision screen", |line| line.contains("Waiting for the reviewer's decision"));
    console.act(&request_id, "decision", r#"{"decision":"approve"}"#);

    let tap_line = session.until("the TAP", |line| line.starts_with("  TAP  "));
    session.until("the hint", |line| line.contains("press Enter for \"Secure your account\", or type q to quit"));
    writeln!(session.stdin).expect("secure the account");

    // The mobile app: the person's phone scans the barcode and shows the current code.
    session.answer("\"Mobile app\"", "");
    session.until("the barcode", |line| line.contains("█"));
    let code_prompt = "Code shown by the authenticator app";
    session.until("the code prompt", |line| line.contains("· ?") && line.contains(code_prompt));
    let printed = session.seen.join("\n");
    let barcode = barcode_lines(&printed);
    let uri = scan(&barcode);
    assert!(uri.starts_with("otpauth://totp/") && uri.contains("secret="), "a standard TOTP link");
    let totp = totp_rs::TOTP::from_url(&uri).expect("any TOTP app can use it");
    writeln!(session.stdin, "{}", totp.generate_current().expect("the clock")).expect("the code");

    // The questions: picked by number. The same one twice is refused, explained, asked again.
    session.answer("\"Answer security questions\"", "");
    for (number, answer) in [("1", "Lakeside"), ("1", "Lakeside"), ("2", "Jordan"), ("3", "Biscuit")] {
        session.answer("of 4: its number", number);
        session.answer("Answer to", answer);
    }
    session.until("the refusal", |line| line.starts_with("  ! "));
    for (number, answer) in [("1", "Lakeside"), ("2", "Jordan"), ("3", "Biscuit"), ("10", "Ada")] {
        session.answer("of 4: its number", number);
        session.answer("Answer to", answer);
    }

    // The password: the person's browser on the page whose one-use link is printed.
    session.answer("\"Set your password\"", "");
    let link = session.until("the password page", |line| line.contains("password: open "));
    let url = link.split("open ").nth(1).and_then(|rest| rest.split(' ').next()).expect("the page's link").to_owned();
    let (address, path) = url.trim_start_matches("http://").split_once('/').expect("an address and a path");
    let (status, page) = browse(address, "GET", &format!("/{path}"), None);
    assert!(status == 200 && page.contains("<form"), "the page: {status}");
    let ticket = url.split("ticket=").nth(1).expect("a ticket");
    let form = format!("ticket={ticket}&password=correct+horse+battery+staple+7&confirmation=correct+horse+battery+staple+7");
    let (status, _) = browse(address, "POST", "/account/password", Some(&form));
    assert_eq!(status, 200, "the page takes the password");
    session.answer("password is set", "");
    session.answer("\"Finish\"", "");
    let status = child.0.wait().expect("exits");
    while let Ok(line) = session.lines.recv_timeout(Duration::from_secs(5)) {
        session.seen.push(line);
    }
    let output = session.seen.join("\n");
    assert!(status.success(), "exit {:?}\n{output}", status.code());
    assert_eq!(titles(&output), get_tap_and_secure_titles(Locale::English), "every screen, in order\n{output}");
    assert!(tap_line.trim_start_matches("  TAP  ").len() >= 8, "{tap_line}");
    assert!(!output.contains("✎"), "nothing is typed for the user in interactive mode");
    assert!(checked(&output, msg::TASK_APP, Locale::English), "the service registered the app\n{output}");
    assert!(checked(&output, msg::TASK_QUESTIONS_DONE, Locale::English), "and the questions\n{output}");
    assert!(!output.contains("secret="), "the barcode is the secret's only form on screen");
    assert!(output.contains("done: the onboarding finished"), "{output}");
}
