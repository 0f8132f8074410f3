//! Push-token registration (FCM or APNs): one token per device, replaced on every call. What
//! the service then sends goes through the configured `PushSender` (`push.rs`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::domain::push_registration::checked_push_token;
use crate::http::auth::DeviceAuth;
use crate::http::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::state::AppState;
use crate::store;

/// Body of `POST /v1/devices/push-token`. No `Debug`: push tokens address a person's phone.
#[derive(Deserialize)]
pub struct RegisterPushToken {
    /// `fcm` or `apns`.
    pub kind: String,
    /// The token.
    pub token: String,
}

/// Answer of `POST /v1/devices/push-token`.
#[derive(Debug, Serialize)]
pub struct PushTokenRegistered {
    /// Always true.
    pub registered: bool,
    /// The kind registered.
    pub kind: String,
}

/// `POST /v1/devices/push-token`: stores (or replaces) the calling device's token.
pub async fn register_push_token(
    State(state): State<AppState>,
    device: DeviceAuth,
    ApiJson(body): ApiJson<RegisterPushToken>,
) -> ApiResult<Answer> {
    let token = checked_push_token(&body.kind, &body.token)?;
    let ((), answer) = commit(&state, |connection| {
        store::push_tokens::save(connection, &device.device_id, &body.kind, token, state.now())?;
        Ok(((), Answer::json(StatusCode::OK, &PushTokenRegistered { registered: true, kind: body.kind.clone() })?))
    })?;
    Ok(answer)
}
