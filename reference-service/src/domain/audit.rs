//! What the audit log records (issue 14, item 6): every reviewer action on a request, every
//! look at a person's evidence, every sign-in attempt and every change of who reviews for whom.
//! An administrator reads it (`GET /v1/admin/audit-log`); nobody can change it through the
//! service. An action is written in the same transaction as the change it records, so the log
//! never shows what did not happen nor misses what did.

/// One kind of audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// A reviewer signed in.
    SignedIn,
    /// A sign-in failed (wrong password, unknown name); the actor is the name that was typed.
    SignInFailed,
    /// A sign-in was refused because the name is locked.
    SignInLocked,
    /// A reviewer signed out.
    SignedOut,
    /// A reviewer opened a request's evidence details.
    EvidenceViewed,
    /// A reviewer loaded a request's selfie.
    SelfieViewed,
    /// A reviewer loaded a request's liveness capture.
    LivenessCaptureViewed,
    /// A reviewer loaded the requester's badge photo.
    BadgePhotoViewed,
    /// The reviewer started the call.
    CallStarted,
    /// The user joined the call.
    UserJoined,
    /// The user left the call.
    UserLeft,
    /// The reviewer approved.
    Approved,
    /// The reviewer denied.
    Denied,
    /// A person's Verified IDs were revoked.
    VerifiedIdRevoked,
    /// A manager delegated their reviews.
    DelegationGranted,
    /// A manager took a delegation back.
    DelegationRevoked,
    /// An administrator read the audit log.
    AuditLogRead,
}

impl AuditAction {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedIn => "signed_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignInLocked => "sign_in_locked",
            Self::SignedOut => "signed_out",
            Self::EvidenceViewed => "evidence_viewed",
            Self::SelfieViewed => "selfie_viewed",
            Self::LivenessCaptureViewed => "liveness_capture_viewed",
            Self::BadgePhotoViewed => "badge_photo_viewed",
            Self::CallStarted => "call_started",
            Self::UserJoined => "user_joined",
            Self::UserLeft => "user_left",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::VerifiedIdRevoked => "verified_id_revoked",
            Self::DelegationGranted => "delegation_granted",
            Self::DelegationRevoked => "delegation_revoked",
            Self::AuditLogRead => "audit_log_read",
        }
    }
}

/// Longest account name kept for a failed sign-in: what an attacker types is recorded, not
/// stored without bound.
pub const MAX_ACTOR_CHARS: usize = 254;

/// The actor as recorded: the typed name, cut to [`MAX_ACTOR_CHARS`].
pub fn recorded_actor(upn: &str) -> String {
    upn.trim().chars().take(MAX_ACTOR_CHARS).collect::<String>().to_ascii_lowercase()
}

/// Most entries one read of the log returns.
pub const MAX_PAGE: i64 = 500;
