//! An onboarding request and the gates every step passes: steps change only a `draft`, evidence
//! and submission need a confirmed identity (on the legacy path that is the date of birth, which
//! may come after the request was created), TAP and passkey need an approved request.

use crate::domain::DomainError;
use crate::domain::directory::{OnboardingPath, RolloutFlags};
use crate::domain::request_state::RequestState;

/// A stored request, everything the rules look at.
#[derive(Debug, Clone)]
pub struct OnboardingRequest {
    /// Id.
    pub id: String,
    /// Owning device.
    pub device_id: String,
    /// Work email.
    pub upn: String,
    /// Path decided at creation.
    pub path: OnboardingPath,
    /// Rollout flags decided at creation.
    pub flags: RolloutFlags,
    /// Created from (or later given) a valid Verified ID less than 30 days old.
    pub fast_path: bool,
    /// Where the request stands.
    pub state: RequestState,
    /// Bumped on every change.
    pub version: i64,
    /// Consent given.
    pub consent_terms_version: Option<String>,
    /// Partner result: `verified`, `rejected`, `expired`.
    pub government_id_result: Option<String>,
    /// Selfie stored at.
    pub selfie_uploaded_at: Option<i64>,
    /// `passed` or `failed`.
    pub liveness_result: Option<String>,
    /// The service's reason when it failed.
    pub liveness_reason: Option<String>,
    /// Submitted at.
    pub submitted_at: Option<i64>,
    /// Reviewer deadline.
    pub deadline_at: Option<i64>,
    /// Call id once invited.
    pub call_id: Option<String>,
    /// User joined the call at.
    pub joined_at: Option<i64>,
    /// User left the call at.
    pub left_at: Option<i64>,
    /// Seconds the user was in the call before their latest join: time away from the call
    /// (between a leave and the next join) is not counted.
    pub seconds_in_call_before: i64,
    /// Denial reason code.
    pub denial_reason_code: Option<String>,
    /// Denial message.
    pub denial_message: Option<String>,
    /// When the identity was confirmed (at creation, or by the date of birth afterwards).
    pub identity_confirmed_at: Option<i64>,
    /// When too many wrong dates of birth locked the request for good.
    pub identity_locked_at: Option<i64>,
    /// When the device presented a Verified ID for this request.
    pub verified_id_presented_at: Option<i64>,
}

/// Where the identity of a request stands (`identity_check` in the view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityCheck {
    /// Confirmed: evidence and submission are open.
    Confirmed,
    /// Legacy path: the date of birth is still to be confirmed.
    DateOfBirthRequired,
    /// Too many wrong dates of birth; the request can no longer be used.
    Locked,
}

impl IdentityCheck {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::DateOfBirthRequired => "date_of_birth_required",
            Self::Locked => "locked",
        }
    }
}

impl OnboardingRequest {
    /// Where the identity stands.
    pub fn identity_check(&self) -> IdentityCheck {
        if self.identity_confirmed_at.is_some() {
            IdentityCheck::Confirmed
        } else if self.identity_locked_at.is_some() {
            IdentityCheck::Locked
        } else {
            IdentityCheck::DateOfBirthRequired
        }
    }

    /// Steps may only change a draft.
    pub fn require_draft(&self) -> Result<(), DomainError> {
        if self.state == RequestState::Draft { Ok(()) } else { Err(DomainError::RequestAlreadySubmitted) }
    }

    /// Evidence and submission need a confirmed identity.
    pub fn require_confirmed_identity(&self) -> Result<(), DomainError> {
        match self.identity_check() {
            IdentityCheck::Confirmed => Ok(()),
            IdentityCheck::DateOfBirthRequired => Err(DomainError::DateOfBirthNotConfirmed),
            IdentityCheck::Locked => Err(DomainError::IdentityLocked),
        }
    }

    /// TAP and passkey are only for approved requests.
    pub fn require_approved(&self) -> Result<(), DomainError> {
        if self.state == RequestState::Approved { Ok(()) } else { Err(DomainError::RequestNotApproved) }
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A fresh draft on `path` with a confirmed identity and nothing else done.
    pub fn draft(path: OnboardingPath) -> OnboardingRequest {
        OnboardingRequest {
            id: "req_1".into(),
            device_id: "dev_1".into(),
            upn: "alice@contoso.example".into(),
            path,
            flags: RolloutFlags::default(),
            fast_path: false,
            state: RequestState::Draft,
            version: 1,
            consent_terms_version: None,
            government_id_result: None,
            selfie_uploaded_at: None,
            liveness_result: None,
            liveness_reason: None,
            submitted_at: None,
            deadline_at: None,
            call_id: None,
            joined_at: None,
            left_at: None,
            seconds_in_call_before: 0,
            denial_reason_code: None,
            denial_message: None,
            identity_confirmed_at: Some(0),
            identity_locked_at: None,
            verified_id_presented_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::draft;
    use super::*;

    #[test]
    fn the_identity_gate_follows_confirmation_and_lock() {
        let mut request = draft(OnboardingPath::LegacyDob);
        assert_eq!(request.require_confirmed_identity(), Ok(()));
        request.identity_confirmed_at = None;
        assert_eq!(request.identity_check(), IdentityCheck::DateOfBirthRequired);
        assert_eq!(request.require_confirmed_identity(), Err(DomainError::DateOfBirthNotConfirmed));
        request.identity_locked_at = Some(5);
        assert_eq!(request.require_confirmed_identity(), Err(DomainError::IdentityLocked));
    }

    #[test]
    fn only_drafts_change_and_only_approved_requests_get_credentials() {
        let mut request = draft(OnboardingPath::GetTap);
        assert_eq!(request.require_draft(), Ok(()));
        assert_eq!(request.require_approved(), Err(DomainError::RequestNotApproved));
        request.state = RequestState::Approved;
        assert_eq!(request.require_draft(), Err(DomainError::RequestAlreadySubmitted));
        assert_eq!(request.require_approved(), Ok(()));
    }
}
