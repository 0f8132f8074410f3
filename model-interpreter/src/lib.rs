//! A small interpreter for the TensorFlow Lite models of the selfie engine (MediaPipe's
//! BlazeFace), in pure Rust, so it builds for every phone target with no C++ toolchain.
//!
//! Why not a general inference crate: `tract-tflite` 0.23.9 refuses all three MediaPipe face
//! models (their float16 weights sit behind `DEQUANTIZE`, which it does not translate), and
//! converting them to ONNX (`tflite2onnx` 0.4.1) works for the short-range detector only;
//! `tract-onnx` runs that conversion in 2.70 ms per image on one core (measured 2026-12-01, see
//! the project's toolchain notes). The models use a dozen plain operators (`graph`), whose
//! arithmetic (`kernels`) is short, checked by hand in tests, and shaped so the compiler
//! vectorises it. The file is read with a bounds-checked FlatBuffers reader (`flatbuffer`), and
//! every shape is checked when a model is loaded (`interpreter`), so running one never indexes
//! outside a buffer. Anything outside the supported set is refused at load, by name.
//!
//! Layering: this crate knows tensors, not faces; `identity-pass-core` feeds it pixels and
//! decodes what comes out.

// One module may call code compiled for wider instructions than the target's baseline, after
// checking the processor has them (`simd`); nothing else may be unsafe.
#![deny(unsafe_code)]

mod flatbuffer;
mod graph;
mod interpreter;
mod kernels;
#[cfg(target_arch = "x86_64")]
mod simd;

pub use interpreter::Interpreter;

/// A model could not be read or is outside what this interpreter runs. The models are compiled
/// into the library, so this is a bad build, never user input.
#[derive(Debug, thiserror::Error)]
#[error("model unreadable: {0}")]
pub struct ModelError(String);

impl ModelError {
    fn new(reason: String) -> Self {
        Self(reason)
    }

    /// A model that loaded but is not the one its caller expects (its inputs or outputs differ).
    pub fn unexpected(reason: String) -> Self {
        Self(reason)
    }
}
