//! What can go wrong in storage. The store knows nothing of HTTP: `http::error` alone decides
//! that a missing request is a 404 and a failing database a 500.

use crate::domain::verified_id::SigningKeyError;
use crate::secrets::RandomnessUnavailable;

/// A storage failure, or a lookup that found nothing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Nothing stored under the key (or, for requests, not visible to the caller).
    #[error("no such {0}")]
    NotFound(Missing),
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A thread panicked while holding the connection.
    #[error("database mutex poisoned")]
    Poisoned,
    /// The stored Verified ID signing key could not be made or read.
    #[error(transparent)]
    SigningKey(#[from] SigningKeyError),
    /// No randomness for a new secret.
    #[error(transparent)]
    Randomness(#[from] RandomnessUnavailable),
}

/// What a lookup did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// An onboarding request.
    Request,
    /// The user's Temporary Access Pass.
    Tap,
    /// A request's Verified ID.
    VerifiedId,
    /// A government-ID partner session.
    PartnerSession,
    /// A liveness challenge of the request.
    LivenessChallenge,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Request => "request",
            Self::Tap => "Temporary Access Pass",
            Self::VerifiedId => "Verified ID",
            Self::PartnerSession => "partner session",
            Self::LivenessChallenge => "liveness challenge",
        })
    }
}

/// Result alias of the store.
pub type StoreResult<T> = Result<T, StoreError>;
