//! Verified ID: on approval (when the rollout flag is on) the service issues a signed credential
//! the core can verify offline — a compact JWS, Ed25519 (`alg: EdDSA`), claims `iss`, `sub` (UPN),
//! `iat`, `exp` = iat + 30 days, `jti`, and a `vc` object. The public key is published at
//! `GET /v1/.well-known/verified-id-key` as an OKP JWK. Presenting a Verified ID issued in the
//! last 30 days at the identity step enables the fast path: liveness only, no reviewer call.
//! The signing key is generated on first start and kept in the database, so credentials stay
//! verifiable across restarts.

use std::sync::Arc;

use axum::extract::{Path, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};

use crate::auth::DeviceAuth;
use crate::clock::to_rfc3339;
use crate::errors::{ApiError, ApiResult};
use crate::requests::RequestRecord;
use crate::secrets::{hex, new_id, sha256};
use crate::state::AppState;

/// Validity of a Verified ID and length of the fast-path window.
pub const VALIDITY_SECONDS: i64 = 30 * 24 * 3600;
/// The `iss` claim.
pub const ISSUER: &str = "identity-pass-reference-service";

/// The service's Ed25519 signing key.
#[derive(Clone)]
pub struct VerifiedIdSigner {
    key_pair: Arc<Ed25519KeyPair>,
    key_id: String,
}

impl VerifiedIdSigner {
    /// Loads the key from `settings`, generating and storing it on first use.
    pub fn load_or_create(connection: &Connection) -> Result<Self, String> {
        let stored: Option<Vec<u8>> = connection
            .query_row("SELECT value FROM settings WHERE name = 'verified_id_pkcs8'", [], |r| r.get(0))
            .optional()
            .map_err(|e| e.to_string())?;
        let pkcs8 = match stored {
            Some(bytes) => bytes,
            None => {
                let document = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
                    .map_err(|_| "key generation failed".to_owned())?;
                let bytes = document.as_ref().to_vec();
                connection
                    .execute("INSERT INTO settings (name, value) VALUES ('verified_id_pkcs8', ?1)", [&bytes])
                    .map_err(|e| e.to_string())?;
                bytes
            }
        };
        let key_pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| "stored key is invalid".to_owned())?;
        let key_id = hex(&sha256(key_pair.public_key().as_ref())[..8]);
        Ok(Self { key_pair: Arc::new(key_pair), key_id })
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> &[u8] {
        self.key_pair.public_key().as_ref()
    }

    /// Signs `claims` as a compact JWS.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.key_id });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
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

/// Issues and stores a Verified ID for an approved request.
pub fn issue(connection: &Connection, signer: &VerifiedIdSigner, record: &RequestRecord, now: i64) -> ApiResult<String> {
    let jti = new_id("vid")?;
    let claims = json!({
        "iss": ISSUER, "sub": record.upn, "iat": now, "exp": now + VALIDITY_SECONDS, "jti": jti,
        "vc": { "type": ["VerifiableCredential", "VerifiedEmployee"], "request_id": record.id },
    });
    let jws = signer.sign(&claims);
    connection.execute(
        "INSERT INTO verified_ids (jti, upn, request_id, issued_at, expires_at, jws) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![jti, record.upn, record.id, now, now + VALIDITY_SECONDS, jws],
    )?;
    Ok(jws)
}

/// Checks a presented Verified ID for the fast path: our signature, subject = `upn`, issued in
/// the last 30 days and not yet expired, and on record (so it was really issued here).
pub fn check_presented(connection: &Connection, signer: &VerifiedIdSigner, jws: &str, upn: &str, now: i64) -> ApiResult<()> {
    let refuse = |message: &str| ApiError::unprocessable("VERIFIED_ID_INVALID", message.to_owned());
    let claims = verify(jws, signer.public_key()).ok_or_else(|| refuse("the Verified ID's signature does not verify"))?;
    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or_default();
    if !sub.eq_ignore_ascii_case(upn) {
        return Err(refuse("the Verified ID belongs to somebody else"));
    }
    let iat = claims.get("iat").and_then(Value::as_i64).unwrap_or(i64::MIN);
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(i64::MIN);
    if now >= exp || now - iat >= VALIDITY_SECONDS {
        return Err(ApiError::unprocessable("VERIFIED_ID_EXPIRED", "the Verified ID is older than 30 days"));
    }
    let jti = claims.get("jti").and_then(Value::as_str).unwrap_or_default();
    let known: Option<i64> = connection
        .query_row("SELECT issued_at FROM verified_ids WHERE jti = ?1", [jti], |r| r.get(0))
        .optional()?;
    known.map(|_| ()).ok_or_else(|| refuse("the Verified ID is not on record"))
}

/// `GET /v1/requests/{id}/verified-id`: the credential issued on approval.
pub async fn get(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<axum::Json<Value>> {
    let connection = state.db.lock()?;
    let record = crate::requests::load_owned(&connection, &id, &device)?;
    let row: Option<(String, i64, i64)> = connection
        .query_row(
            "SELECT jws, issued_at, expires_at FROM verified_ids WHERE request_id = ?1 ORDER BY issued_at DESC LIMIT 1",
            [&record.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (jws, issued_at, expires_at) =
        row.ok_or_else(|| ApiError::not_found("VERIFIED_ID_NOT_ISSUED", "no Verified ID for this request"))?;
    Ok(axum::Json(json!({ "jws": jws, "issued_at": to_rfc3339(issued_at), "expires_at": to_rfc3339(expires_at) })))
}

/// `GET /v1/.well-known/verified-id-key`: the public key as an OKP JWK.
pub async fn public_key(State(state): State<AppState>) -> axum::Json<Value> {
    axum::Json(json!({
        "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
        "kid": state.signer.key_id, "x": URL_SAFE_NO_PAD.encode(state.signer.public_key()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> (Connection, VerifiedIdSigner) {
        let connection = Connection::open_in_memory().expect("db");
        crate::db::migrate_for_tests(&connection);
        let signer = VerifiedIdSigner::load_or_create(&connection).expect("signer");
        (connection, signer)
    }

    #[test]
    fn signatures_verify_and_tampering_is_detected() {
        let (_db, signer) = signer();
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
    fn the_key_survives_reloading() {
        let (db, first) = signer();
        let second = VerifiedIdSigner::load_or_create(&db).expect("reload");
        assert_eq!(first.public_key(), second.public_key());
    }
}
