//! Which camera timestamps a session accepts.
//!
//! Frames must come in time order: the liveness challenge times each action against them.
//! But a timestamp is whatever the shell read from the camera, and a camera stack can hand over
//! garbage once (`u64::MAX`, a nanosecond value, a clock from another source). Taken as the
//! baseline, one such frame would make every later, correct frame look "not after the previous
//! one" and end the selfie for good. So a frame is refused *by itself* when its timestamp is not
//! plausible, and the baseline only ever moves with frames that were accepted:
//!
//! - above [`MAX_FRAME_TIMESTAMP_MS`] (no clock a camera uses gets there): refused;
//! - not after the previous accepted frame: refused (time order);
//! - more than [`MAX_FRAME_GAP_MS`] after the previous accepted frame: refused, unless the frame
//!   just before it was such a jump too and this one follows it closely. A real pause (the app
//!   went to the background) thus costs one frame; a single wild value costs nothing more.
//!
//! `SelfieSession::retake` and `start_liveness` start the clock again ([`FrameClock::reset`]):
//! a new attempt does not depend on what the previous one was fed.

use super::frame::FrameError;

/// The largest timestamp a frame may carry: 2^53 ms (about 285,000 years of any clock, and the
/// largest integer a JavaScript or `Double` timestamp holds exactly).
pub const MAX_FRAME_TIMESTAMP_MS: u64 = 1 << 53;

/// The longest gap between two frames of a running camera; a longer one must be confirmed by
/// the next frame.
pub const MAX_FRAME_GAP_MS: u64 = 10_000;

/// The timestamps seen so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameClock {
    /// The latest accepted frame's timestamp.
    last_ms: Option<u64>,
    /// The previous frame, when it was refused as a jump forward (it may start a pause).
    jump_ms: Option<u64>,
}

impl FrameClock {
    /// Whether a frame at `timestamp_ms` is acceptable now. Changes nothing.
    pub fn check(&self, timestamp_ms: u64) -> Result<(), FrameError> {
        let implausible = FrameError::TimestampImplausible { timestamp_ms, previous_ms: self.last_ms };
        if timestamp_ms > MAX_FRAME_TIMESTAMP_MS {
            return Err(implausible);
        }
        let Some(previous_ms) = self.last_ms else { return Ok(()) };
        if timestamp_ms <= previous_ms {
            return Err(FrameError::TimestampNotIncreasing { timestamp_ms, previous_ms });
        }
        let follows = |earlier: u64| timestamp_ms > earlier && timestamp_ms - earlier <= MAX_FRAME_GAP_MS;
        if follows(previous_ms) || self.jump_ms.is_some_and(follows) { Ok(()) } else { Err(implausible) }
    }

    /// Records an accepted frame: the new baseline.
    pub fn accept(&mut self, timestamp_ms: u64) {
        self.last_ms = Some(timestamp_ms);
        self.jump_ms = None;
    }

    /// Records a frame `check` refused. The baseline stays; only a plausible jump forward is
    /// remembered, so that the next frame can confirm a pause.
    pub fn refuse(&mut self, timestamp_ms: u64) {
        let forward = self.last_ms.is_some_and(|last| timestamp_ms > last);
        self.jump_ms = (forward && timestamp_ms <= MAX_FRAME_TIMESTAMP_MS).then_some(timestamp_ms);
    }

    /// Forgets every timestamp (a new attempt).
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(clock: &mut FrameClock, timestamp_ms: u64) -> Result<(), FrameError> {
        let checked = clock.check(timestamp_ms);
        match checked {
            Ok(()) => clock.accept(timestamp_ms),
            Err(_) => clock.refuse(timestamp_ms),
        }
        checked
    }

    #[test]
    fn a_wild_timestamp_is_refused_alone() {
        let mut clock = FrameClock::default();
        for wild in [u64::MAX, u64::MAX - 1, MAX_FRAME_TIMESTAMP_MS + 1] {
            assert!(matches!(feed(&mut clock, wild), Err(FrameError::TimestampImplausible { previous_ms: None, .. })));
        }
        feed(&mut clock, 1_000).expect("the first real frame");
        assert!(matches!(
            feed(&mut clock, u64::MAX),
            Err(FrameError::TimestampImplausible { timestamp_ms: u64::MAX, previous_ms: Some(1_000) })
        ));
        feed(&mut clock, 1_033).expect("the next real frame");
        assert!(feed(&mut clock, 1_000_000_000_000).is_err(), "a jump of years");
        feed(&mut clock, 1_066).expect("the stream goes on");
    }

    #[test]
    fn a_real_pause_costs_one_frame() {
        let mut clock = FrameClock::default();
        feed(&mut clock, 1_000).expect("first");
        assert!(feed(&mut clock, 61_000).is_err(), "a minute later: maybe a glitch");
        feed(&mut clock, 61_033).expect("the next frame confirms the pause");
        feed(&mut clock, 61_066).expect("and the stream goes on");
    }

    #[test]
    fn time_order_is_still_enforced_and_a_reset_forgets_it() {
        let mut clock = FrameClock::default();
        feed(&mut clock, 5_000).expect("first");
        assert!(matches!(feed(&mut clock, 5_000), Err(FrameError::TimestampNotIncreasing { .. })));
        assert!(matches!(feed(&mut clock, 4_000), Err(FrameError::TimestampNotIncreasing { .. })));
        clock.reset();
        feed(&mut clock, 10).expect("a new attempt starts its own clock");
    }
}
