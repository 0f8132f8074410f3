//! Consent to the terms: the version accepted and when. It may come on its own
//! (`POST /v1/requests/{id}/consent`) or with the identity step, as the app's flow records it
//! before a request exists.

use crate::clock::from_rfc3339;
use crate::domain::DomainError;

/// A validated consent record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// Version of the terms the user accepted, trimmed.
    pub terms_version: String,
    /// When, Unix seconds (the device's claim; stored for the record only).
    pub accepted_at: i64,
}

/// Validates a consent record: `terms_version` of 1–64 characters, `accepted_at` RFC 3339.
pub fn checked_consent(terms_version: &str, accepted_at: &str) -> Result<Consent, DomainError> {
    let terms = terms_version.trim();
    if terms.is_empty() || terms.len() > 64 {
        return Err(DomainError::TermsVersionInvalid);
    }
    let accepted_at = from_rfc3339(accepted_at).ok_or(DomainError::AcceptedAtInvalid)?;
    Ok(Consent { terms_version: terms.to_owned(), accepted_at })
}

/// Consent sent with the identity step: both halves or neither.
pub fn consent_with_identity(terms_version: Option<&str>, accepted_at: Option<&str>) -> Result<Option<Consent>, DomainError> {
    match (terms_version, accepted_at) {
        (Some(terms), Some(at)) => checked_consent(terms, at).map(Some),
        (None, None) => Ok(None),
        _ => Err(DomainError::ConsentIncomplete),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_needs_a_short_version_and_an_rfc3339_time() {
        let consent = checked_consent(" 2026-01 ", "2026-11-21T09:00:00Z").expect("valid");
        assert_eq!(consent.terms_version, "2026-01");
        assert_eq!(checked_consent("  ", "2026-11-21T09:00:00Z"), Err(DomainError::TermsVersionInvalid));
        assert_eq!(checked_consent(&"v".repeat(65), "2026-11-21T09:00:00Z"), Err(DomainError::TermsVersionInvalid));
        assert_eq!(checked_consent("2026-01", "yesterday"), Err(DomainError::AcceptedAtInvalid));
    }

    #[test]
    fn consent_with_the_identity_comes_whole_or_not_at_all() {
        assert_eq!(consent_with_identity(None, None), Ok(None));
        assert_eq!(consent_with_identity(Some("2026-01"), None), Err(DomainError::ConsentIncomplete));
        assert!(consent_with_identity(Some("2026-01"), Some("2026-11-21T09:00:00Z")).expect("both").is_some());
    }
}
