//! BlazeFace (MediaPipe's short-range face detector): a frame letterboxed into the model's
//! 128×128 input, the 896 anchors decoded into boxes with six keypoints, overlapping boxes
//! blended as MediaPipe blends them.
//!
//! The constants are MediaPipe's own for this model (`face_detection_short_range.pbtxt` in
//! MediaPipe 0.10.14: SSD anchors on strides 8, 16, 16, 16 with fixed size, scores through a
//! sigmoid, kept from 0.5, weighted suppression at an overlap of 0.3), so that ours and theirs
//! can be compared box for box (`core/benches/mediapipe_faces.py`).

use identity_pass_model_interpreter::{Interpreter, ModelError};

use crate::selfie::frame::Frame;
use crate::selfie::luma::Rect;

/// MediaPipe's short-range BlazeFace, Apache-2.0 (see core/models/LICENSE-mediapipe.txt).
const SHORT_RANGE: &[u8] = include_bytes!("../../../models/face_detection_short_range.tflite");

/// The score a box needs to be a face (MediaPipe's `min_score_thresh`).
const MIN_SCORE: f32 = 0.5;
/// Boxes overlapping more than this (intersection over union) are one face.
const SUPPRESSION_OVERLAP: f32 = 0.3;
/// Regressor values per anchor: box centre, size, then six keypoints.
const VALUES_PER_ANCHOR: usize = 16;

/// Where a keypoint sits on the face (the subject's left and right).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keypoint {
    /// The subject's right eye (on the image's left when the camera faces them).
    RightEye = 0,
    /// The subject's left eye.
    LeftEye = 1,
    /// The tip of the nose.
    NoseTip = 2,
    /// The centre of the mouth.
    Mouth = 3,
    /// The subject's right ear (tragion).
    RightEar = 4,
    /// The subject's left ear (tragion).
    LeftEar = 5,
}

/// One face found in a frame, in the frame's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelFace {
    /// The face box.
    pub rect: Rect,
    /// The model's confidence, 0.5 to 1.
    pub score: f32,
    /// The six keypoints, indexed by [`Keypoint`].
    pub keypoints: [(f32, f32); 6],
}

impl ModelFace {
    /// One keypoint.
    pub fn keypoint(&self, which: Keypoint) -> (f32, f32) {
        self.keypoints[which as usize]
    }
}

/// An anchor's centre, in the model input's unit square.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    x: f32,
    y: f32,
}

/// MediaPipe's SSD anchors for this model: a 16×16 grid with 2 anchors per cell, then an 8×8
/// grid with 6 (three layers of stride 16, two anchors each, share one grid).
fn anchors() -> Vec<Anchor> {
    let mut anchors = Vec::with_capacity(896);
    for (grid, per_cell) in [(16usize, 2usize), (8, 6)] {
        for y in 0..grid {
            for x in 0..grid {
                let anchor = Anchor { x: (x as f32 + 0.5) / grid as f32, y: (y as f32 + 0.5) / grid as f32 };
                anchors.extend(std::iter::repeat_n(anchor, per_cell));
            }
        }
    }
    anchors
}

/// A candidate in the model input's unit square.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// x0, y0, x1, y1.
    bounds: [f32; 4],
    keypoints: [(f32, f32); 6],
    score: f32,
}

impl Candidate {
    fn area(&self) -> f32 {
        let [x0, y0, x1, y1] = self.bounds;
        (x1 - x0).max(0.0) * (y1 - y0).max(0.0)
    }

    fn overlap(&self, other: &Candidate) -> f32 {
        let [a0, b0, a1, b1] = self.bounds;
        let [c0, d0, c1, d1] = other.bounds;
        let inter = (a1.min(c1) - a0.max(c0)).max(0.0) * (b1.min(d1) - b0.max(d0)).max(0.0);
        let union = self.area() + other.area() - inter;
        if union > 0.0 { inter / union } else { 0.0 }
    }
}

/// How a frame maps into the model's square input: scaled by `scale`, then offset.
#[derive(Debug, Clone, Copy)]
struct Letterbox {
    scale: f32,
    offset_x: f32,
    offset_y: f32,
}

/// The short-range BlazeFace detector; one per analysing thread (it holds its buffers).
#[derive(Debug)]
pub struct BlazeFace {
    model: Interpreter,
    anchors: Vec<Anchor>,
    size: usize,
}

impl BlazeFace {
    /// Loads the vendored model (about 1 ms).
    pub fn new() -> Result<Self, ModelError> {
        let model = Interpreter::load(SHORT_RANGE)?;
        let (height, width, channels) = model.input_shape();
        let anchors = anchors();
        if height != width
            || channels != 3
            || model.output(0).len() != anchors.len() * VALUES_PER_ANCHOR
            || model.output(1).len() != anchors.len()
        {
            return Err(ModelError::unexpected(format!("input {height}×{width}×{channels} or its outputs do not fit BlazeFace")));
        }
        Ok(Self { model, anchors, size: width })
    }

    /// The faces in `frame`, most confident first.
    pub fn detect(&mut self, frame: &Frame<'_>) -> Vec<ModelFace> {
        let letterbox = self.fill_input(frame);
        self.model.run();
        let regressors = self.model.output(0);
        let scores = self.model.output(1);
        let size = self.size as f32;
        let mut candidates: Vec<Candidate> = Vec::new();
        for ((anchor, raw), score) in self.anchors.iter().zip(regressors.chunks_exact(VALUES_PER_ANCHOR)).zip(scores) {
            let score = 1.0 / (1.0 + (-score.clamp(-100.0, 100.0)).exp());
            if score < MIN_SCORE {
                continue;
            }
            let (cx, cy) = (raw[0] / size + anchor.x, raw[1] / size + anchor.y);
            let (w, h) = (raw[2] / size, raw[3] / size);
            let mut keypoints = [(0.0, 0.0); 6];
            for (k, point) in keypoints.iter_mut().enumerate() {
                *point = (raw[4 + 2 * k] / size + anchor.x, raw[5 + 2 * k] / size + anchor.y);
            }
            candidates.push(Candidate { bounds: [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0], keypoints, score });
        }
        weighted_suppression(candidates).into_iter().map(|c| to_frame(&c, letterbox, size)).collect()
    }

    /// Letterboxes the frame into the input (the longer side fills it, centred, the border
    /// black), each input pixel the mean of a grid of frame pixels under it, scaled to −1…1.
    fn fill_input(&mut self, frame: &Frame<'_>) -> Letterbox {
        let size = self.size;
        let (width, height) = (frame.width() as f32, frame.height() as f32);
        let scale = size as f32 / width.max(height);
        let letterbox = Letterbox { scale, offset_x: (size as f32 - width * scale) / 2.0, offset_y: (size as f32 - height * scale) / 2.0 };
        // Up to 3×3 samples per input pixel: enough to average away aliasing at phone resolutions
        // without reading every pixel of a 12 MP frame.
        let footprint = 1.0 / scale;
        let samples = (footprint.ceil() as usize).clamp(1, 3);
        let input = self.model.input_mut();
        for y in 0..size {
            for x in 0..size {
                let at = (y * size + x) * 3;
                let fx0 = (x as f32 - letterbox.offset_x) / scale;
                let fy0 = (y as f32 - letterbox.offset_y) / scale;
                let mut sum = [0u32; 3];
                let mut count = 0u32;
                for sy in 0..samples {
                    for sx in 0..samples {
                        let fx = fx0 + (sx as f32 + 0.5) * footprint / samples as f32;
                        let fy = fy0 + (sy as f32 + 0.5) * footprint / samples as f32;
                        if fx < 0.0 || fy < 0.0 || fx >= width || fy >= height {
                            continue;
                        }
                        let rgb = frame.rgb_at(fx as u32, fy as u32);
                        for (s, v) in sum.iter_mut().zip(rgb) {
                            *s += u32::from(v);
                        }
                        count += 1;
                    }
                }
                for (value, s) in input[at..at + 3].iter_mut().zip(sum) {
                    *value = if count == 0 { -1.0 } else { s as f32 / count as f32 / 127.5 - 1.0 };
                }
            }
        }
        letterbox
    }
}

/// MediaPipe's weighted non-maximum suppression: the most confident remaining candidate and all
/// it overlaps become one face, their boxes and keypoints averaged by score.
fn weighted_suppression(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut faces = Vec::new();
    while let Some(best) = candidates.first().copied() {
        let (cluster, rest): (Vec<Candidate>, Vec<Candidate>) = candidates.into_iter().partition(|c| best.overlap(c) > SUPPRESSION_OVERLAP);
        candidates = rest;
        let total: f32 = cluster.iter().map(|c| c.score).sum();
        let mut blended = Candidate { bounds: [0.0; 4], keypoints: [(0.0, 0.0); 6], score: best.score };
        for c in &cluster {
            let weight = c.score / total;
            for (b, v) in blended.bounds.iter_mut().zip(c.bounds) {
                *b += v * weight;
            }
            for (k, (x, y)) in blended.keypoints.iter_mut().zip(c.keypoints) {
                k.0 += x * weight;
                k.1 += y * weight;
            }
        }
        faces.push(blended);
    }
    faces
}

/// A candidate mapped from the model input back to the frame's pixels.
fn to_frame(candidate: &Candidate, letterbox: Letterbox, size: f32) -> ModelFace {
    let back = |x: f32, y: f32| ((x * size - letterbox.offset_x) / letterbox.scale, (y * size - letterbox.offset_y) / letterbox.scale);
    let [x0, y0, x1, y1] = candidate.bounds;
    let (left, top) = back(x0, y0);
    let (right, bottom) = back(x1, y1);
    ModelFace {
        rect: Rect { x: left, y: top, width: right - left, height: bottom - top },
        score: candidate.score,
        keypoints: candidate.keypoints.map(|(x, y)| back(x, y)),
    }
}
