//! Temporary Access Pass with Microsoft Entra's semantics (identity-anchors.md §1; seeds 002,
//! 003): a tenant policy bounds lifetime, length, one-time use and who is in scope; each user
//! has at most one TAP and a new one replaces the old; the code is shown exactly once, on
//! creation, and only its SHA-256 is kept. Usability (`isUsable`, `methodUsabilityReason`) is
//! computed from server times only, so a phone's wrong clock cannot stretch a pass.

use crate::clock::from_rfc3339;
use crate::domain::DomainError;
use crate::domain::directory::Directory;
use crate::domain::directory_seed::TAP_SCOPE_GROUP;
use crate::domain::error::SignInRefusal;

/// Characters a TAP is drawn from: letters and digits minus look-alikes (0/O, 1/l/I).
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// How far in the past a requested start may lie (clock skew between caller and service).
pub const START_TOLERANCE_SECONDS: i64 = 60;

/// `temporaryAccessPassAuthenticationMethodConfiguration`, the parts this service enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapPolicy {
    /// `state`: enabled or not.
    pub enabled: bool,
    /// Shortest lifetime allowed.
    pub minimum_lifetime_in_minutes: u32,
    /// Longest lifetime allowed.
    pub maximum_lifetime_in_minutes: u32,
    /// Lifetime when the caller gives none (30 for this app, per the seeds).
    pub default_lifetime_in_minutes: u32,
    /// When true every TAP is one-time use.
    pub is_usable_once: bool,
    /// Code length, 8–48.
    pub default_length: usize,
    /// Groups in scope (`includeTargets`).
    pub include_groups: Vec<String>,
}

impl Default for TapPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            minimum_lifetime_in_minutes: 10,
            maximum_lifetime_in_minutes: 480,
            default_lifetime_in_minutes: 30,
            is_usable_once: true,
            default_length: 8,
            include_groups: vec![TAP_SCOPE_GROUP.to_owned()],
        }
    }
}

impl TapPolicy {
    /// Checks the policy against Entra's own limits: lifetimes within 10–43,200 minutes with
    /// min ≤ default ≤ max, and a length of 8–48.
    pub fn validate(&self) -> Result<(), String> {
        let range = 10..=43_200;
        let (min, max, default) = (self.minimum_lifetime_in_minutes, self.maximum_lifetime_in_minutes, self.default_lifetime_in_minutes);
        if !(range.contains(&min) && range.contains(&max) && min <= default && default <= max) {
            return Err(format!("lifetimes must satisfy 10 <= min ({min}) <= default ({default}) <= max ({max}) <= 43200"));
        }
        if !(8..=48).contains(&self.default_length) {
            return Err(format!("defaultLength {} is outside 8-48", self.default_length));
        }
        Ok(())
    }

    /// Whether `upn` is in a group the policy includes (unknown people are not).
    pub fn covers(&self, directory: &Directory, upn: &str) -> bool {
        directory.find(upn).is_some_and(|entry| entry.groups.iter().any(|g| self.include_groups.contains(g)))
    }
}

/// `methodUsabilityReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsabilityReason {
    /// Usable now.
    EnabledByPolicy,
    /// Policy off, or the user is out of its scope.
    DisabledByPolicy,
    /// Past `startDateTime + lifetimeInMinutes`.
    Expired,
    /// Before `startDateTime`.
    NotYetValid,
    /// A one-time TAP that was used.
    OneTimeUsed,
}

impl UsabilityReason {
    /// Entra's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnabledByPolicy => "EnabledByPolicy",
            Self::DisabledByPolicy => "DisabledByPolicy",
            Self::Expired => "Expired",
            Self::NotYetValid => "NotYetValid",
            Self::OneTimeUsed => "OneTimeUsed",
        }
    }
}

/// A TAP as kept, without its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tap {
    /// Method id.
    pub id: String,
    /// Created at.
    pub created_at: i64,
    /// Usable from.
    pub start_at: i64,
    /// Lifetime from `start_at`.
    pub lifetime_minutes: u32,
    /// One-time use.
    pub usable_once: bool,
    /// Used at (sign-in).
    pub used_at: Option<i64>,
}

/// Whether the TAP is usable at `now`, and why (or why not).
pub fn usability(policy: &TapPolicy, in_scope: bool, tap: &Tap, now: i64) -> UsabilityReason {
    if !policy.enabled || !in_scope {
        UsabilityReason::DisabledByPolicy
    } else if tap.usable_once && tap.used_at.is_some() {
        UsabilityReason::OneTimeUsed
    } else if now < tap.start_at {
        UsabilityReason::NotYetValid
    } else if now >= tap.start_at + i64::from(tap.lifetime_minutes) * 60 {
        UsabilityReason::Expired
    } else {
        UsabilityReason::EnabledByPolicy
    }
}

/// What the caller asked for (Graph's create body); every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TapOptions {
    /// Lifetime; the policy default when absent.
    pub lifetime_in_minutes: Option<i64>,
    /// RFC 3339 start; now when absent.
    pub start_date_time: Option<String>,
    /// One-time use; the policy's setting when absent.
    pub is_usable_once: Option<bool>,
}

/// Validated creation parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TapPlan {
    /// Usable from.
    pub start_at: i64,
    /// Lifetime in minutes.
    pub lifetime_minutes: u32,
    /// One-time use.
    pub usable_once: bool,
}

/// Checks a creation against the policy at `now`: enabled, user in scope, lifetime in range,
/// one-time use if the policy demands it, a start that is RFC 3339 and not in the past.
pub fn plan(policy: &TapPolicy, in_scope: bool, options: &TapOptions, now: i64) -> Result<TapPlan, DomainError> {
    if !policy.enabled {
        return Err(DomainError::TapPolicyDisabled);
    }
    if !in_scope {
        return Err(DomainError::TapUserNotInScope);
    }
    let (min, max) = (policy.minimum_lifetime_in_minutes, policy.maximum_lifetime_in_minutes);
    let lifetime = options.lifetime_in_minutes.unwrap_or(i64::from(policy.default_lifetime_in_minutes));
    let lifetime_minutes =
        u32::try_from(lifetime).ok().filter(|l| (min..=max).contains(l)).ok_or(DomainError::TapLifetimeOutOfRange { min, max })?;
    let usable_once = options.is_usable_once.unwrap_or(policy.is_usable_once);
    if policy.is_usable_once && !usable_once {
        return Err(DomainError::TapMultiUseNotAllowed);
    }
    let start_at = match &options.start_date_time {
        None => now,
        Some(text) => from_rfc3339(text).ok_or(DomainError::TapStartInvalid)?,
    };
    if start_at < now - START_TOLERANCE_SECONDS {
        return Err(DomainError::TapStartInPast);
    }
    Ok(TapPlan { start_at, lifetime_minutes, usable_once })
}

/// A sign-in with the right code succeeds only while the pass is usable.
pub fn check_sign_in(policy: &TapPolicy, in_scope: bool, tap: &Tap, now: i64) -> Result<(), DomainError> {
    match usability(policy, in_scope, tap, now) {
        UsabilityReason::EnabledByPolicy => Ok(()),
        reason => Err(DomainError::TapSignInRefused(SignInRefusal::NotUsable(reason))),
    }
}

#[cfg(test)]
#[path = "tap_tests.rs"]
mod tests;
