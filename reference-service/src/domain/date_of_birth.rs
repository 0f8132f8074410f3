//! Confirming a legacy-path employee's identity with the date of birth, and limiting guesses.
//!
//! Every wrong date counts against the person (by UPN, for 24 hours) and against the request;
//! five wrong dates lock the request for good, and while a person has five wrong dates in the
//! last 24 hours no date is accepted for them at all. A one-step create that fails while
//! carrying a date counts too, under the UPN as typed, so the answer for an unknown UPN and for
//! a known one stays the same. The same wrong date sent again (a retry after a lost answer)
//! counts once: it tells a guesser nothing new.

use crate::domain::DomainError;
use crate::domain::directory::{DirectoryEntry, OnboardingPath, StaffKind};
use crate::domain::request::OnboardingRequest;

/// Wrong dates of birth that lock a request (and, within [`FAILURE_WINDOW_SECONDS`], a person).
pub const MAX_WRONG_DATES: i64 = 5;
/// How long a wrong date counts against the person.
pub const FAILURE_WINDOW_SECONDS: i64 = 24 * 3600;

/// How wrong dates are filed: the UPN, trimmed and lower-cased (as the directory compares it).
pub fn failure_key(upn: &str) -> String {
    upn.trim().to_ascii_lowercase()
}

/// Whether this many wrong dates lock the request or the person.
pub fn locks(wrong_dates: i64) -> bool {
    wrong_dates >= MAX_WRONG_DATES
}

/// The date of birth is asked only of employees on the legacy path. `entry` is the request's
/// person as the directory has them (gone from the directory: no match); returns it.
pub fn require_asked<'a>(request: &OnboardingRequest, entry: Option<&'a DirectoryEntry>) -> Result<&'a DirectoryEntry, DomainError> {
    let entry = entry.ok_or(DomainError::IdentityNotMatched)?;
    if request.path != OnboardingPath::LegacyDob || entry.staff_kind != StaffKind::Employee {
        return Err(DomainError::DateOfBirthNotNeeded);
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory_seed::seeded_directory;
    use crate::domain::request::fixtures::draft;

    #[test]
    fn wrong_dates_are_filed_by_normalised_upn_and_five_lock() {
        assert_eq!(failure_key("  Bob@Contoso.Example "), "bob@contoso.example");
        assert!(!locks(4));
        assert!(locks(5));
    }

    #[test]
    fn only_legacy_employees_are_asked_for_a_date_of_birth() {
        let directory = seeded_directory();
        let bob = directory.find("bob@contoso.example");
        let erin = directory.find("v-erin@contoso.example");
        assert_eq!(require_asked(&draft(OnboardingPath::LegacyDob), bob), Ok(bob.expect("bob")));
        assert_eq!(require_asked(&draft(OnboardingPath::GetTap), bob), Err(DomainError::DateOfBirthNotNeeded));
        assert_eq!(require_asked(&draft(OnboardingPath::LegacyDob), erin), Err(DomainError::DateOfBirthNotNeeded));
        assert_eq!(require_asked(&draft(OnboardingPath::LegacyDob), None), Err(DomainError::IdentityNotMatched));
    }
}
