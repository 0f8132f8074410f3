//! Verified ID endpoints: fetching a request's credential, the nonce a presentation signs,
//! presenting one back (the passkey path's step before review; on the other paths it opens the
//! fast path and, on the legacy path, stands in for the date of birth), and the published key.
//! Also the two steps other handlers share: issuing (sign, bind to the request's device key,
//! keep) and checking a presentation (`domain::presentation` says in which order).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::audit::{AuditAction, recorded_actor};
use crate::domain::presentation::{self, NONCE_LIFETIME_SECONDS, check_key_binding, check_nonce, check_nonce_allowance};
use crate::domain::request::OnboardingRequest;
use crate::domain::reviewer::ReviewerRole;
use crate::domain::verified_id::{self, VerifiedIdSigner, check_presentation_allowed, opens_fast_path};
use crate::http::auth::{DeviceAuth, ReviewerAuth};
use crate::http::draft::update_draft_at_any_identity_check;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::secrets::{new_id, random_bytes};
use crate::state::AppState;
use crate::store::verified_ids::OnRecord;
use crate::store::{self, Connection};

/// Issues and keeps a Verified ID for `request` at `now`, bound to its device's key.
pub fn issue_verified_id(connection: &Connection, signer: &VerifiedIdSigner, request: &OnboardingRequest, now: i64) -> ApiResult<()> {
    let device_key = store::devices::device_key(connection, &request.device_id)?;
    let issued = verified_id::issue(signer, request, device_key.as_ref(), new_id("vid")?, now);
    Ok(store::verified_ids::insert(connection, &issued)?)
}

/// The header carrying a presentation's key-binding JWT. It travels beside the body, not in it,
/// for the reason DPoP proofs do (RFC 9449): it is fresh for every attempt (a new nonce each
/// time), while the body stays the same, so a resend under the same `Idempotency-Key` after a
/// lost answer is recognised and answered with the first result instead of being refused as a
/// reused key.
pub const KEY_BINDING_HEADER: &str = "verified-id-key-binding";

/// A presentation: the Verified ID (from the body) and the device key's signature over a fresh
/// nonce (from [`KEY_BINDING_HEADER`]). No `Debug`: it carries a credential.
pub struct Presentation<'a> {
    /// The Verified ID, compact JWS.
    pub jws: &'a str,
    /// The key-binding JWT (`typ: kb+jwt`, ES256) over a nonce from `POST /v1/verified-id/nonce`.
    pub key_binding: &'a str,
}

impl<'a> Presentation<'a> {
    /// The presentation of `jws` with the key binding in `headers`; without one the credential
    /// is a bearer token, which is no longer accepted.
    pub fn new(jws: &'a str, headers: &'a HeaderMap) -> Result<Self, DomainError> {
        let key_binding = headers.get(KEY_BINDING_HEADER).and_then(|v| v.to_str().ok()).ok_or(DomainError::PresentationProofInvalid)?;
        Ok(Self { jws, key_binding })
    }
}

/// Body of `POST /v1/requests/{id}/verified-id/presentation`. No `Debug`: it carries a credential.
#[derive(Deserialize)]
pub struct PresentationBody {
    /// The Verified ID, compact JWS.
    pub jws: String,
}

/// Checks a presentation for `upn` by `device_id` and spends its nonce: the credential (ours, the
/// person's, young enough, on record, unrevoked), then its key binding, then the nonce.
pub fn check_presented(
    connection: &Connection,
    signer: &VerifiedIdSigner,
    presented: &Presentation<'_>,
    upn: &str,
    device_id: &str,
    now: i64,
) -> ApiResult<()> {
    let credential = verified_id::check_presented(signer, presented.jws, upn, now)?;
    match store::verified_ids::on_record(connection, &credential.jti)? {
        OnRecord::Unknown => return Err(DomainError::VerifiedIdNotOnRecord.into()),
        OnRecord::Revoked(_) => return Err(DomainError::VerifiedIdRevoked.into()),
        OnRecord::Valid => {}
    }
    let device_key = store::devices::device_key(connection, device_id)?;
    let nonce = check_key_binding(&credential, device_key.as_ref(), presented.key_binding, presented.jws, now)?;
    check_nonce(store::presentation_nonces::state(connection, &nonce, device_id)?, now)?;
    if !store::presentation_nonces::spend(connection, &nonce, device_id, now)? {
        return Err(DomainError::PresentationNonceUsed.into());
    }
    Ok(())
}

/// Answer of `POST /v1/verified-id/nonce`.
#[derive(Debug, Serialize)]
pub struct NonceIssued {
    /// The nonce, 32 random bytes in base64url.
    pub nonce: String,
    /// The audience the key binding must name.
    pub audience: &'static str,
    /// RFC 3339; 120 seconds after issue.
    pub expires_at: String,
    /// Server time, RFC 3339 (the key binding's `iat`).
    pub server_time: String,
}

/// `POST /v1/verified-id/nonce`: a single-use nonce for this device's next presentation.
pub async fn nonce(State(state): State<AppState>, device: DeviceAuth) -> ApiResult<Answer> {
    let now = state.now();
    let nonce = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let expires_at = now + NONCE_LIFETIME_SECONDS;
    let ((), answer) = commit(&state, |connection| {
        check_nonce_allowance(store::presentation_nonces::outstanding(connection, &device.device_id, now)?)?;
        store::presentation_nonces::insert(connection, &nonce, &device.device_id, now, expires_at)?;
        let issued = NonceIssued {
            nonce: nonce.clone(),
            audience: presentation::audience(),
            expires_at: to_rfc3339(expires_at),
            server_time: to_rfc3339(now),
        };
        Ok(((), Answer::json(StatusCode::OK, &issued)?))
    })?;
    Ok(answer)
}

/// `POST /v1/requests/{id}/verified-id/presentation`: the device presents a Verified ID (ours,
/// subject = the request's UPN, issued less than 30 days ago and unexpired, on record,
/// unrevoked, bound to this device's key, with that key's signature over a fresh nonce).
pub async fn present(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PresentationBody>,
) -> ApiResult<Answer> {
    let signer = state.signer.clone();
    let presented = Presentation::new(&body.jws, &headers)?;
    let (answer, ()) = update_draft_at_any_identity_check(&state, &id, &device, |connection, request, now| {
        check_presentation_allowed(request)?;
        check_presented(connection, &signer, &presented, &request.upn, &device.device_id, now)?;
        Ok(store::requests::record_verified_id_presentation(connection, &request.id, opens_fast_path(request.path), now)?)
    })?;
    Ok(answer)
}

/// Answer of `GET /v1/requests/{id}/verified-id`. `Debug` by hand: the derived one would print
/// the credential.
#[derive(Serialize)]
pub struct VerifiedIdView {
    /// The compact JWS.
    pub jws: String,
    /// RFC 3339.
    pub issued_at: String,
    /// RFC 3339.
    pub expires_at: String,
}

impl std::fmt::Debug for VerifiedIdView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedIdView")
            .field("jws", &identity_pass_core::secret::REDACTED)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// `GET /v1/requests/{id}/verified-id`: the credential issued for this request (passkey path:
/// after the government ID; other paths: on approval).
pub async fn get(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Json<VerifiedIdView>> {
    let connection = state.db.lock()?;
    let request = store::requests::load_owned(&connection, &id, &device.device_id)?;
    let (jws, issued_at, expires_at) = store::verified_ids::latest_for_request(&connection, &request.id)?;
    Ok(Json(VerifiedIdView { jws, issued_at: to_rfc3339(issued_at), expires_at: to_rfc3339(expires_at) }))
}

/// The public key as an OKP JWK.
#[derive(Debug, Serialize)]
pub struct JwkView {
    /// `OKP`.
    pub kty: &'static str,
    /// `Ed25519`.
    pub crv: &'static str,
    /// `EdDSA`.
    pub alg: &'static str,
    /// `sig`.
    #[serde(rename = "use")]
    pub key_use: &'static str,
    /// Key id.
    pub kid: String,
    /// The raw public key, base64url.
    pub x: String,
}

/// `GET /v1/.well-known/verified-id-key`: the public key as an OKP JWK.
pub async fn public_key(State(state): State<AppState>) -> Json<JwkView> {
    Json(JwkView {
        kty: "OKP",
        crv: "Ed25519",
        alg: "EdDSA",
        key_use: "sig",
        kid: state.signer.key_id().to_owned(),
        x: URL_SAFE_NO_PAD.encode(state.signer.public_key()),
    })
}

/// Body of `POST /v1/review/verified-ids/revocation`.
#[derive(Debug, Deserialize)]
pub struct Revocation {
    /// Whose credentials: the person's work email.
    pub upn: String,
    /// Why (kept with the credential), 1–500 characters.
    pub reason: String,
}

/// Answer of `POST /v1/review/verified-ids/revocation`.
#[derive(Debug, Serialize)]
pub struct Revoked {
    /// How many credentials in force were revoked.
    pub revoked: usize,
}

/// `POST /v1/review/verified-ids/revocation`: a reviewer revokes every Verified ID in force of a
/// person (a lost or replaced phone, a person who left). Presentations of them are refused from
/// then on, so the 30-day fast path is closed until a new approval issues another.
pub async fn revoke(State(state): State<AppState>, reviewer: ReviewerAuth, ApiJson(body): ApiJson<Revocation>) -> ApiResult<Answer> {
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::bad_request("REASON_REQUIRED", "give a reason of 1–500 characters"));
    }
    let upn = body.upn.trim();
    let ((), answer) = commit(&state, |connection| {
        // The person's reviewer revokes what their review issued; an administrator may revoke
        // anyone's (a security response needs no manager).
        if reviewer.role != ReviewerRole::Admin && !reviewer.reviews(&state, connection, upn)? {
            return Err(DomainError::PersonNotAssigned.into());
        }
        let revoked = store::verified_ids::revoke_for_person(connection, upn, reason, state.now())?;
        reviewer.audit(connection, state.now(), AuditAction::VerifiedIdRevoked, None, Some(&recorded_actor(upn)))?;
        Ok(((), Answer::json(StatusCode::OK, &Revoked { revoked })?))
    })?;
    Ok(answer)
}
