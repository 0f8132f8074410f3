//! Per-frame analysis with tracking: find the face cheaply on most frames.
//!
//! A full search of a 320-px-wide frame costs 10–30 ms on one core, too slow for live guidance at
//! camera rate. Once a face is known, the next frame is searched only in a window around it,
//! scaled so the face is just above the detector's 40 px window: a few milliseconds. A full search
//! runs when the track is lost, and every `rescan_every` frames so a second person stepping into
//! the picture is still noticed.

use super::detector::{self, DetectorSettings, ModelError, WINDOW};
use super::frame::Frame;
use super::luma::{LumaImage, Rect};
use super::quality;

/// Width of the working image for the full search; faces narrower than 40/320 of the frame are
/// not found (they would be "too far" anyway).
pub const WORKING_WIDTH: u32 = 320;

/// A face box as fractions of the frame (0–1), so the shells can draw it on any preview size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    /// Left edge / frame width.
    pub left: f32,
    /// Top edge / frame height.
    pub top: f32,
    /// Width / frame width.
    pub width: f32,
    /// Height / frame height.
    pub height: f32,
}

/// What one frame shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameAnalysis {
    /// Faces found (largest first).
    pub faces: Vec<FaceBox>,
    /// Mean luma (0–255) of the face, or of the frame when there is no single face.
    pub brightness: f32,
    /// Focus measure of the single face (see `quality::sharpness`).
    pub sharpness: Option<f32>,
    /// Change of the face region since the previous frame (see `quality::motion`), when both
    /// frames had a single face.
    pub motion: Option<f32>,
    /// Whether this frame needed the full (slow) search.
    pub full_search: bool,
}

/// Tracking state between frames. Pure data: the detector itself is per thread.
#[derive(Debug, Clone)]
pub struct Analyzer {
    settings: DetectorSettings,
    rescan_every: u32,
    since_full_search: u32,
    /// The single face of the previous frame, in working-image pixels, and its pixels.
    track: Option<(Rect, LumaImage)>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self { settings: DetectorSettings::default(), rescan_every: 15, since_full_search: 0, track: None }
    }
}

impl Analyzer {
    /// Forgets the tracked face (the camera was switched, the app resumed…).
    pub fn reset(&mut self) {
        self.track = None;
    }

    /// Analyses one frame.
    pub fn analyze(&mut self, frame: &Frame<'_>) -> Result<FrameAnalysis, ModelError> {
        let factor = (frame.width() / WORKING_WIDTH).max(1);
        let image = LumaImage::downscaled_from(frame, factor);
        let tracked = match self.track {
            Some((last, _)) if self.since_full_search < self.rescan_every => self.search_near(&image, last)?,
            _ => None,
        };
        let (faces, full_search) = match tracked {
            Some(face) => (vec![face], false),
            None => {
                self.since_full_search = 0;
                let mut found: Vec<Rect> = detector::detect(&image, self.settings, None)?.into_iter().map(|d| d.rect).collect();
                found.sort_by(|a, b| b.width.total_cmp(&a.width));
                (found, true)
            }
        };
        self.since_full_search += 1;

        let single = match faces.as_slice() {
            [face] => Some(*face),
            _ => None,
        };
        let motion = match (&self.track, single) {
            (Some((last, patch)), Some(_)) => image.crop_downscaled(*last, 1).and_then(|(now, _)| quality::motion(patch, &now)),
            _ => None,
        };
        self.track = single.and_then(|face| image.crop_downscaled(face, 1).map(|(patch, _)| (face, patch)));
        let (w, h) = (image.width() as f32, image.height() as f32);
        let analysis = FrameAnalysis {
            faces: faces.iter().map(|r| FaceBox { left: r.x / w, top: r.y / h, width: r.width / w, height: r.height / h }).collect(),
            brightness: quality::brightness(&image, single),
            sharpness: single.and_then(|face| quality::sharpness(&image, face)),
            motion,
            full_search,
        };
        Ok(analysis)
    }

    /// Looks for the face in a window around `last`, scaled so it is ~1.25× the detector
    /// window. `None` when it is not there (moved too far, left, or covered).
    fn search_near(&self, image: &LumaImage, last: Rect) -> Result<Option<Rect>, ModelError> {
        let factor = ((last.width / (WINDOW as f32 * 1.25)).floor() as u32).max(1);
        let Some((crop, used)) = image.crop_downscaled(last.expanded(0.3), factor) else { return Ok(None) };
        let scale = factor as f32;
        // The face cannot have more than doubled between two frames.
        let max_face = (last.width * 2.0 / scale) as u32;
        let found = detector::detect(&crop, self.settings, Some(max_face))?;
        let best = found.iter().max_by(|a, b| a.score.total_cmp(&b.score));
        Ok(best.map(|d| d.rect.scaled(scale, used.x, used.y)))
    }
}
