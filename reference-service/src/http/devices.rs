//! Device registration: each app installation gets an id and a secret. Only the secret's digest
//! is stored. The app may bring its own secret (64 hex digits, generated on the device): then no
//! secret ever travels back, and an answer lost on the network costs nothing, because the
//! replay gives the id and the app already holds the secret. Otherwise the service makes one and
//! returns it once; an idempotent replay answers without it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use crate::domain::device::{check_own_secret, check_platform};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::ReplayBody;
use crate::secrets::{hex, new_id, random_bytes, sha256};
use crate::state::AppState;
use crate::store;

/// Body of `POST /v1/devices`.
#[derive(Debug, Deserialize)]
pub struct RegisterDevice {
    /// `android`, `android_china` or `ios`.
    pub platform: String,
    /// The device's own secret (64 lowercase hex digits), if it generated one.
    #[serde(default)]
    pub device_secret: Option<String>,
}

/// Answer of `POST /v1/devices`.
#[derive(Serialize)]
pub struct DeviceRegistered {
    /// The new device's id.
    pub device_id: String,
    /// Its secret: shown once, `null` on an idempotent replay.
    pub device_secret: Option<String>,
}

/// `POST /v1/devices`.
pub async fn register(State(state): State<AppState>, ApiJson(body): ApiJson<RegisterDevice>) -> ApiResult<impl IntoResponse> {
    check_platform(&body.platform)?;
    let device_id = new_id("dev")?;
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
    store::devices::insert(&*state.db.lock()?, &device_id, &sha256(secret.as_bytes()), &body.platform, state.now())?;
    let replay = DeviceRegistered { device_id: device_id.clone(), device_secret: None };
    let replay = serde_json::to_value(replay).map_err(ApiError::internal)?;
    // A secret the device chose is never echoed back.
    let answer = DeviceRegistered { device_id, device_secret: own_secret.is_none().then_some(secret) };
    Ok((StatusCode::CREATED, Extension(ReplayBody(replay)), Json(answer)))
}
