//! Verified ID: a signed credential the core can verify offline — a compact JWS, Ed25519
//! (`alg: EdDSA`), claims `iss`, `sub` (UPN), `iat`, `exp` = iat + 30 days, `jti`, and a `vc`
//! object. The public key is published at `GET /v1/.well-known/verified-id-key` as an OKP JWK.
//!
//! When it is issued follows the app's order of steps. On the passkey path (seed 001) the
//! government-ID result `verified` issues it at once — the user adds it to Authenticator, does
//! the liveness check, then presents it back (`POST …/verified-id/presentation`), and submission
//! needs that presentation. On the other paths it is issued on approval when the `verified_id`
//! rollout flag is on. Presenting one issued in the last 30 days on a TAP path — at the identity
//! step or with the presentation call — enables the fast path: liveness only, no reviewer call.
//! The signing key is generated on first start and kept in the database, so credentials stay
//! verifiable across restarts.

use std::sync::Arc;

use axum::extract::{Path, State};
use base64::Engine;
use serde::Deserialize;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};

use crate::auth::DeviceAuth;
use crate::clock::to_rfc3339;
use crate::directory::OnboardingPath;
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::requests::{IdentityCheck, RequestRecord};
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

/// Issues and stores a Verified ID for `record` (approved, or with a verified government ID).
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

/// When `upn`'s latest Verified ID that is still valid at `now` was issued, if any.
pub fn latest_issued_at(connection: &Connection, upn: &str, now: i64) -> ApiResult<Option<i64>> {
    Ok(connection.query_row(
        "SELECT MAX(issued_at) FROM verified_ids WHERE upn = ?1 AND expires_at > ?2",
        rusqlite::params![upn, now],
        |r| r.get(0),
    )?)
}

fn issued_for_request(connection: &Connection, request_id: &str) -> ApiResult<bool> {
    let count: i64 =
        connection.query_row("SELECT COUNT(*) FROM verified_ids WHERE request_id = ?1", [request_id], |r| r.get(0))?;
    Ok(count > 0)
}

/// Called with every government-ID result before it is stored. On the passkey path `verified`
/// issues the request's Verified ID (once: a repeated `verified` issues nothing new), and once it
/// is issued the result can no longer be changed (`409 GOVERNMENT_ID_ALREADY_VERIFIED`).
pub fn on_government_id_result(
    connection: &Connection,
    signer: &VerifiedIdSigner,
    record: &RequestRecord,
    result: &str,
    now: i64,
) -> ApiResult<()> {
    if record.path != OnboardingPath::GetPasskey {
        return Ok(());
    }
    let issued = issued_for_request(connection, &record.id)?;
    match (result, issued) {
        ("verified", false) => issue(connection, signer, record, now).map(|_| ()),
        ("verified", true) => Ok(()),
        (_, true) => Err(ApiError::conflict(
            "GOVERNMENT_ID_ALREADY_VERIFIED",
            "the government ID was verified and the Verified ID issued",
        )),
        (_, false) => Ok(()),
    }
}

/// Body of `POST /v1/requests/{id}/verified-id/presentation`. No `Debug`: it carries a credential.
#[derive(Deserialize)]
pub struct Presentation {
    /// The Verified ID, compact JWS.
    pub jws: String,
}

/// `POST /v1/requests/{id}/verified-id/presentation`: the device presents a Verified ID (ours,
/// subject = the request's UPN, issued less than 30 days ago and unexpired, on record). On the
/// passkey path it is the step between liveness and the review (after the government ID); on the
/// other paths it opens the fast path and, on the legacy path, stands in for the date of birth.
pub async fn present(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Presentation>,
) -> ApiResult<axum::Json<Value>> {
    let signer = state.signer.clone();
    let view = crate::requests::update_draft_at_any_identity_check(&state, &id, &device, |connection, record, now| {
        if record.identity_check() == IdentityCheck::Locked {
            return Err(crate::requests::locked());
        }
        if record.path == OnboardingPath::GetPasskey && record.government_id_result.as_deref() != Some("verified") {
            return Err(ApiError::conflict("GOVERNMENT_ID_NOT_VERIFIED", "the government ID check has not passed"));
        }
        check_presented(connection, &signer, &body.jws, &record.upn, now)?;
        let opens_fast_path = record.path != OnboardingPath::GetPasskey;
        connection.execute(
            "UPDATE requests SET verified_id_presented_at = COALESCE(verified_id_presented_at, ?1),
                fast_path = fast_path OR ?2, identity_confirmed_at = COALESCE(identity_confirmed_at, ?1)
             WHERE id = ?3",
            rusqlite::params![now, opens_fast_path, record.id],
        )?;
        Ok(())
    })?;
    Ok(axum::Json(view))
}

/// `GET /v1/requests/{id}/verified-id`: the credential issued for this request (passkey path:
/// after the government ID; other paths: on approval).
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
