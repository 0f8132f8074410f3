//! The seeded employee directory (a stand-in for HR records and GSAM badge photos) and the path
//! decision: which flow — "Get TAP", "Get Passkey" or the legacy date-of-birth flow — a person
//! sees, with which staged-rollout flags (seeds 000 and 001).
//!
//! Rules: the UPN is looked up case-insensitively; a submitted employee ID or date of birth must
//! match the record; the legacy flow asks employees for their date of birth as well — either in
//! the same call (one-step clients) or afterwards (the app's flow: the identity first, then the
//! date of birth once the answer says `legacy_dob`), see [`DateOfBirthCheck`]; everyone else is
//! identified by the employee ID; full-time employees need a badge photo (it is what the selfie
//! is compared with). Any mismatch answers the same `IDENTITY_NOT_MATCHED`, and a claim with
//! neither an employee ID nor a date of birth is refused before the lookup, so the endpoint
//! cannot be used to learn which UPNs exist.

use std::sync::Arc;

use crate::domain::DomainError;

/// Employee or external staff (vendor, contractor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffKind {
    /// A full-time employee: has a badge photo and, on the legacy flow, gives a date of birth.
    Employee,
    /// External staff: identified by the employee ID their manager gives them.
    External,
}

impl StaffKind {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Employee => "employee",
            Self::External => "external",
        }
    }
}

/// A badge photo (JPEG) as the badge photo store (GSAM) holds it: what the reviewer compares
/// the selfie and the liveness capture with. Shared rather than copied, since every request of
/// the person shows the same image.
#[derive(Clone, PartialEq, Eq)]
pub struct BadgePhoto(Arc<[u8]>);

impl BadgePhoto {
    /// A badge photo from its JPEG bytes.
    pub fn from_jpeg(jpeg: impl Into<Arc<[u8]>>) -> Self {
        Self(jpeg.into())
    }
    /// The JPEG bytes.
    pub fn jpeg(&self) -> &[u8] {
        &self.0
    }
}

// Not the bytes: a directory printed in a log or a failed assertion stays readable.
impl std::fmt::Debug for BadgePhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BadgePhoto({} bytes)", self.0.len())
    }
}

/// Which onboarding flow the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnboardingPath {
    /// UPN + employee ID, selfie, reviewer call, then a TAP.
    GetTap,
    /// Government ID via the partner, Verified ID, liveness, reviewer call, then a passkey.
    GetPasskey,
    /// The older flow: UPN + date of birth (employees) or employee ID (external), then a TAP.
    LegacyDob,
}

impl OnboardingPath {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GetTap => "get_tap",
            Self::GetPasskey => "get_passkey",
            Self::LegacyDob => "legacy_dob",
        }
    }
    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "get_tap" => Some(Self::GetTap),
            "get_passkey" => Some(Self::GetPasskey),
            "legacy_dob" => Some(Self::LegacyDob),
            _ => None,
        }
    }
}

/// Staged-rollout features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RolloutFlags {
    /// Ask for a liveness check after the selfie.
    pub liveness_prompt: bool,
    /// Issue a Verified ID on approval (enables the 30-day fast path).
    pub verified_id: bool,
}

/// A rollout rule for a group of people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRollout {
    /// Group name, e.g. `rollout-passkey`.
    pub group: String,
    /// The path members get, unless their own record overrides it.
    pub path: Option<OnboardingPath>,
    /// Flags members get (combined with other groups by "any group turns it on").
    pub flags: RolloutFlags,
}

/// One person in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    /// Work email, e.g. `alice@contoso.example`.
    pub upn: String,
    /// HR employee ID.
    pub employee_id: String,
    /// Employee or external.
    pub staff_kind: StaffKind,
    /// ISO `YYYY-MM-DD`, employees only.
    pub date_of_birth: Option<String>,
    /// The badge photo selfies are compared with, if the badge photo store has one.
    pub badge_photo: Option<BadgePhoto>,
    /// Groups the person belongs to (TAP policy scope and rollout).
    pub groups: Vec<String>,
    /// A per-user path that overrides group rollout.
    pub path_override: Option<OnboardingPath>,
    /// Per-user flags that override group rollout.
    pub flags_override: Option<RolloutFlags>,
    /// The manager's UPN: the reviewer of this person's requests (or whoever the manager
    /// delegates to). Nobody reviews a person without one.
    pub manager: Option<String>,
}

impl DirectoryEntry {
    /// Whether `dob` (ISO `YYYY-MM-DD`) is the date of birth on record.
    pub fn born_on(&self, dob: &str) -> bool {
        self.date_of_birth.as_deref() == Some(dob)
    }

    /// Whether a badge photo exists to compare selfies with.
    pub fn has_badge_photo(&self) -> bool {
        self.badge_photo.is_some()
    }
}

/// The directory: people plus group rollout rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    /// Everyone the service knows.
    pub entries: Vec<DirectoryEntry>,
    /// Group rules, earlier rules win for the path.
    pub rollouts: Vec<GroupRollout>,
    /// The path for people no rule covers.
    pub default_path: OnboardingPath,
}

impl Directory {
    /// The manager of the person with work email `upn` (case-insensitive), if the directory
    /// names one.
    pub fn manager_of(&self, upn: &str) -> Option<&str> {
        self.entries.iter().find(|entry| entry.upn.eq_ignore_ascii_case(upn.trim())).and_then(|entry| entry.manager.as_deref())
    }
}

/// What the person typed in the identity step.
#[derive(Debug, Clone)]
pub struct IdentityClaim {
    /// Work email.
    pub upn: String,
    /// Employee ID, when given.
    pub employee_id: Option<String>,
    /// Employee or external.
    pub staff_kind: StaffKind,
    /// ISO date, employees on the legacy flow.
    pub date_of_birth: Option<String>,
}

/// Where the date of birth stands after the identity step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOfBirthCheck {
    /// Not asked of this person (not an employee on the legacy path).
    NotNeeded,
    /// Given with the identity and matching the record.
    Matched,
    /// Asked of this person but not given yet: UPN and employee ID matched, and the request
    /// stays unconfirmed until `POST /v1/requests/{id}/date-of-birth` matches.
    Pending,
}

/// The outcome of a successful identity check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathDecision {
    /// The matched record.
    pub entry: DirectoryEntry,
    /// The flow to show.
    pub path: OnboardingPath,
    /// Rollout flags.
    pub flags: RolloutFlags,
    /// Whether a date of birth still has to be confirmed.
    pub date_of_birth: DateOfBirthCheck,
}

/// Whether `text` is an ISO `YYYY-MM-DD` date (shape and month/day ranges).
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        && (1..=12).contains(&text[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&text[8..10].parse::<u8>().unwrap_or(0))
}

/// [`DomainError::DateOfBirthInvalid`] unless `text` is an ISO date.
pub fn require_iso_date(text: &str) -> Result<(), DomainError> {
    if is_iso_date(text) { Ok(()) } else { Err(DomainError::DateOfBirthInvalid) }
}

impl Directory {
    /// Finds a person by UPN, ignoring case.
    pub fn find(&self, upn: &str) -> Option<&DirectoryEntry> {
        self.entries.iter().find(|e| e.upn.eq_ignore_ascii_case(upn.trim()))
    }

    fn rollout_for(&self, entry: &DirectoryEntry) -> (OnboardingPath, RolloutFlags) {
        let member_rules: Vec<&GroupRollout> = self.rollouts.iter().filter(|r| entry.groups.contains(&r.group)).collect();
        let path = entry.path_override.or_else(|| member_rules.iter().find_map(|r| r.path)).unwrap_or(self.default_path);
        let flags = entry.flags_override.unwrap_or_else(|| {
            member_rules.iter().fold(RolloutFlags::default(), |acc, r| RolloutFlags {
                liveness_prompt: acc.liveness_prompt || r.flags.liveness_prompt,
                verified_id: acc.verified_id || r.flags.verified_id,
            })
        });
        (path, flags)
    }

    /// Checks the claim against the records and decides the path (rules in the module doc).
    pub fn decide(&self, claim: &IdentityClaim) -> Result<PathDecision, DomainError> {
        if let Some(dob) = &claim.date_of_birth {
            require_iso_date(dob)?;
        }
        let employee_id = claim.employee_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        // Decided before the lookup, so the answer is the same for people who do not exist.
        if employee_id.is_none() && claim.date_of_birth.is_none() {
            return Err(DomainError::EmployeeIdRequired);
        }
        let entry = self.find(&claim.upn).ok_or(DomainError::IdentityNotMatched)?;
        if entry.staff_kind != claim.staff_kind {
            return Err(DomainError::IdentityNotMatched);
        }
        let (path, flags) = self.rollout_for(entry);
        let asks_dob = path == OnboardingPath::LegacyDob && entry.staff_kind == StaffKind::Employee;
        match employee_id {
            Some(given) if given != entry.employee_id => return Err(DomainError::IdentityNotMatched),
            // A date of birth alone identifies only the people it is asked of.
            None if !asks_dob => return Err(DomainError::IdentityNotMatched),
            _ => {}
        }
        let date_of_birth = match (asks_dob, claim.date_of_birth.as_deref()) {
            (false, _) => DateOfBirthCheck::NotNeeded,
            (true, Some(dob)) if entry.born_on(dob) => DateOfBirthCheck::Matched,
            (true, Some(_)) => return Err(DomainError::IdentityNotMatched),
            (true, None) => DateOfBirthCheck::Pending,
        };
        if entry.staff_kind == StaffKind::Employee && !entry.has_badge_photo() {
            return Err(DomainError::BadgePhotoMissing);
        }
        Ok(PathDecision { entry: entry.clone(), path, flags, date_of_birth })
    }
}

#[cfg(test)]
#[path = "directory_tests.rs"]
mod tests;
