//! What the security screen shows: the checklist as the service reports it, the task the user
//! is doing, every label in the user's language, and the activation barcode as a matrix the
//! shells draw (and the terminal prints).

use super::OnboardingFlow;
use super::account_security::{
    AccountSecurity, OnwardLink, PhoneVerificationStatus, RegisteredMethod, SecurityMethodKind, SecurityTask, SecurityTaskKind,
};
use super::clock::Timestamp;
use super::view::format_utc;
use crate::messages::{Locale, LocalizedMessage, MessageCode, flow as msg};

/// A QR code's modules, row-major, `size × size`, without the quiet zone (draw 4 light modules
/// around it). It encodes the activation's `otpauth://` URI, so it is as secret as the TOTP
/// secret: its `Debug` prints only the size.
#[derive(Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side.
    pub size: u32,
    /// `true` for a dark module.
    pub dark: Vec<bool>,
}

impl std::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QrMatrix({}×{}, [redacted])", self.size, self.size)
    }
}

impl QrMatrix {
    /// The code for `text` (byte mode, error correction M), or `None` if it does not fit.
    pub fn encode(text: &str) -> Option<QrMatrix> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
        let size = u32::try_from(code.width()).ok()?;
        let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
        Some(QrMatrix { size, dark })
    }

    /// Whether the module at `(x, y)` is dark (outside the matrix: light).
    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        x < self.size && y < self.size && self.dark.get((y * self.size + x) as usize).copied().unwrap_or(false)
    }
}

/// A button on the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityTaskOption {
    /// What it opens (send `SecurityTaskChosen` with it).
    pub task: SecurityTaskKind,
    /// Its label.
    pub label: LocalizedMessage,
    /// Done, as the service says.
    pub done: bool,
}

/// A link onward, outside the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnwardLinkView {
    /// Which (send `OnwardLinkOpened` with it).
    pub link: OnwardLink,
    /// Its label.
    pub label: LocalizedMessage,
}

/// A question to pick, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityQuestionView {
    /// Its id (answers name it).
    pub id: String,
    /// Its text.
    pub text: String,
}

/// The task's own part of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityTaskView {
    /// The checklist (`SecureAccount::options` and `links`).
    Checklist,
    /// The authenticator app: barcode, or code and URL; then its current code.
    AuthenticatorApp {
        /// The activation code (`None` while it is being made).
        activation_code: Option<String>,
        /// The activation URL.
        activation_url: Option<String>,
        /// The barcode (`None` while it is being made, or after a restart: ask for a new one).
        barcode: Option<QrMatrix>,
    },
    /// The number form.
    PhoneNumber {
        /// Text or voice.
        delivery: SecurityMethodKind,
    },
    /// The code form (text), or waiting for the call (voice).
    PhoneCode {
        /// Text or voice.
        delivery: SecurityMethodKind,
        /// The number, E.164.
        phone_number: String,
        /// Codes left.
        attempts_left: u32,
        /// Earliest resend, server time (for display, `format_utc`).
        resend_available_at: Timestamp,
        /// The resend button's label (send `ResendVerificationCode`).
        resend_label: LocalizedMessage,
    },
    /// The PIN form (twice).
    Pin {
        /// Shortest.
        min_length: u32,
        /// Longest.
        max_length: u32,
    },
    /// Pick `count` questions and answer them.
    SecurityQuestions {
        /// How many.
        count: u32,
        /// The list.
        questions: Vec<SecurityQuestionView>,
    },
    /// The password page is open in the browser.
    Password,
}

/// The security screen's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecureAccountView {
    /// The task's part.
    pub task: SecurityTaskView,
    /// The checklist's buttons.
    pub options: Vec<SecurityTaskOption>,
    /// Registered methods (each can be removed but the last).
    pub methods: Vec<RegisteredMethod>,
    /// Onward links.
    pub links: Vec<OnwardLinkView>,
    /// Everything the policy requires is done (the primary action finishes).
    pub complete: bool,
}

impl OnboardingFlow {
    /// Title, body, primary action and data of the security screen.
    pub(super) fn secure_account_view(
        &self,
        account: &AccountSecurity,
        task: &SecurityTask,
        now: Timestamp,
    ) -> (SecureAccountView, MessageCode, Option<LocalizedMessage>, Option<LocalizedMessage>) {
        let l = self.locale;
        let server_now = self.clock.server_now(now);
        let t = |code: MessageCode| code.text(l);
        let (task_view, title, body, action) = match task {
            SecurityTask::Checklist => {
                let expires_at = format_utc(account.session_expires_at, server_now);
                let body = match account.open_registration_deadline() {
                    _ if account.complete => msg::SECURE_DONE_BODY.render(l, &[("expires_at", &expires_at)]),
                    Some(deadline) => msg::SECURE_ONE_TIME_BODY.render(l, &[("deadline", &format_utc(deadline.at, server_now))]),
                    None => msg::SECURE_BODY.render(l, &[("expires_at", &expires_at)]),
                };
                let action = if account.complete { msg::ACTION_FINISH } else { msg::ACTION_CHECK_AGAIN };
                (SecurityTaskView::Checklist, msg::SECURE_TITLE, Some(body), Some(t(action)))
            }
            SecurityTask::AuthenticatorApp { activation } => {
                let barcode =
                    activation.as_ref().and_then(|a| a.otpauth_uri.as_ref()).and_then(|uri| QrMatrix::encode(uri.expose_secret()));
                let body =
                    activation.as_ref().map(|a| msg::APP_BODY.render(l, &[("code", &a.activation_code), ("url", &a.activation_url)]));
                // On this phone the link opens the app; after a restart a new activation.
                let action = activation.as_ref().map(|a| if a.otpauth_uri.is_some() { msg::ACTION_ADD_TO_APP } else { msg::ACTION_RETRY });
                let view = SecurityTaskView::AuthenticatorApp {
                    activation_code: activation.as_ref().map(|a| a.activation_code.clone()),
                    activation_url: activation.as_ref().map(|a| a.activation_url.clone()),
                    barcode,
                };
                (view, msg::APP_TITLE, body, action.map(t))
            }
            SecurityTask::PhoneNumber { delivery } => {
                let (title, body) = match delivery {
                    SecurityMethodKind::VoiceCall => (msg::PHONE_VOICE_TITLE, msg::PHONE_VOICE_BODY),
                    _ => (msg::PHONE_TEXT_TITLE, msg::PHONE_TEXT_BODY),
                };
                (SecurityTaskView::PhoneNumber { delivery: *delivery }, title, Some(t(body)), None)
            }
            SecurityTask::PhoneCode { verification } => {
                let phone = verification.phone_number.as_str();
                let (title, body) = match (verification.delivery, verification.status) {
                    (SecurityMethodKind::VoiceCall, _) => (msg::CALL_TITLE, msg::CALL_BODY.render(l, &[("phone", phone)])),
                    (_, PhoneVerificationStatus::Pending | PhoneVerificationStatus::Failed | PhoneVerificationStatus::Verified) => (
                        msg::CODE_TITLE,
                        msg::CODE_BODY.render(l, &[("phone", phone), ("attempts", &verification.attempts_left.to_string())]),
                    ),
                };
                let voice = verification.delivery == SecurityMethodKind::VoiceCall;
                let view = SecurityTaskView::PhoneCode {
                    delivery: verification.delivery,
                    phone_number: verification.phone_number.clone(),
                    attempts_left: verification.attempts_left,
                    resend_available_at: verification.resend_available_at,
                    resend_label: t(if voice { msg::ACTION_CALL_AGAIN } else { msg::ACTION_RESEND }),
                };
                // A call is answered elsewhere: "Check again" asks the service; a text's code is
                // entered in the form.
                (view, title, Some(body), voice.then(|| t(msg::ACTION_CHECK_AGAIN)))
            }
            SecurityTask::Pin => {
                let (min, max) = (account.policy.pin_min_length, account.policy.pin_max_length);
                let body = msg::PIN_BODY.render(l, &[("min", &min.to_string()), ("max", &max.to_string())]);
                (SecurityTaskView::Pin { min_length: min, max_length: max }, msg::PIN_TITLE, Some(body), None)
            }
            SecurityTask::SecurityQuestions => {
                let questions = account
                    .policy
                    .questions
                    .iter()
                    .map(|q| SecurityQuestionView {
                        id: q.id.clone(),
                        text: match l {
                            Locale::SimplifiedChinese => q.text_zh.clone(),
                            Locale::English => q.text_en.clone(),
                        },
                    })
                    .collect();
                let count = account.policy.question_count;
                let body = msg::QUESTIONS_BODY.render(l, &[("count", &count.to_string())]);
                (SecurityTaskView::SecurityQuestions { count, questions }, msg::QUESTIONS_TITLE, Some(body), None)
            }
            SecurityTask::Password => {
                (SecurityTaskView::Password, msg::PASSWORD_TITLE, Some(t(msg::PASSWORD_BODY)), Some(t(msg::ACTION_CHECK_AGAIN)))
            }
        };
        let method_done = |kind| account.methods.iter().any(|m| m.kind == kind);
        let mut options = vec![SecurityTaskOption {
            task: SecurityTaskKind::Password,
            label: t(if account.password_set { msg::TASK_PASSWORD_DONE } else { msg::TASK_PASSWORD }),
            done: account.password_set,
        }];
        for kind in &account.policy.methods {
            let (task, label) = match kind {
                SecurityMethodKind::AuthenticatorApp => (SecurityTaskKind::AuthenticatorApp, msg::TASK_APP),
                SecurityMethodKind::TextMessage => (SecurityTaskKind::TextMessage, msg::TASK_TEXT),
                SecurityMethodKind::VoiceCall => (SecurityTaskKind::VoiceCall, msg::TASK_VOICE),
            };
            options.push(SecurityTaskOption { task, label: t(label), done: method_done(*kind) });
        }
        options.push(SecurityTaskOption {
            task: SecurityTaskKind::Pin,
            label: t(if account.pin_set { msg::TASK_PIN_DONE } else { msg::TASK_PIN }),
            done: account.pin_set,
        });
        if account.policy.questions_required || account.security_questions_set {
            options.push(SecurityTaskOption {
                task: SecurityTaskKind::SecurityQuestions,
                label: t(if account.security_questions_set { msg::TASK_QUESTIONS_DONE } else { msg::TASK_QUESTIONS }),
                done: account.security_questions_set,
            });
        }
        let links = [
            (OnwardLink::Authenticator, msg::LINK_AUTHENTICATOR),
            (OnwardLink::CompanyPortal, msg::LINK_COMPANY_PORTAL),
            (OnwardLink::SecurityInfoPage, msg::LINK_SECURITY_INFO),
        ]
        .into_iter()
        .map(|(link, label)| OnwardLinkView { link, label: t(label) })
        .collect();
        let view = SecureAccountView { task: task_view, options, methods: account.methods.clone(), links, complete: account.complete };
        (view, title, body, action)
    }
}
