//! The account password set on the password page: 12–256 characters, typed twice, and not
//! containing the user's name (the UPN's local part), which is the first thing guessed.

use crate::domain::DomainError;

/// Fewest characters.
pub const MIN_CHARS: usize = 12;
/// Most characters.
pub const MAX_CHARS: usize = 256;
/// How long a password-page ticket is good for.
pub const TICKET_LIFETIME_SECONDS: i64 = 15 * 60;

/// Checks a new password for `upn`.
pub fn check_new(upn: &str, password: &str, confirmation: &str) -> Result<(), DomainError> {
    if password != confirmation {
        return Err(DomainError::PasswordMismatch);
    }
    let chars = password.chars().count();
    if !(MIN_CHARS..=MAX_CHARS).contains(&chars) {
        return Err(DomainError::PasswordPolicyLength { min: MIN_CHARS, max: MAX_CHARS });
    }
    let local = upn.split('@').next().unwrap_or(upn).to_lowercase();
    if local.chars().count() >= 3 && password.to_lowercase().contains(&local) {
        return Err(DomainError::PasswordContainsName);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_typed_twice_and_free_of_the_name() {
        assert_eq!(check_new("ada@contoso.example", "correct horse battery", "correct horse battery"), Ok(()));
        assert_eq!(check_new("ada@contoso.example", "correct horse battery", "correct horse batterY"), Err(DomainError::PasswordMismatch));
        assert_eq!(check_new("ada@contoso.example", "short", "short"), Err(DomainError::PasswordPolicyLength { min: 12, max: 256 }));
        assert_eq!(check_new("ada@contoso.example", "I am ADA the great", "I am ADA the great"), Err(DomainError::PasswordContainsName));
    }
}
