//! Verified ID endpoints: fetching a request's credential, presenting one back (the passkey
//! path's step before review; on the other paths it opens the fast path and, on the legacy path,
//! stands in for the date of birth), and the published key. Also the two steps other handlers
//! share: issuing (sign and keep) and checking a presented credential (ours and on record).

use axum::Json;
use axum::extract::{Path, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::request::OnboardingRequest;
use crate::domain::verified_id::{self, VerifiedIdSigner, check_presentation_allowed, opens_fast_path};
use crate::http::auth::DeviceAuth;
use crate::http::draft::update_draft_at_any_identity_check;
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::http::request_view::RequestView;
use crate::secrets::new_id;
use crate::state::AppState;
use crate::store::{self, Connection};

/// Issues and keeps a Verified ID for `request` at `now`.
pub fn issue_verified_id(connection: &Connection, signer: &VerifiedIdSigner, request: &OnboardingRequest, now: i64) -> ApiResult<()> {
    let issued = verified_id::issue(signer, request, new_id("vid")?, now);
    Ok(store::verified_ids::insert(connection, &issued)?)
}

/// Checks a presented Verified ID for `upn`: the domain's checks, then that it is on record.
pub fn check_presented(connection: &Connection, signer: &VerifiedIdSigner, jws: &str, upn: &str, now: i64) -> ApiResult<()> {
    let jti = verified_id::check_presented(signer, jws, upn, now)?;
    if store::verified_ids::is_on_record(connection, &jti)? { Ok(()) } else { Err(DomainError::VerifiedIdNotOnRecord.into()) }
}

/// Body of `POST /v1/requests/{id}/verified-id/presentation`. No `Debug`: it carries a credential.
#[derive(Deserialize)]
pub struct Presentation {
    /// The Verified ID, compact JWS.
    pub jws: String,
}

/// `POST /v1/requests/{id}/verified-id/presentation`: the device presents a Verified ID (ours,
/// subject = the request's UPN, issued less than 30 days ago and unexpired, on record).
pub async fn present(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Presentation>,
) -> ApiResult<Json<RequestView>> {
    let signer = state.signer.clone();
    let (view, ()) = update_draft_at_any_identity_check(&state, &id, &device, |connection, request, now| {
        check_presentation_allowed(request)?;
        check_presented(connection, &signer, &body.jws, &request.upn, now)?;
        Ok(store::requests::record_verified_id_presentation(connection, &request.id, opens_fast_path(request.path), now)?)
    })?;
    Ok(Json(view))
}

/// Answer of `GET /v1/requests/{id}/verified-id`.
#[derive(Debug, Serialize)]
pub struct VerifiedIdView {
    /// The compact JWS.
    pub jws: String,
    /// RFC 3339.
    pub issued_at: String,
    /// RFC 3339.
    pub expires_at: String,
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
