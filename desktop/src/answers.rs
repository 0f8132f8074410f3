//! Who answers the screens: the script (printing what it "types" and "presses", so the output
//! reads like a session) or the person at the keyboard.

use identity_pass_core::SecretString;
use identity_pass_core::flow::account_security::SecurityAnswer;
use identity_pass_core::flow::account_security_view::SecurityQuestionView;
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_core::messages::LocalizedMessage;

use crate::chrome::Chrome;
use crate::input::{InputClosed, Keyboard};
use crate::render::Renderer;
use crate::script;

/// Whose sample answers the script gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// alice@, "Get TAP".
    Tap,
    /// dave@, "Get Passkey".
    Passkey,
}

/// The source of answers.
pub enum Answers {
    /// Sample answers.
    Scripted(Sample),
    /// The keyboard.
    Interactive(Keyboard),
}

impl Answers {
    /// Whether a person answers.
    pub fn is_interactive(&self) -> bool {
        matches!(self, Answers::Interactive(_))
    }

    /// Whether the script walks the "Get Passkey" path (with the software authenticator).
    pub fn is_scripted_passkey(&self) -> bool {
        matches!(self, Answers::Scripted(Sample::Passkey))
    }

    /// The keyboard, in interactive mode.
    pub fn keyboard(&self) -> Option<&Keyboard> {
        match self {
            Answers::Interactive(keyboard) => Some(keyboard),
            Answers::Scripted(_) => None,
        }
    }

    fn ask(keyboard: &Keyboard, render: &mut Renderer, label: &str) -> Result<String, InputClosed> {
        render.info(&format!("? {label}"));
        keyboard.line()
    }

    /// The main button: true to press it, false to quit.
    pub fn press(&self, render: &mut Renderer, chrome: Chrome, action: &LocalizedMessage) -> Result<bool, InputClosed> {
        match self {
            Answers::Scripted(_) => {
                render.info(&chrome.pressed(&action.text));
                Ok(true)
            }
            Answers::Interactive(keyboard) => {
                let answer = Self::ask(keyboard, render, &chrome.press_prompt(&action.text))?;
                Ok(!answer.eq_ignore_ascii_case("q"))
            }
        }
    }

    /// The consent question.
    pub fn consent(&self, render: &mut Renderer, chrome: Chrome) -> Result<bool, InputClosed> {
        match self {
            Answers::Scripted(_) => {
                render.info(&chrome.typed(&chrome.label_consent(), "y"));
                Ok(true)
            }
            Answers::Interactive(keyboard) => {
                let answer = Self::ask(keyboard, render, &chrome.label_consent())?;
                Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes" | "是"))
            }
        }
    }

    /// The identity form; `previous` is what was typed before (shown as the default).
    pub fn identity(&self, render: &mut Renderer, chrome: Chrome, previous: Option<&IdentityForm>) -> Result<IdentityForm, InputClosed> {
        match self {
            Answers::Scripted(sample) => {
                let form = match sample {
                    Sample::Tap => script::sample_identity(),
                    Sample::Passkey => script::passkey_sample_identity(),
                };
                render.info(&chrome.typed(&chrome.label_upn(), &form.upn));
                render.info(&chrome.typed(&chrome.label_employee_id(), &form.employee_id));
                render.info(&chrome.typed(&chrome.label_staff_kind(), form.staff_kind.wire_name()));
                Ok(form)
            }
            Answers::Interactive(keyboard) => {
                let with_default = |label: String, value: Option<&str>| match value {
                    Some(v) if !v.is_empty() => format!("{label} [{v}]"),
                    _ => label,
                };
                let keep = |typed: String, before: Option<&str>| match (typed.is_empty(), before) {
                    (true, Some(before)) => before.to_owned(),
                    _ => typed,
                };
                let upn_before = previous.map(|f| f.upn.as_str());
                let upn = keep(Self::ask(keyboard, render, &with_default(chrome.label_upn(), upn_before))?, upn_before);
                let id_before = previous.map(|f| f.employee_id.as_str());
                let employee_id = keep(Self::ask(keyboard, render, &with_default(chrome.label_employee_id(), id_before))?, id_before);
                let personal_before = previous.and_then(|f| f.personal_email.as_deref());
                let personal =
                    keep(Self::ask(keyboard, render, &with_default(chrome.label_personal_email(), personal_before))?, personal_before);
                let kind = Self::ask(keyboard, render, &with_default(chrome.label_staff_kind(), Some("employee")))?;
                let staff_kind = if kind.eq_ignore_ascii_case("external") { StaffKind::External } else { StaffKind::Employee };
                // The core validates every field and explains each problem under it.
                let personal_email = (!personal.is_empty()).then_some(personal);
                Ok(IdentityForm { upn, employee_id, personal_email, staff_kind })
            }
        }
    }

    /// The date of birth (legacy path), as year, month, day.
    pub fn date_of_birth(&self, render: &mut Renderer, chrome: Chrome, years: (i32, i32)) -> Result<(i32, u32, u32), InputClosed> {
        match self {
            Answers::Scripted(_) => {
                let (y, m, d) = script::SAMPLE_DATE_OF_BIRTH;
                render.info(&chrome.typed(&chrome.label_year(years.0, years.1), &y.to_string()));
                render.info(&chrome.typed(&chrome.label_month(), &m.to_string()));
                render.info(&chrome.typed(&chrome.label_day(31), &d.to_string()));
                Ok((y, m, d))
            }
            Answers::Interactive(keyboard) => {
                // Unparsable numbers become 0, which the core's picker refuses with its notice.
                let year = Self::ask(keyboard, render, &chrome.label_year(years.0, years.1))?.parse().unwrap_or(0);
                let month = Self::ask(keyboard, render, &chrome.label_month())?.parse().unwrap_or(0);
                let day = Self::ask(keyboard, render, &chrome.label_day(31))?.parse().unwrap_or(0);
                Ok((year, month, day))
            }
        }
    }

    /// The security questions: `count` picked from `questions` and answered. The answers are
    /// secrets (the service keeps only their hashes): the transcript never shows them.
    pub fn security_answers(
        &self,
        render: &mut Renderer,
        chrome: Chrome,
        count: u32,
        questions: &[SecurityQuestionView],
    ) -> Result<Vec<SecurityAnswer>, InputClosed> {
        match self {
            Answers::Scripted(_) => {
                let mut answers = Vec::new();
                for (n, question) in questions.iter().take(count as usize).enumerate() {
                    // More questions than samples only under another policy: answers still valid.
                    let answer =
                        script::SAMPLE_SECURITY_ANSWERS.get(n).map_or_else(|| format!("Sample answer {}", n + 1), |a| (*a).to_owned());
                    render.info(&chrome.typed(&question.text, &chrome.not_shown()));
                    answers.push(SecurityAnswer { question_id: question.id.clone(), answer: SecretString::new(answer) });
                }
                Ok(answers)
            }
            Answers::Interactive(keyboard) => {
                let mut answers = Vec::new();
                for nth in 1..=count as usize {
                    // Only a number of the list is taken here; the service judges the choice
                    // (the same question twice, too short an answer) and the core explains it.
                    let question = loop {
                        let typed = Self::ask(keyboard, render, &chrome.label_question_pick(nth, count, questions.len()))?;
                        if let Some(question) = typed.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| questions.get(i)) {
                            break question;
                        }
                    };
                    let answer = Self::ask(keyboard, render, &chrome.label_answer(&question.text))?;
                    answers.push(SecurityAnswer { question_id: question.id.clone(), answer: SecretString::new(answer) });
                }
                Ok(answers)
            }
        }
    }

    /// The code the person's own authenticator app shows (interactive mode; the script's
    /// stand-in app computes its own).
    pub fn app_code(keyboard: &Keyboard, render: &mut Renderer, chrome: Chrome) -> Result<SecretString, InputClosed> {
        Ok(SecretString::new(Self::ask(keyboard, render, &chrome.label_app_code())?))
    }

    /// Back from the password page: true to ask the service, false to quit.
    pub fn password_done(keyboard: &Keyboard, render: &mut Renderer, chrome: Chrome) -> Result<bool, InputClosed> {
        let answer = Self::ask(keyboard, render, &chrome.password_done_prompt())?;
        Ok(!answer.eq_ignore_ascii_case("q"))
    }
}
