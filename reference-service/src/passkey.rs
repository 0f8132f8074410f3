//! Passkey registration (the "Get Passkey" path): WebAuthn creation options, then the
//! authenticator's attestation, verified by webauthn-rs. The ceremony state is stored in the
//! database between the two calls so a restart in the middle loses nothing.

use axum::extract::{Path, State};
use serde_json::{Value, json};
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

use crate::auth::DeviceAuth;
use crate::directory::OnboardingPath;
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::requests::{self, RequestRecord};
use crate::review::ReviewState;
use crate::secrets::random_bytes;
use crate::state::AppState;

fn approved_passkey_request(state: &AppState, id: &str, device: &DeviceAuth) -> ApiResult<RequestRecord> {
    let connection = state.db.lock()?;
    let record = requests::load_owned(&connection, id, device)?;
    if record.path != OnboardingPath::GetPasskey {
        return Err(ApiError::conflict("PATH_HAS_NO_PASSKEY", "this request is not on the passkey path"));
    }
    if record.state != ReviewState::Approved {
        return Err(ApiError::conflict("REQUEST_NOT_APPROVED", "the request is not approved"));
    }
    Ok(record)
}

/// `POST /v1/requests/{id}/passkey/options`: WebAuthn `PublicKeyCredentialCreationOptions`.
pub async fn options(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<axum::Json<Value>> {
    let record = approved_passkey_request(&state, &id, &device)?;
    let user_id = Uuid::from_bytes(random_bytes::<16>()?);
    let (challenge, registration) = state
        .webauthn
        .start_passkey_registration(user_id, &record.upn, &record.upn, None)
        .map_err(ApiError::internal)?;
    let stored = serde_json::to_string(&registration).map_err(ApiError::internal)?;
    state.db.lock()?.execute(
        "INSERT OR REPLACE INTO passkey_ceremonies (request_id, state_json, created_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![record.id, stored, state.now()],
    )?;
    Ok(axum::Json(serde_json::to_value(challenge).map_err(ApiError::internal)?))
}

/// `POST /v1/requests/{id}/passkey/attestation`: verifies and stores the new passkey.
pub async fn attestation(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(credential): ApiJson<RegisterPublicKeyCredential>,
) -> ApiResult<axum::Json<Value>> {
    let record = approved_passkey_request(&state, &id, &device)?;
    let connection = state.db.lock()?;
    let stored: String = rusqlite::OptionalExtension::optional(connection.query_row(
        "SELECT state_json FROM passkey_ceremonies WHERE request_id = ?1",
        [&record.id],
        |row| row.get(0),
    ))?
    .ok_or_else(|| ApiError::conflict("PASSKEY_CEREMONY_NOT_STARTED", "ask for creation options first"))?;
    let registration: PasskeyRegistration = serde_json::from_str(&stored).map_err(ApiError::internal)?;
    let passkey = state
        .webauthn
        .finish_passkey_registration(&credential, &registration)
        .map_err(|e| ApiError::unprocessable("PASSKEY_ATTESTATION_REJECTED", e.to_string()))?;
    let credential_id = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, AsRef::<[u8]>::as_ref(passkey.cred_id()));
    let passkey_json = serde_json::to_string(&passkey).map_err(ApiError::internal)?;
    // The challenge is single-use: delete it together with storing the result.
    connection.execute("DELETE FROM passkey_ceremonies WHERE request_id = ?1", [&record.id])?;
    connection.execute(
        "INSERT INTO passkeys (credential_id, upn, request_id, passkey_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![credential_id, record.upn, record.id, passkey_json, state.now()],
    )?;
    Ok(axum::Json(json!({ "credential_id": credential_id, "upn": record.upn })))
}
