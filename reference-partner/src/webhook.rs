//! Delivering a verdict to the service: the signed body, posted to the session's callback URL.

use crate::Clock;
use crate::sessions::PendingCallback;
use crate::signature;

/// Why a callback did not reach the service.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// No answer.
    #[error("callback not delivered: {0}")]
    Network(String),
    /// The service answered with an error status.
    #[error("callback refused with HTTP {0}")]
    Refused(u16),
}

/// Signs `callback` now and posts it. A 409 for an event the service already has counts as
/// delivered: an earlier attempt got through and only its answer was lost.
pub async fn deliver(
    client: &reqwest::Client,
    clock: &Clock,
    secret: &[u8],
    url: &str,
    callback: &PendingCallback,
) -> Result<(), DeliveryError> {
    let header = signature::sign(secret, clock(), &callback.body);
    let answer = client
        .post(url)
        .header(signature::HEADER, header)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(callback.body.clone())
        .send()
        .await
        .map_err(|e| DeliveryError::Network(e.without_url().to_string()))?;
    let status = answer.status();
    if status.is_success() {
        return Ok(());
    }
    let replayed = status == reqwest::StatusCode::CONFLICT
        && answer.json::<serde_json::Value>().await.is_ok_and(|body| body["code"] == "PARTNER_EVENT_REPLAYED");
    if replayed { Ok(()) } else { Err(DeliveryError::Refused(status.as_u16())) }
}
