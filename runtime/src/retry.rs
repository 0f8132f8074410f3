//! When to try a request again, and how long to wait first.
//!
//! Pure decisions, so they are tested without a network or a clock. The transport retries
//! connection failures, timeouts, 5xx and 429; never another 4xx (the request itself is wrong,
//! and repeating it cannot help). A request that may already have reached the server (a
//! timeout, a 5xx) is only retried when it carries an idempotency key or is a read.

use std::time::Duration;

/// How a single attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The connection could not be made: the request never reached the server.
    ConnectFailed,
    /// No answer in time: the server may or may not have acted.
    TimedOut,
    /// The server answered with this status.
    Status(u16),
    /// TLS refused the server's certificate (unknown issuer, wrong name, pin mismatch): it
    /// will be refused again, so it is never retried.
    CertificateRejected,
}

/// Exponential backoff with full jitter, bounded in attempts and delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// The delay cap before jitter for the first retry; doubles for each later one.
    pub base_delay: Duration,
    /// No single wait is longer than this (a server's Retry-After included).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 4, base_delay: Duration::from_millis(250), max_delay: Duration::from_secs(8) }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub const NONE: RetryPolicy = RetryPolicy { max_attempts: 1, base_delay: Duration::ZERO, max_delay: Duration::ZERO };

    /// Whether attempt number `attempt` (1-based) that ended in `outcome` should be repeated.
    /// `replay_safe`: the request is a read, or carries an idempotency key.
    pub fn should_retry(&self, attempt: u32, outcome: AttemptOutcome, replay_safe: bool) -> bool {
        if attempt >= self.max_attempts {
            return false;
        }
        match outcome {
            AttemptOutcome::ConnectFailed => true,
            AttemptOutcome::Status(429) => true,
            AttemptOutcome::TimedOut => replay_safe,
            AttemptOutcome::Status(status) if (500..600).contains(&status) => replay_safe,
            AttemptOutcome::Status(_) | AttemptOutcome::CertificateRejected => false,
        }
    }

    /// How long to wait before attempt `attempt + 1`. `jitter` is a uniform sample in [0, 1);
    /// the server's `Retry-After`, when given, is honoured up to `max_delay`.
    pub fn delay_before_next(&self, attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let cap = self.base_delay.saturating_mul(1u32 << exponent).min(self.max_delay);
        cap.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// A uniform sample in [0, 1) from the OS's randomness (0.5 if it has none to give).
pub fn jitter_sample() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_are_never_retried() {
        let policy = RetryPolicy::default();
        for status in [400, 401, 403, 404, 409, 422] {
            assert!(!policy.should_retry(1, AttemptOutcome::Status(status), true), "{status}");
        }
    }

    #[test]
    fn ambiguous_failures_are_retried_only_when_replay_is_safe() {
        let policy = RetryPolicy::default();
        assert!(policy.should_retry(1, AttemptOutcome::TimedOut, true));
        assert!(!policy.should_retry(1, AttemptOutcome::TimedOut, false));
        assert!(policy.should_retry(1, AttemptOutcome::Status(503), true));
        assert!(!policy.should_retry(1, AttemptOutcome::Status(503), false));
        // Never reached the server, or the server said "not now": always safe.
        assert!(policy.should_retry(1, AttemptOutcome::ConnectFailed, false));
        assert!(policy.should_retry(1, AttemptOutcome::Status(429), false));
    }

    #[test]
    fn a_refused_certificate_is_never_retried() {
        assert!(!RetryPolicy::default().should_retry(1, AttemptOutcome::CertificateRejected, true));
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
        assert!(policy.should_retry(2, AttemptOutcome::ConnectFailed, true));
        assert!(!policy.should_retry(3, AttemptOutcome::ConnectFailed, true));
        assert!(!RetryPolicy::NONE.should_retry(1, AttemptOutcome::ConnectFailed, true));
    }

    #[test]
    fn delays_grow_exponentially_up_to_the_cap() {
        let policy = RetryPolicy { max_attempts: 10, base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(1000) };
        let full = |attempt| policy.delay_before_next(attempt, None, 0.999_999);
        assert!(full(1) <= Duration::from_millis(100) && full(1) > Duration::from_millis(99));
        assert!(full(2) > Duration::from_millis(199) && full(2) <= Duration::from_millis(200));
        assert!(full(4) > Duration::from_millis(799));
        assert_eq!(policy.delay_before_next(9, None, 1.0), Duration::from_millis(1000));
        assert_eq!(policy.delay_before_next(3, None, 0.0), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_before_next(1, Some(Duration::from_secs(2)), 0.3), Duration::from_secs(2));
        assert_eq!(policy.delay_before_next(1, Some(Duration::from_secs(600)), 0.3), policy.max_delay);
    }

    #[test]
    fn jitter_samples_stay_in_range() {
        for _ in 0..1000 {
            let j = jitter_sample();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }
}
