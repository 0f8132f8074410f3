//! `SelfieSession`: frames and timestamps in, guidance, a capture and a liveness outcome out.
//!
//! The session is pure: it never reads a clock (timestamps come with the frames) and performs no
//! I/O; the capture stays in memory until the flow takes it for upload. The flow drives it in two
//! steps: the selfie (guidance until `required_good_frames` consecutive good frames, then a
//! capture) and the liveness challenge (`start_liveness`, then frames until an outcome).

use thiserror::Error;

use super::analysis::{Analyzer, FaceBox};
use super::capture::{self, CaptureError, CaptureSettings, CapturedSelfie};
use super::detector::ModelError;
use super::frame::{Frame, FrameError};
use super::frame_clock::FrameClock;
use super::guidance::{Guidance, GuidanceThresholds, guidance_for};
use super::liveness::{LivenessFailure, LivenessSample, LivenessSettings, LivenessState, MoveCloserChallenge};

/// Everything a session can be tuned with.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SelfieConfig {
    /// Good/bad frame limits.
    pub thresholds: GuidanceThresholds,
    /// Crop and JPEG settings.
    pub capture: CaptureSettings,
    /// The liveness challenge's limits.
    pub liveness: LivenessSettings,
    /// Consecutive good frames before the capture (0 is treated as 1). Default 5.
    pub required_good_frames: u32,
}

impl SelfieConfig {
    /// The defaults: five good frames in a row (~170 ms at 30 fps) before capturing.
    pub fn standard() -> Self {
        Self { required_good_frames: 5, ..Self::default() }
    }
}

/// Why a frame could not be processed. A refused frame changes nothing the next frames are
/// judged by (the frame clock only notes a jump forward that the next frame may confirm).
#[derive(Debug, Error)]
pub enum SessionError {
    /// The frame's layout is invalid.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The face model could not be loaded (a broken build).
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// The verdict on one frame, for live guidance.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameVerdict {
    /// The one thing to tell the user now.
    pub guidance: Guidance,
    /// The faces found, as fractions of the frame.
    pub faces: Vec<FaceBox>,
    /// Mean luma (0–255) of the face or frame.
    pub brightness: f32,
    /// Focus measure of the face.
    pub sharpness: Option<f32>,
    /// Change of the face region since the previous frame (see `quality::motion`).
    pub motion: Option<f32>,
    /// Consecutive good frames so far.
    pub good_streak: u32,
    /// True on the frame that produced the capture.
    pub captured: bool,
    /// The liveness challenge, while one runs or after it ended.
    pub liveness: Option<LivenessState>,
}

/// The liveness result the flow carries as an event.
#[derive(Debug, Clone, PartialEq)]
pub struct LivenessOutcome {
    /// `None` when passed, else why it failed.
    pub failure: Option<LivenessFailure>,
    /// Final face width / first face width.
    pub growth: f32,
    /// The approach, in time order (empty on failure).
    pub samples: Vec<LivenessSample>,
    /// JPEGs of the first and last frames of the approach, for the service to re-check.
    pub evidence: Vec<CapturedSelfie>,
}

#[derive(Debug)]
struct LivenessRun {
    challenge: MoveCloserChallenge,
    evidence: Vec<CapturedSelfie>,
    outcome: Option<LivenessOutcome>,
}

/// A selfie session: one per selfie step, fed every camera frame.
#[derive(Debug)]
pub struct SelfieSession {
    config: SelfieConfig,
    analyzer: Analyzer,
    clock: FrameClock,
    good_streak: u32,
    capture: Option<CapturedSelfie>,
    capture_taken: bool,
    liveness: Option<LivenessRun>,
}

impl SelfieSession {
    /// A new session.
    pub fn new(config: SelfieConfig) -> Self {
        Self {
            config,
            analyzer: Analyzer::default(),
            clock: FrameClock::default(),
            good_streak: 0,
            capture: None,
            capture_taken: false,
            liveness: None,
        }
    }

    /// Analyses one frame taken at `timestamp_ms` (strictly increasing, plausible: see
    /// `frame_clock`). A refused timestamp refuses that frame only.
    pub fn push_frame(&mut self, frame: &Frame<'_>, timestamp_ms: u64) -> Result<FrameVerdict, SessionError> {
        if let Err(error) = self.clock.check(timestamp_ms) {
            self.clock.refuse(timestamp_ms);
            return Err(error.into());
        }
        let analysis = self.analyzer.analyze(frame)?;
        self.clock.accept(timestamp_ms);
        let mut guidance = guidance_for(&analysis, &self.config.thresholds);
        let mut captured = false;

        if let Some(run) = self.liveness.as_mut() {
            // During the challenge the face is *meant* to grow and move: only the conditions
            // that make the frames useless (dark, no face, two faces) override it.
            if !matches!(guidance, Guidance::TooDark | Guidance::NoFace | Guidance::MultipleFaces) {
                guidance = Guidance::Good;
            }
            let was_waiting = matches!(run.challenge.state(), LivenessState::WaitingForFace);
            let state = run.challenge.observe(timestamp_ms, &analysis.faces).clone();
            let single = analysis.faces.first().copied().filter(|_| analysis.faces.len() == 1);
            let first_sample = was_waiting && matches!(state, LivenessState::InProgress { .. });
            let passed = matches!(state, LivenessState::Passed { .. });
            if let (Some(face), true) = (single, first_sample || (passed && run.outcome.is_none())) {
                // Evidence is best effort: a frame that cannot be encoded is simply not kept.
                if let Ok(jpeg) = capture::capture(frame, face, timestamp_ms, &self.config.capture) {
                    run.evidence.push(jpeg);
                }
            }
            if run.outcome.is_none() {
                run.outcome = match &state {
                    LivenessState::Passed { growth, samples } => Some(LivenessOutcome {
                        failure: None,
                        growth: *growth,
                        samples: samples.clone(),
                        evidence: std::mem::take(&mut run.evidence),
                    }),
                    LivenessState::Failed { reason } => {
                        run.evidence.clear();
                        Some(LivenessOutcome { failure: Some(*reason), growth: 0.0, samples: Vec::new(), evidence: Vec::new() })
                    }
                    _ => None,
                };
            }
            self.good_streak = 0;
            return Ok(self.verdict(guidance, analysis, false, Some(state)));
        }

        self.good_streak = if guidance == Guidance::Good { self.good_streak + 1 } else { 0 };
        let needed = self.config.required_good_frames.max(1);
        let ready = self.good_streak >= needed && self.capture.is_none() && !self.capture_taken;
        if let ([face], true) = (analysis.faces.as_slice(), ready) {
            match capture::capture(frame, *face, timestamp_ms, &self.config.capture) {
                Ok(selfie) => {
                    self.capture = Some(selfie);
                    captured = true;
                }
                // Try again on the next good frame; the user sees no difference.
                Err(CaptureError::EmptyCrop | CaptureError::Encoding(_) | CaptureError::TooLarge { .. } | CaptureError::Metadata(_)) => {}
            }
        }
        Ok(self.verdict(guidance, analysis, captured, None))
    }

    fn verdict(
        &self,
        guidance: Guidance,
        analysis: super::analysis::FrameAnalysis,
        captured: bool,
        liveness: Option<LivenessState>,
    ) -> FrameVerdict {
        FrameVerdict {
            guidance,
            faces: analysis.faces,
            brightness: analysis.brightness,
            sharpness: analysis.sharpness,
            motion: analysis.motion,
            good_streak: self.good_streak,
            captured,
            liveness,
        }
    }

    /// Whether a capture is waiting to be taken.
    pub fn has_capture(&self) -> bool {
        self.capture.is_some()
    }

    /// Hands the capture over (once) for upload; the session keeps no copy.
    pub fn take_capture(&mut self) -> Option<CapturedSelfie> {
        let taken = self.capture.take();
        self.capture_taken |= taken.is_some();
        taken
    }

    /// Allows a new capture (the upload was rejected, the user retakes). The frame clock starts
    /// again: the new attempt's timestamps are not judged by the previous attempt's.
    pub fn retake(&mut self) {
        self.capture = None;
        self.capture_taken = false;
        self.good_streak = 0;
        self.clock.reset();
    }

    /// Starts (or restarts) the "move closer" challenge on the following frames, with a fresh
    /// frame clock.
    pub fn start_liveness(&mut self) {
        self.clock.reset();
        self.liveness =
            Some(LivenessRun { challenge: MoveCloserChallenge::new(self.config.liveness), evidence: Vec::new(), outcome: None });
    }

    /// The challenge's current state, if one was started.
    pub fn liveness_state(&self) -> Option<&LivenessState> {
        self.liveness.as_ref().map(|run| run.challenge.state())
    }

    /// The challenge's outcome once it has ended (once); the flow carries it as an event.
    pub fn take_liveness_outcome(&mut self) -> Option<LivenessOutcome> {
        self.liveness.as_mut().and_then(|run| run.outcome.take())
    }

    /// Leaves liveness mode and forgets the tracked face (e.g. back to the selfie step).
    pub fn stop_liveness(&mut self) {
        self.liveness = None;
        self.analyzer.reset();
    }
}
