//! Status watch: a long-poll (`GET /v1/requests/{id}/status?wait=N&after_version=V`), which the
//! China build relies on because it has no push, and push-token registration (FCM or APNs) with a
//! pluggable [`PushSender`]. Pushes carry only the request id and an event name, never personal
//! data; the app then reads the status.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::DeviceAuth;
use crate::clock::to_rfc3339;
use crate::errors::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::requests;
use crate::state::AppState;

/// A registered push token.
#[derive(Clone, PartialEq, Eq)]
pub struct PushToken {
    /// `fcm` or `apns`.
    pub kind: String,
    /// The provider's token.
    pub token: String,
}

impl std::fmt::Debug for PushToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushToken").field("kind", &self.kind).field("token", &"***").finish()
    }
}

/// A push the service sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushMessage {
    /// Device it goes to.
    pub device_id: String,
    /// Request concerned.
    pub request_id: String,
    /// `call_invited`, `approved` or `denied`.
    pub event: String,
}

/// Delivers pushes (FCM, APNs, or a stand-in).
pub trait PushSender: Send + Sync {
    /// Sends `message` to `token`; failures are logged by the implementation, never fatal.
    fn send(&self, token: &PushToken, message: &PushMessage);
}

/// The standalone default: no FCM or APNs credentials exist here, so pushes are logged (without
/// the token) and the app learns the news through the long-poll.
#[derive(Debug, Default)]
pub struct LogPushSender;

impl PushSender for LogPushSender {
    fn send(&self, token: &PushToken, message: &PushMessage) {
        tracing::info!(kind = %token.kind, device = %message.device_id, event = %message.event, "push");
    }
}

/// Records pushes in memory, for tests and the demo.
#[derive(Debug, Default)]
pub struct RecordingPushSender {
    sent: Mutex<Vec<(PushToken, PushMessage)>>,
}

impl RecordingPushSender {
    /// Everything sent so far.
    pub fn sent(&self) -> Vec<(PushToken, PushMessage)> {
        self.sent.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl PushSender for RecordingPushSender {
    fn send(&self, token: &PushToken, message: &PushMessage) {
        if let Ok(mut sent) = self.sent.lock() {
            sent.push((token.clone(), message.clone()));
        }
    }
}

/// Sends `event` about `request_id` to its device, if the device registered a token.
pub fn notify_device(state: &AppState, request_id: &str, event: &str) -> ApiResult<()> {
    let target: Option<(String, PushToken)> = {
        let connection = state.db.lock()?;
        rusqlite::OptionalExtension::optional(connection.query_row(
            "SELECT r.device_id, p.kind, p.token FROM requests r JOIN push_tokens p ON p.device_id = r.device_id
             WHERE r.id = ?1",
            [request_id],
            |row| Ok((row.get(0)?, PushToken { kind: row.get(1)?, token: row.get(2)? })),
        ))?
    };
    if let Some((device_id, token)) = target {
        let message = PushMessage { device_id, request_id: request_id.to_owned(), event: event.to_owned() };
        state.push.send(&token, &message);
    }
    Ok(())
}

/// Body of `POST /v1/devices/push-token`. No `Debug`: push tokens address a person's phone.
#[derive(Deserialize)]
pub struct RegisterPushToken {
    /// `fcm` or `apns`.
    pub kind: String,
    /// The token.
    pub token: String,
}

/// `POST /v1/devices/push-token`: stores (or replaces) the calling device's token.
pub async fn register_push_token(
    State(state): State<AppState>,
    device: DeviceAuth,
    ApiJson(body): ApiJson<RegisterPushToken>,
) -> ApiResult<axum::Json<Value>> {
    if !matches!(body.kind.as_str(), "fcm" | "apns") {
        return Err(ApiError::bad_request("PUSH_KIND_INVALID", "kind must be fcm or apns"));
    }
    let token = body.token.trim();
    if token.is_empty() || token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request("PUSH_TOKEN_INVALID", "token must be 1–4096 visible ASCII characters"));
    }
    state.db.lock()?.execute(
        "INSERT OR REPLACE INTO push_tokens (device_id, kind, token, updated_at) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![device.device_id, body.kind, token, state.now()],
    )?;
    Ok(axum::Json(json!({ "registered": true, "kind": body.kind })))
}

/// Query of the status long-poll.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    /// Seconds to wait for a change (bounded by the service's maximum); 0 answers at once.
    #[serde(default)]
    pub wait: Option<u64>,
    /// The version the caller already has; the poll answers as soon as the request's version
    /// differs. Without it, the poll waits for the next change.
    #[serde(default)]
    pub after_version: Option<i64>,
}

fn status_view(state: &AppState, id: &str, device: &DeviceAuth) -> ApiResult<(i64, Value)> {
    let now = state.now();
    let connection = state.db.lock()?;
    if crate::review::expire_overdue(&connection, now)? > 0 {
        state.announce_change();
    }
    let record = requests::load_owned(&connection, id, device)?;
    let view = json!({
        "request_id": record.id,
        "state": record.state.as_str(),
        "version": record.version,
        "submitted_at": record.submitted_at.map(to_rfc3339),
        "deadline": record.deadline_at.map(to_rfc3339),
        "call_id": record.call_id,
        "joined_at": record.joined_at.map(to_rfc3339),
        "denial": record.denial_reason_code.as_ref().map(|code| json!({ "reason_code": code, "message": record.denial_message })),
        "server_time": to_rfc3339(now),
    });
    Ok((record.version, view))
}

/// `GET /v1/requests/{id}/status`.
pub async fn status(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<StatusQuery>,
) -> ApiResult<axum::Json<Value>> {
    let mut changes = state.changes.subscribe();
    let (version, view) = status_view(&state, &id, &device)?;
    let wait = query.wait.unwrap_or(0).min(state.max_wait_seconds);
    let known = query.after_version.unwrap_or(version);
    if wait == 0 || version != known {
        return Ok(axum::Json(view));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    loop {
        match tokio::time::timeout_at(deadline, changes.changed()).await {
            Ok(Ok(())) => {
                let (version, view) = status_view(&state, &id, &device)?;
                if version != known {
                    return Ok(axum::Json(view));
                }
            }
            // Timed out (or the service is stopping): answer with what we have.
            Ok(Err(_)) | Err(_) => return Ok(axum::Json(status_view(&state, &id, &device)?.1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_tokens_are_redacted_in_debug_output() {
        let token = PushToken { kind: "fcm".into(), token: "secret-device-address".into() };
        let printed = format!("{token:?}");
        assert!(printed.contains("fcm") && !printed.contains("secret-device-address"));
    }

    #[test]
    fn the_recording_sender_keeps_what_was_sent() {
        let sender = RecordingPushSender::default();
        let token = PushToken { kind: "apns".into(), token: "t".into() };
        let message = PushMessage { device_id: "dev_1".into(), request_id: "req_1".into(), event: "approved".into() };
        sender.send(&token, &message);
        assert_eq!(sender.sent(), vec![(token, message)]);
    }
}
