//! One TAP per approval. An approved request gets its TAP once; the code is shown once, so a
//! second plain request is refused (`TAP_ALREADY_ISSUED`) instead of quietly minting another
//! pass. Only a replacement asked for as such (the answer carrying the code was lost, or the app
//! was killed before the user saw it) makes a new TAP, which revokes the unseen one (one TAP per
//! user, `store::taps`). Replacements are limited and every issuance is recorded.

use crate::domain::DomainError;

/// Replacements per approval.
pub const MAX_REPLACEMENTS: usize = 3;
/// After the first replacement (a lost answer is replaced at once), the next ones wait this long.
pub const REPLACEMENT_INTERVAL_SECONDS: i64 = 60;

/// How a TAP came to be issued (`tap_issuances.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuanceKind {
    /// The approval's TAP.
    First,
    /// A replacement for one the user never saw.
    Replacement,
}

impl IssuanceKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            IssuanceKind::First => "first",
            IssuanceKind::Replacement => "replacement",
        }
    }
}

/// An earlier issuance for the same approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issuance {
    /// Unix seconds.
    pub issued_at: i64,
    /// How.
    pub kind: IssuanceKind,
}

/// Whether a TAP may be issued now, given the approval's earlier issuances (oldest first) and
/// whether its current TAP was used to sign in (then the user had it: nothing was lost).
pub fn decide(earlier: &[Issuance], replace_lost: bool, current_used: bool, now: i64) -> Result<IssuanceKind, DomainError> {
    let Some(last) = earlier.last() else { return Ok(IssuanceKind::First) };
    if !replace_lost || current_used {
        return Err(DomainError::TapAlreadyIssued);
    }
    let replacements = earlier.iter().filter(|i| i.kind == IssuanceKind::Replacement).count();
    if replacements >= MAX_REPLACEMENTS {
        return Err(DomainError::TapReplacementLimit { max: MAX_REPLACEMENTS });
    }
    let wait_until = last.issued_at.saturating_add(REPLACEMENT_INTERVAL_SECONDS);
    if replacements > 0 && now < wait_until {
        return Err(DomainError::TapReplacementTooSoon { retry_after_seconds: wait_until - now });
    }
    Ok(IssuanceKind::Replacement)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: Issuance = Issuance { issued_at: 100, kind: IssuanceKind::First };

    fn replacement(at: i64) -> Issuance {
        Issuance { issued_at: at, kind: IssuanceKind::Replacement }
    }

    #[test]
    fn the_first_tap_is_issued_and_a_second_plain_request_is_refused() {
        assert_eq!(decide(&[], false, false, 100), Ok(IssuanceKind::First));
        assert_eq!(decide(&[], true, false, 100), Ok(IssuanceKind::First), "nothing to replace: it is the first");
        assert_eq!(decide(&[FIRST], false, false, 5_000), Err(DomainError::TapAlreadyIssued));
        assert_eq!(decide(&[FIRST], true, true, 5_000), Err(DomainError::TapAlreadyIssued), "a TAP used to sign in was not lost");
    }

    #[test]
    fn a_lost_tap_is_replaced_at_once_then_at_most_once_a_minute_three_times() {
        assert_eq!(decide(&[FIRST], true, false, 101), Ok(IssuanceKind::Replacement));
        let once = [FIRST, replacement(101)];
        assert_eq!(decide(&once, true, false, 130), Err(DomainError::TapReplacementTooSoon { retry_after_seconds: 31 }));
        assert_eq!(decide(&once, true, false, 161), Ok(IssuanceKind::Replacement));
        let thrice = [FIRST, replacement(101), replacement(161), replacement(300)];
        assert_eq!(decide(&thrice, true, false, 10_000), Err(DomainError::TapReplacementLimit { max: MAX_REPLACEMENTS }));
    }
}
