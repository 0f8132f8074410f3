//! Push delivery: registered tokens (FCM or APNs) and the pluggable [`PushSender`] the service
//! hands its pushes to. Pushes carry only the request id and an event name, never personal data;
//! the app then reads the status (or, in the China build without push, long-polls it).
//!
//! A leaf: it imports nothing of this crate, so the store can return [`PushToken`]s and the
//! service state can hold a sender without either depending on the HTTP layer.

use std::sync::Mutex;

use serde::Serialize;

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
