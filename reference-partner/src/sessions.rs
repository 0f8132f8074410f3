//! The partner's sessions, in memory. Each has a random id and a separate hand-off token: the
//! id appears in the callback and in logs, the token only in the hand-off URL, so knowing a
//! session id is not enough to submit to it.

use std::collections::HashMap;
use std::sync::Mutex;

use ring::rand::{SecureRandom, SystemRandom};

/// A callback the partner has decided and must deliver (kept until the service confirms it, so
/// a retried delivery is the same event).
#[derive(Debug, Clone)]
pub struct PendingCallback {
    /// The event's id (the service refuses a second delivery of it).
    pub event_id: String,
    /// The exact body that is signed and sent.
    pub body: Vec<u8>,
}

/// One ID check. `Debug` by hand: the derived one would print the hand-off token.
#[derive(Clone)]
pub struct Session {
    /// The hand-off token.
    pub token: String,
    /// The service's reference (its request id).
    pub reference: String,
    /// Where the verdict goes.
    pub callback_url: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// The verdict, once decided, until delivered.
    pub callback: Option<PendingCallback>,
    /// The verdict reached the service: the session is over.
    pub delivered: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("reference", &self.reference)
            .field("expires_at", &self.expires_at)
            .field("callback", &self.callback)
            .field("delivered", &self.delivered)
            .finish_non_exhaustive()
    }
}

/// Every session of this partner.
#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

/// Randomness failed: nothing secret can be made.
#[derive(Debug, Clone, Copy)]
pub struct NoRandomness;

/// `prefix_` and 32 hex digits of fresh randomness.
pub fn random_id(prefix: &str) -> Result<String, NoRandomness> {
    let mut bytes = [0u8; 16];
    SystemRandom::new().fill(&mut bytes).map_err(|_| NoRandomness)?;
    Ok(format!("{prefix}_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// Compares two secrets by their SHA-256 digests, so the time taken says nothing about how
/// much of a guess was right.
pub fn same_secret(known: &str, presented: &str) -> bool {
    let digest = |text: &str| ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    digest(known).as_ref() == digest(presented).as_ref()
}

impl Sessions {
    /// Stores a new session under `id`.
    pub fn insert(&self, id: String, session: Session) {
        self.lock().insert(id, session);
    }

    /// A copy of session `id` if `token` is its hand-off token.
    pub fn get(&self, id: &str, token: &str) -> Option<Session> {
        let sessions = self.lock();
        let session = sessions.get(id)?;
        same_secret(&session.token, token).then_some(())?;
        Some(session.clone())
    }

    /// Records the decided callback, unless one was decided already (then that one stays).
    pub fn decide(&self, id: &str, callback: PendingCallback) -> Option<PendingCallback> {
        let mut sessions = self.lock();
        let session = sessions.get_mut(id)?;
        Some(session.callback.get_or_insert(callback).clone())
    }

    /// The service confirmed the callback.
    pub fn delivered(&self, id: &str) {
        if let Some(session) = self.lock().get_mut(id) {
            session.delivered = true;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock cannot leave a session half-written (every change is
        // one assignment), so a poisoned map is still sound.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-off token opens the user's ID check: a printed session must not carry it.
    #[test]
    fn a_session_prints_no_hand_off_token() {
        let session = Session {
            token: "tok_canary5f1d0c9e".into(),
            reference: "req_1".into(),
            callback_url: "http://127.0.0.1:9/v1/partner/callback".into(),
            expires_at: 0,
            callback: None,
            delivered: false,
        };
        let printed = format!("{session:?} {session:#?}");
        assert!(!printed.contains("canary5f1d0c9e"), "{printed}");
        assert!(printed.contains("req_1"), "the rest stays readable: {printed}");
    }
}
