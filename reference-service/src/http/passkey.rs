//! Passkey registration (the "Get Passkey" path): WebAuthn creation options, then the
//! authenticator's attestation, verified by webauthn-rs. The ceremony state is stored between
//! the two calls so a restart in the middle loses nothing.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential, Uuid, WebauthnError};

use crate::domain::DomainError;
use crate::domain::passkey::check_registration_allowed;
use crate::domain::request::OnboardingRequest;
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::secrets::random_bytes;
use crate::state::AppState;
use crate::store::{self, passkeys::NewPasskey};

fn approved_passkey_request(state: &AppState, id: &str, device: &DeviceAuth) -> ApiResult<OnboardingRequest> {
    let request = store::requests::load_owned(&*state.db.lock()?, id, &device.device_id)?;
    check_registration_allowed(&request)?;
    Ok(request)
}

/// `POST /v1/requests/{id}/passkey/options`: WebAuthn `PublicKeyCredentialCreationOptions`.
pub async fn options(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    let request = approved_passkey_request(&state, &id, &device)?;
    let user_id = Uuid::from_bytes(random_bytes::<16>()?);
    let (challenge, registration) =
        state.webauthn.start_passkey_registration(user_id, &request.upn, &request.upn, None).map_err(ApiError::internal)?;
    let stored = serde_json::to_string(&registration).map_err(ApiError::internal)?;
    let ((), answer) = commit(&state, |connection| {
        store::passkeys::save_ceremony(connection, &request.id, &stored, state.now())?;
        Ok(((), Answer::json(StatusCode::OK, &challenge)?))
    })?;
    Ok(answer)
}

/// Answer of `POST /v1/requests/{id}/passkey/attestation`.
#[derive(Debug, Serialize)]
pub struct PasskeyRegistered {
    /// The new credential's id, base64url.
    pub credential_id: String,
    /// Whose it is.
    pub upn: String,
}

/// Why webauthn-rs refused an attestation, for the phone. A wrong origin has its own code: it
/// means the app (its signing certificate) or the site is not one the service is configured
/// for, which no retry on the phone mends, unlike a failed ceremony.
fn refusal(error: WebauthnError) -> ApiError {
    match error {
        WebauthnError::InvalidRPOrigin => ApiError::unprocessable(
            "PASSKEY_ORIGIN_NOT_ALLOWED",
            "the passkey was made for an origin this service does not accept (an app signed with a certificate not configured, or another site)",
        ),
        other => ApiError::unprocessable("PASSKEY_ATTESTATION_REJECTED", other.to_string()),
    }
}

/// `POST /v1/requests/{id}/passkey/attestation`: verifies and stores the new passkey.
pub async fn attestation(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(credential): ApiJson<RegisterPublicKeyCredential>,
) -> ApiResult<Answer> {
    let request = approved_passkey_request(&state, &id, &device)?;
    let ((), answer) = commit(&state, |connection| {
        let stored = store::passkeys::ceremony(connection, &request.id)?.ok_or(DomainError::PasskeyCeremonyNotStarted)?;
        let registration: PasskeyRegistration = serde_json::from_str(&stored).map_err(ApiError::internal)?;
        let passkey = state.webauthn.finish_passkey_registration(&credential, &registration).map_err(refusal)?;
        let credential_id =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, AsRef::<[u8]>::as_ref(passkey.cred_id()));
        let passkey_json = serde_json::to_string(&passkey).map_err(ApiError::internal)?;
        let new_passkey =
            NewPasskey { credential_id: &credential_id, upn: &request.upn, request_id: &request.id, passkey_json: &passkey_json };
        if store::passkeys::finish_registration(connection, &new_passkey, state.now())? == store::passkeys::Registration::CredentialTaken {
            return Err(DomainError::PasskeyCredentialTaken.into());
        }
        Ok(((), Answer::json(StatusCode::OK, &PasskeyRegistered { credential_id, upn: request.upn.clone() })?))
    })?;
    Ok(answer)
}
