//! The device key's public half, in the encodings the platforms and JOSE use.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use serde_json::{Value, json};

use super::DeviceBindingError;

/// SEC1 uncompressed point: `04 ‖ x ‖ y`.
const SEC1_LEN: usize = 65;
/// The DER prefix of an X.509 SubjectPublicKeyInfo for an uncompressed P-256 point
/// (`id-ecPublicKey`, `prime256v1`): what Android's `PublicKey.getEncoded()` returns.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
    0x07, 0x03, 0x42, 0x00,
];

/// A P-256 public key, kept as its SEC1 uncompressed point.
#[derive(Clone, PartialEq, Eq)]
pub struct DevicePublicKey {
    sec1: [u8; SEC1_LEN],
}

impl std::fmt::Debug for DevicePublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Public, but long: its thumbprint names it.
        write!(f, "DevicePublicKey({})", self.thumbprint())
    }
}

impl DevicePublicKey {
    /// From what a platform hands out: the SEC1 uncompressed point (iOS
    /// `SecKeyCopyExternalRepresentation`, ring) or an X.509 SubjectPublicKeyInfo (Android
    /// `getEncoded()`, Java). Points not on the curve are caught when a signature is checked;
    /// [`registration`](super::registration) checks one before a key is accepted.
    pub fn from_platform(bytes: &[u8]) -> Result<Self, DeviceBindingError> {
        let point = match bytes.len() {
            SEC1_LEN => bytes,
            91 if bytes[..P256_SPKI_PREFIX.len()] == P256_SPKI_PREFIX => &bytes[P256_SPKI_PREFIX.len()..],
            _ => return Err(DeviceBindingError::PublicKeyInvalid),
        };
        let sec1: [u8; SEC1_LEN] = point.try_into().map_err(|_| DeviceBindingError::PublicKeyInvalid)?;
        if sec1[0] != 0x04 {
            return Err(DeviceBindingError::PublicKeyInvalid);
        }
        Ok(Self { sec1 })
    }

    /// From base64url (no padding) of either platform encoding, as the wire carries it.
    pub fn from_base64url(text: &str) -> Result<Self, DeviceBindingError> {
        Self::from_platform(&URL_SAFE_NO_PAD.decode(text).map_err(|_| DeviceBindingError::PublicKeyInvalid)?)
    }

    /// From an EC JWK (`kty: EC`, `crv: P-256`, `x`, `y`), as a Verified ID's `cnf.jwk`.
    pub fn from_jwk(jwk: &Value) -> Result<Self, DeviceBindingError> {
        let field = |name: &str| jwk.get(name).and_then(Value::as_str);
        if field("kty") != Some("EC") || field("crv") != Some("P-256") {
            return Err(DeviceBindingError::PublicKeyInvalid);
        }
        let coordinate = |name: &str| -> Result<Vec<u8>, DeviceBindingError> {
            let bytes = URL_SAFE_NO_PAD.decode(field(name).ok_or(DeviceBindingError::PublicKeyInvalid)?);
            bytes.ok().filter(|b| b.len() == 32).ok_or(DeviceBindingError::PublicKeyInvalid)
        };
        let mut sec1 = vec![0x04];
        sec1.extend(coordinate("x")?);
        sec1.extend(coordinate("y")?);
        Self::from_platform(&sec1)
    }

    /// The SEC1 uncompressed point.
    pub fn sec1(&self) -> &[u8] {
        &self.sec1
    }

    /// The SEC1 point in base64url, as registration sends it.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.sec1)
    }

    /// The EC JWK, members in RFC 7638's lexicographic order.
    pub fn to_jwk(&self) -> Value {
        json!({ "crv": "P-256", "kty": "EC", "x": URL_SAFE_NO_PAD.encode(&self.sec1[1..33]), "y": URL_SAFE_NO_PAD.encode(&self.sec1[33..]) })
    }

    /// The JWK thumbprint (RFC 7638, SHA-256, base64url): a short, stable name for the key.
    pub fn thumbprint(&self) -> String {
        let x = URL_SAFE_NO_PAD.encode(&self.sec1[1..33]);
        let y = URL_SAFE_NO_PAD.encode(&self.sec1[33..]);
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()))
    }

    /// Checks an ECDSA P-256 / SHA-256 signature over `message` (DER or r‖s).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), DeviceBindingError> {
        let fixed = super::fixed_signature(signature)?;
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &self.sec1)
            .verify(message, &fixed)
            .map_err(|_| DeviceBindingError::SignatureInvalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device_binding::SoftwareDeviceKey;

    #[test]
    fn both_platform_encodings_and_the_jwk_name_the_same_key() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let sec1 = key.public_key().sec1().to_vec();
        let mut spki = P256_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(&sec1);
        let from_sec1 = DevicePublicKey::from_platform(&sec1).expect("SEC1");
        let from_spki = DevicePublicKey::from_platform(&spki).expect("SPKI");
        assert_eq!(from_sec1, from_spki);
        assert_eq!(DevicePublicKey::from_jwk(&from_sec1.to_jwk()), Ok(from_sec1.clone()));
        assert_eq!(DevicePublicKey::from_base64url(&from_sec1.to_base64url()), Ok(from_sec1.clone()));
        assert_eq!(from_sec1.thumbprint().len(), 43, "a SHA-256 in base64url");
    }

    #[test]
    fn anything_else_is_refused() {
        let sec1 = SoftwareDeviceKey::generate().expect("key").public_key().sec1().to_vec();
        let mut compressed = sec1[..33].to_vec();
        compressed[0] = 0x02;
        for bad in [&compressed[..], &sec1[..64], &[0u8; 91][..], b""] {
            assert_eq!(DevicePublicKey::from_platform(bad), Err(DeviceBindingError::PublicKeyInvalid));
        }
        let mut wrong_curve = DevicePublicKey::from_platform(&sec1).expect("key").to_jwk();
        wrong_curve["crv"] = json!("P-384");
        assert_eq!(DevicePublicKey::from_jwk(&wrong_curve), Err(DeviceBindingError::PublicKeyInvalid));
    }

    #[test]
    fn a_der_signature_from_the_key_verifies_and_a_changed_message_does_not() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let public = key.public_key();
        let der = key.sign_der(b"nonce-1").expect("signs");
        assert_eq!(public.verify(b"nonce-1", &der), Ok(()));
        assert_eq!(public.verify(b"nonce-2", &der), Err(DeviceBindingError::SignatureInvalid));
        let other = SoftwareDeviceKey::generate().expect("key").public_key();
        assert_eq!(other.verify(b"nonce-1", &der), Err(DeviceBindingError::SignatureInvalid));
    }
}
