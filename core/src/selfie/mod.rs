//! Selfie capture and the liveness challenge.
//!
//! The shells stream camera frames in their native layouts (`frame`) with the rotation that
//! turns them upright and whether their preview is a mirror (`rotation`). The face models (`face_model`: MediaPipe's BlazeFace and
//! face mesh on our own interpreter) find the face, follow it from frame to frame, measure its
//! size, place, pose, light and sharpness, and turn that into one instruction (`guidance`).
//! After several good frames in a row the face is cropped into a metadata-free, size-bounded
//! JPEG held only in memory (`capture`). The liveness challenge the service draws is the action
//! challenge a photo cannot pass (`face_model::challenge`); `liveness` holds the states the
//! session reports of it. It is not certified presentation-attack detection, and its docs say
//! so. `action_figure` is the drawing the apps animate to show each action. `frame_clock`
//! decides which timestamps to accept. `session` ties it together for the flow; `camera` (feature `desktop-camera`) feeds it
//! on the desktop.

pub mod action_figure;
pub mod call_picture;
#[cfg(feature = "desktop-camera")]
pub mod camera;
pub mod capture;
pub mod convert;
pub mod face_box;
pub mod face_model;
pub mod frame;
pub mod frame_clock;
pub mod guidance;
pub mod liveness;
mod pixel_reader;
pub mod rect;
pub mod rotation;
pub mod session;
pub mod still;

pub use capture::{CaptureError, CaptureSettings, CapturedSelfie};
pub use face_box::FaceBox;
pub use face_model::{EngineLimits, ModelError};
pub use frame::{Frame, FrameError, PixelFormat, Plane};
pub use guidance::Guidance;
pub use liveness::{LivenessFailure, LivenessSample, LivenessState};
pub use rotation::{Orientation, Rotation};
pub use session::{EVIDENCE_INTERVAL_MS, FrameVerdict, LivenessOutcome, MAX_EVIDENCE_FRAMES, SelfieConfig, SelfieSession, SessionError};
