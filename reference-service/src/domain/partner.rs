//! The government-ID partner's session for a request and what its callback may say. The
//! verdict is the partner's alone: it arrives signed, server to server, and the phone only
//! reads it back. A session's status is its verdict once one arrived, `expired` once its time
//! is up without one, and `pending` before.

use crate::domain::DomainError;
use crate::domain::evidence::government_id_reason;

/// A partner session of a request (`partner_sessions`).
#[derive(Clone, PartialEq, Eq)]
pub struct PartnerSession {
    /// The partner's session id.
    pub id: String,
    /// The request it checks.
    pub request_id: String,
    /// Where the phone sends the user (carries the hand-off token).
    pub handoff_url: String,
    /// Unix seconds.
    pub opened_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// The partner's verdict, once it arrived.
    pub result: Option<String>,
    /// The partner's reason for a rejection.
    pub reason: Option<String>,
}

impl std::fmt::Debug for PartnerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerSession")
            .field("id", &self.id)
            .field("request_id", &self.request_id)
            .field("expires_at", &self.expires_at)
            .field("result", &self.result)
            .finish_non_exhaustive()
    }
}

/// Where a session stands, as the phone sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// Open; no verdict yet.
    Pending,
    /// The partner verified the ID.
    Verified,
    /// The partner rejected it.
    Rejected,
    /// No verdict before the session's end.
    Expired,
}

impl SessionStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Pending => "pending",
            SessionStatus::Verified => "verified",
            SessionStatus::Rejected => "rejected",
            SessionStatus::Expired => "expired",
        }
    }
}

impl PartnerSession {
    /// The status at `now`.
    pub fn status(&self, now: i64) -> SessionStatus {
        match self.result.as_deref() {
            Some("verified") => SessionStatus::Verified,
            Some("rejected") => SessionStatus::Rejected,
            Some(_) => SessionStatus::Expired,
            None if now >= self.expires_at => SessionStatus::Expired,
            None => SessionStatus::Pending,
        }
    }

    /// Whether the phone may keep using it (a new one is opened otherwise).
    pub fn is_open(&self, now: i64) -> bool {
        self.status(now) == SessionStatus::Pending
    }
}

/// A verdict the partner sent, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerVerdict {
    /// `verified`, `rejected` or `expired`.
    pub result: String,
    /// Why, for `rejected`.
    pub reason: Option<String>,
}

/// Checks a callback's verdict for `session` at `now`: the session must still wait for one.
pub fn accept_verdict(session: &PartnerSession, result: &str, reason: Option<&str>, now: i64) -> Result<PartnerVerdict, DomainError> {
    if session.result.is_some() {
        return Err(DomainError::PartnerSessionClosed);
    }
    // A verdict signed in time for a session that ran out a moment ago is still the partner's
    // word, but a verdict for a long-dead session is not believed: the phone was told `expired`.
    if now >= session.expires_at.saturating_add(identity_pass_reference_partner::signature::TOLERANCE_SECONDS) {
        return Err(DomainError::PartnerSessionClosed);
    }
    let reason = government_id_reason(result, reason)?;
    Ok(PartnerVerdict { result: result.to_owned(), reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> PartnerSession {
        PartnerSession {
            id: "ps_1".into(),
            request_id: "req_1".into(),
            handoff_url: "http://partner.test/sessions/ps_1?token=t".into(),
            opened_at: 1_000,
            expires_at: 1_900,
            result: None,
            reason: None,
        }
    }

    #[test]
    fn a_session_is_pending_until_its_verdict_or_its_end() {
        let mut s = session();
        assert_eq!(s.status(1_899), SessionStatus::Pending);
        assert!(s.is_open(1_899));
        assert_eq!(s.status(1_900), SessionStatus::Expired);
        s.result = Some("rejected".into());
        assert_eq!(s.status(1_000), SessionStatus::Rejected);
        assert!(!s.is_open(1_000));
        s.result = Some("verified".into());
        assert_eq!(s.status(5_000), SessionStatus::Verified, "a verdict outlives the session");
    }

    #[test]
    fn one_verdict_per_session_and_none_for_a_long_dead_one() {
        let mut s = session();
        assert_eq!(accept_verdict(&s, "verified", None, 1_500), Ok(PartnerVerdict { result: "verified".into(), reason: None }));
        assert_eq!(accept_verdict(&s, "rejected", None, 1_500), Err(DomainError::GovernmentIdReasonRequired));
        assert_eq!(accept_verdict(&s, "maybe", None, 1_500), Err(DomainError::GovernmentIdResultInvalid));
        assert!(accept_verdict(&s, "verified", None, 1_950).is_ok(), "signed just in time");
        assert_eq!(accept_verdict(&s, "verified", None, 1_900 + 300), Err(DomainError::PartnerSessionClosed));
        s.result = Some("rejected".into());
        assert_eq!(accept_verdict(&s, "verified", None, 1_500), Err(DomainError::PartnerSessionClosed));
    }
}
