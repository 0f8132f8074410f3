//! Text message and voice call (seed 004): numbers in E.164, the text message's one-time code
//! (6 digits, 5 minutes, 5 attempts) and the limits on sending again (30 s apart, at most 3
//! sends per verification), and the voice call's keypad entry (the PIN followed by #).

use crate::domain::DomainError;

/// How long a texted code (or a call's wait for the keypad) is good for.
pub const CODE_LIFETIME_SECONDS: i64 = 5 * 60;
/// Wrong codes (or wrong PINs on the keypad) a verification takes.
pub const MAX_ATTEMPTS: u32 = 5;
/// Seconds between two sends of one verification.
pub const RESEND_INTERVAL_SECONDS: i64 = 30;
/// Sends per verification, the first included.
pub const MAX_SENDS: u32 = 3;
/// Digits of a texted code.
pub const CODE_DIGITS: usize = 6;

/// How the verification reaches the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A text message with a code.
    Sms,
    /// A call asking for the PIN and #.
    Voice,
}

impl Delivery {
    /// The wire name (also the method kind's).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
        }
    }

    /// The delivery named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Sms, Self::Voice].into_iter().find(|d| d.as_str() == name)
    }
}

/// A number as typed, in E.164: `+` then 8–15 digits; spaces, dashes, dots and parentheses
/// between them are dropped.
pub fn normalise_number(typed: &str) -> Result<String, DomainError> {
    let typed = typed.trim();
    let rest = typed.strip_prefix('+').ok_or(DomainError::PhoneNumberInvalid)?;
    if !rest.chars().all(|c| c.is_ascii_digit() || " -.()".contains(c)) {
        return Err(DomainError::PhoneNumberInvalid);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(DomainError::PhoneNumberInvalid);
    }
    Ok(format!("+{digits}"))
}

/// The numbers of a new phone method: the primary normalised; an extension (1–8 digits) and a
/// backup number only for a voice call.
pub fn check_numbers(
    delivery: Delivery,
    number: &str,
    extension: Option<&str>,
    backup: Option<&str>,
) -> Result<(String, Option<String>, Option<String>), DomainError> {
    let number = normalise_number(number)?;
    if delivery == Delivery::Sms && (extension.is_some() || backup.is_some()) {
        return Err(DomainError::PhoneNumberInvalid);
    }
    let extension = match extension.map(str::trim) {
        Some(ext) if (1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_digit()) => Some(ext.to_owned()),
        Some(_) => return Err(DomainError::PhoneNumberInvalid),
        None => None,
    };
    let backup = backup.map(normalise_number).transpose()?;
    Ok((number, extension, backup))
}

/// Whether one more send is allowed at `now`, after `sends` sends, the last at `last_sent_at`.
pub fn check_resend(sends: u32, last_sent_at: i64, now: i64) -> Result<(), DomainError> {
    if sends >= MAX_SENDS {
        return Err(DomainError::VerificationResendLimit);
    }
    if now < last_sent_at + RESEND_INTERVAL_SECONDS {
        return Err(DomainError::VerificationResendTooSoon { retry_after_seconds: last_sent_at + RESEND_INTERVAL_SECONDS - now });
    }
    Ok(())
}

/// What a voice call's keypad entry says: the PIN typed before `#`, if the entry ends with it.
pub fn pin_from_keypad(digits: &str) -> Option<&str> {
    digits.strip_suffix('#').filter(|pin| !pin.is_empty() && pin.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalised_to_e164() {
        assert_eq!(normalise_number("+49 151 1234 5678"), Ok("+4915112345678".to_owned()));
        assert_eq!(normalise_number("+1 (425) 555-0123"), Ok("+14255550123".to_owned()));
        assert_eq!(normalise_number("+44.20.7946.0958"), Ok("+442079460958".to_owned()));
        for bad in ["0151 1234 5678", "+49 151 CALL ME", "+1234567", "+1234567890123456", "", "+0151234567"] {
            assert_eq!(normalise_number(bad), Err(DomainError::PhoneNumberInvalid), "{bad}");
        }
        assert_eq!(
            check_numbers(Delivery::Voice, "+49 151 1234 5678", Some("12"), Some("+49 30 1234567")),
            Ok(("+4915112345678".into(), Some("12".into()), Some("+49301234567".into())))
        );
        assert_eq!(check_numbers(Delivery::Sms, "+49 151 1234 5678", Some("12"), None), Err(DomainError::PhoneNumberInvalid));
        assert_eq!(check_numbers(Delivery::Voice, "+49 151 1234 5678", Some("123456789"), None), Err(DomainError::PhoneNumberInvalid));
    }

    #[test]
    fn resends_wait_thirty_seconds_and_stop_after_three_sends() {
        assert_eq!(check_resend(1, 100, 129), Err(DomainError::VerificationResendTooSoon { retry_after_seconds: 1 }));
        assert_eq!(check_resend(1, 100, 130), Ok(()));
        assert_eq!(check_resend(3, 100, 1000), Err(DomainError::VerificationResendLimit));
    }

    #[test]
    fn the_keypad_entry_is_the_pin_and_a_hash() {
        assert_eq!(pin_from_keypad("4826#"), Some("4826"));
        assert_eq!(pin_from_keypad("4826"), None);
        assert_eq!(pin_from_keypad("#"), None);
        assert_eq!(pin_from_keypad("48*6#"), None);
    }
}
