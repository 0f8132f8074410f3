//! The identity step's own rules (core flow: `SubmitIdentity`), around the directory's path
//! decision: the optional personal email must look like an address, and the new request's
//! identity counts as confirmed unless the legacy path still waits for the date of birth — a
//! valid Verified ID presented with the identity confirms it too (the fast path).

use crate::domain::DomainError;
use crate::domain::directory::{DateOfBirthCheck, PathDecision};

/// The longest personal email accepted (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A personal email, when given, must contain `@` and fit [`MAX_EMAIL_CHARS`].
pub fn check_personal_email(email: Option<&str>) -> Result<(), DomainError> {
    match email {
        Some(email) if !email.contains('@') || email.len() > MAX_EMAIL_CHARS => Err(DomainError::PersonalEmailInvalid),
        _ => Ok(()),
    }
}

/// Whether the new request starts with a confirmed identity.
pub fn identity_confirmed(decision: &PathDecision, fast_path: bool) -> bool {
    decision.date_of_birth != DateOfBirthCheck::Pending || fast_path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{IdentityClaim, StaffKind};
    use crate::domain::directory_seed::seeded_directory;

    #[test]
    fn personal_emails_need_an_at_and_a_sane_length() {
        assert_eq!(check_personal_email(None), Ok(()));
        assert_eq!(check_personal_email(Some("alice.home@example.net")), Ok(()));
        assert_eq!(check_personal_email(Some("alice.home")), Err(DomainError::PersonalEmailInvalid));
        let long = format!("{}@example.net", "a".repeat(250));
        assert_eq!(check_personal_email(Some(&long)), Err(DomainError::PersonalEmailInvalid));
    }

    #[test]
    fn a_pending_date_of_birth_leaves_the_identity_unconfirmed_unless_on_the_fast_path() {
        let claim = IdentityClaim {
            upn: "bob@contoso.example".into(),
            employee_id: Some("E1002".into()),
            staff_kind: StaffKind::Employee,
            date_of_birth: None,
        };
        let decision = seeded_directory().decide(&claim).expect("bob");
        assert!(!identity_confirmed(&decision, false));
        assert!(identity_confirmed(&decision, true));
    }
}
