//! Submitting a request: which steps each path needs before review, and what submission does —
//! approve at once on the fast path, or queue for a reviewer with a 24-hour deadline.
//!
//! Requirements, checked in this order so the user is sent to the earliest missing step:
//! consent; the government ID on the passkey path (not on the fast path); a selfie on the TAP
//! and legacy paths (not on the fast path); liveness when the rollout asks for it, on the fast
//! path and on the passkey path; and on the passkey path the Verified ID, issued after the
//! government ID, presented back (seed 001).

use crate::domain::DomainError;
use crate::domain::directory::OnboardingPath;
use crate::domain::request::OnboardingRequest;

/// How long a reviewer has to start the call.
pub const REVIEW_WINDOW_SECONDS: i64 = 24 * 3600;

/// What submitting does to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// The fast path: approved without a reviewer.
    ApprovedAtOnce,
    /// Waiting for a reviewer until `deadline_at`.
    QueuedForReview {
        /// Submission time plus [`REVIEW_WINDOW_SECONDS`].
        deadline_at: i64,
    },
}

/// Checks every step the path needs (the request is a draft with a confirmed identity) and says
/// what submission does at `now`.
pub fn submit(request: &OnboardingRequest, now: i64) -> Result<SubmitOutcome, DomainError> {
    if request.consent_terms_version.is_none() {
        return Err(DomainError::ConsentRequired);
    }
    let needs_government_id = request.path == OnboardingPath::GetPasskey && !request.fast_path;
    if needs_government_id && request.government_id_result.as_deref() != Some("verified") {
        return Err(DomainError::GovernmentIdNotVerified);
    }
    let needs_selfie = request.path != OnboardingPath::GetPasskey && !request.fast_path;
    if needs_selfie && request.selfie_uploaded_at.is_none() {
        return Err(DomainError::SelfieRequired);
    }
    let needs_liveness = request.flags.liveness_prompt || request.fast_path || request.path == OnboardingPath::GetPasskey;
    if needs_liveness && request.liveness_result.as_deref() != Some("passed") {
        return Err(DomainError::LivenessRequired);
    }
    if needs_government_id && request.verified_id_presented_at.is_none() {
        return Err(DomainError::VerifiedIdNotPresented);
    }
    Ok(if request.fast_path {
        SubmitOutcome::ApprovedAtOnce
    } else {
        SubmitOutcome::QueuedForReview { deadline_at: now + REVIEW_WINDOW_SECONDS }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::fixtures::draft;

    #[test]
    fn the_tap_path_needs_consent_then_a_selfie_and_queues_for_24_hours() {
        let mut request = draft(OnboardingPath::GetTap);
        assert_eq!(submit(&request, 100), Err(DomainError::ConsentRequired));
        request.consent_terms_version = Some("2026-01".into());
        assert_eq!(submit(&request, 100), Err(DomainError::SelfieRequired));
        request.selfie_uploaded_at = Some(50);
        assert_eq!(submit(&request, 100), Ok(SubmitOutcome::QueuedForReview { deadline_at: 100 + 24 * 3600 }));
        request.flags.liveness_prompt = true;
        assert_eq!(submit(&request, 100), Err(DomainError::LivenessRequired));
        request.liveness_result = Some("failed".into());
        assert_eq!(submit(&request, 100), Err(DomainError::LivenessRequired));
    }

    #[test]
    fn the_passkey_path_needs_government_id_liveness_and_the_presented_verified_id() {
        let mut request = draft(OnboardingPath::GetPasskey);
        request.consent_terms_version = Some("2026-01".into());
        assert_eq!(submit(&request, 0), Err(DomainError::GovernmentIdNotVerified));
        request.government_id_result = Some("verified".into());
        assert_eq!(submit(&request, 0), Err(DomainError::LivenessRequired), "no selfie needed, liveness is");
        request.liveness_result = Some("passed".into());
        assert_eq!(submit(&request, 0), Err(DomainError::VerifiedIdNotPresented));
        request.verified_id_presented_at = Some(1);
        assert!(matches!(submit(&request, 0), Ok(SubmitOutcome::QueuedForReview { .. })));
    }

    #[test]
    fn the_fast_path_needs_only_consent_and_liveness_and_is_approved_at_once() {
        let mut request = draft(OnboardingPath::LegacyDob);
        request.fast_path = true;
        request.consent_terms_version = Some("2026-01".into());
        assert_eq!(submit(&request, 0), Err(DomainError::LivenessRequired));
        request.liveness_result = Some("passed".into());
        assert_eq!(submit(&request, 0), Ok(SubmitOutcome::ApprovedAtOnce));
    }
}
