//! Service calls that were sent and not yet answered, kept in secure storage with their
//! idempotency keys.
//!
//! The pure flow only records *that* it waits for an answer; if the app is killed in between,
//! the runtime must resend exactly the same call, with the same key, so the service answers
//! with what it already did instead of doing it twice. An entry is written before the call
//! goes out and removed once its answer has been applied to the flow and the flow saved.

use serde::{Deserialize, Serialize};

use identity_pass_core::flow::verification::GovernmentIdOutcome;

use crate::idempotency::IdempotencyKey;
use crate::service_client::IdentityClaim;

/// One service operation, with everything needed to send it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Call {
    /// Identity entry, then consent.
    CreateRequest {
        /// The identity.
        claim: IdentityClaim,
        /// Terms accepted.
        terms_version: String,
        /// When (phone time, Unix ms).
        consent_accepted_at: i64,
    },
    /// Legacy path: the date of birth.
    ConfirmDateOfBirth {
        /// Request.
        request_id: String,
        /// ISO date.
        date_of_birth: String,
    },
    /// The partner's government-ID result.
    RecordGovernmentId {
        /// Request.
        request_id: String,
        /// Result.
        outcome: GovernmentIdOutcome,
    },
    /// The captured selfie (held in memory only; lost if the app dies, then retaken).
    UploadSelfie {
        /// Request.
        request_id: String,
    },
    /// The liveness result (evidence in memory only).
    RecordLiveness {
        /// Request.
        request_id: String,
        /// Passed or not.
        passed: bool,
        /// Why not.
        reason: Option<String>,
    },
    /// Fetch the Verified ID the service issued.
    FetchVerifiedId {
        /// Request.
        request_id: String,
    },
    /// Present the stored Verified ID.
    PresentVerifiedId {
        /// Request.
        request_id: String,
    },
    /// Submit for review.
    Submit {
        /// Request.
        request_id: String,
    },
    /// Create the TAP (on the fast path: present the Verified ID and submit first).
    CreateTap {
        /// Request.
        request_id: String,
        /// The 30-day fast path (liveness only, no call).
        #[serde(default)]
        fast_path: bool,
    },
    /// WebAuthn creation options.
    PasskeyOptions {
        /// Request.
        request_id: String,
    },
    /// WebAuthn attestation.
    PasskeyAttestation {
        /// Request.
        request_id: String,
        /// The platform's response (JSON).
        response_json: String,
    },
}

/// A call in flight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingCall {
    /// Local id, to match the answer.
    pub id: u64,
    /// Sent with every attempt of this call, across restarts.
    pub key: IdempotencyKey,
    /// What.
    pub call: Call,
}

/// The calls in flight, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    next_id: u64,
    /// Pending calls.
    pub pending: Vec<PendingCall>,
}

impl Outbox {
    /// Records a new call and returns it.
    pub fn add(&mut self, call: Call, key: IdempotencyKey) -> PendingCall {
        self.next_id += 1;
        let pending = PendingCall { id: self.next_id, key, call };
        self.pending.push(pending.clone());
        pending
    }

    /// Forgets a call once answered.
    pub fn remove(&mut self, id: u64) {
        self.pending.retain(|p| p.id != id);
    }

    /// The serialized form kept in secure storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads the stored form; anything unreadable is an empty outbox (the flow's own
    /// "retry" then resends with a fresh key — at worst one duplicate the service dedupes by
    /// state, never a lost request).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        serde_json::from_slice(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_round_trips_and_keeps_keys() {
        let mut outbox = Outbox::default();
        let key = IdempotencyKey::from_existing("k1".into());
        let first = outbox.add(Call::Submit { request_id: "r".into() }, key.clone());
        outbox.add(Call::CreateTap { request_id: "r".into(), fast_path: false }, IdempotencyKey::from_existing("k2".into()));
        let restored = Outbox::from_bytes(&outbox.to_bytes());
        assert_eq!(restored, outbox);
        assert_eq!(restored.pending[0].key, key);
        let mut restored = restored;
        restored.remove(first.id);
        assert_eq!(restored.pending.len(), 1);
        assert_eq!(Outbox::from_bytes(b"garbage"), Outbox::default());
    }
}
