//! Device registration rules: the platforms the app ships on, and the shape of a secret the
//! device may bring itself (64 lowercase hex digits, generated on the device, so no secret ever
//! travels back).

use crate::domain::DomainError;

/// Platforms the app ships on.
pub const PLATFORMS: [&str; 3] = ["android", "android_china", "ios"];

/// The platform must be one the app ships on.
pub fn check_platform(platform: &str) -> Result<(), DomainError> {
    if PLATFORMS.contains(&platform) { Ok(()) } else { Err(DomainError::PlatformInvalid) }
}

/// A device-chosen secret must be 64 lowercase hex digits (256 bits).
pub fn check_own_secret(secret: &str) -> Result<(), DomainError> {
    let hex = secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if hex { Ok(()) } else { Err(DomainError::DeviceSecretInvalid) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_and_own_secrets_are_checked() {
        assert_eq!(check_platform("android_china"), Ok(()));
        assert_eq!(check_platform("windows"), Err(DomainError::PlatformInvalid));
        assert_eq!(check_own_secret(&"a1".repeat(32)), Ok(()));
        assert_eq!(check_own_secret(&"A1".repeat(32)), Err(DomainError::DeviceSecretInvalid));
        assert_eq!(check_own_secret("a1"), Err(DomainError::DeviceSecretInvalid));
    }
}
