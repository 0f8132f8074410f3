//! `SelfieSession`: frames and timestamps in, guidance, a capture and a liveness outcome out.
//!
//! The session is pure: it never reads a clock (timestamps come with the frames) and performs no
//! I/O. Each frame comes with the rotation that turns it upright (and the flip that shows it as
//! the preview does, see `rotation`), and is judged by the face
//! models (`face_model::FaceEngine`, loaded on the first frame and kept for the session, so it
//! follows the face from frame to frame); the capture stays in memory until the flow takes it
//! for upload. The flow drives it in two steps: the selfie (guidance until
//! `required_good_frames` consecutive good frames, then a capture) and the liveness challenge
//! (`start_liveness_actions` with the service's sequence of actions, then frames until an
//! outcome). The challenge's outcome carries the frames it judged, for the service to judge
//! again: the service's verdict is the one that counts.

use thiserror::Error;

use super::capture::{self, CaptureError, CaptureSettings, CapturedSelfie};
use super::face_box::FaceBox;
use super::face_model::{
    Action, ActionChallenge, Assessment, ChallengeLimits, ChallengeState, EngineLimits, FaceEngine, HeadPose, ModelError,
};
use super::frame::{Frame, FrameError};
use super::frame_clock::FrameClock;
use super::guidance::Guidance;
use super::liveness::{LivenessFailure, LivenessSample, LivenessState};
use super::rotation::{Orientation, UprightCopy};

/// Everything a session can be tuned with.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SelfieConfig {
    /// Good/bad frame limits.
    pub limits: EngineLimits,
    /// Crop and JPEG settings.
    pub capture: CaptureSettings,
    /// The action challenge's limits (the service judges with the defaults).
    pub actions: ChallengeLimits,
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
    /// Focus measure of the face (see `face_model::assessment`).
    pub sharpness: Option<f32>,
    /// How far the face's centre moved since the previous frame, in face widths.
    pub motion: Option<f32>,
    /// The single face's head pose.
    pub pose: Option<HeadPose>,
    /// Consecutive good frames so far.
    pub good_streak: u32,
    /// True on the frame that produced the capture.
    pub captured: bool,
    /// The liveness challenge, while one runs or after it ended.
    pub liveness: Option<LivenessState>,
}

impl FrameVerdict {
    /// A frame that went to the reviewer's call instead of the selfie analysis: nothing was
    /// measured, and there is nothing for the user to fix.
    pub fn sent_to_call() -> Self {
        Self {
            guidance: Guidance::Good,
            faces: Vec::new(),
            brightness: 0.0,
            sharpness: None,
            motion: None,
            pose: None,
            good_streak: 0,
            captured: false,
            liveness: None,
        }
    }
}

/// Least time between two frames the challenge judges (and keeps for the service): about ten
/// frames a second, whatever the camera's rate, so the service's ≤ 160 frames cover three
/// actions' 15 seconds, and a blink (a few tenths of a second) is seen.
pub const EVIDENCE_INTERVAL_MS: u64 = 100;
/// Most evidence frames one outcome carries (the service's limit).
pub const MAX_EVIDENCE_FRAMES: usize = 160;

/// The liveness result the flow carries as an event.
#[derive(Debug, Clone, PartialEq)]
pub struct LivenessOutcome {
    /// `None` when passed, else why it failed.
    pub failure: Option<LivenessFailure>,
    /// Final face width / first face width.
    pub growth: f32,
    /// The face's width over the frames judged, in time order (empty on failure).
    pub samples: Vec<LivenessSample>,
    /// The frames the challenge judged, for the service to judge again (it never takes the
    /// phone's word): from the first frame with a face to the one that passed, at least
    /// [`EVIDENCE_INTERVAL_MS`] apart, at most [`MAX_EVIDENCE_FRAMES`], each the whole frame
    /// reduced to about 320 px wide as a JPEG with its timestamp (`captured_at_ms`), in time
    /// order. Empty on failure: a failed check is not uploaded.
    pub evidence: Vec<CapturedSelfie>,
}

/// A running challenge. It judges what the service will judge: the evidence
/// JPEGs themselves, decoded and judged by a face engine of its own that has seen exactly the
/// frames kept so far, in order (the service runs a fresh engine over the upload). The
/// session's main engine, which sees every camera frame for the live guidance, follows the
/// face differently at 30 frames a second; measured on its boxes, a pass on the phone could
/// be a few percent short of one on the service.
#[derive(Debug)]
struct LivenessRun {
    challenge: RunningChallenge,
    /// The engine that judges the kept frames: loaded at the first frame judged, reset after a
    /// frame that did not start the challenge, so it has seen exactly the frames kept.
    judge: Option<FaceEngine>,
    /// The frames the challenge judged since its first face, in order.
    evidence: Vec<CapturedSelfie>,
    outcome: Option<LivenessOutcome>,
}

/// The service's sequence of actions, on the faces' pose, eyes and width; `state` is what the
/// session reports, `widths` the face's width per judged frame (the pass's trace).
#[derive(Debug)]
struct RunningChallenge {
    challenge: ActionChallenge,
    state: LivenessState,
    widths: Vec<LivenessSample>,
}

impl RunningChallenge {
    fn new(actions: Vec<Action>, limits: ChallengeLimits) -> Self {
        let challenge = ActionChallenge::new(actions, limits);
        let state = Self::reported(&challenge, &[]);
        Self { challenge, state, widths: Vec::new() }
    }

    fn state(&self) -> &LivenessState {
        &self.state
    }

    /// Feeds one judged frame; the state after it.
    fn observe(&mut self, timestamp_ms: u64, assessment: &Assessment) -> &LivenessState {
        let sample = assessment.challenge_sample(timestamp_ms);
        if sample.faces == 1 {
            self.widths.push(LivenessSample { timestamp_ms, face_width: sample.face_width });
        }
        self.challenge.observe(sample);
        self.state = Self::reported(&self.challenge, &self.widths);
        &self.state
    }

    /// The session's report of the action challenge.
    fn reported(challenge: &ActionChallenge, widths: &[LivenessSample]) -> LivenessState {
        match challenge.state() {
            ChallengeState::InProgress { index, action } => {
                LivenessState::DoAction { action, index: index as u32, count: challenge.actions().len() as u32 }
            }
            ChallengeState::Passed => {
                let first = widths.first().map_or(0.0, |s| s.face_width);
                let last = widths.last().map_or(0.0, |s| s.face_width);
                LivenessState::Passed { growth: if first > 0.0 { last / first } else { 0.0 }, samples: widths.to_vec() }
            }
            ChallengeState::Failed(failure) => LivenessState::Failed { reason: failure.into() },
        }
    }
}

impl LivenessRun {
    fn new(challenge: RunningChallenge) -> Self {
        Self { challenge, judge: None, evidence: Vec::new(), outcome: None }
    }

    /// Whether the frame at `timestamp_ms` is due: any frame until the first is kept, then one
    /// at least [`EVIDENCE_INTERVAL_MS`] after the last one kept.
    fn due(&self, timestamp_ms: u64) -> bool {
        self.evidence.last().is_none_or(|last| timestamp_ms >= last.captured_at_ms().saturating_add(EVIDENCE_INTERVAL_MS))
    }
}

/// At most `max` of `frames`, spread evenly, the first and the last always kept.
fn thin_evenly(frames: Vec<CapturedSelfie>, max: usize) -> Vec<CapturedSelfie> {
    let len = frames.len();
    if len <= max || max < 2 {
        return frames.into_iter().take(max).collect();
    }
    // Index i of the result is frame round(i·(len−1)/(max−1)): strictly increasing, 0 and len−1.
    let wanted: Vec<usize> = (0..max).map(|i| (i * (len - 1) + (max - 1) / 2) / (max - 1)).collect();
    frames.into_iter().enumerate().filter(|(index, _)| wanted.binary_search(index).is_ok()).map(|(_, frame)| frame).collect()
}

/// A selfie session: one per selfie step, fed every camera frame.
#[derive(Debug)]
pub struct SelfieSession {
    config: SelfieConfig,
    /// Loaded on the first frame (so that making a session cannot fail), kept after.
    engine: Option<FaceEngine>,
    clock: FrameClock,
    good_streak: u32,
    capture: Option<CapturedSelfie>,
    capture_taken: bool,
    liveness: Option<LivenessRun>,
}

impl SelfieSession {
    /// A new session.
    pub fn new(config: SelfieConfig) -> Self {
        Self { config, engine: None, clock: FrameClock::default(), good_streak: 0, capture: None, capture_taken: false, liveness: None }
    }

    /// Analyses one upright frame taken at `timestamp_ms` (see [`Self::push_rotated_frame`]).
    pub fn push_frame(&mut self, frame: &Frame<'_>, timestamp_ms: u64) -> Result<FrameVerdict, SessionError> {
        self.push_rotated_frame(frame, Orientation::AS_DELIVERED, timestamp_ms)
    }

    /// Analyses one frame taken at `timestamp_ms` (strictly increasing, plausible: see
    /// `frame_clock`), which `orientation` turns upright and, for a mirrored preview, flips. A
    /// refused timestamp refuses that frame only. Faces, the capture and the evidence are all
    /// in the image the user sees: upright, and mirrored when the preview is.
    pub fn push_rotated_frame(
        &mut self,
        frame: &Frame<'_>,
        orientation: impl Into<Orientation>,
        timestamp_ms: u64,
    ) -> Result<FrameVerdict, SessionError> {
        let orientation = orientation.into();
        if let Err(error) = self.clock.check(timestamp_ms) {
            self.clock.refuse(timestamp_ms);
            return Err(error.into());
        }
        let engine = match self.engine.as_mut() {
            Some(engine) => engine,
            None => self.engine.insert(FaceEngine::new(self.config.limits)?),
        };
        let analysis = engine.assess(frame, orientation);
        self.clock.accept(timestamp_ms);
        let mut guidance = analysis.guidance;
        let mut captured = false;

        if let Some(run) = self.liveness.as_mut() {
            // During the challenge the face is *meant* to grow and move: only the conditions
            // that make the frames useless (dark, no face, two faces) override it.
            if !matches!(guidance, Guidance::TooDark | Guidance::NoFace | Guidance::MultipleFaces) {
                guidance = Guidance::Good;
            }
            let running = matches!(run.challenge.state(), LivenessState::DoAction { .. });
            // Before the first face, only a frame where the live analysis sees one is worth
            // encoding: the others would not start the challenge.
            let candidate = !run.evidence.is_empty() || analysis.faces.len() == 1;
            if running && candidate && run.due(timestamp_ms) {
                let limits = self.config.limits;
                with_upright(frame, orientation, |upright| Self::judge_frame(run, upright, timestamp_ms, limits))?;
            }
            let state = run.challenge.state().clone();
            self.good_streak = 0;
            return Ok(self.verdict(guidance, analysis, false, Some(state)));
        }

        self.good_streak = if guidance == Guidance::Good { self.good_streak + 1 } else { 0 };
        let needed = self.config.required_good_frames.max(1);
        let ready = self.good_streak >= needed && self.capture.is_none() && !self.capture_taken;
        if let ([face], true) = (analysis.face_boxes().as_slice(), ready) {
            let settings = self.config.capture;
            match with_upright(frame, orientation, |upright| Ok(capture::capture(upright, *face, timestamp_ms, &settings)))? {
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

    /// Encodes the frame as evidence, analyses that JPEG as the service will, and feeds the
    /// faces found to the challenge. From the frame that starts the challenge (the first with
    /// one face) every judged frame is kept, faceless ones too (the service counts them as
    /// misses as the phone does). A frame whose JPEG cannot be made is neither judged nor kept;
    /// a frame before the start that does not start it is forgotten, by the engine that looked
    /// at it too, so the service's fresh engine begins where the phone's began.
    fn judge_frame(run: &mut LivenessRun, frame: &Frame<'_>, timestamp_ms: u64, limits: EngineLimits) -> Result<(), SessionError> {
        let Ok(jpeg) = capture::evidence_frame(frame, timestamp_ms) else { return Ok(()) };
        // Decoded as the service decodes it (the same function), so both judge the same pixels.
        let sides = 1..=capture::EVIDENCE_MAX_SIDE;
        let Ok(decoded) = super::still::decode_jpeg(jpeg.expose_jpeg(), sides) else { return Ok(()) };
        let Ok(view) = decoded.frame() else { return Ok(()) };
        let started = !run.evidence.is_empty();
        let judge = match run.judge.as_mut() {
            Some(judge) => judge,
            None => run.judge.insert(FaceEngine::new(limits)?),
        };
        let assessment = judge.assess(&view, Orientation::AS_DELIVERED);
        if !started && assessment.faces.is_empty() {
            // Not the start after all: the frame is not kept, and the engine forgets it.
            judge.reset();
            return Ok(());
        }
        run.evidence.push(jpeg);
        run.outcome = match run.challenge.observe(timestamp_ms, &assessment) {
            LivenessState::Passed { growth, samples } => Some(LivenessOutcome {
                failure: None,
                growth: *growth,
                samples: samples.clone(),
                evidence: thin_evenly(std::mem::take(&mut run.evidence), MAX_EVIDENCE_FRAMES),
            }),
            LivenessState::Failed { reason } => {
                // A failed check is not uploaded: its frames go at once.
                run.evidence.clear();
                Some(LivenessOutcome { failure: Some(*reason), growth: 0.0, samples: Vec::new(), evidence: Vec::new() })
            }
            LivenessState::DoAction { .. } => None,
        };
        Ok(())
    }

    fn verdict(&self, guidance: Guidance, analysis: Assessment, captured: bool, liveness: Option<LivenessState>) -> FrameVerdict {
        FrameVerdict {
            guidance,
            faces: analysis.face_boxes(),
            brightness: analysis.brightness,
            sharpness: analysis.sharpness,
            motion: analysis.motion,
            pose: analysis.pose,
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

    /// Starts (or restarts) the action challenge the service drew, `actions` in this order, on
    /// the following frames, with a fresh frame clock. The verdicts name the action to do now
    /// (`LivenessState::DoAction`), and its instruction is the message to show.
    pub fn start_liveness_actions(&mut self, actions: Vec<Action>) {
        self.clock.reset();
        self.liveness = Some(LivenessRun::new(RunningChallenge::new(actions, self.config.actions)));
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
        if let Some(engine) = self.engine.as_mut() {
            engine.reset();
        }
    }
}

/// `use_frame` given `frame` as `orientation` shows it: the frame itself when it already is,
/// else an upright (and flipped) copy, made only for the few frames that leave as pictures.
fn with_upright<T>(
    frame: &Frame<'_>,
    orientation: Orientation,
    use_frame: impl FnOnce(&Frame<'_>) -> Result<T, SessionError>,
) -> Result<T, SessionError> {
    if orientation == Orientation::AS_DELIVERED {
        return use_frame(frame);
    }
    let copy = UprightCopy::of(frame, orientation);
    use_frame(&copy.frame()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfie::frame::{PixelFormat, Plane};

    fn frames(count: u64) -> Vec<CapturedSelfie> {
        let pixels = vec![128u8; 320 * 240 * 3];
        let frame = Frame::new(320, 240, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 960, pixel_stride: 3 }]).expect("valid");
        (0..count).map(|i| capture::evidence_frame(&frame, i * 100).expect("encoded")).collect()
    }

    #[test]
    fn evidence_is_thinned_evenly_keeping_the_first_and_the_last() {
        let kept: Vec<u64> = thin_evenly(frames(161), MAX_EVIDENCE_FRAMES).iter().map(|f| f.captured_at_ms()).collect();
        assert_eq!(kept.len(), MAX_EVIDENCE_FRAMES);
        assert_eq!((kept.first(), kept.last()), (Some(&0), Some(&16_000)));
        assert!(kept.windows(2).all(|w| w[0] < w[1] && w[1] - w[0] <= 200), "{kept:?}");
        let few: Vec<u64> = thin_evenly(frames(7), MAX_EVIDENCE_FRAMES).iter().map(|f| f.captured_at_ms()).collect();
        assert_eq!(few, [0, 100, 200, 300, 400, 500, 600], "nothing dropped under the limit");
        let halved: Vec<u64> = thin_evenly(frames(9), 5).iter().map(|f| f.captured_at_ms()).collect();
        assert_eq!(halved, [0, 200, 400, 600, 800]);
    }

    #[test]
    fn an_evidence_frame_is_the_whole_frame_near_320_px_wide_with_its_aspect() {
        for (width, height, expected) in [(640, 480, (320, 240)), (1280, 720, (320, 180)), (720, 1280, (360, 640)), (1920, 800, (384, 160))]
        {
            let pixels = vec![90u8; width as usize * height as usize * 3];
            let frame = Frame::new(width, height, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: width * 3, pixel_stride: 3 }])
                .expect("valid");
            let evidence = capture::evidence_frame(&frame, 42).expect("encoded");
            assert_eq!((evidence.width(), evidence.height()), expected, "{width}×{height}");
            assert_eq!(evidence.captured_at_ms(), 42);
            assert!(format!("{evidence:?}").contains("[redacted]"));
        }
    }
}
