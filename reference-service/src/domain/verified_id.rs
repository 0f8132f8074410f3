//! Verified ID: a signed credential the core can verify offline — a compact JWS, Ed25519
//! (`alg: EdDSA`), claims `iss`, `sub` (UPN), `iat`, `exp` = iat + 30 days, `jti`, a `vc`
//! object, and `cnf.jwk` (RFC 7800): the public key of the device it was issued to. The public
//! key is published (`GET /v1/.well-known/verified-id-key`) as an OKP JWK. Holding the JWS is
//! not enough to use it: a presentation is signed by the `cnf` key over a fresh nonce
//! (`domain::presentation`).
//!
//! When it is issued follows the app's order of steps. On the passkey path (seed 001) the
//! government-ID result `verified` issues it at once — the user adds it to Authenticator, does
//! the liveness check, then presents it back, and submission needs that presentation. On the
//! other paths it is issued on approval when the `verified_id` rollout flag is on (`review.rs`).
//! Presenting one issued in the last 30 days on a TAP path — at the identity step or with the
//! presentation call — enables the fast path: liveness only, no reviewer call.
//!
//! The signing key itself is kept by the store (so credentials stay verifiable across
//! restarts); this module only turns key bytes into a signer.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use identity_pass_core::device_binding::DevicePublicKey;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde_json::{Value, json};

use crate::domain::DomainError;
use crate::domain::directory::OnboardingPath;
use crate::domain::request::{IdentityCheck, OnboardingRequest};
use crate::secrets::{hex, sha256};

/// Validity of a Verified ID and length of the fast-path window.
pub const VALIDITY_SECONDS: i64 = 30 * 24 * 3600;
/// The `iss` claim.
pub const ISSUER: &str = "identity-pass-reference-service";

/// The signing key could not be made or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SigningKeyError {
    /// The system could not generate a key.
    #[error("key generation failed")]
    Generation,
    /// The stored key bytes are not an Ed25519 PKCS#8 document.
    #[error("stored key is invalid")]
    Invalid,
}

/// The service's Ed25519 signing key.
#[derive(Clone)]
pub struct VerifiedIdSigner {
    key_pair: Arc<Ed25519KeyPair>,
    key_id: String,
}

impl VerifiedIdSigner {
    /// A new key, as PKCS#8 bytes to keep.
    pub fn generate_pkcs8() -> Result<Vec<u8>, SigningKeyError> {
        let document = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).map_err(|_| SigningKeyError::Generation)?;
        Ok(document.as_ref().to_vec())
    }

    /// The signer for kept PKCS#8 bytes; its key id is the first 8 bytes of the public key's
    /// SHA-256, in hex.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, SigningKeyError> {
        let key_pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| SigningKeyError::Invalid)?;
        let key_id = hex(&sha256(key_pair.public_key().as_ref())[..8]);
        Ok(Self { key_pair: Arc::new(key_pair), key_id })
    }

    /// The `kid` of the JWS header and the published JWK.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> &[u8] {
        self.key_pair.public_key().as_ref()
    }

    /// Signs `claims` as a compact JWS.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.key_id });
        let signing_input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.key_pair.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }
}

/// Verifies a compact EdDSA JWS against a raw Ed25519 public key and returns its claims. This is
/// what the core does offline with the published key.
pub fn verify(jws: &str, public_key: &[u8]) -> Option<Value> {
    let mut parts = jws.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "EdDSA" {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let signing_input = &jws[..jws.rfind('.')?];
    UnparsedPublicKey::new(&ED25519, public_key).verify(signing_input.as_bytes(), &signature).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
}

/// A Verified ID as issued, with what the store keeps of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedVerifiedId {
    /// The credential's id (`jti`).
    pub jti: String,
    /// Its subject.
    pub upn: String,
    /// The request it was issued for.
    pub request_id: String,
    /// `iat`.
    pub issued_at: i64,
    /// `exp`.
    pub expires_at: i64,
    /// The compact JWS.
    pub jws: String,
    /// The thumbprint of the device key it is bound to (`None`: a device without a key).
    pub device_key_thumbprint: Option<String>,
}

/// Signs a Verified ID for `request` at `now`, with the fresh credential id `jti`, bound to
/// `device_key` (the key the request's device registered). A device without a key gets a
/// credential without `cnf`, which no presentation can use.
pub fn issue(
    signer: &VerifiedIdSigner,
    request: &OnboardingRequest,
    device_key: Option<&DevicePublicKey>,
    jti: String,
    now: i64,
) -> IssuedVerifiedId {
    let expires_at = now + VALIDITY_SECONDS;
    let mut claims = json!({
        "iss": ISSUER, "sub": request.upn, "iat": now, "exp": expires_at, "jti": jti,
        "vc": { "type": ["VerifiableCredential", "VerifiedEmployee"], "request_id": request.id },
    });
    if let Some(key) = device_key {
        claims["cnf"] = json!({ "jwk": key.to_jwk() });
    }
    let jws = signer.sign(&claims);
    let device_key_thumbprint = device_key.map(DevicePublicKey::thumbprint);
    IssuedVerifiedId {
        jti,
        upn: request.upn.clone(),
        request_id: request.id.clone(),
        issued_at: now,
        expires_at,
        jws,
        device_key_thumbprint,
    }
}

/// What a presented credential says about itself once its signature checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentedCredential {
    /// Its id, to look up on record.
    pub jti: String,
    /// The device key it is bound to (`cnf.jwk`), if any.
    pub device_key: Option<DevicePublicKey>,
}

/// Checks a presented Verified ID: our signature, subject = `upn`, issued in the last 30 days
/// and not yet expired. Returns its `jti`, which must also be on record and unrevoked (the
/// caller asks the store) so a credential is only accepted if it was really issued here, and
/// its `cnf` key, which the presentation's key binding must be signed with.
pub fn check_presented(signer: &VerifiedIdSigner, jws: &str, upn: &str, now: i64) -> Result<PresentedCredential, DomainError> {
    let claims = verify(jws, signer.public_key()).ok_or(DomainError::VerifiedIdSignatureInvalid)?;
    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or_default();
    if !sub.eq_ignore_ascii_case(upn) {
        return Err(DomainError::VerifiedIdOfSomebodyElse);
    }
    let iat = claims.get("iat").and_then(Value::as_i64).unwrap_or(i64::MIN);
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(i64::MIN);
    if now >= exp || now - iat >= VALIDITY_SECONDS {
        return Err(DomainError::VerifiedIdExpired);
    }
    let device_key = match claims.pointer("/cnf/jwk") {
        // We signed it, so a `cnf` we cannot read is our own bug, not the phone's: refuse it all the same.
        Some(jwk) => Some(DevicePublicKey::from_jwk(jwk).map_err(|_| DomainError::VerifiedIdSignatureInvalid)?),
        None => None,
    };
    Ok(PresentedCredential { jti: claims.get("jti").and_then(Value::as_str).unwrap_or_default().to_owned(), device_key })
}

/// A presented Verified ID opens the fast path on the TAP and legacy paths; the passkey path
/// always goes through the government ID (core flow `PathDecision`).
pub fn opens_fast_path(path: OnboardingPath) -> bool {
    path != OnboardingPath::GetPasskey
}

/// Whether a Verified ID may be presented for `request` now: not on a locked request, and on
/// the passkey path only after the government ID was verified (it is issued then).
pub fn check_presentation_allowed(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.identity_check() == IdentityCheck::Locked {
        return Err(DomainError::IdentityLocked);
    }
    if request.path == OnboardingPath::GetPasskey && request.government_id_result.as_deref() != Some("verified") {
        return Err(DomainError::GovernmentIdNotVerified);
    }
    Ok(())
}

/// Called with every government-ID result before it is stored; `already_issued` says whether
/// the request has its Verified ID. On the passkey path `verified` issues it (once: a repeated
/// `verified` issues nothing new), and once it is issued the result can no longer change.
/// Returns whether to issue now.
pub fn issue_on_government_id(request: &OnboardingRequest, result: &str, already_issued: bool) -> Result<bool, DomainError> {
    if request.path != OnboardingPath::GetPasskey {
        return Ok(false);
    }
    match (result, already_issued) {
        ("verified", issued) => Ok(!issued),
        (_, true) => Err(DomainError::GovernmentIdAlreadyVerified),
        (_, false) => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::fixtures::draft;

    fn signer() -> VerifiedIdSigner {
        VerifiedIdSigner::from_pkcs8(&VerifiedIdSigner::generate_pkcs8().expect("key")).expect("signer")
    }

    #[test]
    fn signatures_verify_and_tampering_is_detected() {
        let signer = signer();
        let jws = signer.sign(&json!({ "sub": "alice@contoso.example" }));
        let claims = verify(&jws, signer.public_key()).expect("valid");
        assert_eq!(claims["sub"], "alice@contoso.example");
        let forged_claims = URL_SAFE_NO_PAD.encode(json!({ "sub": "mallory@contoso.example" }).to_string());
        let mut parts: Vec<&str> = jws.split('.').collect();
        parts[1] = &forged_claims;
        assert!(verify(&parts.join("."), signer.public_key()).is_none());
        assert!(verify("not-a-jws", signer.public_key()).is_none());
    }

    #[test]
    fn the_same_key_bytes_give_the_same_signer() {
        let pkcs8 = VerifiedIdSigner::generate_pkcs8().expect("key");
        let (a, b) = (VerifiedIdSigner::from_pkcs8(&pkcs8).expect("a"), VerifiedIdSigner::from_pkcs8(&pkcs8).expect("b"));
        assert_eq!((a.public_key(), a.key_id()), (b.public_key(), b.key_id()));
        assert_eq!(VerifiedIdSigner::from_pkcs8(b"garbage").err(), Some(SigningKeyError::Invalid));
    }

    #[test]
    fn a_presented_credential_must_be_ours_theirs_and_younger_than_30_days() {
        let signer = signer();
        let request = draft(OnboardingPath::GetTap);
        let issued = issue(&signer, &request, None, "vid_1".into(), 1_000);
        assert_eq!(issued.expires_at, 1_000 + VALIDITY_SECONDS);
        let unbound = PresentedCredential { jti: "vid_1".into(), device_key: None };
        assert_eq!(check_presented(&signer, &issued.jws, "ALICE@contoso.example", 1_000), Ok(unbound));
        assert_eq!(check_presented(&signer, &issued.jws, "bob@contoso.example", 1_000), Err(DomainError::VerifiedIdOfSomebodyElse));
        let late = 1_000 + VALIDITY_SECONDS;
        assert_eq!(check_presented(&signer, &issued.jws, "alice@contoso.example", late), Err(DomainError::VerifiedIdExpired));
        let stranger = VerifiedIdSigner::from_pkcs8(&VerifiedIdSigner::generate_pkcs8().expect("key")).expect("signer");
        assert_eq!(check_presented(&stranger, &issued.jws, "alice@contoso.example", 1_000), Err(DomainError::VerifiedIdSignatureInvalid));
    }

    #[test]
    fn a_credential_issued_to_a_device_carries_its_key_as_cnf() {
        let signer = signer();
        let device = identity_pass_core::device_binding::SoftwareDeviceKey::generate().expect("key").public_key();
        let issued = issue(&signer, &draft(OnboardingPath::GetTap), Some(&device), "vid_2".into(), 1_000);
        assert_eq!(issued.device_key_thumbprint, Some(device.thumbprint()));
        let claims = verify(&issued.jws, signer.public_key()).expect("valid");
        assert_eq!(claims["cnf"]["jwk"], device.to_jwk());
        let presented = check_presented(&signer, &issued.jws, "alice@contoso.example", 1_000).expect("ours");
        assert_eq!(presented.device_key, Some(device));
    }

    #[test]
    fn the_passkey_paths_credential_follows_the_government_id_once() {
        let passkey = draft(OnboardingPath::GetPasskey);
        assert_eq!(issue_on_government_id(&passkey, "verified", false), Ok(true));
        assert_eq!(issue_on_government_id(&passkey, "verified", true), Ok(false));
        assert_eq!(issue_on_government_id(&passkey, "expired", true), Err(DomainError::GovernmentIdAlreadyVerified));
        assert_eq!(issue_on_government_id(&passkey, "rejected", false), Ok(false));
        assert_eq!(issue_on_government_id(&draft(OnboardingPath::GetTap), "verified", false), Ok(false));
        assert_eq!(check_presentation_allowed(&passkey), Err(DomainError::GovernmentIdNotVerified));
        assert!(!opens_fast_path(OnboardingPath::GetPasskey) && opens_fast_path(OnboardingPath::LegacyDob));
    }
}
