//! Prints the screens as they pass: each new screen as a block (title, body, field errors,
//! notice, the TAP, the security checklist, the activation barcode, the main button), chrome
//! lines, and one status line for what takes time (a spinner while waiting, camera guidance, the
//! call timer, the TAP countdown).
//!
//! On a terminal the status line is redrawn in place; when stdout is a pipe or a file (CI, the
//! tests) it is printed as ordinary lines, throttled so a long wait stays readable.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use identity_pass_core::eligibility::Platform;
use identity_pass_core::flow::account_security_view::{QrMatrix, SecureAccountView, SecurityTaskView};
use identity_pass_core::flow::view::{Screen, ViewState};
use identity_pass_core::messages::LocalizedMessage;

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// What identifies a printed screen: a new title, body or set of details (field errors, the
/// checklist's state) is a new block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ScreenKey {
    title: String,
    body: Option<String>,
    details: Vec<String>,
    action: Option<String>,
}

/// What of the security screen is printed besides its title and body: a change (a task done, the
/// barcode arriving) prints the screen again.
fn secure_account_details(view: &SecureAccountView) -> Vec<String> {
    let mut details: Vec<String> = view.options.iter().map(|o| format!("{}={}", o.label.code, o.done)).collect();
    details.push(format!("complete={}", view.complete));
    if let SecurityTaskView::AuthenticatorApp { barcode, .. } = &view.task {
        details.push(format!("barcode={}", barcode.is_some()));
    }
    details
}

/// The barcode as text: each line holds two rows of modules in Unicode half blocks (upper half,
/// lower half, both, or none dark), with the standard quiet zone of 4 light modules around it.
/// A dark module is a printed block, so the code reads right on a light background; on a
/// terminal `Renderer` forces black on white so it also scans on a dark theme.
pub fn barcode_lines(barcode: &QrMatrix) -> Vec<String> {
    const QUIET: u32 = 4;
    let side = barcode.size + 2 * QUIET;
    // Inside the quiet zone, in module coordinates.
    let dark = |x: u32, y: u32| x >= QUIET && y >= QUIET && barcode.is_dark(x - QUIET, y - QUIET);
    (0..side.div_ceil(2))
        .map(|line| {
            (0..side)
                .map(|x| match (dark(x, 2 * line), dark(x, 2 * line + 1)) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })
                .collect()
        })
        .collect()
}

/// The terminal.
pub struct Renderer {
    out: std::io::Stdout,
    terminal: bool,
    last_screen: Option<ScreenKey>,
    last_notice: Option<LocalizedMessage>,
    status: Option<StatusLine>,
    spinner: usize,
}

struct StatusLine {
    kind: &'static str,
    printed_at: Instant,
    text: String,
    /// `text` has been written out (always, on a terminal).
    shown: bool,
}

impl Renderer {
    /// A renderer on stdout.
    pub fn new() -> Self {
        let out = std::io::stdout();
        let terminal = out.is_terminal();
        Self { out, terminal, last_screen: None, last_notice: None, status: None, spinner: 0 }
    }

    fn write(&mut self, text: &str) {
        self.clear_status();
        let mut out = self.out.lock();
        // A closed pipe (`| head`) is not worth a panic; the shell simply stops being read.
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    /// A line of chrome, indented under the current screen.
    pub fn info(&mut self, text: &str) {
        self.write(&format!("  · {text}"));
    }

    /// A line of chrome at the left margin (start-up, summary).
    pub fn plain(&mut self, text: &str) {
        self.write(text);
    }

    /// Prints `view` if it differs from the last printed screen; a changed notice is printed
    /// on its own under the same screen.
    pub fn screen(&mut self, view: &ViewState) {
        let key = ScreenKey {
            title: view.title.code.clone(),
            body: view.body.as_ref().map(|b| b.text.clone()),
            details: match &view.screen {
                Screen::IdentityEntry { field_errors, .. } => field_errors.iter().map(|e| e.message.code.clone()).collect(),
                Screen::SecureAccount { view } => secure_account_details(view),
                _ => Vec::new(),
            },
            action: view.primary_action.as_ref().map(|a| a.code.clone()),
        };
        let new_screen =
            self.last_screen.as_ref().is_none_or(|last| last.title != key.title || last.body != key.body || last.details != key.details);
        let new_action = self.last_screen.as_ref().is_some_and(|last| last.action != key.action);
        // A screen whose body arrives after its title (the activation being made) goes on under
        // the title already printed.
        let continued = self.last_screen.as_ref().is_some_and(|last| last.title == key.title && last.body.is_none());
        if new_screen {
            if !continued {
                self.write("");
                self.write(&format!("━━ {} ━━", view.title.text));
            }
            if let Some(body) = &view.body {
                self.write(&format!("  {}", body.text));
            }
            self.screen_details(&view.screen);
            self.last_notice = None;
        }
        if view.notice != self.last_notice {
            if let Some(notice) = &view.notice {
                self.write(&format!("  ! {}", notice.text));
            }
            self.last_notice = view.notice.clone();
        }
        if (new_screen || new_action)
            && let Some(action) = &view.primary_action
        {
            self.write(&format!("  [ {} ]", action.text));
        }
        self.last_screen = Some(key);
    }

    fn screen_details(&mut self, screen: &Screen) {
        match screen {
            Screen::Ineligible { reasons } => {
                for reason in reasons {
                    self.write(&format!("  - {}", reason.text));
                }
            }
            Screen::IdentityEntry { field_errors, .. } => {
                for error in field_errors {
                    self.write(&format!("  ! {}", error.message.text));
                }
            }
            Screen::Tap { code: Some(code), .. } => {
                // The one place the TAP leaves its `SecretString`: the user's own terminal.
                self.write(&format!("  TAP  {}", code.expose_secret()));
            }
            Screen::SecureAccount { view } => self.secure_account(view),
            _ => {}
        }
    }

    /// The security screen: the checklist as the service reports it, the task's own part.
    fn secure_account(&mut self, view: &SecureAccountView) {
        match &view.task {
            SecurityTaskView::Checklist => {
                for option in &view.options {
                    self.write(&format!("  {} {}", if option.done { '✓' } else { '○' }, option.label.text));
                }
                // Where to go next, once the account is secured (the desktop's links are web pages).
                if view.complete {
                    for link in &view.links {
                        self.write(&format!("  → {}: {}", link.label.text, link.link.url(Platform::Desktop)));
                    }
                }
            }
            // The only form of the secret on screen, as on a phone: scanned, never read out.
            SecurityTaskView::AuthenticatorApp { barcode: Some(barcode), .. } => {
                // Black on white on a terminal, whatever its theme; plain text in a pipe or file.
                let (start, end) = if self.terminal { ("\x1b[30;107m", "\x1b[0m") } else { ("", "") };
                for line in barcode_lines(barcode) {
                    self.write(&format!("  {start}{line}{end}"));
                }
            }
            SecurityTaskView::SecurityQuestions { questions, .. } => {
                for (number, question) in questions.iter().enumerate() {
                    self.write(&format!("  {:>2}. {}", number + 1, question.text));
                }
            }
            _ => {}
        }
    }

    /// Shows a spinner with `text` while the view has been busy for `seconds`. Off a
    /// terminal, short waits print nothing and long ones a line every 10 s.
    pub fn busy(&mut self, seconds: u64, text: &str) {
        if !self.terminal && seconds < 2 {
            return;
        }
        self.spinner = (self.spinner + 1) % SPINNER.len();
        let line = format!("{} {text}", SPINNER[self.spinner]);
        self.status("busy", &line, Duration::from_secs(10));
    }

    /// Sets the status line. On a terminal it is redrawn in place; otherwise it is printed when
    /// its kind changes or `every` has passed since it was last printed.
    pub fn status(&mut self, kind: &'static str, text: &str, every: Duration) {
        if self.terminal {
            let mut out = self.out.lock();
            let _ = write!(out, "\r\x1b[2K  {text}");
            let _ = out.flush();
            self.status = Some(StatusLine { kind, printed_at: Instant::now(), text: text.to_owned(), shown: true });
            return;
        }
        let due = match &self.status {
            Some(last) => last.kind != kind || (last.printed_at.elapsed() >= every && last.text != text),
            None => true,
        };
        if due {
            let mut out = self.out.lock();
            let _ = writeln!(out, "  {text}");
            let _ = out.flush();
            self.status = Some(StatusLine { kind, printed_at: Instant::now(), text: text.to_owned(), shown: true });
        } else if let Some(last) = self.status.as_mut().filter(|last| last.text != text) {
            last.text = text.to_owned();
            last.shown = false;
        }
    }

    /// Ends the status line, leaving its last state visible (the next one starts afresh).
    /// Off a terminal the final state is printed unless it was, except for the spinner.
    pub fn clear_status(&mut self) {
        let Some(status) = self.status.take() else { return };
        let mut out = self.out.lock();
        if self.terminal && status.kind == "busy" {
            // A finished wait leaves no trace; the next screen says what happened.
            let _ = write!(out, "\r\x1b[2K");
        } else if self.terminal {
            let _ = writeln!(out, "\r\x1b[2K  {}", status.text);
        } else if !status.shown && status.kind != "busy" {
            let _ = writeln!(out, "  {}", status.text);
        }
        let _ = out.flush();
    }
}

/// `mm:ss`, or `h:mm:ss` from an hour up; never negative.
pub fn countdown(remaining_ms: i64) -> String {
    let seconds = remaining_ms.max(0) / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if hours > 0 { format!("{hours}:{minutes:02}:{seconds:02}") } else { format!("{minutes:02}:{seconds:02}") }
}

#[cfg(test)]
mod tests {
    use super::{barcode_lines, countdown};
    use identity_pass_core::flow::account_security_view::QrMatrix;

    #[test]
    fn the_barcode_has_two_module_rows_a_line_and_a_quiet_zone() {
        let barcode = QrMatrix::encode("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").expect("it fits");
        let lines = barcode_lines(&barcode);
        let side = barcode.size as usize + 8;
        assert_eq!(lines.len(), side.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == side));
        assert!(lines[..2].iter().all(|l| l.trim().is_empty()), "4 light rows on top");
        // The finder pattern: 7 dark modules in row 0 (upper halves of line 2), then its sides.
        assert_eq!(lines[2].chars().skip(4).take(7).collect::<String>(), "█▀▀▀▀▀█");
        // Every module comes back from the halves.
        for y in 0..barcode.size {
            for x in 0..barcode.size {
                let c = lines[(y as usize + 4) / 2].chars().nth(x as usize + 4).unwrap_or(' ');
                let dark = if (y + 4) % 2 == 0 { matches!(c, '█' | '▀') } else { matches!(c, '█' | '▄') };
                assert_eq!(dark, barcode.is_dark(x, y), "module ({x}, {y})");
            }
        }
    }

    #[test]
    fn countdown_is_minutes_and_seconds_and_stops_at_zero() {
        assert_eq!(countdown(30 * 60 * 1000), "30:00");
        assert_eq!(countdown(29 * 60 * 1000 + 59_999), "29:59");
        assert_eq!(countdown(61_000), "01:01");
        assert_eq!(countdown(3_600_000 + 5_000), "1:00:05");
        assert_eq!(countdown(-5), "00:00");
    }
}
