//! Face detection with rustface (SeetaFace) and the model vendored in `core/models/`.
//!
//! Downloads at run time are not allowed, so the model is compiled into the library
//! (`include_bytes!`, 1.2 MB; licence beside it). rustface panics on an illegal image (zero size,
//! wrong channel count) and on out-of-range settings, so this wrapper validates first and never
//! hands it anything it would refuse. `set_min_face_size` has no effect in rustface 0.1.7
//! (read in its source): the smallest face found is the 40 px window, so the caller picks the scale.
//!
//! rustface's detector is not `Send`, and sessions must be (the shells call from any thread), so
//! the detector lives in a thread-local, loaded on first use on each analysing thread (~1.5 ms).
//! It holds only scratch buffers between calls, and settings are applied on every call, so
//! sharing it between sessions on one thread cannot leak anything from one frame to another.

use std::cell::RefCell;

use rustface::{Detector, ImageData};
use thiserror::Error;

use super::luma::{LumaImage, Rect};

/// The SeetaFace frontal model, BSD-2 (see core/models/LICENSE-seeta_fd_frontal.txt).
const MODEL: &[u8] = include_bytes!("../../models/seeta_fd_frontal_v1.0.bin");

/// rustface's fixed detection window: faces smaller than this (in the image given) are missed.
pub const WINDOW: u32 = 40;

/// The model could not be parsed (a corrupted build, never user input).
#[derive(Debug, Error)]
#[error("face model unreadable: {0}")]
pub struct ModelError(String);

/// One face found in a detection image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// The face box in the detection image's pixels.
    pub rect: Rect,
    /// The detector's confidence (higher is surer).
    pub score: f32,
}

/// Settings of the sliding-window search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectorSettings {
    /// Window step in pixels: 4 is thorough, 8 is ~3× faster and still finds selfie-sized faces.
    pub step: u32,
    /// Ratio between pyramid levels, in (0.5, 0.95).
    pub pyramid_scale: f32,
    /// Detections scoring below this are dropped.
    pub min_score: f32,
}

impl Default for DetectorSettings {
    fn default() -> Self {
        Self { step: 4, pyramid_scale: 0.75, min_score: 2.0 }
    }
}

thread_local! {
    static DETECTOR: RefCell<Option<Box<dyn Detector>>> = const { RefCell::new(None) };
}

fn load() -> Result<Box<dyn Detector>, ModelError> {
    let model = rustface::read_model(MODEL).map_err(|e| ModelError(e.to_string()))?;
    Ok(rustface::create_detector_with_model(model))
}

/// Loads the model on this thread now, so the first frame does not pay for it.
pub fn warm_up() -> Result<(), ModelError> {
    DETECTOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(load()?);
        }
        Ok(())
    })
}

/// Finds the faces in `image` with at least `WINDOW` px of side and at most `max_face` px
/// (`None`: no upper bound). Images too small to hold a window give no faces.
pub fn detect(image: &LumaImage, settings: DetectorSettings, max_face: Option<u32>) -> Result<Vec<Detection>, ModelError> {
    // rustface's legality rules, checked here so it never panics: grey, non-empty, and packed.
    if image.width() < WINDOW || image.height() < WINDOW || image.pixels().len() != image.width() as usize * image.height() as usize {
        return Ok(Vec::new());
    }
    warm_up()?;
    DETECTOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(detector) = slot.as_mut() else { return Ok(Vec::new()) };
        // Clamped into the ranges rustface asserts on.
        let step = settings.step.clamp(1, 16);
        detector.set_slide_window_step(step, step);
        detector.set_pyramid_scale_factor(settings.pyramid_scale.clamp(0.5, 0.95));
        detector.set_score_thresh(f64::from(settings.min_score.max(0.01)));
        detector.set_max_face_size(max_face.map_or(0, |m| m.max(WINDOW)));
        let found = detector.detect(&ImageData::new(image.pixels(), image.width(), image.height()));
        Ok(found
            .iter()
            .map(|face| {
                let b = face.bbox();
                Detection {
                    rect: Rect { x: b.x() as f32, y: b.y() as f32, width: b.width() as f32, height: b.height() as f32 },
                    score: face.score() as f32,
                }
            })
            .collect())
    })
}
