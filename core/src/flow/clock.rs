//! Server time, as the phone can best know it.
//!
//! Every deadline of the onboarding (the reviewer's 24 hours, the TAP's lifetime, the 30-day
//! Verified ID, the 10-minute rule) is defined by the service's clock. A phone's clock can be
//! minutes or days off, and the user can change it. So the flow never trusts `now` alone: each
//! service answer carries `server_time`, and the flow stores the offset between that and the
//! injected `now` of the same event. Deadlines are then kept in server time and compared against
//! `now + offset`; only wake-up alarms are converted back to phone time, because the OS alarm
//! clock runs on the phone's clock.

/// Unix time in milliseconds (UTC).
pub type Timestamp = i64;

/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// The offset between the service's clock and the phone's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServerClock {
    /// `server_time - phone_now` of the latest service answer; `None` before the first one.
    offset_ms: Option<i64>,
}

impl ServerClock {
    /// Records the service's time as seen in an answer received at phone time `now`.
    pub fn observe(&mut self, server_time: Timestamp, now: Timestamp) {
        self.offset_ms = Some(server_time.saturating_sub(now));
    }

    /// Whether any service answer has been seen yet.
    pub fn is_synchronised(&self) -> bool {
        self.offset_ms.is_some()
    }

    /// The offset in milliseconds (0 before the first answer).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.unwrap_or(0)
    }

    /// The service's time at phone time `now`.
    pub fn server_now(&self, now: Timestamp) -> Timestamp {
        now.saturating_add(self.offset_ms())
    }

    /// The phone time at which the service's clock will read `server_time` (for OS alarms).
    pub fn to_phone_time(&self, server_time: Timestamp) -> Timestamp {
        server_time.saturating_sub(self.offset_ms())
    }

    /// Converts a phone-reported instant (a sign-in, joining a call) to server time.
    pub fn to_server_time(&self, phone_time: Timestamp) -> Timestamp {
        phone_time.saturating_add(self.offset_ms())
    }
}

/// A moment by which something must happen, in server time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deadline {
    /// Server time of the deadline.
    pub at: Timestamp,
}

impl Deadline {
    /// `start + duration`, both in server time.
    pub fn after(start: Timestamp, duration_ms: i64) -> Self {
        Deadline { at: start.saturating_add(duration_ms) }
    }

    /// Whether the deadline has passed at phone time `now`.
    pub fn has_passed(&self, clock: &ServerClock, now: Timestamp) -> bool {
        clock.server_now(now) >= self.at
    }

    /// Milliseconds left at phone time `now` (never negative).
    pub fn remaining_ms(&self, clock: &ServerClock, now: Timestamp) -> i64 {
        self.at.saturating_sub(clock.server_now(now)).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_running_slow_still_sees_the_server_deadline() {
        let mut clock = ServerClock::default();
        // The phone is 10 minutes behind the service.
        clock.observe(1_000_000 + 10 * MINUTE_MS, 1_000_000);
        let deadline = Deadline::after(1_000_000 + 10 * MINUTE_MS, 30 * MINUTE_MS);
        // 25 phone-minutes later the server is at 35 minutes: the TAP has expired.
        assert!(deadline.has_passed(&clock, 1_000_000 + 40 * MINUTE_MS));
        assert!(!deadline.has_passed(&clock, 1_000_000 + 29 * MINUTE_MS));
        assert_eq!(deadline.remaining_ms(&clock, 1_000_000 + 20 * MINUTE_MS), 10 * MINUTE_MS);
        assert_eq!(clock.to_phone_time(deadline.at), 1_000_000 + 30 * MINUTE_MS);
    }

    #[test]
    fn a_phone_running_fast_does_not_expire_early() {
        let mut clock = ServerClock::default();
        clock.observe(5_000_000, 5_000_000 + 2 * HOUR_MS);
        let deadline = Deadline::after(5_000_000, 30 * MINUTE_MS);
        assert!(!deadline.has_passed(&clock, 5_000_000 + 2 * HOUR_MS + 29 * MINUTE_MS));
        assert!(deadline.has_passed(&clock, 5_000_000 + 2 * HOUR_MS + 30 * MINUTE_MS));
    }

    #[test]
    fn extreme_values_saturate_instead_of_overflowing() {
        let mut clock = ServerClock::default();
        clock.observe(i64::MAX, i64::MIN);
        assert_eq!(clock.server_now(i64::MAX), i64::MAX);
        assert_eq!(Deadline::after(i64::MAX, DAY_MS).at, i64::MAX);
    }
}
