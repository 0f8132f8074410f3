//! The PIN a voice call asks for (seed 004): digits only, of the policy's length, entered twice,
//! and not guessable — not one digit repeated (nor three in a row the same), not a run up or
//! down like 1234 or 9876, and not the PIN it replaces.

use crate::domain::DomainError;
use crate::domain::account_security::policy::PinPolicy;

/// Checks a new PIN and its confirmation against the policy. Whether it is the current PIN is
/// [`check_not_previous`]'s, after the (slow) comparison with the stored hash.
pub fn check_new(policy: &PinPolicy, pin: &str, confirmation: &str) -> Result<(), DomainError> {
    if pin != confirmation {
        return Err(DomainError::PinMismatch);
    }
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::PinNotDigits);
    }
    if !(policy.min_length..=policy.max_length).contains(&pin.len()) {
        return Err(DomainError::PinPolicyLength { min: policy.min_length, max: policy.max_length });
    }
    let digits = pin.as_bytes();
    if digits.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) || digits.iter().all(|d| *d == digits[0]) {
        return Err(DomainError::PinRepeatedDigits);
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| i16::from(w[1]) - i16::from(w[0])).collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Err(DomainError::PinSequentialDigits);
    }
    Ok(())
}

/// A new PIN must differ from the one it replaces (`is_previous`: it matched the stored hash).
pub fn check_not_previous(is_previous: bool) -> Result<(), DomainError> {
    if is_previous { Err(DomainError::PinPrevious) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pin: &str) -> Result<(), DomainError> {
        check_new(&PinPolicy { required: false, min_length: 4, max_length: 8 }, pin, pin)
    }

    #[test]
    fn pins_follow_the_policy() {
        assert_eq!(check("4826"), Ok(()));
        assert_eq!(check("48260"), Ok(()));
        assert_eq!(check_new(&PinPolicy { required: false, min_length: 4, max_length: 8 }, "4826", "4827"), Err(DomainError::PinMismatch));
        assert_eq!(check("48a6"), Err(DomainError::PinNotDigits));
        assert_eq!(check("482"), Err(DomainError::PinPolicyLength { min: 4, max: 8 }));
        assert_eq!(check("482648264"), Err(DomainError::PinPolicyLength { min: 4, max: 8 }));
        assert_eq!(check("1111"), Err(DomainError::PinRepeatedDigits));
        assert_eq!(check("4000"), Err(DomainError::PinRepeatedDigits));
        assert_eq!(check("1234"), Err(DomainError::PinSequentialDigits));
        assert_eq!(check("9876"), Err(DomainError::PinSequentialDigits));
        assert_eq!(check("1235"), Ok(()), "a run that breaks is allowed");
        assert_eq!(check_not_previous(true), Err(DomainError::PinPrevious));
        assert_eq!(check_not_previous(false), Ok(()));
    }
}
