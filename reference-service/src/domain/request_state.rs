//! The states of an onboarding request (contract.md, "Review"): `draft` → `waiting_for_reviewer`
//! → `call_invited` → `in_call` → `approved` | `denied` | `expired`.

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    /// Steps being collected on the device.
    Draft,
    /// Submitted; a reviewer must start the call before the deadline.
    WaitingForReviewer,
    /// The reviewer started the call; the user was notified.
    CallInvited,
    /// The user joined the call.
    InCall,
    /// Approved: TAP or passkey may be issued.
    Approved,
    /// Denied with a reason.
    Denied,
    /// The reviewer window was missed.
    Expired,
}

/// The states a reviewer can still act on, as the queue lists them.
pub const PENDING: [RequestState; 3] = [RequestState::WaitingForReviewer, RequestState::CallInvited, RequestState::InCall];

impl RequestState {
    /// Wire and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::WaitingForReviewer => "waiting_for_reviewer",
            Self::CallInvited => "call_invited",
            Self::InCall => "in_call",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Expired => "expired",
        }
    }
    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Draft, Self::WaitingForReviewer, Self::CallInvited, Self::InCall, Self::Approved, Self::Denied, Self::Expired]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
    /// Whether a reviewer can still act on it.
    pub fn is_pending(self) -> bool {
        PENDING.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_only_review_states_are_pending() {
        for s in [RequestState::Draft, RequestState::InCall, RequestState::Expired] {
            assert_eq!(RequestState::parse(s.as_str()), Some(s));
        }
        assert!(RequestState::CallInvited.is_pending());
        assert!(!RequestState::Approved.is_pending());
        assert_eq!(RequestState::parse("submitted"), None);
    }
}
