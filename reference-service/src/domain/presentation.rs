//! Presenting a Verified ID: the rules for the device key, the nonce and the key-binding JWT
//! (the format itself is the core's `device_binding`, which the phone builds with).
//!
//! A presentation is accepted when, in this order: the credential is ours, the person's, young
//! enough and on record (`verified_id::check_presented`) and not revoked; it is bound to a key
//! (`cnf`) and that key is the presenting device's registered key; the key-binding JWT is that
//! key's signature over this credential, for this service, made within five minutes of now;
//! and its nonce was issued to this device, is unexpired, and has not been spent. The nonce is
//! spent last, so a refused presentation leaves the nonce (and everything else) as it was.

use identity_pass_core::device_binding::{DevicePublicKey, key_binding};

use crate::domain::DomainError;
use crate::domain::verified_id::{ISSUER, PresentedCredential};

/// How long a nonce may be used.
pub const NONCE_LIFETIME_SECONDS: i64 = 120;
/// How many unspent, unexpired nonces a device may hold at once.
pub const MAX_OUTSTANDING_NONCES: i64 = 5;
/// How far the key binding's `iat` may be from the service's clock.
pub const IAT_TOLERANCE_SECONDS: i64 = 300;

/// The audience a key binding must name: this service, under the name it issues with.
pub fn audience() -> &'static str {
    ISSUER
}

/// A nonce as the store found it for the presenting device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceState {
    /// Never issued, or issued to another device.
    Unknown,
    /// Issued to this device, unspent; expires at this time.
    Unspent {
        /// Unix seconds.
        expires_at: i64,
    },
    /// Spent by an earlier presentation.
    Spent,
}

/// Whether another nonce may be issued to a device holding `outstanding` unspent ones.
pub fn check_nonce_allowance(outstanding: i64) -> Result<(), DomainError> {
    if outstanding >= MAX_OUTSTANDING_NONCES { Err(DomainError::PresentationNoncesOutstanding) } else { Ok(()) }
}

/// Checks the key binding of `credential` (already checked as ours and the person's) presented
/// by a device whose registered key is `device_key`, at `now`. Returns the nonce to spend.
pub fn check_key_binding(
    credential: &PresentedCredential,
    device_key: Option<&DevicePublicKey>,
    kb_jwt: &str,
    jws: &str,
    now: i64,
) -> Result<String, DomainError> {
    let bound_key = credential.device_key.as_ref().ok_or(DomainError::VerifiedIdNotBound)?;
    if device_key != Some(bound_key) {
        return Err(DomainError::VerifiedIdOfAnotherDevice);
    }
    let binding = key_binding::verify(kb_jwt, jws, bound_key).map_err(|_| DomainError::PresentationProofInvalid)?;
    if binding.audience != audience() || (now - binding.issued_at).abs() > IAT_TOLERANCE_SECONDS {
        return Err(DomainError::PresentationProofInvalid);
    }
    Ok(binding.nonce)
}

/// Whether the nonce found can be spent at `now`.
pub fn check_nonce(state: NonceState, now: i64) -> Result<(), DomainError> {
    match state {
        NonceState::Unknown => Err(DomainError::PresentationNonceUnknown),
        NonceState::Spent => Err(DomainError::PresentationNonceUsed),
        NonceState::Unspent { expires_at } if now >= expires_at => Err(DomainError::PresentationNonceExpired),
        NonceState::Unspent { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use identity_pass_core::device_binding::SoftwareDeviceKey;
    use identity_pass_core::device_binding::key_binding::{KeyBinding, assemble, signing_input};

    use super::*;

    fn credential(key: Option<DevicePublicKey>) -> PresentedCredential {
        PresentedCredential { jti: "vid_1".into(), device_key: key }
    }

    fn kb(key: &SoftwareDeviceKey, jws: &str, audience: &str, issued_at: i64) -> String {
        let input = signing_input(jws, &KeyBinding { nonce: "n1".into(), audience: audience.into(), issued_at });
        assemble(&input, &key.sign_der(input.as_bytes()).expect("signs")).expect("assembles")
    }

    #[test]
    fn the_earning_devices_key_over_this_credential_for_this_service_now_is_accepted() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let public = key.public_key();
        let ok = kb(&key, "j.w.s", ISSUER, 1_000);
        assert_eq!(check_key_binding(&credential(Some(public.clone())), Some(&public), &ok, "j.w.s", 1_000), Ok("n1".into()));
        assert_eq!(
            check_key_binding(&credential(Some(public.clone())), Some(&public), &ok, "j.w.s", 1_301),
            Err(DomainError::PresentationProofInvalid)
        );
        let elsewhere = kb(&key, "j.w.s", "another-verifier", 1_000);
        assert_eq!(
            check_key_binding(&credential(Some(public.clone())), Some(&public), &elsewhere, "j.w.s", 1_000),
            Err(DomainError::PresentationProofInvalid)
        );
    }

    #[test]
    fn a_copy_on_another_device_or_an_unbound_credential_is_refused_before_any_signature_is_read() {
        let owner = SoftwareDeviceKey::generate().expect("key").public_key();
        let thief = SoftwareDeviceKey::generate().expect("key");
        let forged = kb(&thief, "j.w.s", ISSUER, 1_000);
        let theirs = Some(thief.public_key());
        assert_eq!(
            check_key_binding(&credential(Some(owner.clone())), theirs.as_ref(), &forged, "j.w.s", 1_000),
            Err(DomainError::VerifiedIdOfAnotherDevice)
        );
        assert_eq!(check_key_binding(&credential(Some(owner)), None, &forged, "j.w.s", 1_000), Err(DomainError::VerifiedIdOfAnotherDevice));
        assert_eq!(check_key_binding(&credential(None), theirs.as_ref(), &forged, "j.w.s", 1_000), Err(DomainError::VerifiedIdNotBound));
    }

    #[test]
    fn a_nonce_is_spendable_once_by_its_device_within_its_lifetime() {
        assert_eq!(check_nonce(NonceState::Unspent { expires_at: 120 }, 119), Ok(()));
        assert_eq!(check_nonce(NonceState::Unspent { expires_at: 120 }, 120), Err(DomainError::PresentationNonceExpired));
        assert_eq!(check_nonce(NonceState::Spent, 0), Err(DomainError::PresentationNonceUsed));
        assert_eq!(check_nonce(NonceState::Unknown, 0), Err(DomainError::PresentationNonceUnknown));
        assert_eq!(check_nonce_allowance(MAX_OUTSTANDING_NONCES - 1), Ok(()));
        assert_eq!(check_nonce_allowance(MAX_OUTSTANDING_NONCES), Err(DomainError::PresentationNoncesOutstanding));
    }
}
