//! Presenting a Verified ID: a key-binding JWT (the shape of SD-JWT's KB-JWT) signed by the
//! device key, over the service's fresh nonce, for one audience, at one time, for one credential
//! (`sd_hash`, the SHA-256 of the credential's compact JWS).
//!
//! The phone asks for the signing input, has the platform key sign it, and assembles the JWT;
//! the service verifies it against the credential's `cnf` key and then spends the nonce. What a
//! nonce is worth (who it was issued to, for how long, whether it was spent) is the service's
//! business; this file only checks that the JWT says what it claims and that the key signed it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::{DeviceBindingError, DevicePublicKey, fixed_signature};

/// The JWT's `typ`.
pub const TYP: &str = "kb+jwt";
/// The JWT's `alg`: ECDSA P-256 with SHA-256.
pub const ALG: &str = "ES256";
/// Longest nonce or audience accepted (the service issues 43-character nonces).
const MAX_FIELD_LEN: usize = 256;

/// What a key-binding JWT binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    /// The service's nonce.
    pub nonce: String,
    /// Who the presentation is for (the service names itself with the nonce).
    pub audience: String,
    /// `iat`, Unix seconds (the service's time as given with the nonce).
    pub issued_at: i64,
}

/// `sd_hash`: SHA-256 of the credential's compact JWS, base64url.
pub fn credential_hash(credential_jws: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, credential_jws.as_bytes()))
}

/// The bytes the device key signs: `base64url(header) . base64url(claims)`.
pub fn signing_input(credential_jws: &str, binding: &KeyBinding) -> String {
    let header = json!({ "alg": ALG, "typ": TYP });
    let claims = json!({
        "aud": binding.audience, "iat": binding.issued_at, "nonce": binding.nonce, "sd_hash": credential_hash(credential_jws),
    });
    format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// The compact JWT from the signing input and the platform's signature (DER or r‖s).
pub fn assemble(signing_input: &str, signature: &[u8]) -> Result<String, DeviceBindingError> {
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(fixed_signature(signature)?)))
}

/// Checks a key-binding JWT for `credential_jws` against the credential's `cnf` key; returns
/// what it binds, for the caller to check the nonce, audience and time.
pub fn verify(kb_jwt: &str, credential_jws: &str, key: &DevicePublicKey) -> Result<KeyBinding, DeviceBindingError> {
    let malformed = DeviceBindingError::KeyBindingMalformed;
    let (signing_input, signature) = kb_jwt.rsplit_once('.').ok_or(malformed)?;
    let (header, claims) = signing_input.split_once('.').ok_or(malformed)?;
    let decode = |part: &str| -> Result<Value, DeviceBindingError> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).map_err(|_| malformed)?).map_err(|_| malformed)
    };
    let header = decode(header)?;
    if header.get("alg").and_then(Value::as_str) != Some(ALG) || header.get("typ").and_then(Value::as_str) != Some(TYP) {
        return Err(malformed);
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| DeviceBindingError::SignatureMalformed)?;
    if signature.len() != 64 {
        return Err(DeviceBindingError::SignatureMalformed);
    }
    key.verify(signing_input.as_bytes(), &signature)?;
    let claims = decode(claims)?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).filter(|v| !v.is_empty() && v.len() <= MAX_FIELD_LEN);
    if text("sd_hash") != Some(credential_hash(credential_jws).as_str()) {
        return Err(DeviceBindingError::KeyBindingOtherCredential);
    }
    Ok(KeyBinding {
        nonce: text("nonce").ok_or(malformed)?.to_owned(),
        audience: text("aud").ok_or(malformed)?.to_owned(),
        issued_at: claims.get("iat").and_then(Value::as_i64).ok_or(malformed)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device_binding::SoftwareDeviceKey;

    fn binding() -> KeyBinding {
        KeyBinding { nonce: "n-1".into(), audience: "identity-pass".into(), issued_at: 1_795_219_200 }
    }

    fn present(key: &SoftwareDeviceKey, jws: &str, binding: &KeyBinding) -> String {
        let input = signing_input(jws, binding);
        assemble(&input, &key.sign_der(input.as_bytes()).expect("signs")).expect("assembles")
    }

    #[test]
    fn the_holder_of_the_key_presents_and_the_verifier_reads_back_what_was_bound() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let jwt = present(&key, "a.b.c", &binding());
        assert_eq!(verify(&jwt, "a.b.c", &key.public_key()), Ok(binding()));
    }

    #[test]
    fn another_key_another_credential_or_an_edited_claim_is_refused() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let thief = SoftwareDeviceKey::generate().expect("key");
        let jwt = present(&thief, "a.b.c", &binding());
        assert_eq!(verify(&jwt, "a.b.c", &key.public_key()), Err(DeviceBindingError::SignatureInvalid));
        let jwt = present(&key, "a.b.c", &binding());
        assert_eq!(verify(&jwt, "x.y.z", &key.public_key()), Err(DeviceBindingError::KeyBindingOtherCredential));
        // The nonce edited after signing.
        let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
        let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("b64")).expect("json");
        claims["nonce"] = json!("n-2");
        parts[1] = URL_SAFE_NO_PAD.encode(claims.to_string());
        assert_eq!(verify(&parts.join("."), "a.b.c", &key.public_key()), Err(DeviceBindingError::SignatureInvalid));
        assert_eq!(verify("not-a-jwt", "a.b.c", &key.public_key()), Err(DeviceBindingError::KeyBindingMalformed));
    }

    #[test]
    fn a_jwt_with_another_type_or_algorithm_is_not_a_key_binding() {
        let key = SoftwareDeviceKey::generate().expect("key");
        let header = URL_SAFE_NO_PAD.encode(json!({ "alg": "ES256", "typ": "JWT" }).to_string());
        let jwt = present(&key, "a.b.c", &binding());
        let swapped = format!("{header}.{}", jwt.split_once('.').expect("dot").1);
        assert_eq!(verify(&swapped, "a.b.c", &key.public_key()), Err(DeviceBindingError::KeyBindingMalformed));
    }
}
