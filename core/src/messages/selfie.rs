//! Messages for the selfie and liveness steps (issue 6).

use super::{Locale, LocalizedMessage, MessageCode};
use crate::selfie::face_model::Action;
use crate::selfie::{Guidance, LivenessFailure, LivenessState};

/// Too dark.
pub const TOO_DARK: MessageCode = MessageCode("SELFIE_TOO_DARK");
/// Too bright.
pub const TOO_BRIGHT: MessageCode = MessageCode("SELFIE_TOO_BRIGHT");
/// No face.
pub const NO_FACE: MessageCode = MessageCode("SELFIE_NO_FACE");
/// Several faces.
pub const MULTIPLE_FACES: MessageCode = MessageCode("SELFIE_MULTIPLE_FACES");
/// Face too small.
pub const MOVE_CLOSER: MessageCode = MessageCode("SELFIE_MOVE_CLOSER");
/// Face too large.
pub const MOVE_BACK: MessageCode = MessageCode("SELFIE_MOVE_BACK");
/// Face off-centre.
pub const CENTER_FACE: MessageCode = MessageCode("SELFIE_CENTER_FACE");
/// Head turned or tilted.
pub const LOOK_STRAIGHT: MessageCode = MessageCode("SELFIE_LOOK_STRAIGHT");
/// Blurred.
pub const BLURRY: MessageCode = MessageCode("SELFIE_BLURRY");
/// Moving.
pub const HOLD_STILL: MessageCode = MessageCode("SELFIE_HOLD_STILL");
/// All good, capturing.
pub const GOOD: MessageCode = MessageCode("SELFIE_GOOD");
/// The action challenge: come closer.
pub const LIVENESS_MOVE_CLOSER: MessageCode = MessageCode("LIVENESS_MOVE_CLOSER");
/// Passed.
pub const LIVENESS_PASSED: MessageCode = MessageCode("LIVENESS_PASSED");
/// Face lost.
pub const LIVENESS_FACE_LOST: MessageCode = MessageCode("LIVENESS_FACE_LOST");
/// Second face.
pub const LIVENESS_MULTIPLE_FACES: MessageCode = MessageCode("LIVENESS_MULTIPLE_FACES");
/// The service's verdict: no frame showed a face.
pub const LIVENESS_NO_FACE: MessageCode = MessageCode("LIVENESS_NO_FACE");
/// The action challenge: turn to the user's own left.
pub const LIVENESS_TURN_LEFT: MessageCode = MessageCode("LIVENESS_TURN_LEFT");
/// The action challenge: turn to the user's own right.
pub const LIVENESS_TURN_RIGHT: MessageCode = MessageCode("LIVENESS_TURN_RIGHT");
/// The action challenge: blink.
pub const LIVENESS_BLINK: MessageCode = MessageCode("LIVENESS_BLINK");
/// An action not done in time.
pub const LIVENESS_ACTION_TIMED_OUT: MessageCode = MessageCode("LIVENESS_ACTION_TIMED_OUT");
/// The camera paused during the action challenge.
pub const LIVENESS_FRAMES_INTERRUPTED: MessageCode = MessageCode("LIVENESS_FRAMES_INTERRUPTED");
/// The service's verdict: the frames ended before every action was done.
pub const LIVENESS_ACTIONS_INCOMPLETE: MessageCode = MessageCode("LIVENESS_ACTIONS_INCOMPLETE");

/// The reasons the service gives for a failed liveness check (`liveness_reason`) beyond the
/// core's own [`LivenessFailure`] codes, which it reports too.
pub const SERVICE_LIVENESS_REASONS: &[&str] = &["NO_FACE", "ACTIONS_INCOMPLETE"];

/// Every code this domain uses.
pub const ALL: &[MessageCode] = &[
    TOO_DARK,
    TOO_BRIGHT,
    NO_FACE,
    MULTIPLE_FACES,
    MOVE_CLOSER,
    MOVE_BACK,
    CENTER_FACE,
    LOOK_STRAIGHT,
    BLURRY,
    HOLD_STILL,
    GOOD,
    LIVENESS_MOVE_CLOSER,
    LIVENESS_PASSED,
    LIVENESS_FACE_LOST,
    LIVENESS_MULTIPLE_FACES,
    LIVENESS_NO_FACE,
    LIVENESS_TURN_LEFT,
    LIVENESS_TURN_RIGHT,
    LIVENESS_BLINK,
    LIVENESS_ACTION_TIMED_OUT,
    LIVENESS_FRAMES_INTERRUPTED,
    LIVENESS_ACTIONS_INCOMPLETE,
];

/// The code for one guidance.
pub fn guidance_code(guidance: Guidance) -> MessageCode {
    match guidance {
        Guidance::TooDark => TOO_DARK,
        Guidance::TooBright => TOO_BRIGHT,
        Guidance::NoFace => NO_FACE,
        Guidance::MultipleFaces => MULTIPLE_FACES,
        Guidance::MoveCloser => MOVE_CLOSER,
        Guidance::MoveBack => MOVE_BACK,
        Guidance::CenterFace => CENTER_FACE,
        Guidance::LookStraight => LOOK_STRAIGHT,
        Guidance::Blurry => BLURRY,
        Guidance::HoldStill => HOLD_STILL,
        Guidance::Good => GOOD,
    }
}

/// The code for a liveness state.
pub fn liveness_code(state: &LivenessState) -> MessageCode {
    match state {
        LivenessState::DoAction { action, .. } => match action {
            Action::TurnLeft => LIVENESS_TURN_LEFT,
            Action::TurnRight => LIVENESS_TURN_RIGHT,
            Action::Blink => LIVENESS_BLINK,
            Action::ComeCloser => LIVENESS_MOVE_CLOSER,
        },
        LivenessState::Passed { .. } => LIVENESS_PASSED,
        LivenessState::Failed { reason } => match reason {
            LivenessFailure::FaceLost => LIVENESS_FACE_LOST,
            LivenessFailure::MultipleFaces => LIVENESS_MULTIPLE_FACES,
            LivenessFailure::ActionTimedOut => LIVENESS_ACTION_TIMED_OUT,
            LivenessFailure::FramesInterrupted => LIVENESS_FRAMES_INTERRUPTED,
        },
    }
}

/// The words for a liveness failure reason as the service reports it (the core's
/// `LivenessFailure::code`, or one of [`SERVICE_LIVENESS_REASONS`]); `None` for any other code.
pub fn liveness_reason_code(reason: &str) -> Option<MessageCode> {
    if let Some(failure) = LivenessFailure::from_code(reason) {
        return Some(liveness_code(&LivenessState::Failed { reason: failure }));
    }
    match reason {
        "NO_FACE" => Some(LIVENESS_NO_FACE),
        "ACTIONS_INCOMPLETE" => Some(LIVENESS_ACTIONS_INCOMPLETE),
        _ => None,
    }
}

/// What to show for a frame: the liveness instruction while a challenge runs and the frame is
/// usable, else the guidance.
pub fn verdict_message(guidance: Guidance, liveness: Option<&LivenessState>, locale: Locale) -> LocalizedMessage {
    match liveness {
        Some(state) if guidance == Guidance::Good || matches!(state, LivenessState::Passed { .. } | LivenessState::Failed { .. }) => {
            liveness_code(state).text(locale)
        }
        _ => guidance_code(guidance).text(locale),
    }
}
