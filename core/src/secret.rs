//! A string that must never reach a log, a panic message or a plain file.
//!
//! Secrets are redacted *by type*: `Debug` and `Display` print a fixed marker, so a careless
//! `tracing::debug!(?value)` cannot leak one, and the bytes are wiped when the value is dropped.
//! Copies made by serde, reqwest or the FFI layer are out of reach of the wipe; keep the
//! lifetime of every exposed copy short.

use std::fmt;
use zeroize::Zeroizing;

/// What a redacted value prints as.
pub const REDACTED: &str = "[redacted]";

/// An owned secret string (a device secret, a Temporary Access Pass, …).
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a value; the caller's `String` moves in and is wiped with this value.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret itself. Named loudly so every exposure is easy to find in review.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = SecretString::new("TAP-1234-abcd".to_owned());
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{secret}"), REDACTED);
        assert_eq!(format!("{:?}", Some(&secret)), format!("Some({REDACTED})"));
        assert_eq!(secret.expose_secret(), "TAP-1234-abcd");
    }
}
