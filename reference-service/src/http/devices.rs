//! Device registration: each app installation gets an id and a secret. Only the secret's digest
//! is stored. The app may bring its own secret (64 hex digits, generated on the device): then no
//! secret ever travels back, and an answer lost on the network costs nothing, because sending
//! the same registration again answers the same id (registration is idempotent by that secret:
//! whoever sends it holds the device's credential already). Otherwise the service makes one and
//! returns it once; a retry of a lost answer registers anew, since the lost secret is nowhere
//! else. Nothing of a registration is kept for replay (`idempotency.rs`: calls without
//! credentials have no scope of their own).
//!
//! The app also registers its device key (`device_key`: the public half and a signature proving
//! it holds the private half, core `device_binding::registration`). Verified IDs issued to the
//! device are bound to that key; a device registered without one can hold a Verified ID but
//! never present it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

use identity_pass_core::device_binding::registration;

use crate::domain::DomainError;
use crate::domain::device::{check_own_secret, check_platform};
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::secrets::{hex, new_id, random_bytes, sha256};
use crate::state::AppState;
use crate::store;

/// Body of `POST /v1/devices`. `Debug` by hand: the derived one would print the device secret.
#[derive(Deserialize)]
pub struct RegisterDevice {
    /// `android`, `android_china` or `ios`.
    pub platform: String,
    /// The device's own secret (64 lowercase hex digits), if it generated one.
    #[serde(default)]
    pub device_secret: Option<String>,
    /// The device key: its public half and the proof of possession.
    #[serde(default)]
    pub device_key: Option<DeviceKeyField>,
}

impl std::fmt::Debug for RegisterDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterDevice")
            .field("platform", &self.platform)
            .field("device_secret", &self.device_secret.as_ref().map(|_| identity_pass_core::secret::REDACTED))
            .field("device_key", &self.device_key)
            .finish()
    }
}

/// `device_key` of `POST /v1/devices`.
#[derive(Debug, Deserialize)]
pub struct DeviceKeyField {
    /// P-256 public key, base64url: SEC1 uncompressed point or X.509 SubjectPublicKeyInfo.
    pub public_key: String,
    /// ECDSA P-256 / SHA-256 signature (DER or r‖s, base64url) over the registration statement.
    pub proof: String,
}

/// Answer of `POST /v1/devices`.
#[derive(Serialize)]
pub struct DeviceRegistered {
    /// The new device's id.
    pub device_id: String,
    /// Its secret when the service made it (shown once); `null` when the device brought its own.
    pub device_secret: Option<String>,
}

/// `POST /v1/devices`.
pub async fn register(State(state): State<AppState>, ApiJson(body): ApiJson<RegisterDevice>) -> ApiResult<impl IntoResponse> {
    check_platform(&body.platform)?;
    let key = match &body.device_key {
        Some(field) => Some(registration::check(&field.public_key, &field.proof).map_err(|_| DomainError::DeviceKeyInvalid)?),
        None => None,
    };
    let own_secret = match body.device_secret {
        Some(secret) => {
            check_own_secret(&secret)?;
            Some(secret)
        }
        None => None,
    };
    let secret = match &own_secret {
        Some(secret) => secret.clone(),
        None => hex(&random_bytes::<32>()?),
    };
    let secret_hash = sha256(secret.as_bytes());
    let connection = state.db.lock()?;
    if own_secret.is_some()
        && let Some((device_id, registered_key)) = store::devices::by_secret_hash(&connection, &secret_hash)?
    {
        // The same registration again (its answer was lost): the same device, if it is the same
        // registration; a different platform or device key under that secret is refused.
        if registered_key != key || store::devices::platform(&connection, &device_id)?.as_deref() != Some(body.platform.as_str()) {
            return Err(DomainError::DeviceAlreadyRegistered.into());
        }
        return Ok((StatusCode::CREATED, Json(DeviceRegistered { device_id, device_secret: None })));
    }
    let device_id = new_id("dev")?;
    store::devices::insert(&connection, &device_id, &secret_hash, &body.platform, key.as_ref(), state.now())?;
    // A secret the device chose is never echoed back.
    Ok((StatusCode::CREATED, Json(DeviceRegistered { device_id, device_secret: own_secret.is_none().then_some(secret) })))
}
