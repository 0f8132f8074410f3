//! Proving who the user is before the review: the partner's government-ID check (seed 001,
//! AU10TIX), the Verified ID it leads to, the selfie, the liveness check and the Verified ID
//! presentation. The camera work and the partner's page run outside the core; the flow starts
//! them with effects and learns their results from events.
//!
//! The government-ID verdict never comes from the phone: the service opens the partner
//! session and hands the phone a page to send the user to; the partner reports its verdict to
//! the service, and when the user is back the flow asks the service for it (again every few
//! seconds while the partner has not reported).
//!
//! Neither does the liveness verdict: the flow asks the service for a challenge, the phone
//! guides the user through the actions the service drew (live guidance only), and when that
//! passes, the frames it judged go to the service, whose verdict decides. A check the phone
//! already failed is not uploaded: the user tries again with a new challenge.

use super::clock::{DAY_MS, Timestamp};
use super::effect::Effect;
use super::event::Event;
use super::path::Milestone;
use super::permissions::Permission;
use super::service_call::ServiceCall;
use super::{OnboardingFlow, Rejection, Step};
use crate::selfie::face_model::Action;

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

/// A liveness challenge the service issued: the frames the phone captures are judged for it,
/// once, until it expires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LivenessChallenge {
    /// Its id, the nonce the upload names.
    pub id: String,
    /// When the service stops accepting frames for it (server time).
    pub expires_at: Timestamp,
    /// The actions it asks for, in order. Snapshots from before the action challenge have none
    /// (a "move closer" challenge, since retired): such a challenge is dropped when the app
    /// restarts, as every challenge whose frames were not yet uploaded is, and an upload for it
    /// is answered `LIVENESS_CHALLENGE_EXPIRED`.
    #[serde(default)]
    pub actions: Vec<Action>,
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
    /// The actions of the liveness challenge being performed, in order; `None` outside one. The runtime starts the selfie session's challenge with them.
    pub fn liveness_actions(&self) -> Option<&[Action]> {
        match &self.step {
            Step::Liveness { challenge: Some(challenge), .. } => Some(&challenge.actions),
            _ => None,
        }
    }

    /// Events of the verification steps. Returns `Err` for an event this step does not expect.
    pub(super) fn on_verification_event(&mut self, event: Event, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)?;
        let opening = self.is_calling(|c| matches!(c, ServiceCall::OpenPartnerSession { .. }));
        let fetching_verdict = self.is_calling(|c| matches!(c, ServiceCall::FetchGovernmentIdVerdict { .. }));
        let liveness_call =
            self.is_calling(|c| matches!(c, ServiceCall::RequestLivenessChallenge { .. } | ServiceCall::SubmitLivenessFrames { .. }));
        match (&mut self.step, event) {
            // While the service is opening a session or looking up the verdict, another tap
            // would race that answer: it is refused, and the answer moves the step.
            (Step::GovernmentId { .. }, Event::Continue | Event::GovernmentIdHandoffEnded) if opening || fetching_verdict => {
                return Err(Rejection::UnexpectedEvent);
            }
            // The partner has not reported yet: "Check again" asks the service now.
            (Step::GovernmentId { awaiting_verdict: Some(_), .. }, Event::Continue) => {
                self.call(ServiceCall::FetchGovernmentIdVerdict { request_id }, out);
            }
            // The service opens the partner session; its answer hands the user off.
            (Step::GovernmentId { .. }, Event::Continue) => {
                self.call(ServiceCall::OpenPartnerSession { request_id }, out);
            }
            (Step::GovernmentId { completed, .. }, Event::GovernmentIdProgress { step }) => {
                if !completed.contains(&step) {
                    completed.push(step);
                }
            }
            // The user is back from the partner's page. The verdict is the service's to tell
            // (the partner reports it there), so the flow asks for it; the phone's word is
            // never taken. Coming back from a partner that was never opened is stale.
            (Step::GovernmentId { started: true, .. }, Event::GovernmentIdHandoffEnded) => {
                self.call(ServiceCall::FetchGovernmentIdVerdict { request_id }, out);
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
            // While the service issues a challenge or judges the frames, another tap or a late
            // result would race its answer: refused, and the answer moves the step.
            (Step::Liveness { .. }, Event::Continue | Event::LivenessFinished { .. }) if liveness_call => {
                return Err(Rejection::UnexpectedEvent);
            }
            // (Re)starts the check with a new challenge (single use, and short-lived); its
            // answer opens the camera. A run under way is abandoned.
            (Step::Liveness { attempts, .. }, Event::Continue) => {
                let attempts = *attempts;
                if self.require_permissions(&[Permission::Camera], out) {
                    self.step = Step::Liveness { in_progress: false, attempts, challenge: None };
                    self.call(ServiceCall::RequestLivenessChallenge { request_id }, out);
                }
            }
            // The phone's challenge ended. Passed: its frames go to the service, whose verdict
            // moves the step. Failed: nothing is uploaded (the service would fail the same
            // frames); the user sees why and tries again with a new challenge.
            (Step::Liveness { in_progress: true, challenge: Some(challenge), .. }, Event::LivenessFinished { failure: None }) => {
                let challenge_id = challenge.id.clone();
                self.call(ServiceCall::SubmitLivenessFrames { request_id, challenge_id }, out);
            }
            (
                Step::Liveness { in_progress: in_progress @ true, attempts, challenge: challenge @ Some(_) },
                Event::LivenessFinished { failure: Some(reason) },
            ) => {
                *in_progress = false;
                *attempts = attempts.saturating_add(1);
                *challenge = None;
                self.notice = Some(super::Notice::LivenessFailed { reason });
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
