//! After the TAP: the user signs in with it and secures the account (seed 004's
//! self-enrollment; seed 003's rules). The service is the authority: it records the sign-in,
//! enforces the TAP's rules and the one-time TAP's 10-minute window, checks every code, and
//! says what is registered. The flow keeps the service's last word ([`AccountSecurity`]), the
//! task the user is doing, and turns the user's input into calls; it never marks anything done
//! itself.
//!
//! Secrets the user types (the TAP, a PIN, answers, a one-time code) travel in the call's
//! `#[serde(skip)]` fields: they live in this process's memory only, never in a snapshot, so a
//! call that must be resent after a restart is redone by the user instead
//! ([`super::service_call::ServiceCall::needs_in_memory_input`]).

use super::clock::{Deadline, Timestamp};
use super::credential::{CredentialKind, TapExpiryReason};
use super::effect::Effect;
use super::event::Event;
use super::service_call::ServiceCall;
use super::{Notice, OnboardingFlow, Rejection, Step};
use crate::eligibility::Platform;
use crate::secret::SecretString;

/// A second factor the service can register (the admin's policy says which are offered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SecurityMethodKind {
    /// A TOTP authenticator app (RFC 6238), activated by barcode or code and URL.
    AuthenticatorApp,
    /// A one-time code by text message.
    TextMessage,
    /// A voice call that asks for the PIN followed by #.
    VoiceCall,
}

/// A method the service has registered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegisteredMethod {
    /// The service's id (to remove it).
    pub id: String,
    /// Which kind.
    pub kind: SecurityMethodKind,
    /// The number, E.164, for text and voice.
    pub phone_number: Option<String>,
    /// When it was registered (server time).
    pub registered_at: Timestamp,
}

/// One question of the admin's list, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecurityQuestion {
    /// Stable id.
    pub id: String,
    /// English text.
    pub text_en: String,
    /// Simplified Chinese text.
    pub text_zh: String,
}

/// What the admin's policy asks of the user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecurityPolicy {
    /// Methods offered.
    pub methods: Vec<SecurityMethodKind>,
    /// A PIN is required.
    pub pin_required: bool,
    /// Shortest PIN.
    pub pin_min_length: u32,
    /// Longest PIN.
    pub pin_max_length: u32,
    /// Security questions are required.
    pub questions_required: bool,
    /// How many questions the user answers.
    pub question_count: u32,
    /// The admin's list to pick from.
    pub questions: Vec<SecurityQuestion>,
}

/// The account's security as the service last reported it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountSecurity {
    /// When the user signed in with the TAP (server time).
    pub signed_in_at: Timestamp,
    /// When this sign-in ends (server time): the TAP's own expiry.
    pub session_expires_at: Timestamp,
    /// One-time TAP with no method yet: the 10-minute deadline (server time).
    pub registration_deadline: Option<Timestamp>,
    /// The permanent password was set on the password page.
    pub password_set: bool,
    /// Registered methods.
    pub methods: Vec<RegisteredMethod>,
    /// A PIN is set.
    pub pin_set: bool,
    /// The security questions are answered.
    pub security_questions_set: bool,
    /// The service says everything the policy requires is done.
    pub complete: bool,
    /// The admin's policy.
    pub policy: SecurityPolicy,
}

/// The authenticator app's activation, as the service issued it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppActivation {
    /// Its id (the verification names it).
    pub activation_id: String,
    /// Typed into an app that cannot scan (with the URL).
    pub activation_code: String,
    /// Where such an app redeems the code.
    pub activation_url: String,
    /// The `otpauth://` URI the barcode encodes: it holds the TOTP secret, so it stays in this
    /// process's memory (after a restart the user asks for a new activation).
    #[serde(skip)]
    pub otpauth_uri: Option<SecretString>,
    /// When the activation lapses (server time).
    pub expires_at: Timestamp,
}

/// Where a phone verification stands on the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PhoneVerificationStatus {
    /// The code was sent or the call placed; not answered yet.
    Pending,
    /// The number is verified (the method is registered).
    Verified,
    /// The call ended without the right PIN.
    Failed,
}

/// A text or voice verification of a number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PhoneVerification {
    /// Its id.
    pub verification_id: String,
    /// Text or voice.
    pub delivery: SecurityMethodKind,
    /// The number, E.164, as the service normalised it.
    pub phone_number: String,
    /// Its status.
    pub status: PhoneVerificationStatus,
    /// When the code or call lapses (server time).
    pub expires_at: Timestamp,
    /// The earliest resend (server time).
    pub resend_available_at: Timestamp,
    /// Codes the user may still try.
    pub attempts_left: u32,
}

/// What the user is doing on the security screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SecurityTask {
    /// The checklist: what is done, what is left.
    Checklist,
    /// Setting up the authenticator app (the activation once the service issued it).
    AuthenticatorApp {
        /// The activation.
        activation: Option<AppActivation>,
    },
    /// Entering the number for a text or a call.
    PhoneNumber {
        /// Text or voice.
        delivery: SecurityMethodKind,
    },
    /// Waiting for the text's code, or for the call to be answered.
    PhoneCode {
        /// The verification.
        verification: PhoneVerification,
    },
    /// Choosing a PIN.
    Pin,
    /// Choosing and answering the security questions.
    SecurityQuestions,
    /// The password page was opened; its completion is reported by the service.
    Password,
}

/// The tasks a user can open from the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityTaskKind {
    /// Back to the checklist.
    Checklist,
    /// The authenticator app.
    AuthenticatorApp,
    /// A text message to a number.
    TextMessage,
    /// A voice call to a number.
    VoiceCall,
    /// The PIN.
    Pin,
    /// The security questions.
    SecurityQuestions,
    /// The password page.
    Password,
}

/// One answer as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityAnswer {
    /// The question.
    pub question_id: String,
    /// The answer (a secret: hashed by the service, never stored here).
    pub answer: SecretString,
}

/// Where the user goes after the TAP, outside this app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnwardLink {
    /// Microsoft Authenticator, to sign in passwordless.
    Authenticator,
    /// Intune Company Portal, to enrol the phone.
    CompanyPortal,
    /// The security-info page, to manage methods on the web.
    SecurityInfoPage,
}

impl OnwardLink {
    /// The link for this platform. Android opens the store through `market://`, which any
    /// store answers (the China build has no Play Store); iOS the App Store.
    pub fn url(self, platform: Platform) -> &'static str {
        match (self, platform) {
            (OnwardLink::SecurityInfoPage, _) => "https://mysignins.microsoft.com/security-info",
            (OnwardLink::Authenticator, Platform::Android) => "market://details?id=com.azure.authenticator",
            (OnwardLink::Authenticator, Platform::Ios) => "https://apps.apple.com/app/microsoft-authenticator/id983156458",
            (OnwardLink::Authenticator, _) => "https://www.microsoft.com/security/mobile-authenticator-app",
            (OnwardLink::CompanyPortal, Platform::Android) => "market://details?id=com.microsoft.windowsintune.companyportal",
            (OnwardLink::CompanyPortal, Platform::Ios) => "https://apps.apple.com/app/intune-company-portal/id719171358",
            (OnwardLink::CompanyPortal, _) => "https://portal.manage.microsoft.com",
        }
    }
}

impl AccountSecurity {
    /// The registration deadline still running (a one-time TAP, no method yet).
    pub fn open_registration_deadline(&self) -> Option<Deadline> {
        self.registration_deadline.filter(|_| self.methods.is_empty()).map(|at| Deadline { at })
    }
}

impl OnboardingFlow {
    /// The TAP screen's "Secure your account": sign in with the TAP this process holds.
    pub(super) fn sign_in_with_tap(&mut self, request_id: String, code: SecretString, out: &mut Vec<Effect>) {
        self.call(ServiceCall::SignInWithTap { request_id, code: Some(code) }, out);
    }

    /// The service's account state arrived (sign-in, a look, or any change).
    pub(super) fn on_account_security(&mut self, account: AccountSecurity, task_done: bool) {
        let task = match &self.step {
            // A change the service accepted ends its task; a look keeps the task open.
            Step::SecureAccount { task, .. } if !task_done => task.clone(),
            _ => SecurityTask::Checklist,
        };
        // A voice call the service reports verified (or failed) ends the wait for it.
        let task = match task {
            SecurityTask::PhoneCode { verification } if verification.delivery == SecurityMethodKind::VoiceCall => {
                if account.methods.iter().any(|m| m.phone_number.as_deref() == Some(verification.phone_number.as_str())) {
                    SecurityTask::Checklist
                } else {
                    SecurityTask::PhoneCode { verification }
                }
            }
            // The password page reported back.
            SecurityTask::Password if account.password_set => SecurityTask::Checklist,
            task => task,
        };
        self.step = Step::SecureAccount { account, task };
    }

    /// The user's actions on the security screen.
    pub(super) fn on_account_security_event(&mut self, event: Event, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)?;
        let Step::SecureAccount { account, task } = &self.step else { return Err(Rejection::UnexpectedEvent) };
        // One change at a time: a second tap while one is out is a double tap.
        let busy = self.calls.iter().any(|p| p.call.is_account_security_change());
        let offered = |kind| account.policy.methods.contains(&kind);
        let mut next = task.clone();
        let call = match event {
            Event::SecurityTaskChosen { .. }
            | Event::PhoneNumberEntered { .. }
            | Event::VerificationCodeEntered { .. }
            | Event::ResendVerificationCode
            | Event::PinEntered { .. }
            | Event::SecurityAnswersEntered { .. }
            | Event::SecurityMethodRemoved { .. }
                if busy =>
            {
                return Err(Rejection::UnexpectedEvent);
            }
            Event::SecurityTaskChosen { task: chosen } => match chosen {
                SecurityTaskKind::Checklist => {
                    next = SecurityTask::Checklist;
                    None
                }
                SecurityTaskKind::AuthenticatorApp if offered(SecurityMethodKind::AuthenticatorApp) => {
                    next = SecurityTask::AuthenticatorApp { activation: None };
                    Some(ServiceCall::StartAuthenticatorApp { request_id })
                }
                SecurityTaskKind::TextMessage if offered(SecurityMethodKind::TextMessage) => {
                    next = SecurityTask::PhoneNumber { delivery: SecurityMethodKind::TextMessage };
                    None
                }
                // The call asks for the PIN: without one it could not verify anything.
                SecurityTaskKind::VoiceCall if offered(SecurityMethodKind::VoiceCall) && !account.pin_set => {
                    self.notice = Some(Notice::PinNeededForVoiceCall);
                    next = SecurityTask::Pin;
                    None
                }
                SecurityTaskKind::VoiceCall if offered(SecurityMethodKind::VoiceCall) => {
                    next = SecurityTask::PhoneNumber { delivery: SecurityMethodKind::VoiceCall };
                    None
                }
                SecurityTaskKind::Pin => {
                    next = SecurityTask::Pin;
                    None
                }
                SecurityTaskKind::SecurityQuestions => {
                    next = SecurityTask::SecurityQuestions;
                    None
                }
                SecurityTaskKind::Password => {
                    next = SecurityTask::Password;
                    Some(ServiceCall::OpenPasswordPage { request_id })
                }
                // A method the admin does not offer.
                _ => return Err(Rejection::UnexpectedEvent),
            },
            // The service validates the number (E.164) and says why it refuses one; the form
            // keeps what was typed meanwhile.
            Event::PhoneNumberEntered { phone_number, extension, backup_phone_number } => match task {
                SecurityTask::PhoneNumber { delivery } => Some(ServiceCall::StartPhoneVerification {
                    request_id,
                    delivery: *delivery,
                    phone_number,
                    extension,
                    backup_phone_number,
                }),
                _ => return Err(Rejection::UnexpectedEvent),
            },
            Event::VerificationCodeEntered { code } => match task {
                SecurityTask::AuthenticatorApp { activation: Some(activation) } => Some(ServiceCall::VerifyAuthenticatorApp {
                    request_id,
                    activation_id: activation.activation_id.clone(),
                    code: Some(code),
                }),
                SecurityTask::PhoneCode { verification } if verification.delivery == SecurityMethodKind::TextMessage => {
                    Some(ServiceCall::VerifyPhoneCode {
                        request_id,
                        verification_id: verification.verification_id.clone(),
                        code: Some(code),
                    })
                }
                _ => return Err(Rejection::UnexpectedEvent),
            },
            // The service enforces the resend interval and limit, and says when.
            Event::ResendVerificationCode => match task {
                SecurityTask::PhoneCode { verification } => {
                    Some(ServiceCall::ResendPhoneCode { request_id, verification_id: verification.verification_id.clone() })
                }
                _ => return Err(Rejection::UnexpectedEvent),
            },
            Event::PinEntered { pin, confirmation } if *task == SecurityTask::Pin => {
                Some(ServiceCall::SetPin { request_id, pin: Some(pin), confirmation: Some(confirmation) })
            }
            Event::SecurityAnswersEntered { answers } if *task == SecurityTask::SecurityQuestions => {
                Some(ServiceCall::SetSecurityAnswers { request_id, answers: Some(answers) })
            }
            Event::SecurityMethodRemoved { method_id } if account.methods.iter().any(|m| m.id == method_id) => {
                Some(ServiceCall::RemoveSecurityMethod { request_id, method_id })
            }
            Event::OnwardLinkOpened { link } => {
                out.push(Effect::OpenUrl { url: link.url(self.platform).to_owned() });
                None
            }
            // "Add to the authenticator app" on this phone: the otpauth link opens the app. The
            // secret is gone after a restart: then a new activation.
            Event::Continue if matches!(task, SecurityTask::AuthenticatorApp { activation: Some(_) }) => match task {
                SecurityTask::AuthenticatorApp { activation: Some(AppActivation { otpauth_uri: Some(uri), .. }) } => {
                    out.push(Effect::OpenOtpauthLink { uri: uri.clone() });
                    None
                }
                _ if busy => return Err(Rejection::UnexpectedEvent),
                _ => {
                    next = SecurityTask::AuthenticatorApp { activation: None };
                    Some(ServiceCall::StartAuthenticatorApp { request_id })
                }
            },
            // Finished: everything the policy asks is registered, as the service says.
            Event::Continue if account.complete && *task == SecurityTask::Checklist => {
                self.step = Step::Done { credential: CredentialKind::Tap };
                return Ok(());
            }
            // Back from the password page, the authenticator app or the call: ask the service.
            Event::AppResumed | Event::Continue => (!self.is_calling(|c| matches!(c, ServiceCall::FetchSecurityInfo { .. })))
                .then_some(ServiceCall::FetchSecurityInfo { request_id }),
            _ => return Err(Rejection::UnexpectedEvent),
        };
        if let Step::SecureAccount { task, .. } = &mut self.step {
            *task = next;
        }
        if let Some(call) = call {
            self.call(call, out);
        }
        Ok(())
    }

    /// The one-time TAP's 10 minutes, and the sign-in's end, on the service's clock.
    pub(super) fn check_account_security_deadlines(&mut self, now: Timestamp) {
        let Step::SecureAccount { account, .. } = &self.step else { return };
        let reason = if account.open_registration_deadline().is_some_and(|d| d.has_passed(&self.clock, now)) {
            Some(TapExpiryReason::RegistrationWindow)
        } else if !account.complete && (Deadline { at: account.session_expires_at }).has_passed(&self.clock, now) {
            Some(TapExpiryReason::Lifetime)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.step = Step::TapExpired { reason };
        }
    }
}
