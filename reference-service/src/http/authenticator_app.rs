//! The authenticator app (seed 004's "mobile app"): the service makes a TOTP secret (RFC 6238)
//! and an activation — the `otpauth://` URI the core draws as a barcode or hands to the app on
//! the same phone, and an activation code with its URL for an app on another device — and the
//! user proves the app works by entering a current code. The secret is sealed with the data key
//! at rest; the URI and the code are in the creation answer only (a replay shows neither).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::account_security::totp::{self, ACTIVATION_LIFETIME_SECONDS, MAX_ATTEMPTS, SECRET_BYTES};
use crate::domain::account_security::{Method, MethodKind};
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{ApiBytes, ApiJson};
use crate::http::idempotency::{Answer, commit, commit_keeping_refusals};
use crate::http::security_info::{live_session, security_info};
use crate::secrets::{new_id, random_bytes, random_string, sha256};
use crate::state::AppState;
use crate::store;
use crate::store::totp_activations::Activation;

/// Digits of an activation code.
const ACTIVATION_CODE_DIGITS: usize = 9;

/// Answer of `POST …/authenticator-app`. `Debug` by hand: the URI carries the secret.
#[derive(Serialize)]
pub struct AppActivation {
    /// The activation to verify.
    pub activation_id: String,
    /// Typed into an app on another device with `activation_url`; `null` in a replay.
    pub activation_code: Option<String>,
    /// Where an app posts the activation code.
    pub activation_url: String,
    /// The key URI for the barcode; `null` in a replay.
    pub otpauth_uri: Option<String>,
    /// RFC 3339: the activation's end.
    pub expires_at: String,
    /// Server time, RFC 3339.
    pub server_time: String,
}

impl std::fmt::Debug for AppActivation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppActivation")
            .field("activation_id", &self.activation_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A code to check. No `Debug`: it is a one-time secret.
#[derive(Deserialize)]
pub struct CodeBody {
    /// The code as typed.
    #[serde(default)]
    pub code: String,
}

/// `POST /v1/requests/{id}/security-info/authenticator-app`: a new activation.
pub async fn start(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        if !state.security_policy.allows(MethodKind::AuthenticatorApp) {
            return Err(DomainError::MethodNotInPolicy.into());
        }
        let secret = random_bytes::<SECRET_BYTES>()?;
        let code = random_string(b"0123456789", ACTIVATION_CODE_DIGITS)?;
        let activation = Activation {
            id: new_id("act")?,
            upn: session.upn.clone(),
            device_id: device.device_id.clone(),
            secret_sealed: state.data_key.seal(&secret, session.upn.as_bytes())?,
            expires_at: now + ACTIVATION_LIFETIME_SECONDS,
            failures: 0,
            accepted_step: None,
        };
        store::totp_activations::insert(connection, &activation, &sha256(code.expose().as_bytes()), now)?;
        let view = |code: Option<String>, uri: Option<String>| AppActivation {
            activation_id: activation.id.clone(),
            activation_code: code,
            activation_url: format!("{}/mfa/activate", state.base_url),
            otpauth_uri: uri,
            expires_at: to_rfc3339(activation.expires_at),
            server_time: to_rfc3339(now),
        };
        let full = view(Some(code.expose().to_owned()), Some(totp::otpauth_uri(&session.upn, &secret)));
        let answer = Answer::json(StatusCode::OK, &full)?.stored_without(&view(None, None))?;
        Ok(((), answer))
    })?;
    Ok(answer)
}

/// `POST /v1/requests/{id}/security-info/authenticator-app/{activation_id}/verification`: the
/// first code from the app. Wrong codes are counted (and the count kept, also when the answer
/// is lost): the fifth kills the activation. The right code registers the app as a method.
pub async fn verify(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path((id, activation_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit_keeping_refusals(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        let activation =
            store::totp_activations::find(connection, &session.upn, &activation_id)?.ok_or(DomainError::VerificationNotFound)?;
        if activation.accepted_step.is_some() {
            // Completed: its code was accepted once and is never accepted again.
            return Err(DomainError::VerificationCodeInvalid.into());
        }
        if activation.failures >= MAX_ATTEMPTS {
            return Err(DomainError::VerificationAttemptsExceeded.into());
        }
        if now >= activation.expires_at {
            return Err(DomainError::VerificationExpired.into());
        }
        let secret = state.data_key.open(&activation.secret_sealed, session.upn.as_bytes()).map_err(ApiError::internal)?;
        let step = match totp::verify(&secret, &body.code, now, None) {
            Ok(step) => step,
            Err(refusal) => {
                store::totp_activations::count_failure(connection, &activation.id)?;
                let refusal = if activation.failures + 1 >= MAX_ATTEMPTS { DomainError::VerificationAttemptsExceeded } else { refusal };
                return Ok(Err(refusal.into()));
            }
        };
        store::totp_activations::complete(connection, &activation.id, step)?;
        let method = Method {
            id: new_id("mth")?,
            kind: MethodKind::AuthenticatorApp,
            phone_number: None,
            extension: None,
            backup_phone_number: None,
            registered_at: now,
        };
        store::auth_methods::insert(connection, &session.upn, &method, Some((&activation.secret_sealed, step)))?;
        Ok(Ok(((), Answer::json(StatusCode::OK, &security_info(&state, connection, &session, now)?)?)))
    })?;
    Ok(answer)
}

/// The key URI given to an app on another device.
#[derive(Serialize)]
pub struct ActivatedUri {
    /// The `otpauth://` URI.
    pub otpauth_uri: String,
}

/// `POST /mfa/activate` (`activation_code`, as JSON or a form): an authenticator app on
/// another device trades the activation code for the key URI, once, while the activation
/// lives. Any other code answers 404 VERIFICATION_NOT_FOUND; past 30 of those a minute, from
/// anybody, 429 VERIFICATION_ATTEMPTS_EXCEEDED.
pub async fn activate(State(state): State<AppState>, ApiBytes(body): ApiBytes) -> ApiResult<Json<ActivatedUri>> {
    let code = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|value| value.get("activation_code").and_then(|c| c.as_str()).map(str::to_owned))
        .or_else(|| url::form_urlencoded::parse(&body).find(|(key, _)| key == "activation_code").map(|(_, value)| value.into_owned()))
        .unwrap_or_default();
    let now = state.now();
    let misses = || state.activation_misses.lock().map_err(|_| ApiError::internal("activation misses poisoned"));
    totp::check_activation_guess(&mut *misses()?, now)?;
    let taken = state
        .db
        .transaction(|connection| store::totp_activations::take_by_code(connection, &sha256(code.trim().as_bytes()), MAX_ATTEMPTS, now))?;
    let Some((upn, sealed)) = taken else {
        misses()?.push(now);
        return Err(DomainError::VerificationNotFound.into());
    };
    let secret = state.data_key.open(&sealed, upn.as_bytes()).map_err(ApiError::internal)?;
    Ok(Json(ActivatedUri { otpauth_uri: totp::otpauth_uri(&upn, &secret) }))
}
