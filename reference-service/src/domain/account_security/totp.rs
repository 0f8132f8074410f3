//! The authenticator app's codes (RFC 6238 TOTP: HMAC-SHA1, 6 digits, 30-second steps, which
//! every standard authenticator app reads from an `otpauth://` URI). The service accepts the
//! current step and one either side (clock drift, typing time), never a step at or before the
//! last one accepted, so a code seen over a shoulder cannot be used again.

use crate::domain::DomainError;
use crate::secrets::hmac_sha1;

/// Seconds per step.
pub const PERIOD_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Secret length: 160 bits, RFC 4226's recommendation.
pub const SECRET_BYTES: usize = 20;
/// How long an activation waits for its first code.
pub const ACTIVATION_LIFETIME_SECONDS: i64 = 10 * 60;
/// Wrong codes an activation (or a phone verification) takes before it is dead.
pub const MAX_ATTEMPTS: u32 = 5;
/// Wrong activation codes `POST /mfa/activate` takes per minute, from anybody: with 9-digit
/// codes living 10 minutes, guessing one takes hundreds of millions of tries, and this keeps
/// it there.
pub const ACTIVATION_GUESSES_PER_MINUTE: usize = 30;

/// Whether another activation-code guess may be checked at `now`, given the times of recent
/// wrong ones (those older than a minute are dropped from `misses`).
pub fn check_activation_guess(misses: &mut Vec<i64>, now: i64) -> Result<(), DomainError> {
    misses.retain(|at| *at > now - 60);
    if misses.len() >= ACTIVATION_GUESSES_PER_MINUTE { Err(DomainError::VerificationAttemptsExceeded) } else { Ok(()) }
}

/// The issuer shown in the authenticator app.
pub const ISSUER: &str = "Identity Pass";

/// The code of `secret` at `step` (RFC 4226's HOTP with dynamic truncation).
pub fn code_at(secret: &[u8], step: i64) -> String {
    let mac = hmac_sha1(secret, &step.to_be_bytes());
    let offset = usize::from(mac.last().copied().unwrap_or(0) & 0x0f);
    let word = mac.get(offset..offset + 4).map_or(0, |b| u32::from_be_bytes([b[0] & 0x7f, b[1], b[2], b[3]]));
    format!("{:0width$}", word % 10u32.pow(DIGITS), width = DIGITS as usize)
}

/// The step of `now`.
pub fn step_of(now: i64) -> i64 {
    now.div_euclid(PERIOD_SECONDS)
}

/// The step `code` belongs to if it is right at `now` (±1 step) and newer than `last_step`.
pub fn verify(secret: &[u8], code: &str, now: i64, last_step: Option<i64>) -> Result<i64, DomainError> {
    let current = step_of(now);
    let code = code.trim();
    (current - 1..=current + 1)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| code.len() == DIGITS as usize && crate::secrets::secrets_equal(code_at(secret, *step).as_bytes(), code.as_bytes()))
        .ok_or(DomainError::VerificationCodeInvalid)
}

/// RFC 4648 base32 without padding, as otpauth URIs carry secrets.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The `otpauth://` URI for `upn`'s `secret` (Google Authenticator's key URI format, which
/// Microsoft Authenticator and the others read).
pub fn otpauth_uri(upn: &str, secret: &[u8]) -> String {
    let issuer = percent_encode(ISSUER);
    format!(
        "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={PERIOD_SECONDS}",
        percent_encode(upn),
        base32(secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA1, the last six digits of the eight shown.
        let secret = b"12345678901234567890";
        for (time, code) in [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")] {
            assert_eq!(code_at(secret, step_of(time)), code, "at {time}");
        }
    }

    #[test]
    fn a_code_is_good_for_one_step_either_side_and_never_twice() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_109;
        let code = code_at(secret, step_of(now));
        let step = verify(secret, &code, now, None).expect("accepted");
        assert_eq!(verify(secret, &code, now + 30, None), Ok(step), "one step late");
        assert_eq!(verify(secret, &code, now + 60, None), Err(DomainError::VerificationCodeInvalid), "two steps late");
        assert_eq!(verify(secret, &code, now, Some(step)), Err(DomainError::VerificationCodeInvalid), "replayed");
        assert_eq!(verify(secret, "12345", now, None), Err(DomainError::VerificationCodeInvalid));
    }

    #[test]
    fn activation_code_guesses_are_limited_per_minute() {
        let mut misses: Vec<i64> = (0..30).map(|i| 100 + i).collect();
        assert_eq!(check_activation_guess(&mut misses, 130), Err(DomainError::VerificationAttemptsExceeded));
        assert_eq!(check_activation_guess(&mut misses, 160), Ok(()), "the oldest miss is a minute old");
        assert_eq!(misses.len(), 29);
    }

    #[test]
    fn the_uri_carries_the_secret_in_base32() {
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(
            otpauth_uri("ada@contoso.example", b"12345678901234567890"),
            "otpauth://totp/Identity%20Pass:ada%40contoso.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Identity%20Pass&algorithm=SHA1&digits=6&period=30"
        );
    }
}
