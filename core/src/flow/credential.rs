//! The credential at the end: a Temporary Access Pass (seed 000) or a passkey (seed 001).
//!
//! The TAP code is a secret shown once: it lives in a `SecretString` and is never written to
//! the snapshot, so after a restart the flow shows "TAP issued, expires at …" without the code.
//! Expiry is `startDateTime + lifetimeInMinutes` on the service's clock. After a TAP the user
//! must set a password and register MFA within its lifetime (seed 000, "Both sections must be
//! completed within 30 minutes"), and with a one-time TAP a passwordless method must be
//! registered within 10 minutes of signing in (Entra's 10-minute rule).

use super::clock::{Deadline, MINUTE_MS, Timestamp};
use super::effect::Effect;
use super::event::Event;
use super::service_call::ServiceCall;
use super::{Notice, OnboardingFlow, Rejection, Step};
use crate::messages::flow as msg;
use crate::secret::SecretString;

/// With a one-time TAP, registration must finish this long after sign-in.
pub const ONE_TIME_REGISTRATION_WINDOW_MS: i64 = 10 * MINUTE_MS;

/// Graph `methodUsabilityReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TapUsability {
    /// Usable.
    EnabledByPolicy,
    /// The tenant's policy disables TAPs for this user.
    DisabledByPolicy,
    /// Past its lifetime.
    Expired,
    /// Not valid yet (start time in the future, or replication lag).
    NotYetValid,
    /// A one-time TAP already used.
    OneTimeUsed,
}

/// A TAP as the service returns it (Graph `temporaryAccessPassAuthenticationMethod`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapGrant {
    /// Method id.
    pub id: String,
    /// The code, returned exactly once.
    pub code: SecretString,
    /// `startDateTime`, server time.
    pub start_at: Timestamp,
    /// `lifetimeInMinutes`.
    pub lifetime_minutes: u32,
    /// `isUsableOnce`.
    pub is_usable_once: bool,
    /// `methodUsabilityReason`.
    pub usability: TapUsability,
}

/// The TAP the user holds now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TapInfo {
    /// Method id.
    pub id: String,
    /// The code: present only in the process that received it.
    #[serde(skip)]
    pub code: Option<SecretString>,
    /// `startDateTime + lifetimeInMinutes`, server time.
    pub expires: Deadline,
    /// `lifetimeInMinutes` as the service returned it (what the TAP screen states; 0 in a
    /// snapshot written before it was kept, where the code, and so that sentence, is gone).
    #[serde(default)]
    pub lifetime_minutes: u32,
    /// One-time TAP.
    pub is_usable_once: bool,
    /// The usability reason at issuance.
    pub usability: TapUsability,
    /// Server time the user signed in with it, as the service reported it. (Kept for
    /// snapshots; the service's account state carries the sign-in from then on.)
    #[serde(default)]
    pub signed_in_at: Option<Timestamp>,
    /// What apps before the service decided the checklist recorded (self-reported, so never
    /// read): kept only so their snapshots load and save back unchanged.
    #[serde(default, rename = "checklist", skip_serializing_if = "Option::is_none")]
    pub legacy_checklist: Option<LegacyChecklist>,
    /// The "expires in 5 minutes" warning was given.
    #[serde(default)]
    pub expiry_warned: bool,
}

/// How long before a TAP expires the user is warned.
pub const TAP_EXPIRY_WARNING_MS: i64 = 5 * MINUTE_MS;

impl TapInfo {
    /// The 10-minute deadline, for a one-time TAP after sign-in.
    pub fn registration_deadline(&self) -> Option<Deadline> {
        match (self.is_usable_once, self.signed_in_at) {
            (true, Some(at)) => Some(Deadline::after(at, ONE_TIME_REGISTRATION_WINDOW_MS)),
            _ => None,
        }
    }
}

/// The self-reported checklist of snapshots written before the service decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegacyChecklist {
    /// Reported by the user, never checked.
    pub password_set: bool,
    /// Reported by the user, never checked.
    pub mfa_registered: bool,
}

/// Why a TAP can no longer be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TapExpiryReason {
    /// Its lifetime passed.
    Lifetime,
    /// One-time TAP: the 10 minutes after sign-in passed before MFA was registered.
    RegistrationWindow,
    /// The service reported it expired or used.
    ReportedUnusable,
}

/// Where passkey registration stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PasskeyPhase {
    /// Waiting for creation options.
    FetchingOptions,
    /// The platform dialog is open, or ready to be opened again.
    Registering {
        /// The service's options.
        options_json: String,
    },
    /// Sending the attestation.
    Submitting {
        /// Kept to resend on failure.
        response_json: String,
    },
}

/// What the onboarding ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CredentialKind {
    /// A TAP, with the account secured as the service requires.
    Tap,
    /// A passkey.
    Passkey,
}

impl OnboardingFlow {
    /// The reviewer approved: fetch the credential.
    pub(super) fn on_approved(&mut self, request_id: String, out: &mut Vec<Effect>) {
        let passkey = self.decision.as_ref().is_some_and(|d| d.ends_with_passkey());
        if passkey {
            self.step = Step::Passkey { phase: PasskeyPhase::FetchingOptions };
            self.call(ServiceCall::FetchPasskeyOptions { request_id }, out);
        } else {
            self.step = Step::FetchingTap { fast_path: false, reissued: false };
            self.call(ServiceCall::CreateTap { request_id, replace_lost: false }, out);
        }
    }

    /// The service issued a TAP: show it, and schedule its warning and its expiry.
    pub(super) fn on_tap_created(&mut self, tap: TapGrant, server_time: Timestamp, now: Timestamp, out: &mut Vec<Effect>) {
        self.clock.observe(server_time, now);
        let expires = Deadline::after(tap.start_at, i64::from(tap.lifetime_minutes).saturating_mul(MINUTE_MS));
        if matches!(tap.usability, TapUsability::Expired | TapUsability::OneTimeUsed) || expires.has_passed(&self.clock, now) {
            self.step = Step::TapExpired { reason: TapExpiryReason::ReportedUnusable };
            return;
        }
        if tap.usability != TapUsability::EnabledByPolicy {
            self.notice = Some(Notice::TapNotUsable { usability: tap.usability });
        }
        let warn_at = expires.at - TAP_EXPIRY_WARNING_MS;
        if self.clock.server_now(now) < warn_at {
            out.push(Effect::ScheduleWake { at: self.clock.to_phone_time(warn_at) });
        }
        out.push(Effect::ScheduleWake { at: self.clock.to_phone_time(expires.at) });
        // The lifetime is the service's, whatever the seeds say (30 minutes there); the TAP
        // screen states it too (`TapInfo::lifetime_minutes`).
        let minutes = tap.lifetime_minutes.to_string();
        out.push(Effect::ShowNotification { message: msg::NOTIFY_TAP_READY.render(self.locale, &[("minutes", &minutes)]) });
        self.step = Step::TapReady(TapInfo {
            id: tap.id,
            code: Some(tap.code),
            expires,
            lifetime_minutes: tap.lifetime_minutes,
            is_usable_once: tap.is_usable_once,
            usability: tap.usability,
            signed_in_at: None,
            legacy_checklist: None,
            expiry_warned: false,
        });
    }

    /// The service sent the WebAuthn options: open the platform's passkey sheet.
    pub(super) fn on_passkey_options(&mut self, options_json: String, out: &mut Vec<Effect>) {
        out.push(Effect::RegisterPasskey { options_json: options_json.clone() });
        self.step = Step::Passkey { phase: PasskeyPhase::Registering { options_json } };
    }

    /// Events of the credential steps.
    pub(super) fn on_credential_event(&mut self, event: Event, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)?;
        match (&mut self.step, event) {
            // The code is shown once and lives only in the memory of the process that received
            // it: after a restart the user who did not note it gets a new one (instead of a
            // screen with nothing to do until the TAP expires). With a Verified ID from the last
            // 30 days that is the fast path, as for an expired TAP: a new request, a liveness
            // check and a TAP of its own. Otherwise the service is asked to replace the lost
            // TAP (it issues one per approval and revokes the one replaced).
            (Step::TapReady(info), Event::Continue) if info.code.is_none() => {
                if self.is_calling(|c| matches!(c, ServiceCall::CreateTap { .. })) {
                    return Err(Rejection::UnexpectedEvent);
                }
                if self.fast_path_available(now) {
                    self.restart();
                    if let Some(call) = self.create_request_call() {
                        self.step = Step::SubmittingIdentity;
                        self.call(call, out);
                    }
                } else {
                    self.call(ServiceCall::CreateTap { request_id, replace_lost: true }, out);
                }
            }
            // "Secure your account": sign in with the TAP this process holds; the service
            // records the sign-in and applies the TAP's rules (seed 003), then the account's
            // security is set up in the app (seed 004).
            (Step::TapReady(info), Event::Continue) => {
                let Some(code) = info.code.clone() else { return Err(Rejection::UnexpectedEvent) };
                if self.is_calling(|c| matches!(c, ServiceCall::SignInWithTap { .. } | ServiceCall::CreateTap { .. })) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.sign_in_with_tap(request_id, code, out);
            }
            (Step::TapExpired { .. }, Event::Continue) => {
                // "Get a new TAP" is a new request: the approved one has served its purpose.
                // With a Verified ID from the last 30 days the same identity goes out again at
                // once, and the service's answer leads to liveness only (the fast path);
                // otherwise the user starts again at identity entry.
                let fast_path = self.fast_path_available(now);
                self.restart();
                if fast_path && let Some(call) = self.create_request_call() {
                    self.step = Step::SubmittingIdentity;
                    self.call(call, out);
                }
            }
            (Step::Passkey { phase: PasskeyPhase::Registering { options_json } }, Event::Continue) => {
                out.push(Effect::RegisterPasskey { options_json: options_json.clone() });
            }
            (Step::Passkey { phase: PasskeyPhase::Registering { .. } }, Event::PasskeyCancelled) => {
                self.notice = Some(Notice::PasskeyCancelled);
            }
            // Not the user's choice: the platform could not make one (no screen lock, no
            // provider). Said as such, so the user does not think they cancelled it.
            (Step::Passkey { phase: PasskeyPhase::Registering { .. } }, Event::PasskeyFailed { .. }) => {
                self.notice = Some(Notice::PasskeyFailed);
            }
            (Step::Passkey { phase: PasskeyPhase::Registering { .. } }, Event::PasskeyCreated { response_json }) => {
                self.step = Step::Passkey { phase: PasskeyPhase::Submitting { response_json: response_json.clone() } };
                self.call(ServiceCall::SubmitPasskey { request_id, response_json }, out);
            }
            _ => return Err(Rejection::UnexpectedEvent),
        }
        Ok(())
    }

    /// Expires the TAP when its lifetime or the 10-minute window passes (called on every event).
    pub(super) fn check_tap_deadlines(&mut self, now: Timestamp) {
        self.check_account_security_deadlines(now);
        let Step::TapReady(info) = &self.step else { return };
        let reason = if info.expires.has_passed(&self.clock, now) {
            Some(TapExpiryReason::Lifetime)
        } else if info.registration_deadline().is_some_and(|d| d.has_passed(&self.clock, now)) {
            Some(TapExpiryReason::RegistrationWindow)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.step = Step::TapExpired { reason };
        }
    }

    /// Warns once, 5 minutes before the TAP expires (called after every applied event; the
    /// flow schedules a wake for that moment when the TAP arrives).
    pub(super) fn warn_before_tap_expiry(&mut self, now: Timestamp, out: &mut Vec<Effect>) {
        let server_now = self.clock.server_now(now);
        let locale = self.locale;
        let Step::TapReady(info) = &mut self.step else { return };
        if !info.expiry_warned && server_now >= info.expires.at - TAP_EXPIRY_WARNING_MS && server_now < info.expires.at {
            info.expiry_warned = true;
            out.push(Effect::ShowNotification { message: msg::NOTIFY_TAP_EXPIRES_SOON.text(locale) });
        }
    }

    /// Whether a new TAP can come through the fast path now.
    pub(super) fn fast_path_available(&self, now: Timestamp) -> bool {
        self.decision.as_ref().is_some_and(|d| !d.ends_with_passkey() || d.fast_path)
            && self.verified_id.is_some_and(|v| v.allows_fast_path(self.clock.server_now(now)))
    }
}
