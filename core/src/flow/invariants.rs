//! Consistency rules every reachable state obeys. The property tests drive random event
//! sequences and call `check_invariants` after each one; a shell or a support tool can call it
//! on a restored snapshot too.

use super::identity_entry::StaffKind;
use super::path::OnboardingPath;
use super::{OnboardingFlow, Step};

impl OnboardingFlow {
    /// `Err` names the first broken rule.
    pub fn check_invariants(&self) -> Result<(), String> {
        let before_decision = matches!(
            self.step,
            Step::DeviceCheck
                | Step::Ineligible { .. }
                | Step::Permissions
                | Step::Consent
                | Step::IdentityEntry { .. }
                | Step::SubmittingIdentity
        );
        let before_consent = matches!(self.step, Step::DeviceCheck | Step::Ineligible { .. } | Step::Permissions | Step::Consent);
        ensure(before_decision == self.decision.is_none(), "a path decision exists exactly after identity acceptance")?;
        ensure(before_consent || self.consent.is_some(), "consent is recorded before identity entry")?;
        ensure(before_decision && self.step != Step::SubmittingIdentity || self.identity.is_some(), "a submitted identity is kept")?;
        ensure(!matches!(self.step, Step::Ineligible { ref blockers } if blockers.is_empty()), "ineligible means at least one blocker")?;
        let Some(decision) = &self.decision else { return Ok(()) };
        let employee = self.identity.as_ref().is_some_and(|f| f.staff_kind == StaffKind::Employee);
        match &self.step {
            Step::DateOfBirth { entry, .. } => {
                ensure(decision.path == OnboardingPath::LegacyDob && employee, "only legacy-path employees give a date of birth")?;
                ensure(entry.month.is_none() || entry.year.is_some(), "no month without a year")?;
                ensure(entry.day.is_none() || entry.month.is_some(), "no day without a month")?;
                ensure(entry.day.is_none_or(|d| d >= 1 && d <= entry.selectable_days()), "the day exists in that month")?;
            }
            Step::GovernmentId { .. } | Step::AwaitingVerifiedId | Step::AddVerifiedId { .. } | Step::PresentVerifiedId { .. } => {
                ensure(decision.ends_with_passkey(), "the government-ID steps belong to the passkey path")?;
                let needs_vid = matches!(self.step, Step::AddVerifiedId { .. } | Step::PresentVerifiedId { .. });
                ensure(!needs_vid || self.verified_id.is_some(), "a Verified ID exists before it is added or presented")?;
                let awaiting_unopened = matches!(self.step, Step::GovernmentId { started: false, awaiting_verdict: Some(_), .. });
                ensure(!awaiting_unopened, "a verdict is awaited only from a partner that was opened")?;
            }
            Step::Selfie { .. } => ensure(!decision.ends_with_passkey() && !decision.fast_path, "the selfie belongs to the TAP paths")?,
            Step::Liveness { in_progress, challenge, .. } => {
                ensure(challenge.is_none() || *in_progress, "a liveness challenge is held only while the check runs")?;
            }
            Step::FetchingTap { fast_path, .. } => {
                ensure(!decision.ends_with_passkey(), "a TAP is fetched on a TAP path")?;
                ensure(!fast_path || decision.fast_path, "a fast-path TAP needs the fast path")?;
            }
            Step::TapReady(info) => {
                ensure(!decision.ends_with_passkey(), "a TAP belongs to a TAP path")?;
                ensure(info.expires.at > 0, "a TAP has an expiry")?;
            }
            Step::SecureAccount { account, .. } => {
                ensure(!decision.ends_with_passkey(), "securing with a TAP belongs to a TAP path")?;
                ensure(account.session_expires_at >= account.signed_in_at, "a sign-in ends after it starts")?;
                ensure(
                    account.registration_deadline.is_none_or(|d| d >= account.signed_in_at),
                    "the one-time window runs from the sign-in",
                )?;
            }
            Step::Passkey { .. } => ensure(decision.ends_with_passkey(), "a passkey belongs to the passkey path")?,
            _ => {}
        }
        Ok(())
    }
}

fn ensure(condition: bool, rule: &str) -> Result<(), String> {
    if condition { Ok(()) } else { Err(rule.to_owned()) }
}
