//! BlazeFace (MediaPipe's face detectors): a frame letterboxed into the model's square input, the
//! anchors decoded into boxes with six keypoints, overlapping boxes blended as MediaPipe blends
//! them.
//!
//! Two models: the short-range one (128×128 input, 896 anchors on a 16×16 and an 8×8 grid),
//! trained for faces filling much of the frame, and the full-range one (192×192, 2304 anchors on a
//! 48×48 grid), which finds faces down to a few percent of the frame's width. The constants are
//! MediaPipe 0.10.14's own for each (SSD anchors of fixed size, scores through a sigmoid, kept
//! from 0.5 and 0.6, weighted suppression at an overlap of 0.3), so that ours and theirs can be
//! compared box for box (`core/benches/mediapipe_faces.py`).

use identity_pass_model_interpreter::{Interpreter, ModelError};

use crate::selfie::frame::Frame;
use crate::selfie::pixel_reader::{PixelReader, RgbLine, with_reader};
use crate::selfie::rect::Rect;
use crate::selfie::rotation::Orientation;

/// MediaPipe's BlazeFace models, Apache-2.0 (see core/models/LICENSE-mediapipe.txt).
const SHORT_RANGE: &[u8] = include_bytes!("../../../models/face_detection_short_range.tflite");
const FULL_RANGE: &[u8] = include_bytes!("../../../models/face_detection_full_range_sparse.tflite");

/// Which BlazeFace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Faces within about 2 m of the camera: large in the frame.
    Short,
    /// Faces within about 5 m: from a few percent of the frame's width.
    Full,
}

impl Range {
    fn model(self) -> &'static [u8] {
        match self {
            Range::Short => SHORT_RANGE,
            Range::Full => FULL_RANGE,
        }
    }

    /// The anchor grids: cells per side and anchors per cell.
    fn grids(self) -> &'static [(usize, usize)] {
        match self {
            // Strides 8, 16, 16, 16: the three stride-16 layers share one grid, 2 anchors each.
            Range::Short => &[(16, 2), (8, 6)],
            Range::Full => &[(48, 1)],
        }
    }

    /// The score a box needs to be a face (MediaPipe's `min_score_thresh`).
    fn min_score(self) -> f32 {
        match self {
            Range::Short => 0.5,
            Range::Full => 0.6,
        }
    }
}
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

/// MediaPipe's SSD anchors: the centre of each grid cell, once per anchor of the cell.
fn anchors(grids: &[(usize, usize)]) -> Vec<Anchor> {
    let mut anchors = Vec::new();
    for &(grid, per_cell) in grids {
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
    /// The region's top-left corner in the upright image.
    origin_x: f32,
    origin_y: f32,
    scale: f32,
    offset_x: f32,
    offset_y: f32,
}

/// A BlazeFace detector; one per analysing thread (it holds its buffers).
#[derive(Debug)]
pub struct BlazeFace {
    model: Interpreter,
    anchors: Vec<Anchor>,
    size: usize,
    min_score: f32,
}

impl BlazeFace {
    /// Loads the vendored model (about 1 ms for the short range, 5 for the full range, which
    /// densifies its sparse weights).
    pub fn new(range: Range) -> Result<Self, ModelError> {
        let model = Interpreter::load(range.model())?;
        let (height, width, channels) = model.input_shape();
        let anchors = anchors(range.grids());
        if height != width
            || channels != 3
            || model.output(0).len() != anchors.len() * VALUES_PER_ANCHOR
            || model.output(1).len() != anchors.len()
        {
            return Err(ModelError::unexpected(format!("input {height}×{width}×{channels} or its outputs do not fit BlazeFace")));
        }
        Ok(Self { model, anchors, size: width, min_score: range.min_score() })
    }

    /// The faces in `frame` turned upright (and flipped) by `orientation`, most confident first, in the upright
    /// image's pixels.
    pub fn detect(&mut self, frame: &Frame<'_>, orientation: impl Into<Orientation>) -> Vec<ModelFace> {
        let orientation = orientation.into();
        let (width, height) = orientation.upright_size(frame.width() as f32, frame.height() as f32);
        self.detect_in(frame, orientation, Rect { x: 0.0, y: 0.0, width, height })
    }

    /// Faces anywhere in the frame down to about 5% of its width: the whole frame, then four
    /// overlapping quarters (each 55% of the width and height, so a face of up to a tenth of the
    /// width lies whole in at least one) at twice the zoom. Five model runs; the same face found
    /// twice is kept once, the surer, and a detection centred inside a face already kept (part
    /// of that face, cut by a quarter's edge) is dropped.
    pub fn search(&mut self, frame: &Frame<'_>, orientation: impl Into<Orientation>) -> Vec<ModelFace> {
        let orientation = orientation.into();
        let (width, height) = orientation.upright_size(frame.width() as f32, frame.height() as f32);
        let mut faces = self.detect(frame, orientation);
        let (tile_width, tile_height) = (width * 0.55, height * 0.55);
        for (x, y) in [(0.0, 0.0), (width - tile_width, 0.0), (0.0, height - tile_height), (width - tile_width, height - tile_height)] {
            faces.extend(self.detect_in(frame, orientation, Rect { x, y, width: tile_width, height: tile_height }));
        }
        merged(faces)
    }

    /// The faces in `region` of the upright image (clamped to it), in the upright image's pixels:
    /// a region a quarter of the frame finds faces half the size the whole frame does.
    pub fn detect_in(&mut self, frame: &Frame<'_>, orientation: impl Into<Orientation>, region: Rect) -> Vec<ModelFace> {
        let orientation = orientation.into();
        let (width, height) = orientation.upright_size(frame.width() as f32, frame.height() as f32);
        let region = region.clamped(width, height);
        if region.width < 1.0 || region.height < 1.0 {
            return Vec::new();
        }
        let letterbox = self.fill_input(frame, orientation, region);
        self.model.run();
        let regressors = self.model.output(0);
        let scores = self.model.output(1);
        let size = self.size as f32;
        let mut candidates: Vec<Candidate> = Vec::new();
        for ((anchor, raw), score) in self.anchors.iter().zip(regressors.chunks_exact(VALUES_PER_ANCHOR)).zip(scores) {
            let score = 1.0 / (1.0 + (-score.clamp(-100.0, 100.0)).exp());
            if score < self.min_score {
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
    fn fill_input(&mut self, frame: &Frame<'_>, orientation: Orientation, region: Rect) -> Letterbox {
        let size = self.size;
        let (width, height) = (region.width, region.height);
        let scale = size as f32 / width.max(height);
        let letterbox = Letterbox {
            origin_x: region.x,
            origin_y: region.y,
            scale,
            offset_x: (size as f32 - width * scale) / 2.0,
            offset_y: (size as f32 - height * scale) / 2.0,
        };
        // Samples per input pixel along each axis: one per three frame pixels under it, at most
        // 2. MediaPipe takes one (bilinear); 2×2 averages away most aliasing, and at 1280×720
        // 3×3 cost more than the model (8 ms against 14, measured side by side) for boxes no
        // closer to MediaPipe's. (`letterbox_into` sums in 16 bits, room for 3×3 at most.)
        let footprint = 1.0 / scale;
        let samples = ((footprint / 3.0).ceil() as usize).clamp(1, 2);
        // Where each input column's and row's samples fall in the upright image, then in the
        // frame: a rotation maps the upright image's columns to the frame's columns (or, turned
        // a quarter, to its rows), so each axis is computed once, not per pixel.
        let positions = |offset: f32, extent: f32, origin: f32| -> Vec<Option<f32>> {
            (0..size)
                .flat_map(|i| {
                    let start = (i as f32 - offset) / scale;
                    (0..samples).map(move |k| {
                        let at = start + (k as f32 + 0.5) * footprint / samples as f32;
                        (at >= 0.0 && at < extent).then_some(origin + at)
                    })
                })
                .collect()
        };
        let columns = positions(letterbox.offset_x, width, region.x);
        let rows = positions(letterbox.offset_y, height, region.y);
        let input = self.model.input_mut();
        with_reader!(frame, pixels => letterbox_into(pixels, orientation, samples, &rows, &columns, input));
        letterbox
    }
}

/// Each input pixel (RGB, −1…1) the mean of the frame pixels at its `samples` × `samples`
/// positions of the upright image (`rows` and `columns`, `samples` per input pixel, `None`
/// outside the image); black (−1) where none is inside.
///
/// Read a sample row at a time: each row's samples under every input column in one
/// [`PixelReader::rgb_line`], summed over whole lines. One read at a time, this was a sixth of
/// the full-range detector's time. The sums are of integers, so their order changes no bit of
/// the input; they fit 16 bits (at most 2 × 2 samples of 255, see `fill_input`).
fn letterbox_into(
    pixels: impl PixelReader,
    orientation: Orientation,
    samples: usize,
    rows: &[Option<f32>],
    columns: &[Option<f32>],
    input: &mut [f32],
) {
    let width = columns.len() / samples;
    // The line holds each input column's first sample, then each one's second: summing an
    // input pixel's samples is then adding whole runs, not neighbours.
    let columns: Vec<Option<f32>> = (0..samples).flat_map(|k| columns.iter().skip(k).step_by(samples).copied()).collect();
    // Every sample column turned into the frame once. A sample outside the image reads column
    // 0 and is masked out of the sums, so that every line has the same layout.
    let sample_columns: Vec<u32> = columns.iter().map(|u| u.map_or(0, |u| pixels.grid_column(orientation, u))).collect();
    let inside: Vec<i16> = columns.iter().map(|u| if u.is_some() { -1 } else { 0 }).collect();
    let mut column_samples = vec![0.0f32; width];
    for run in inside.chunks_exact(width) {
        for (count, inside) in column_samples.iter_mut().zip(run) {
            *count += f32::from(-inside);
        }
    }
    let mut line = RgbLine::new(sample_columns.len());
    let mut total = RgbLine::new(sample_columns.len());
    let mut pixel_sums = vec![0i16; width];
    let mut means = [vec![0.0f32; width], vec![0.0; width], vec![0.0; width]];
    for (row, output) in rows.chunks_exact(samples).zip(input.chunks_exact_mut(width * 3)) {
        total.clear();
        let mut row_samples = 0.0f32;
        for &v in row.iter().flatten() {
            pixels.rgb_line(orientation, pixels.grid_row(orientation, v), &sample_columns, &mut line);
            total.add_masked(&line, &inside);
            row_samples += 1.0;
        }
        if row_samples == 0.0 {
            // A row of the letterbox's border: black, −1 once scaled.
            output.fill(-1.0);
            continue;
        }
        for (means, sums) in means.iter_mut().zip([&total.red, &total.green, &total.blue]) {
            pixel_sums.fill(0);
            for run in sums.chunks_exact(width) {
                for (sum, add) in pixel_sums.iter_mut().zip(run) {
                    *sum += add;
                }
            }
            for ((mean, sum), column_samples) in means.iter_mut().zip(&pixel_sums).zip(&column_samples) {
                // Counts are small whole numbers: the same in f32 as the integers they are.
                let count = row_samples * column_samples;
                // Worked out even for a border column (no samples, so black: −1 once scaled) and
                // then dropped, so that the compiler can take a row's means together.
                let value = f32::from(*sum) / count / 127.5 - 1.0;
                *mean = if count == 0.0 { -1.0 } else { value };
            }
        }
        let [red, green, blue] = &means;
        for (((pixel, red), green), blue) in output.as_chunks_mut::<3>().0.iter_mut().zip(red).zip(green).zip(blue) {
            *pixel = [*red, *green, *blue];
        }
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

/// One face per person from detections of several passes (see [`BlazeFace::search`]).
fn merged(mut faces: Vec<ModelFace>) -> Vec<ModelFace> {
    faces.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<ModelFace> = Vec::new();
    for face in faces {
        let (x, y) = face.rect.center();
        let repeated = kept.iter().any(|k| {
            let inside = x > k.rect.x && x < k.rect.x + k.rect.width && y > k.rect.y && y < k.rect.y + k.rect.height;
            inside || overlap(&k.rect, &face.rect) > SUPPRESSION_OVERLAP
        });
        if !repeated {
            kept.push(face);
        }
    }
    kept
}

/// Intersection over union of two boxes.
fn overlap(a: &Rect, b: &Rect) -> f32 {
    let width = (a.x + a.width).min(b.x + b.width) - a.x.max(b.x);
    let height = (a.y + a.height).min(b.y + b.height) - a.y.max(b.y);
    let inter = width.max(0.0) * height.max(0.0);
    let union = a.width * a.height + b.width * b.height - inter;
    if union > 0.0 { inter / union } else { 0.0 }
}

/// A candidate mapped from the model input back to the frame's pixels.
fn to_frame(candidate: &Candidate, letterbox: Letterbox, size: f32) -> ModelFace {
    let back = |x: f32, y: f32| {
        (
            letterbox.origin_x + (x * size - letterbox.offset_x) / letterbox.scale,
            letterbox.origin_y + (y * size - letterbox.offset_y) / letterbox.scale,
        )
    };
    let [x0, y0, x1, y1] = candidate.bounds;
    let (left, top) = back(x0, y0);
    let (right, bottom) = back(x1, y1);
    ModelFace {
        rect: Rect { x: left, y: top, width: right - left, height: bottom - top },
        score: candidate.score,
        keypoints: candidate.keypoints.map(|(x, y)| back(x, y)),
    }
}
