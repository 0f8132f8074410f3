//! CNN face models: MediaPipe's BlazeFace detectors and face mesh (vendored in `core/models/`
//! with their licence), run by our own pure-Rust interpreter (the
//! `identity-pass-model-interpreter` crate, which says why it is not a general inference crate).
//! This module turns camera frames into the models' inputs and their outputs into faces
//! (`blazeface`) and into the head's pose and the eyes' opening (`face_mesh`), and judges a
//! frame from them (`assessment`); `challenge` is the liveness challenge a photo cannot pass.
//!
//! The selfie session (`super::session`), the service's face and liveness checks and the
//! reference partner all judge frames with [`FaceEngine`]. The action challenge
//! ([`ActionChallenge`]) is drawn and judged by the service, and guided by the selfie session
//! (`docs/selfie-engine.md`).

mod assessment;
mod blazeface;
mod challenge;
mod face_mesh;

pub use crate::selfie::rotation::{Orientation, Rotation};
pub use assessment::{Assessment, EngineLimits, FaceEngine, FacePass, guidance_for};
pub use blazeface::{BlazeFace, Keypoint, ModelFace, Range};
pub use challenge::{Action, ActionChallenge, ChallengeFailure, ChallengeLimits, ChallengeSample, ChallengeState};
pub use face_mesh::{FaceMesh, HeadPose, Landmarks};
pub use identity_pass_model_interpreter::ModelError;
