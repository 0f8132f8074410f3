//! Prints the screens as they pass: each new screen as a block (title, body, field errors,
//! notice, the TAP, the main button), chrome lines, and one status line for what takes time
//! (a spinner while waiting, camera guidance, the call timer, the TAP countdown).
//!
//! On a terminal the status line is redrawn in place; when stdout is a pipe or a file (CI, the
//! tests) it is printed as ordinary lines, throttled so a long wait stays readable.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use identity_pass_core::flow::view::{Screen, ViewState};
use identity_pass_core::messages::LocalizedMessage;

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// What identifies a printed screen: a new title, body or set of field errors is a new block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ScreenKey {
    title: String,
    body: Option<String>,
    field_errors: Vec<String>,
    action: Option<String>,
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
            field_errors: match &view.screen {
                Screen::IdentityEntry { field_errors, .. } => field_errors.iter().map(|e| e.message.code.clone()).collect(),
                _ => Vec::new(),
            },
            action: view.primary_action.as_ref().map(|a| a.code.clone()),
        };
        let new_screen = self
            .last_screen
            .as_ref()
            .is_none_or(|last| last.title != key.title || last.body != key.body || last.field_errors != key.field_errors);
        let new_action = self.last_screen.as_ref().is_some_and(|last| last.action != key.action);
        if new_screen {
            self.write("");
            self.write(&format!("━━ {} ━━", view.title.text));
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
    use super::countdown;

    #[test]
    fn countdown_is_minutes_and_seconds_and_stops_at_zero() {
        assert_eq!(countdown(30 * 60 * 1000), "30:00");
        assert_eq!(countdown(29 * 60 * 1000 + 59_999), "29:59");
        assert_eq!(countdown(61_000), "01:01");
        assert_eq!(countdown(3_600_000 + 5_000), "1:00:05");
        assert_eq!(countdown(-5), "00:00");
    }
}
