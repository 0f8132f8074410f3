//! Passkey registration (the "Get Passkey" path) is open only to an approved request on that
//! path; the WebAuthn ceremony itself is protocol work done by the HTTP layer with webauthn-rs.

use crate::domain::DomainError;
use crate::domain::directory::OnboardingPath;
use crate::domain::request::OnboardingRequest;

/// A passkey may be registered for an approved request on the passkey path.
pub fn check_registration_allowed(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.path != OnboardingPath::GetPasskey {
        return Err(DomainError::PathHasNoPasskey);
    }
    request.require_approved()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::fixtures::draft;
    use crate::domain::request_state::RequestState;

    #[test]
    fn only_approved_passkey_requests_register_passkeys() {
        let mut request = draft(OnboardingPath::GetTap);
        request.state = RequestState::Approved;
        assert_eq!(check_registration_allowed(&request), Err(DomainError::PathHasNoPasskey));
        request.path = OnboardingPath::GetPasskey;
        assert_eq!(check_registration_allowed(&request), Ok(()));
        request.state = RequestState::InCall;
        assert_eq!(check_registration_allowed(&request), Err(DomainError::RequestNotApproved));
    }
}
