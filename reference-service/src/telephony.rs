//! Text messages and voice calls: the [`SmsProvider`] and [`TelephonyProvider`] interfaces a
//! production adapter implements (an SMS gateway, a voice API), and the development providers
//! that deliver nothing and instead keep every message and call in a [`DevelopmentOutbox`] a
//! developer reads (`GET /v1/dev/outbox`, the `/console/dev` page) and answers (typing on a
//! call's keypad), so a person or a test can finish the flow by hand. They are named as such
//! and on only when the service is started with `--development-providers`.
//!
//! A leaf: it imports nothing of this crate, so the service state can hold the providers.

use std::sync::Mutex;

/// A provider could not take the message or the call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("delivery failed: {0}")]
pub struct DeliveryFailed(pub String);

/// Sends text messages.
pub trait SmsProvider: Send + Sync {
    /// Sends `text` to the E.164 number `to`; the provider's message id.
    fn send(&self, to: &str, text: &str, now: i64) -> Result<String, DeliveryFailed>;
}

/// Places voice calls that ask the callee to type on the keypad; the result comes back to the
/// service (`AppState`'s keypad handling) with the call id.
pub trait TelephonyProvider: Send + Sync {
    /// Calls `to` (dialling `extension` when given) and says `prompt`; the provider's call id.
    fn place_call(&self, to: &str, extension: Option<&str>, prompt: &str, now: i64) -> Result<String, DeliveryFailed>;
}

/// What a development provider was asked to deliver.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Message or call id.
    pub id: String,
    /// `sms` or `voice_call`.
    pub kind: &'static str,
    /// E.164 number (with `;ext=` for an extension).
    pub to: String,
    /// The message, or what the call says.
    pub text: String,
    /// `delivered` (a message), `waiting_for_keypad` or `completed` (a call).
    pub status: &'static str,
    /// Unix seconds.
    pub sent_at: i64,
}

// A message's text carries its one-time code.
impl std::fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxEntry").field("id", &self.id).field("kind", &self.kind).field("status", &self.status).finish_non_exhaustive()
    }
}

/// The development providers' record of what they "sent", newest last (in memory only).
#[derive(Debug, Default)]
pub struct DevelopmentOutbox {
    entries: Mutex<Vec<OutboxEntry>>,
}

impl DevelopmentOutbox {
    /// Everything sent so far.
    pub fn entries(&self) -> Vec<OutboxEntry> {
        self.entries.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Marks call `id` answered; whether it was waiting for the keypad.
    pub fn complete_call(&self, id: &str) -> bool {
        let Ok(mut entries) = self.entries.lock() else { return false };
        match entries.iter_mut().find(|e| e.id == id && e.kind == "voice_call" && e.status == "waiting_for_keypad") {
            Some(entry) => {
                entry.status = "completed";
                true
            }
            None => false,
        }
    }

    fn push(&self, kind: &'static str, to: String, text: String, status: &'static str, now: i64) -> Result<String, DeliveryFailed> {
        let mut entries = self.entries.lock().map_err(|_| DeliveryFailed("outbox poisoned".to_owned()))?;
        let id = format!("{}_{}", if kind == "sms" { "msg" } else { "call" }, entries.len() + 1);
        entries.push(OutboxEntry { id: id.clone(), kind, to, text, status, sent_at: now });
        Ok(id)
    }
}

/// The development SMS provider: writes each message to the outbox instead of sending it.
#[derive(Debug)]
pub struct DevelopmentSmsProvider(pub std::sync::Arc<DevelopmentOutbox>);

impl SmsProvider for DevelopmentSmsProvider {
    fn send(&self, to: &str, text: &str, now: i64) -> Result<String, DeliveryFailed> {
        self.0.push("sms", to.to_owned(), text.to_owned(), "delivered", now)
    }
}

/// The development telephony provider: each call waits in the outbox for a developer to type
/// on its keypad (`POST /v1/dev/calls/{id}/keypad`).
#[derive(Debug)]
pub struct DevelopmentTelephonyProvider(pub std::sync::Arc<DevelopmentOutbox>);

impl TelephonyProvider for DevelopmentTelephonyProvider {
    fn place_call(&self, to: &str, extension: Option<&str>, prompt: &str, now: i64) -> Result<String, DeliveryFailed> {
        let to = match extension {
            Some(extension) => format!("{to};ext={extension}"),
            None => to.to_owned(),
        };
        self.0.push("voice_call", to, prompt.to_owned(), "waiting_for_keypad", now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_development_providers_keep_what_they_send_and_calls_complete_once() {
        let outbox = std::sync::Arc::new(DevelopmentOutbox::default());
        let sms = DevelopmentSmsProvider(outbox.clone());
        let voice = DevelopmentTelephonyProvider(outbox.clone());
        let message = sms.send("+4915112345678", "code 123456", 5).expect("sent");
        let call = voice.place_call("+4915112345678", Some("12"), "enter your PIN", 6).expect("placed");
        let entries = outbox.entries();
        assert_eq!((entries[0].id.as_str(), entries[0].kind), (message.as_str(), "sms"));
        assert_eq!((entries[1].to.as_str(), entries[1].status), ("+4915112345678;ext=12", "waiting_for_keypad"));
        assert!(!format!("{entries:?}").contains("123456"));
        assert!(outbox.complete_call(&call));
        assert!(!outbox.complete_call(&call), "answered once");
        assert!(!outbox.complete_call(&message), "a message is no call");
    }
}
