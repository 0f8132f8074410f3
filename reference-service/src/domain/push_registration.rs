//! Registering a push token: FCM or APNs, and a token that is plausible for either (visible
//! ASCII, at most 4096 characters). The token addresses a person's phone, so nothing else about
//! it is inspected or logged.

use crate::domain::DomainError;

/// The longest token accepted.
pub const MAX_TOKEN_CHARS: usize = 4096;

/// Validates a registration and returns the token to store, trimmed.
pub fn checked_push_token<'a>(kind: &str, token: &'a str) -> Result<&'a str, DomainError> {
    if !matches!(kind, "fcm" | "apns") {
        return Err(DomainError::PushKindInvalid);
    }
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_TOKEN_CHARS || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(DomainError::PushTokenInvalid);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_tokens_are_checked() {
        assert_eq!(checked_push_token("apns", " abc "), Ok("abc"));
        assert_eq!(checked_push_token("sms", "abc"), Err(DomainError::PushKindInvalid));
        assert_eq!(checked_push_token("fcm", "a b"), Err(DomainError::PushTokenInvalid));
        assert_eq!(checked_push_token("fcm", ""), Err(DomainError::PushTokenInvalid));
    }
}
