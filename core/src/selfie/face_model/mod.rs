//! CNN face models: MediaPipe's BlazeFace (vendored in `core/models/` with its licence), run by
//! our own pure-Rust interpreter (the `identity-pass-model-interpreter` crate, which says why it
//! is not a general inference crate). This module turns camera frames into the model's input and
//! its output into faces.
//!
//! This is the first part of the next selfie engine (issue 12); the guidance still runs on the
//! SeetaFace detector (`super::detector`).

mod blazeface;

pub use blazeface::{BlazeFace, Keypoint, ModelFace, Range, Rotation};
pub use identity_pass_model_interpreter::ModelError;
