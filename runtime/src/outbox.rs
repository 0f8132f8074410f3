//! The idempotency key of every call the flow may still send, kept in secure storage.
//!
//! The flow owns the calls themselves: it records each one (with its `CallId`) in its own
//! saved state before asking for it, and after a restart it sends again exactly those still
//! waiting. What the flow cannot own is the wire key, because a key is randomness and the flow
//! is pure. So the runtime keeps one key per `CallId`, written here *before* the call goes out:
//! if the app dies between the send and the answer, the resend carries the same key and the
//! service answers with what it already did instead of doing it twice. A call the flow makes
//! anew has a new id and so a new key; that is what keeps a refused or lost attempt's key from
//! poisoning the next one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use identity_pass_core::flow::CallId;

use crate::idempotency::IdempotencyKey;

/// Keys by call id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    /// Only ids the flow still holds (see `retain`).
    #[serde(default)]
    keys: BTreeMap<CallId, IdempotencyKey>,
}

impl Outbox {
    /// The key for `id`, if one was made.
    pub fn key(&self, id: CallId) -> Option<&IdempotencyKey> {
        self.keys.get(&id)
    }

    /// Records the key for a new call.
    pub fn insert(&mut self, id: CallId, key: IdempotencyKey) {
        self.keys.insert(id, key);
    }

    /// Forgets every key but those of `live` (the flow's `live_call_ids`). Returns whether
    /// anything was forgotten.
    pub fn retain(&mut self, live: &[CallId]) -> bool {
        let before = self.keys.len();
        self.keys.retain(|id, _| live.contains(id));
        self.keys.len() != before
    }

    /// How many keys are kept.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key is kept.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The serialized form kept in secure storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads the stored form. Anything unreadable (a damaged entry, an older app's format) is
    /// an empty outbox: the calls the flow still waits for then go out with fresh keys, which
    /// at worst repeats one call the service dedupes by state; nothing is lost.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        serde_json::from_slice(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_round_trips_keys_and_forgets_what_the_flow_let_go() {
        let mut outbox = Outbox::default();
        let key = IdempotencyKey::from_existing("k1".into());
        outbox.insert(CallId(1), key.clone());
        outbox.insert(CallId(2), IdempotencyKey::from_existing("k2".into()));
        let mut restored = Outbox::from_bytes(&outbox.to_bytes());
        assert_eq!(restored, outbox);
        assert_eq!(restored.key(CallId(1)), Some(&key));
        assert!(restored.retain(&[CallId(2), CallId(7)]));
        assert_eq!(restored.key(CallId(1)), None);
        assert_eq!(restored.len(), 1);
        assert!(!restored.retain(&[CallId(2)]));
    }

    /// What installed apps have saved must keep loading (a renamed field would silently lose
    /// every key, and with them the guarantee that a resend is not a second action).
    #[test]
    fn the_committed_format_still_loads_and_round_trips() {
        const FIXTURE: &str = include_str!("../tests/fixtures/persisted/outbox-v1.json");
        let outbox = Outbox::from_bytes(FIXTURE.trim_end().as_bytes());
        assert_eq!(outbox.key(CallId(3)).map(IdempotencyKey::as_str), Some("0123456789abcdef0123456789abcdef"));
        assert_eq!(outbox.key(CallId(7)).map(IdempotencyKey::as_str), Some("fedcba9876543210fedcba9876543210"));
        assert_eq!(outbox.to_bytes(), FIXTURE.trim_end().as_bytes());
    }

    #[test]
    fn an_unreadable_or_older_outbox_is_empty() {
        assert!(Outbox::from_bytes(b"garbage").is_empty());
        // The format of the app before calls had ids: a list of whole calls.
        let older = br#"{"next_id":3,"pending":[{"id":3,"key":"abc","call":{"Submit":{"request_id":"r"}}}]}"#;
        assert!(Outbox::from_bytes(older).is_empty());
    }
}
