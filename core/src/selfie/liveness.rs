//! The "move closer" liveness challenge, and the states and failures the selfie session
//! reports for either challenge it runs (this one, or the action challenge of
//! `face_model::challenge`).
//!
//! The user brings the phone (or their face) closer; a live, continuous approach makes the face
//! box grow smoothly, frame after frame. A photo held up and swapped, a cut between recordings or
//! a face that appears and vanishes breaks that smoothness. The core runs the challenge for live
//! guidance; the service re-checks the frames it receives.
//!
//! **This is not certified presentation-attack detection** (ISO/IEC 30107-3 or similar): a
//! printed photo moved towards the camera passes it. It raises the cost of the simplest replays
//! and gives the reviewer evidence; it does not replace the human reviewer or a certified PAD.

use super::face_box::FaceBox;
use super::face_model::{Action, ChallengeFailure};

/// The challenge's limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LivenessSettings {
    /// The face width must grow by this factor from the first frame.
    pub required_growth: f32,
    /// ... within this many milliseconds of the first face.
    pub window_ms: u64,
    /// Largest allowed shrink below the widest face seen so far (fraction): jitter, not retreat.
    pub shrink_tolerance: f32,
    /// Largest growth allowed between two consecutive frames (fraction): more is a jump cut.
    pub max_step_growth: f32,
    /// At least this many frames must show the approach.
    pub min_frames: u32,
    /// Consecutive frames without a face before the challenge fails.
    pub max_missed_frames: u32,
}

impl Default for LivenessSettings {
    fn default() -> Self {
        Self { required_growth: 1.35, window_ms: 8_000, shrink_tolerance: 0.08, max_step_growth: 0.20, min_frames: 6, max_missed_frames: 5 }
    }
}

/// Why a challenge failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LivenessFailure {
    /// The face did not grow enough in time.
    TimedOut,
    /// The face shrank (moved away) during the approach.
    NotMonotonic,
    /// The face grew too fast between two frames (a jump cut or a swapped picture).
    NotSmooth,
    /// The face left the picture.
    FaceLost,
    /// A second face appeared.
    MultipleFaces,
    /// An action of the action challenge was not done in time.
    ActionTimedOut,
    /// The frames stopped coming during the action challenge (the camera paused).
    FramesInterrupted,
}

impl LivenessFailure {
    /// Every reason.
    pub const ALL: [LivenessFailure; 7] = [
        LivenessFailure::TimedOut,
        LivenessFailure::NotMonotonic,
        LivenessFailure::NotSmooth,
        LivenessFailure::FaceLost,
        LivenessFailure::MultipleFaces,
        LivenessFailure::ActionTimedOut,
        LivenessFailure::FramesInterrupted,
    ];

    /// The reason with this `code`, if any.
    pub fn from_code(code: &str) -> Option<LivenessFailure> {
        Self::ALL.into_iter().find(|failure| failure.code() == code)
    }

    /// A stable code for the flow and the service (never a Rust `Debug` name).
    pub fn code(&self) -> &'static str {
        match self {
            LivenessFailure::TimedOut => "TIMED_OUT",
            LivenessFailure::NotMonotonic => "NOT_MONOTONIC",
            LivenessFailure::NotSmooth => "NOT_SMOOTH",
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
    /// Waiting for the first face.
    WaitingForFace,
    /// The approach is under way; `progress` runs 0 → 1.
    InProgress {
        /// Fraction of the required growth achieved.
        progress: f32,
    },
    /// The action challenge: the user is to do `action`, number `index` (from 0) of `count`.
    DoAction {
        /// What to do now.
        action: Action,
        /// Its place in the sequence, from 0.
        index: u32,
        /// How many actions the sequence has.
        count: u32,
    },
    /// Passed: the trace of the approach (of the face's width, for the action challenge).
    Passed {
        /// Final width / first width.
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

/// How many recent widths the smoothed width is the median of. The detector's box on the very
/// same still frame varies by about ±8% (its pyramid scales and the tracking window differ from
/// frame to frame, measured on the fixtures), which raw widths would read as the user moving
/// away; a median of five removes that jitter yet still follows a real approach within frames.
const SMOOTHING_WINDOW: usize = 5;
/// Samples before the smoothed width is trusted as the starting size.
const BASELINE_SAMPLES: usize = 3;

/// The challenge as a pure state machine: faces and timestamps in, state out.
#[derive(Debug, Clone)]
pub struct MoveCloserChallenge {
    settings: LivenessSettings,
    samples: Vec<LivenessSample>,
    /// Smoothed width when the baseline was taken.
    baseline: Option<f32>,
    /// Previous smoothed width, and the widest smoothed width so far.
    last_smoothed: f32,
    widest: f32,
    missed: u32,
    state: LivenessState,
}

impl MoveCloserChallenge {
    /// A new challenge; it starts at the first frame with one face.
    pub fn new(settings: LivenessSettings) -> Self {
        Self {
            settings,
            samples: Vec::new(),
            baseline: None,
            last_smoothed: 0.0,
            widest: 0.0,
            missed: 0,
            state: LivenessState::WaitingForFace,
        }
    }

    /// The current state.
    pub fn state(&self) -> &LivenessState {
        &self.state
    }

    /// Feeds one frame's faces. Finished challenges ignore further frames.
    pub fn observe(&mut self, timestamp_ms: u64, faces: &[FaceBox]) -> &LivenessState {
        if matches!(self.state, LivenessState::Passed { .. } | LivenessState::Failed { .. }) {
            return &self.state;
        }
        let started = self.samples.first().map(|s| s.timestamp_ms);
        if started.is_some_and(|t0| timestamp_ms.saturating_sub(t0) > self.settings.window_ms) {
            return self.fail(LivenessFailure::TimedOut);
        }
        let face = match faces {
            [] => {
                if started.is_some() {
                    self.missed += 1;
                    if self.missed > self.settings.max_missed_frames {
                        return self.fail(LivenessFailure::FaceLost);
                    }
                }
                return &self.state;
            }
            [face] => face,
            _ => return self.fail(LivenessFailure::MultipleFaces),
        };
        self.missed = 0;
        self.samples.push(LivenessSample { timestamp_ms, face_width: face.width });
        let smoothed = self.smoothed_width();
        if self.samples.len() > 1 {
            if smoothed > self.last_smoothed * (1.0 + self.settings.max_step_growth) {
                return self.fail(LivenessFailure::NotSmooth);
            }
            if smoothed < self.widest * (1.0 - self.settings.shrink_tolerance) {
                return self.fail(LivenessFailure::NotMonotonic);
            }
        }
        self.last_smoothed = smoothed;
        self.widest = self.widest.max(smoothed);
        if self.baseline.is_none() && self.samples.len() >= BASELINE_SAMPLES {
            self.baseline = Some(smoothed.max(f32::EPSILON));
        }
        let growth = self.baseline.map_or(1.0, |baseline| smoothed / baseline);
        let needed = self.settings.required_growth - 1.0;
        self.state = if growth >= self.settings.required_growth && self.samples.len() as u32 >= self.settings.min_frames {
            LivenessState::Passed { growth, samples: self.samples.clone() }
        } else {
            LivenessState::InProgress { progress: ((growth - 1.0) / needed).clamp(0.0, 1.0) }
        };
        &self.state
    }

    /// Median of the last `SMOOTHING_WINDOW` widths.
    fn smoothed_width(&self) -> f32 {
        let start = self.samples.len().saturating_sub(SMOOTHING_WINDOW);
        let mut recent: Vec<f32> = self.samples[start..].iter().map(|s| s.face_width).collect();
        recent.sort_by(f32::total_cmp);
        recent.get(recent.len() / 2).copied().unwrap_or(0.0)
    }

    fn fail(&mut self, reason: LivenessFailure) -> &LivenessState {
        self.state = LivenessState::Failed { reason };
        &self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(width: f32) -> FaceBox {
        FaceBox { left: 0.5 - width / 2.0, top: 0.3, width, height: width * 1.3 }
    }

    fn run(widths: &[Option<f32>], step_ms: u64) -> LivenessState {
        let mut challenge = MoveCloserChallenge::new(LivenessSettings::default());
        for (i, width) in widths.iter().enumerate() {
            let faces: Vec<FaceBox> = width.iter().map(|w| face(*w)).collect();
            challenge.observe(i as u64 * step_ms, &faces);
        }
        challenge.state().clone()
    }

    #[test]
    fn a_steady_approach_passes_with_its_trace() {
        let widths: Vec<Option<f32>> = (0..16).map(|i| Some(0.25 * (1.0 + 0.06 * i as f32))).collect();
        let LivenessState::Passed { growth, samples } = run(&widths, 100) else { panic!("should pass") };
        // The smoothed width lags the raw one by two frames, and the baseline is taken at the
        // third frame, so the pass comes a few frames after the raw width first reaches 1.35×;
        // later frames are ignored.
        assert!(growth >= 1.35, "{growth}");
        assert!(samples.len() < 16 && samples.windows(2).all(|w| w[0].timestamp_ms < w[1].timestamp_ms));
    }

    #[test]
    fn detector_jitter_on_a_still_face_is_neither_a_retreat_nor_progress() {
        // Widths the detector reported for one still photograph pushed 20 times (fixtures).
        let widths = [
            0.3125, 0.3063, 0.2969, 0.3063, 0.3250, 0.3063, 0.3125, 0.2875, 0.3000, 0.2969, 0.3063, 0.2750, 0.3000, 0.3063, 0.2750, 0.3125,
            0.3063, 0.2969, 0.3063, 0.3250,
        ]
        .map(Some);
        let state = run(&widths, 300);
        let LivenessState::InProgress { progress } = state else { panic!("{state:?}") };
        assert!(progress < 0.2, "{progress}");
    }

    #[test]
    fn a_jump_cut_to_a_closer_picture_is_not_smooth() {
        let widths = [0.25, 0.25, 0.25, 0.25, 0.25, 0.40, 0.40, 0.40, 0.40].map(Some);
        assert_eq!(run(&widths, 100), LivenessState::Failed { reason: LivenessFailure::NotSmooth });
    }

    #[test]
    fn moving_away_is_a_retreat() {
        let widths = [0.30, 0.31, 0.32, 0.33, 0.34, 0.30, 0.28, 0.27, 0.26].map(Some);
        assert_eq!(run(&widths, 100), LivenessState::Failed { reason: LivenessFailure::NotMonotonic });
    }

    #[test]
    fn jitter_within_tolerance_is_not_a_retreat() {
        let widths = [0.25, 0.27, 0.265, 0.29, 0.31, 0.305, 0.33, 0.35, 0.37, 0.36, 0.39, 0.41].map(Some);
        assert!(matches!(run(&widths, 100), LivenessState::Passed { .. }));
    }

    #[test]
    fn too_slow_an_approach_times_out() {
        let widths: Vec<Option<f32>> = (0..20).map(|i| Some(0.25 + 0.001 * i as f32)).collect();
        assert_eq!(run(&widths, 500), LivenessState::Failed { reason: LivenessFailure::TimedOut });
    }

    #[test]
    fn losing_the_face_for_several_frames_fails() {
        let widths = [Some(0.25), Some(0.26), None, None, None, None, None, None, Some(0.3)];
        assert_eq!(run(&widths, 100), LivenessState::Failed { reason: LivenessFailure::FaceLost });
    }

    #[test]
    fn a_second_face_fails_and_the_end_is_final() {
        let mut challenge = MoveCloserChallenge::new(LivenessSettings::default());
        challenge.observe(0, &[face(0.25)]);
        challenge.observe(100, &[face(0.26), face(0.1)]);
        challenge.observe(200, &[face(0.40)]);
        assert_eq!(challenge.state(), &LivenessState::Failed { reason: LivenessFailure::MultipleFaces });
    }

    #[test]
    fn waiting_without_a_face_never_starts_the_clock() {
        let widths = [None, None, None, None, None, None, None, None];
        assert_eq!(run(&widths, 2_000), LivenessState::WaitingForFace);
    }
}
