//! The JSON view of a request that the device and reviewer endpoints share (`Request` in
//! openapi.yaml). Fields are declared in the order they go on the wire.

use serde::Serialize;

use crate::clock::to_rfc3339;
use crate::domain::call;
use crate::domain::directory::RolloutFlags;
use crate::domain::request::OnboardingRequest;

/// Staged-rollout flags as the wire shows them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FlagsView {
    /// Ask for a liveness check after the selfie.
    pub liveness_prompt: bool,
    /// Issue a Verified ID on approval.
    pub verified_id: bool,
}

impl From<RolloutFlags> for FlagsView {
    fn from(flags: RolloutFlags) -> Self {
        Self { liveness_prompt: flags.liveness_prompt, verified_id: flags.verified_id }
    }
}

/// Why a request was denied.
#[derive(Debug, Clone, Serialize)]
pub struct DenialView {
    /// Stable reason code.
    pub reason_code: String,
    /// Message for the user.
    pub message: Option<String>,
}

impl DenialView {
    /// The denial of `request`, if it was denied.
    pub fn of(request: &OnboardingRequest) -> Option<Self> {
        request.denial_reason_code.as_ref().map(|code| Self { reason_code: code.clone(), message: request.denial_message.clone() })
    }
}

/// `Request` in openapi.yaml.
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    /// Id.
    pub request_id: String,
    /// Work email.
    pub upn: String,
    /// `get_tap`, `get_passkey` or `legacy_dob`.
    pub path: &'static str,
    /// Rollout flags.
    pub flags: FlagsView,
    /// Whether the 30-day fast path applies.
    pub fast_path: bool,
    /// Request state.
    pub state: &'static str,
    /// Bumped on every change.
    pub version: i64,
    /// `confirmed`, `date_of_birth_required` or `locked`.
    pub identity_check: &'static str,
    /// Terms accepted.
    pub consent_terms_version: Option<String>,
    /// Partner result.
    pub government_id_result: Option<String>,
    /// Whether a selfie was uploaded (the image itself is never shown).
    pub selfie_uploaded: bool,
    /// `passed` or `failed`.
    pub liveness_result: Option<String>,
    /// The service's reason when the liveness check failed (the core's code).
    pub liveness_reason: Option<String>,
    /// RFC 3339.
    pub verified_id_presented_at: Option<String>,
    /// RFC 3339.
    pub submitted_at: Option<String>,
    /// Reviewer deadline, RFC 3339.
    pub deadline: Option<String>,
    /// Call id once invited.
    pub call_id: Option<String>,
    /// RFC 3339.
    pub joined_at: Option<String>,
    /// RFC 3339.
    pub left_at: Option<String>,
    /// The user's time in the call so far, in seconds: every stay added up, time away not
    /// (what the 15-second rule reads).
    pub seconds_in_call: i64,
    /// Set when denied.
    pub denial: Option<DenialView>,
    /// Server time, RFC 3339.
    pub server_time: String,
}

impl RequestView {
    /// The view of `request` at `now`.
    pub fn new(request: &OnboardingRequest, now: i64) -> Self {
        Self {
            request_id: request.id.clone(),
            upn: request.upn.clone(),
            path: request.path.as_str(),
            flags: request.flags.into(),
            fast_path: request.fast_path,
            state: request.state.as_str(),
            version: request.version,
            identity_check: request.identity_check().as_str(),
            consent_terms_version: request.consent_terms_version.clone(),
            government_id_result: request.government_id_result.clone(),
            selfie_uploaded: request.selfie_uploaded_at.is_some(),
            liveness_result: request.liveness_result.clone(),
            liveness_reason: request.liveness_reason.clone(),
            verified_id_presented_at: request.verified_id_presented_at.map(to_rfc3339),
            submitted_at: request.submitted_at.map(to_rfc3339),
            deadline: request.deadline_at.map(to_rfc3339),
            call_id: request.call_id.clone(),
            joined_at: request.joined_at.map(to_rfc3339),
            left_at: request.left_at.map(to_rfc3339),
            seconds_in_call: call::seconds_in_call(request, now),
            denial: DenialView::of(request),
            server_time: to_rfc3339(now),
        }
    }
}
