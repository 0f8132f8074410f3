//! Registering the device key: the device sends the public half with a signature over a fixed
//! statement naming that key, so the service only ever records a key whose private half the
//! registrant holds (and which is a real point on the curve: the signature would not verify
//! otherwise). The statement carries no nonce, on purpose: replaying a registration can only
//! attach somebody's public key to a device the replayer controls, and that gains nothing,
//! because every presentation needs a fresh signature from the private half.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{DeviceBindingError, DevicePublicKey};

/// The bytes the device key signs at registration.
pub fn statement(key: &DevicePublicKey) -> Vec<u8> {
    format!("identity-pass device key v1\n{}", key.thumbprint()).into_bytes()
}

/// The service's check of a registration: the key (base64url, SEC1 or SPKI) and its proof
/// (base64url, DER or r‖s). Returns the key to record.
pub fn check(public_key: &str, proof: &str) -> Result<DevicePublicKey, DeviceBindingError> {
    let key = DevicePublicKey::from_base64url(public_key)?;
    let proof = URL_SAFE_NO_PAD.decode(proof).map_err(|_| DeviceBindingError::SignatureMalformed)?;
    key.verify(&statement(&key), &proof)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device_binding::SoftwareDeviceKey;

    #[test]
    fn only_the_keys_own_signature_registers_it() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let other = SoftwareDeviceKey::generate().expect("key");
        let public = key.public_key().to_base64url();
        let proof = URL_SAFE_NO_PAD.encode(key.sign_der(&statement(&key.public_key())).expect("signs"));
        assert_eq!(check(&public, &proof), Ok(key.public_key()));
        let borrowed = URL_SAFE_NO_PAD.encode(other.sign_der(&statement(&key.public_key())).expect("signs"));
        assert_eq!(check(&public, &borrowed), Err(DeviceBindingError::SignatureInvalid));
        let for_other_key = URL_SAFE_NO_PAD.encode(key.sign_der(&statement(&other.public_key())).expect("signs"));
        assert_eq!(check(&public, &for_other_key), Err(DeviceBindingError::SignatureInvalid));
        assert_eq!(check("!!", &proof), Err(DeviceBindingError::PublicKeyInvalid));
    }
}
