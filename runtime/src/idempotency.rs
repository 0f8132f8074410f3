//! Idempotency keys: one per logical request, reused by every retry of it, so the service can
//! answer a retried submission with the stored response instead of acting twice.
//!
//! A key is minted when the flow first decides to send something and travels with that
//! decision (including through a saved snapshot), so a retry after the app was killed carries
//! the same key as the attempt that may already have reached the server.

use std::fmt;

/// An opaque, random request identifier (128 bits, lowercase hex).
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A fresh random key. Fails only if the OS has no randomness to give.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// Wraps a key that was generated earlier (for example, read back from a snapshot).
    pub fn from_existing(value: String) -> Self {
        Self(value)
    }

    /// The header value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_well_formed() {
        let a = IdempotencyKey::generate().expect("randomness");
        let b = IdempotencyKey::generate().expect("randomness");
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
