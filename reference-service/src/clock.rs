//! Time comes in through [`Clock`], so retention, deadlines and TAP lifetimes can be tested by
//! moving a [`ManualClock`] instead of sleeping. All times are whole seconds since the Unix epoch
//! (UTC) and go out as RFC 3339 strings.
//!
//! A leaf: it imports nothing of this crate, so every layer may use it.

use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch, UTC.
    fn now(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        OffsetDateTime::now_utc().unix_timestamp()
    }
}

/// A clock that only moves when told to: for tests and demos that must cross 24-hour deadlines.
#[derive(Debug)]
pub struct ManualClock {
    now: AtomicI64,
}

impl ManualClock {
    /// A clock standing at `start` (Unix seconds).
    pub fn new(start: i64) -> Self {
        Self { now: AtomicI64::new(start) }
    }
    /// Moves the clock forward (or back, with a negative value) by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
}

/// Formats Unix seconds as RFC 3339 UTC (`2026-11-21T22:04:46Z`).
pub fn to_rfc3339(unix_seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// Parses an RFC 3339 timestamp into Unix seconds; `None` when malformed.
pub fn from_rfc3339(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text, &Rfc3339).ok().map(|t| t.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_and_rejects_garbage() {
        let text = to_rfc3339(1_790_000_000);
        assert_eq!(text, "2026-09-21T14:13:20Z");
        assert_eq!(from_rfc3339(&text), Some(1_790_000_000));
        assert_eq!(from_rfc3339("yesterday"), None);
    }

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let clock = ManualClock::new(100);
        assert_eq!(clock.now(), 100);
        clock.advance(15);
        assert_eq!(clock.now(), 115);
    }
}
