//! The government-ID partner's (AU10TIX) verdict as its callback states it: a negative result
//! needs a short reason, kept for the reviewer. (Liveness is judged by the service itself,
//! `liveness_check.rs`.)

use crate::domain::DomainError;

/// The longest reason accepted with a negative result.
pub const MAX_REASON_CHARS: usize = 200;

fn reason_given(reason: Option<&str>) -> Option<String> {
    reason.map(str::trim).filter(|r| !r.is_empty() && r.len() <= MAX_REASON_CHARS).map(str::to_owned)
}

/// Validates a government-ID result (`verified`, `rejected` with a reason, `expired`) and
/// returns the reason to store.
pub fn government_id_reason(result: &str, reason: Option<&str>) -> Result<Option<String>, DomainError> {
    match result {
        "verified" | "expired" => Ok(None),
        "rejected" => reason_given(reason).map(Some).ok_or(DomainError::GovernmentIdReasonRequired),
        _ => Err(DomainError::GovernmentIdResultInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_results_need_a_short_reason() {
        assert_eq!(government_id_reason("verified", Some("ignored")), Ok(None));
        assert_eq!(government_id_reason("rejected", Some(" blurry ")), Ok(Some("blurry".into())));
        assert_eq!(government_id_reason("rejected", Some("  ")), Err(DomainError::GovernmentIdReasonRequired));
        assert_eq!(government_id_reason("rejected", Some(&"r".repeat(201))), Err(DomainError::GovernmentIdReasonRequired));
        assert_eq!(government_id_reason("maybe", None), Err(DomainError::GovernmentIdResultInvalid));
    }
}
