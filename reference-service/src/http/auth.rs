//! Caller authentication. Devices send `Authorization: Bearer <device_id>.<device_secret>` and
//! can only reach their own requests; reviewers send their own bearer token, which opens the
//! review endpoints and nothing else. Secrets are compared as SHA-256 digests.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::http::error::{ApiError, ApiResult};
use crate::secrets::sha256;
use crate::state::AppState;
use crate::store;

/// An authenticated device.
#[derive(Debug, Clone)]
pub struct DeviceAuth {
    /// The device's id.
    pub device_id: String,
}

/// An authenticated reviewer.
#[derive(Debug, Clone, Copy)]
pub struct ReviewerAuth;

fn bearer(parts: &Parts) -> ApiResult<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| ApiError::unauthorized("AUTH_REQUIRED", "send Authorization: Bearer …"))
}

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(parts)?;
        let invalid = || ApiError::unauthorized("DEVICE_AUTH_INVALID", "unknown device or wrong secret");
        let (device_id, secret) = token.split_once('.').ok_or_else(invalid)?;
        let stored = store::devices::secret_hash(&*state.db.lock()?, device_id)?;
        match stored {
            Some(hash) if hash == sha256(secret.as_bytes()) => Ok(Self { device_id: device_id.to_owned() }),
            _ => Err(invalid()),
        }
    }
}

impl FromRequestParts<AppState> for ReviewerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(parts)?;
        if sha256(token.as_bytes()) == state.reviewer_token_hash {
            Ok(Self)
        } else {
            Err(ApiError::unauthorized("REVIEWER_AUTH_INVALID", "not a reviewer token"))
        }
    }
}
