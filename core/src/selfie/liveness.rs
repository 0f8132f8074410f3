//! What the selfie session reports of the liveness challenge: its state, why it failed, and
//! the trace of the face's width it kept. The challenge itself is the service's random
//! sequence of actions, checked from the landmarks over time (`face_model::challenge`); the
//! core runs it for live guidance, and the service runs it again on the frames it receives.
//!
//! It replaced "move closer", a challenge on the face box's growth alone, which a printed photo
//! moved towards the camera passed; that challenge, its settings and its failures (`TIMED_OUT`,
//! `NOT_MONOTONIC`, `NOT_SMOOTH`) are gone (`docs/selfie-engine.md`).
//!
//! **This is not certified presentation-attack detection** (ISO/IEC 30107-3 or similar): a
//! photograph cannot turn or blink, but a video replayed at the right moment, or a 3D mask, is
//! not what it claims to stop. It raises the cost of replays and gives the reviewer evidence; it
//! does not replace the human reviewer or a certified PAD.

use super::face_model::{Action, ChallengeFailure};

/// Why a challenge failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LivenessFailure {
    /// The face left the picture.
    FaceLost,
    /// A second face appeared.
    MultipleFaces,
    /// An action was not done in time.
    ActionTimedOut,
    /// The frames stopped coming (the camera paused).
    FramesInterrupted,
}

impl LivenessFailure {
    /// Every reason.
    pub const ALL: [LivenessFailure; 4] =
        [LivenessFailure::FaceLost, LivenessFailure::MultipleFaces, LivenessFailure::ActionTimedOut, LivenessFailure::FramesInterrupted];

    /// The reason with this `code`, if any.
    pub fn from_code(code: &str) -> Option<LivenessFailure> {
        Self::ALL.into_iter().find(|failure| failure.code() == code)
    }

    /// A stable code for the flow and the service (never a Rust `Debug` name).
    pub fn code(&self) -> &'static str {
        match self {
            LivenessFailure::FaceLost => "FACE_LOST",
            LivenessFailure::MultipleFaces => "MULTIPLE_FACES",
            LivenessFailure::ActionTimedOut => "ACTION_TIMED_OUT",
            LivenessFailure::FramesInterrupted => "FRAMES_INTERRUPTED",
        }
    }
}

impl From<ChallengeFailure> for LivenessFailure {
    /// The action challenge's failure, under the same code the service reports for it.
    fn from(failure: ChallengeFailure) -> Self {
        match failure {
            ChallengeFailure::TimedOut(_) => LivenessFailure::ActionTimedOut,
            ChallengeFailure::FaceLost => LivenessFailure::FaceLost,
            ChallengeFailure::MultipleFaces => LivenessFailure::MultipleFaces,
            ChallengeFailure::FramesInterrupted => LivenessFailure::FramesInterrupted,
        }
    }
}

/// One observation the result keeps, so the flow (and the service) can see the trace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LivenessSample {
    /// Frame timestamp.
    pub timestamp_ms: u64,
    /// Face width as a fraction of the frame width.
    pub face_width: f32,
}

/// Where the challenge stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LivenessState {
    /// The user is to do `action`, number `index` (from 0) of `count`.
    DoAction {
        /// What to do now.
        action: Action,
        /// Its place in the sequence, from 0.
        index: u32,
        /// How many actions the sequence has.
        count: u32,
    },
    /// Passed, with the trace of the face's width over the frames judged.
    Passed {
        /// The last width over the first (a "come closer" makes it grow).
        growth: f32,
        /// The observations, in time order.
        samples: Vec<LivenessSample>,
    },
    /// Failed, with the reason.
    Failed {
        /// Why.
        reason: LivenessFailure,
    },
}
