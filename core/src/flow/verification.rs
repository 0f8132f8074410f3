//! Proving who the user is before the review: the partner's government-ID check (seed 001,
//! AU10TIX), the Verified ID it leads to, the selfie, the liveness check and the Verified ID
//! presentation. The camera work and the partner SDK run outside the core; the flow starts
//! them with effects and learns their results from events.

use super::clock::{DAY_MS, Timestamp};
use super::effect::Effect;
use super::event::Event;
use super::path::Milestone;
use super::permissions::Permission;
use super::service_call::ServiceCall;
use super::{OnboardingFlow, Rejection, Step};

/// A Verified ID is good for the fast path for this long after issuance (seed 000).
pub const FAST_PATH_WINDOW_MS: i64 = 30 * DAY_MS;

/// The partner's sub-steps (seed 001, "Government ID Verification").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PartnerStep {
    /// Personal email and the PIN sent to it.
    EmailPin,
    /// Mobile number.
    PhoneNumber,
    /// The partner's terms.
    Terms,
    /// Scanning the government ID.
    IdScan,
    /// The partner's selfie.
    Selfie,
}

impl PartnerStep {
    /// The sub-steps in the partner's order.
    pub const ALL: [PartnerStep; 5] =
        [PartnerStep::EmailPin, PartnerStep::PhoneNumber, PartnerStep::Terms, PartnerStep::IdScan, PartnerStep::Selfie];
}

/// The partner's verdict (contract: `government_id_result`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GovernmentIdOutcome {
    /// The ID is genuine and matches the selfie.
    Verified,
    /// Refused, with the partner's reason code.
    Rejected {
        /// The partner's reason.
        reason: String,
    },
    /// The partner session timed out.
    Expired,
}

/// A Verified ID the user holds (server times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VerifiedIdRecord {
    /// `iat`.
    pub issued_at: Timestamp,
    /// `exp`.
    pub expires_at: Timestamp,
}

impl VerifiedIdRecord {
    /// Whether it still opens the fast path at server time `server_now`.
    pub fn allows_fast_path(&self, server_now: Timestamp) -> bool {
        let window_end = self.issued_at.saturating_add(FAST_PATH_WINDOW_MS).min(self.expires_at);
        self.issued_at <= server_now && server_now < window_end
    }
}

/// Where the selfie is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SelfiePhase {
    /// Waiting for the user to start.
    Ready,
    /// The camera is open.
    Capturing,
    /// Taken; uploading.
    Uploading,
}

impl OnboardingFlow {
    /// Events of the verification steps. Returns `Err` for an event this step does not expect.
    pub(super) fn on_verification_event(&mut self, event: Event, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)?;
        let recording_id = self.is_calling(|c| matches!(c, ServiceCall::RecordGovernmentId { .. }));
        let recording_liveness = self.is_calling(|c| matches!(c, ServiceCall::RecordLiveness { .. }));
        match (&mut self.step, event) {
            (Step::GovernmentId { started, .. }, Event::Continue) => {
                *started = true;
                out.push(Effect::StartGovernmentIdCheck { request_id });
            }
            (Step::GovernmentId { completed, .. }, Event::GovernmentIdProgress { step }) => {
                if !completed.contains(&step) {
                    completed.push(step);
                }
            }
            // The verdict goes to the service first; its answer moves the step.
            (Step::GovernmentId { .. }, Event::GovernmentIdFinished { outcome }) => {
                if recording_id {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.call(ServiceCall::RecordGovernmentId { request_id, outcome }, out);
            }
            (Step::AddVerifiedId { opened }, Event::Continue) => {
                if *opened {
                    // "Return to Identity Pass and select Ready" (seed 001).
                    self.advance(Milestone::VerifiedIdAdded, out);
                } else {
                    *opened = true;
                    out.push(Effect::OpenAuthenticator);
                }
            }
            (Step::Selfie { phase }, Event::Continue) => {
                if *phase == SelfiePhase::Uploading {
                    return Err(Rejection::UnexpectedEvent);
                }
                if self.require_permissions(&[Permission::Camera], out) {
                    self.step = Step::Selfie { phase: SelfiePhase::Capturing };
                    out.push(Effect::StartSelfie);
                }
            }
            (Step::Selfie { phase: SelfiePhase::Capturing }, Event::SelfieCaptured) => {
                self.step = Step::Selfie { phase: SelfiePhase::Uploading };
                self.call(ServiceCall::UploadSelfie { request_id }, out);
            }
            // (Re)starts the challenge, unless its result is on its way to the service.
            (Step::Liveness { attempts, .. }, Event::Continue) if !recording_liveness => {
                let attempts = *attempts;
                if self.require_permissions(&[Permission::Camera], out) {
                    self.step = Step::Liveness { in_progress: true, attempts };
                    out.push(Effect::StartLiveness { request_id });
                }
            }
            // The phone's result goes to the service with its evidence; its answer moves the step.
            (Step::Liveness { in_progress: true, .. }, Event::LivenessFinished { failure }) => {
                if recording_liveness {
                    return Err(Rejection::UnexpectedEvent);
                }
                let passed = failure.is_none();
                self.call(ServiceCall::RecordLiveness { request_id, passed, reason: failure }, out);
            }
            (Step::PresentVerifiedId { requested: false }, Event::Continue) => {
                self.step = Step::PresentVerifiedId { requested: true };
                self.call(ServiceCall::PresentVerifiedId { request_id }, out);
            }
            _ => return Err(Rejection::UnexpectedEvent),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_window_is_thirty_days_from_issuance() {
        let vid = VerifiedIdRecord { issued_at: 1_000, expires_at: 1_000 + 30 * DAY_MS };
        assert!(vid.allows_fast_path(1_000));
        assert!(vid.allows_fast_path(1_000 + 30 * DAY_MS - 1));
        assert!(!vid.allows_fast_path(1_000 + 30 * DAY_MS));
        assert!(!vid.allows_fast_path(999), "issued in the future of the server: not trusted");
    }

    #[test]
    fn an_early_expiry_shortens_the_window() {
        let vid = VerifiedIdRecord { issued_at: 0, expires_at: DAY_MS };
        assert!(!vid.allows_fast_path(2 * DAY_MS));
    }
}
