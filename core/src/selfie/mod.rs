//! Selfie capture and the liveness challenge.
//!
//! The shells stream camera frames in their native layouts (`frame`); each frame is downscaled to
//! a small grey image (`luma`), searched for faces with the vendored SeetaFace model
//! (`detector`, tracked between frames by `analysis`), measured (`quality`) and turned into one
//! instruction (`guidance`). After several good frames in a row the face is cropped into a
//! metadata-free, size-bounded JPEG held only in memory (`capture`). The "move closer" challenge
//! (`liveness`) is documented there as what it is: not certified presentation-attack detection.
//! `frame_clock` decides which timestamps to accept. `session` ties it together for the flow; `camera` (feature `desktop-camera`) feeds it on the
//! desktop.

pub mod analysis;
#[cfg(feature = "desktop-camera")]
pub mod camera;
pub mod capture;
pub mod convert;
pub mod detector;
pub mod face_model;
pub mod frame;
pub mod frame_clock;
pub mod guidance;
pub mod liveness;
pub mod luma;
pub mod quality;
pub mod session;
pub mod still;

pub use analysis::{FaceBox, FrameAnalysis};
pub use capture::{CaptureError, CaptureSettings, CapturedSelfie};
pub use frame::{Frame, FrameError, PixelFormat, Plane};
pub use guidance::{Guidance, GuidanceThresholds};
pub use liveness::{LivenessFailure, LivenessSample, LivenessSettings, LivenessState};
pub use session::{EVIDENCE_INTERVAL_MS, FrameVerdict, LivenessOutcome, MAX_EVIDENCE_FRAMES, SelfieConfig, SelfieSession, SessionError};
