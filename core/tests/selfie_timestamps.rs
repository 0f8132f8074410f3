//! Issue 9: one camera frame with a wild timestamp (`u64::MAX`) made every later frame
//! "not after the previous one", even after a retake or a new liveness challenge. A frame with
//! an implausible timestamp is now refused by itself, and a new attempt starts the clock again.

use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::selfie::{Frame, FrameError, LivenessState, PixelFormat, Plane, SelfieConfig, SelfieSession, SessionError};

fn grey() -> Vec<u8> {
    vec![128u8; 64 * 64 * 3]
}

fn frame(pixels: &[u8]) -> Frame<'_> {
    Frame::new(64, 64, PixelFormat::Rgb, &[Plane { data: pixels, row_stride: 192, pixel_stride: 3 }]).expect("valid")
}

fn implausible(error: SessionError) -> bool {
    matches!(error, SessionError::Frame(FrameError::TimestampImplausible { .. }))
}

#[test]
fn a_u64_max_timestamp_is_refused_alone_and_later_frames_go_through() {
    let pixels = grey();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.push_frame(&frame(&pixels), 1_000).expect("first frame");
    let error = session.push_frame(&frame(&pixels), u64::MAX).expect_err("u64::MAX is no camera time");
    assert!(implausible(error));
    assert_eq!(FrameError::TimestampImplausible { timestamp_ms: u64::MAX, previous_ms: Some(1_000) }.code(), "FRAME_TIMESTAMP_IMPLAUSIBLE");
    for t in [1_033, 1_066, 1_100] {
        session.push_frame(&frame(&pixels), t).unwrap_or_else(|e| panic!("frame at {t} refused after the wild one: {e}"));
    }
}

#[test]
fn a_u64_max_first_frame_does_not_become_the_baseline() {
    let pixels = grey();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    assert!(implausible(session.push_frame(&frame(&pixels), u64::MAX).expect_err("refused")));
    session.push_frame(&frame(&pixels), 1_000).expect("the real first frame");
    session.push_frame(&frame(&pixels), 1_033).expect("and the next");
}

#[test]
fn a_jump_of_years_is_refused_alone_but_a_real_pause_is_confirmed_by_the_next_frame() {
    let pixels = grey();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.push_frame(&frame(&pixels), 1_000).expect("first");
    assert!(implausible(session.push_frame(&frame(&pixels), 1_000 + 365 * 86_400_000).expect_err("a year later")));
    session.push_frame(&frame(&pixels), 1_033).expect("the stream was not poisoned");
    // The app went to the background for a minute: its first frame back is refused, the next
    // one confirms the new time.
    assert!(session.push_frame(&frame(&pixels), 61_033).is_err());
    session.push_frame(&frame(&pixels), 61_066).expect("the pause is confirmed");
}

#[test]
fn retake_starts_the_frame_clock_again() {
    let pixels = grey();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    // A first frame far out, but below the absolute limit, is the baseline (nothing to judge it by).
    session.push_frame(&frame(&pixels), 1_000_000_000_000).expect("first frame");
    assert!(session.push_frame(&frame(&pixels), 1_000).is_err(), "before the retake: out of order");
    session.retake();
    session.push_frame(&frame(&pixels), 1_000).expect("a retake judges its frames on their own");
    session.push_frame(&frame(&pixels), 1_033).expect("and the next");
}

#[test]
fn start_liveness_starts_the_frame_clock_again() {
    let pixels = grey();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.push_frame(&frame(&pixels), 1_000_000_000_000).expect("first frame");
    assert!(session.push_frame(&frame(&pixels), 1_000).is_err(), "before the challenge: out of order");
    session.start_liveness_actions(vec![Action::Blink]);
    let asked = Some(LivenessState::DoAction { action: Action::Blink, index: 0, count: 1 });
    let verdict = session.push_frame(&frame(&pixels), 1_000).expect("the challenge judges its frames on their own");
    assert_eq!(verdict.liveness, asked);
    // And a wild frame during the challenge leaves it running.
    assert!(implausible(session.push_frame(&frame(&pixels), u64::MAX).expect_err("refused")));
    let verdict = session.push_frame(&frame(&pixels), 1_033).expect("next frame");
    assert_eq!(verdict.liveness, asked);
}
