//! What the reviewer decides with (seeds 000 and 001: the reviewer compares the selfie, and the
//! liveness capture when one came, with the badge photo): which requests a reviewer may look
//! at, and whether each image may still be shown.
//!
//! Retention holds on read, not only when the purge runs: a selfie is refused from 24 h after
//! its upload and a liveness capture from 48 h after it was taken, exactly when the purge would
//! delete them (`domain::retention`), even if the purge has not run yet. The badge photo is the
//! badge photo store's, kept as long as the person's record.

use crate::domain::DomainError;
use crate::domain::directory::StaffKind;
use crate::domain::request::OnboardingRequest;
use crate::domain::request_state::RequestState;
use crate::domain::retention::{LIVENESS_RETENTION_SECONDS, SELFIE_RETENTION_SECONDS};

/// A request with what its evidence view shows beyond the request itself, as stored.
#[derive(Debug, Clone)]
pub struct EvidenceRecord {
    /// The request.
    pub request: OnboardingRequest,
    /// The directory's employee ID.
    pub employee_id: String,
    /// Employee or external.
    pub staff_kind: StaffKind,
    /// The personal email given in the identity step.
    pub personal_email: Option<String>,
    /// The partner's reason, when it rejected the government ID.
    pub government_id_reason: Option<String>,
    /// Why the liveness check failed, when it did.
    pub liveness_reason: Option<String>,
    /// When the liveness capture was taken; `None` when none came. Kept after the purge
    /// deletes the capture, so an expired capture reads as expired.
    pub liveness_captured_at: Option<i64>,
}

/// Where one image stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// May be shown; `until` is when retention ends (`None`: not subject to retention).
    Available {
        /// End of retention, Unix seconds.
        until: Option<i64>,
    },
    /// Was stored, but its retention ended at `until`.
    Expired {
        /// End of retention, Unix seconds.
        until: i64,
    },
    /// Nothing stored.
    Missing,
}

impl Availability {
    /// Whether the image may be shown.
    pub fn is_available(self) -> bool {
        matches!(self, Self::Available { .. })
    }

    /// When retention ends (or ended), if the image is subject to it.
    pub fn until(self) -> Option<i64> {
        match self {
            Self::Available { until } => until,
            Self::Expired { until } => Some(until),
            Self::Missing => None,
        }
    }

    /// [`DomainError::EvidenceExpired`] or [`DomainError::EvidenceNotFound`] unless available.
    pub fn require(self) -> Result<(), DomainError> {
        match self {
            Self::Available { .. } => Ok(()),
            Self::Expired { .. } => Err(DomainError::EvidenceExpired),
            Self::Missing => Err(DomainError::EvidenceNotFound),
        }
    }
}

/// An image stored at `stored_at` and kept `retention_seconds`, at `now`. It expires at the
/// same second the purge deletes it (`stored_at <= now - retention`).
fn kept_for(retention_seconds: i64, stored_at: Option<i64>, now: i64) -> Availability {
    match stored_at {
        None => Availability::Missing,
        Some(at) => {
            let until = at + retention_seconds;
            if now >= until { Availability::Expired { until } } else { Availability::Available { until: Some(until) } }
        }
    }
}

/// The selfie, from the upload time the request keeps after the purge: an old selfie stays
/// "expired", never turns into "missing".
pub fn selfie(request: &OnboardingRequest, now: i64) -> Availability {
    kept_for(SELFIE_RETENTION_SECONDS, request.selfie_uploaded_at, now)
}

/// The liveness capture taken at `captured_at`, if one is stored.
pub fn liveness_capture(captured_at: Option<i64>, now: i64) -> Availability {
    kept_for(LIVENESS_RETENTION_SECONDS, captured_at, now)
}

/// The badge photo, which retention does not touch.
pub fn badge_photo(on_file: bool) -> Availability {
    if on_file { Availability::Available { until: None } } else { Availability::Missing }
}

/// A reviewer sees what was submitted to review — pending, decided or expired — but never a
/// draft still being filled in on the phone, which answers like a request that does not exist.
pub fn require_submitted(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.state == RequestState::Draft { Err(DomainError::RequestNotSubmitted) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::OnboardingPath;
    use crate::domain::request::fixtures::draft;

    const HOUR: i64 = 3600;

    #[test]
    fn the_selfie_expires_after_24_hours_even_before_the_purge() {
        let mut request = draft(OnboardingPath::GetTap);
        assert_eq!(selfie(&request, 100), Availability::Missing);
        assert_eq!(selfie(&request, 100).require(), Err(DomainError::EvidenceNotFound));
        request.selfie_uploaded_at = Some(1_000);
        let until = 1_000 + 24 * HOUR;
        assert_eq!(selfie(&request, until - 1), Availability::Available { until: Some(until) });
        assert_eq!(selfie(&request, until - 1).require(), Ok(()));
        assert_eq!(selfie(&request, until), Availability::Expired { until });
        assert_eq!(selfie(&request, until).require(), Err(DomainError::EvidenceExpired));
        assert_eq!(selfie(&request, until).until(), Some(until), "the reviewer is told when it went");
    }

    #[test]
    fn the_liveness_capture_is_kept_48_hours_and_the_badge_photo_for_ever() {
        let until = 5_000 + 48 * HOUR;
        assert!(liveness_capture(Some(5_000), until - 1).is_available());
        assert_eq!(liveness_capture(Some(5_000), until), Availability::Expired { until });
        assert_eq!(liveness_capture(None, 0), Availability::Missing);
        assert_eq!(badge_photo(true), Availability::Available { until: None });
        assert_eq!(badge_photo(false).require(), Err(DomainError::EvidenceNotFound));
    }

    #[test]
    fn reviewers_see_every_submitted_request_but_no_draft() {
        let mut request = draft(OnboardingPath::GetTap);
        assert_eq!(require_submitted(&request), Err(DomainError::RequestNotSubmitted));
        for state in [RequestState::WaitingForReviewer, RequestState::InCall, RequestState::Denied, RequestState::Expired] {
            request.state = state;
            assert_eq!(require_submitted(&request), Ok(()), "{state:?}");
        }
    }
}
