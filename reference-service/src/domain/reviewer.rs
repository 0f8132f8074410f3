//! Reviewers are people (issue 14, item 6): each signs in with their own account, reviews only
//! the requests of the people they manage (the directory's `manager`) or of managers who
//! delegated to them, and an administrator reads what everybody did. These are the rules; the
//! password hash is `secrets`, the session cookie and CSRF check are `http::auth`.
//!
//! Why these numbers: a session lasts a working day ([`SESSION_LIFETIME_SECONDS`]), so a
//! reviewer signs in once a day and a stolen cookie is worth a day at most. Five wrong passwords
//! in a row lock the account name for 15 minutes ([`MAX_FAILED_SIGN_INS`], [`LOCKOUT_SECONDS`]):
//! an online guesser gets 480 tries a day, a reviewer who mistypes waits a coffee. Names that
//! have no account lock the same way, so the answers never tell which accounts exist.

use crate::domain::DomainError;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewerRole {
    /// Reviews the requests assigned to them.
    Reviewer,
    /// Reads the audit log; assigned no requests of their own (separation of duties).
    Admin,
}

impl ReviewerRole {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reviewer => "reviewer",
            Self::Admin => "admin",
        }
    }
    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "reviewer" => Some(Self::Reviewer),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// An account a service creates at its first start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerSeed {
    /// The reviewer's work email.
    pub upn: String,
    /// What they may do.
    pub role: ReviewerRole,
}

/// How a session's secret travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// An `HttpOnly` cookie: the browser sends it by itself, so every state change also needs
    /// the session's CSRF token in a header.
    Browser,
    /// `Authorization: Bearer` from a script or a test tool: no browser attaches it unasked,
    /// so there is nothing to forge across sites.
    Api,
}

impl SessionKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Api => "api",
        }
    }
}

/// How long a session lasts, from sign-in.
pub const SESSION_LIFETIME_SECONDS: i64 = 8 * 60 * 60;
/// Wrong passwords in a row that lock an account name.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
/// How long a locked account name stays locked.
pub const LOCKOUT_SECONDS: i64 = 15 * 60;
/// Shortest password an account may be given (NIST SP 800-63B asks for at least 8; reviewers
/// hold the keys to other people's accounts, so more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password or account name accepted, so nobody makes the service hash megabytes.
pub const MAX_SIGN_IN_FIELD_CHARS: usize = 256;

/// The form account names are stored and compared in.
pub fn normalized_upn(upn: &str) -> String {
    upn.trim().to_ascii_lowercase()
}

/// Whether a password may be given to an account.
pub fn check_new_password(password: &str) -> Result<(), DomainError> {
    let length = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_SIGN_IN_FIELD_CHARS).contains(&length) {
        Ok(())
    } else {
        Err(DomainError::ReviewerPasswordTooWeak { min_chars: MIN_PASSWORD_CHARS })
    }
}

/// Whether a sign-in's fields are worth checking at all; the answer for the rest is the same
/// as for a wrong password.
pub fn sign_in_fields_plausible(upn: &str, password: &str) -> bool {
    let upn = upn.trim();
    !upn.is_empty()
        && upn.chars().count() <= MAX_SIGN_IN_FIELD_CHARS
        && !password.is_empty()
        && password.chars().count() <= MAX_SIGN_IN_FIELD_CHARS
}

/// Failed sign-ins recorded against an account name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignInFailures {
    /// Wrong passwords in a row.
    pub count: i64,
    /// Until when the name is locked, Unix seconds.
    pub locked_until: Option<i64>,
}

impl SignInFailures {
    /// Refuses a sign-in while the name is locked, whatever the password.
    pub fn check_not_locked(&self, now: i64) -> Result<(), DomainError> {
        match self.locked_until {
            Some(until) if until > now => Err(DomainError::ReviewerSignInLocked { retry_after_seconds: until - now }),
            _ => Ok(()),
        }
    }

    /// The record after one more wrong password at `now`: the fifth in a row locks the name,
    /// and the count starts again after the lock.
    pub fn after_failure(self, now: i64) -> Self {
        let count = if self.locked_until.is_some_and(|until| until <= now) { 1 } else { self.count + 1 };
        if count >= MAX_FAILED_SIGN_INS {
            Self { count: 0, locked_until: Some(now + LOCKOUT_SECONDS) }
        } else {
            Self { count, locked_until: None }
        }
    }
}

/// Whether `reviewer` may see and act on a request of a person whose manager is
/// `requester_manager`: they are that manager, or that manager delegated to them
/// (`delegated_by` lists the managers who did). A person without a manager is nobody's.
pub fn may_review(role: ReviewerRole, reviewer: &str, requester_manager: Option<&str>, delegated_by: &[String]) -> bool {
    let Some(manager) = requester_manager.map(normalized_upn) else { return false };
    role == ReviewerRole::Reviewer && (manager == normalized_upn(reviewer) || delegated_by.iter().any(|m| normalized_upn(m) == manager))
}

/// Whether `manager` may hand their reviews to `delegate`.
pub fn check_delegation(manager: &str, delegate: &str, delegate_role: Option<ReviewerRole>) -> Result<(), DomainError> {
    if normalized_upn(manager) == normalized_upn(delegate) {
        return Err(DomainError::DelegateIsSelf);
    }
    match delegate_role {
        Some(ReviewerRole::Reviewer) => Ok(()),
        // An administrator reviews nobody; an unknown name is no reviewer.
        Some(ReviewerRole::Admin) | None => Err(DomainError::DelegateUnknown),
    }
}

/// Refuses anything but an administrator.
pub fn require_admin(role: ReviewerRole) -> Result<(), DomainError> {
    if role == ReviewerRole::Admin { Ok(()) } else { Err(DomainError::AdminRequired) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARIA: &str = "maria@contoso.example";

    #[test]
    fn the_manager_and_their_delegates_review_and_nobody_else() {
        use ReviewerRole::{Admin, Reviewer};
        assert!(may_review(Reviewer, MARIA, Some("Maria@Contoso.example "), &[]));
        assert!(!may_review(Reviewer, "omar@contoso.example", Some(MARIA), &[]));
        assert!(may_review(Reviewer, "omar@contoso.example", Some(MARIA), &[MARIA.to_owned()]));
        assert!(!may_review(Reviewer, "omar@contoso.example", Some(MARIA), &["someone@contoso.example".to_owned()]));
        assert!(!may_review(Reviewer, MARIA, None, &[]), "a person without a manager is nobody's");
        assert!(!may_review(Admin, MARIA, Some(MARIA), &[]), "administrators review nobody");
    }

    #[test]
    fn the_fifth_wrong_password_locks_the_name_for_fifteen_minutes() {
        let mut failures = SignInFailures::default();
        for _ in 0..4 {
            failures = failures.after_failure(100);
            assert_eq!(failures.check_not_locked(100), Ok(()));
        }
        failures = failures.after_failure(100);
        assert_eq!(failures.check_not_locked(100), Err(DomainError::ReviewerSignInLocked { retry_after_seconds: LOCKOUT_SECONDS }));
        assert_eq!(failures.check_not_locked(100 + LOCKOUT_SECONDS - 1), Err(DomainError::ReviewerSignInLocked { retry_after_seconds: 1 }));
        assert_eq!(failures.check_not_locked(100 + LOCKOUT_SECONDS), Ok(()));
        // After the lock the count starts again: one more mistake does not lock at once.
        let after = failures.after_failure(100 + LOCKOUT_SECONDS);
        assert_eq!(after, SignInFailures { count: 1, locked_until: None });
    }

    #[test]
    fn passwords_and_delegations_follow_the_rules() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password(&"x".repeat(MIN_PASSWORD_CHARS)).is_ok());
        assert!(check_new_password(&"x".repeat(MAX_SIGN_IN_FIELD_CHARS + 1)).is_err());
        assert!(!sign_in_fields_plausible(" ", "password"));
        assert!(!sign_in_fields_plausible(MARIA, ""));
        assert!(sign_in_fields_plausible(MARIA, "p"));
        assert_eq!(check_delegation(MARIA, "MARIA@contoso.example", Some(ReviewerRole::Reviewer)), Err(DomainError::DelegateIsSelf));
        assert_eq!(check_delegation(MARIA, "omar@contoso.example", None), Err(DomainError::DelegateUnknown));
        assert_eq!(check_delegation(MARIA, "admin@contoso.example", Some(ReviewerRole::Admin)), Err(DomainError::DelegateUnknown));
        assert_eq!(check_delegation(MARIA, "omar@contoso.example", Some(ReviewerRole::Reviewer)), Ok(()));
        assert_eq!(require_admin(ReviewerRole::Reviewer), Err(DomainError::AdminRequired));
    }
}
