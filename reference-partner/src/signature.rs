//! The reference partner's webhook signature: `Partner-Signature: t=<unix seconds>,v1=<hex>`,
//! where the hex is HMAC-SHA256 over `"<t>.<body>"` with the shared webhook secret. The time is
//! inside the signed text, so a captured callback cannot be re-dated; the receiver refuses one
//! whose time is further than [`TOLERANCE_SECONDS`] from its own and remembers event ids to
//! refuse a replay inside that window.

use ring::hmac;

/// The header carrying the signature.
pub const HEADER: &str = "partner-signature";

/// How far a callback's time may be from the receiver's.
pub const TOLERANCE_SECONDS: i64 = 300;

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Missing header, or not `t=…,v1=…`.
    #[error("the signature header is missing or malformed")]
    Malformed,
    /// The HMAC does not match the body.
    #[error("the signature does not match")]
    Mismatch,
    /// Signed too long ago (or in the future).
    #[error("the signature is outside the time tolerance")]
    Stale,
}

fn key(secret: &[u8]) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret)
}

fn signed_text(timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut text = format!("{timestamp}.").into_bytes();
    text.extend_from_slice(body);
    text
}

/// The header value for `body` signed at `timestamp`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let tag = hmac::sign(&key(secret), &signed_text(timestamp, body));
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

fn parse(header: &str) -> Option<(i64, Vec<u8>)> {
    let (mut timestamp, mut tag) = (None, None);
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) if value.len() == 64 => {
                tag = (0..64).step_by(2).map(|i| u8::from_str_radix(value.get(i..i + 2)?, 16).ok()).collect::<Option<Vec<u8>>>();
            }
            _ => {}
        }
    }
    Some((timestamp?, tag?))
}

/// Checks `header` against `body` at the receiver's time `now`; returns the signed time.
pub fn verify(secret: &[u8], header: Option<&str>, body: &[u8], now: i64) -> Result<i64, SignatureError> {
    let (timestamp, tag) = header.and_then(parse).ok_or(SignatureError::Malformed)?;
    // Constant-time comparison (ring) before the time check, so a forger learns nothing
    // about the secret from which error comes back.
    hmac::verify(&key(secret), &signed_text(timestamp, body), &tag).map_err(|_| SignatureError::Mismatch)?;
    if (now - timestamp).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    Ok(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"shared webhook secret for tests";

    #[test]
    fn a_signed_body_verifies_and_any_change_is_refused() {
        let body = br#"{"event_id":"evt_1","result":"verified"}"#;
        let header = sign(SECRET, 1_000, body);
        assert_eq!(verify(SECRET, Some(&header), body, 1_000), Ok(1_000));
        assert_eq!(verify(SECRET, Some(&header), br#"{"event_id":"evt_1","result":"rejected"}"#, 1_000), Err(SignatureError::Mismatch));
        assert_eq!(verify(b"another secret", Some(&header), body, 1_000), Err(SignatureError::Mismatch));
        let redated = header.replacen("t=1000", "t=1200", 1);
        assert_eq!(verify(SECRET, Some(&redated), body, 1_200), Err(SignatureError::Mismatch), "the time is signed");
    }

    #[test]
    fn old_future_and_malformed_signatures_are_refused() {
        let body = b"{}";
        let header = sign(SECRET, 1_000, body);
        assert_eq!(verify(SECRET, Some(&header), body, 1_000 + TOLERANCE_SECONDS), Ok(1_000));
        assert_eq!(verify(SECRET, Some(&header), body, 1_001 + TOLERANCE_SECONDS), Err(SignatureError::Stale));
        assert_eq!(verify(SECRET, Some(&header), body, 999 - TOLERANCE_SECONDS), Err(SignatureError::Stale));
        for bad in [None, Some(""), Some("t=1000"), Some("v1=00"), Some("t=x,v1=zz"), Some("t=1000,v1=abc")] {
            assert_eq!(verify(SECRET, bad, body, 1_000), Err(SignatureError::Malformed), "{bad:?}");
        }
    }
}
