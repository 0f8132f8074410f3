//! The next engine's judgement of one frame: faces from BlazeFace, the head's pose and the eyes
//! from the face mesh, light and sharpness measured on the face resampled to a fixed size, and
//! from those the one instruction the user sees.
//!
//! Everything is geometry on what the models found, not guesses about the picture:
//! - size and centring from the face box, as fractions of the upright image;
//! - "look straight" from the mesh's yaw, pitch and roll;
//! - a box the detector found but the mesh model scores as no face is no face (the two models
//!   must agree). "Remove what covers your face" is not offered: the mesh model's score stays
//!   above 0.99 with a flat block over the nose and mouth, or over the eyes (measured on the
//!   selfie fixture), so these models cannot tell a covered face;
//! - light and sharpness on the face resampled to 96×96, so the same face gives the same
//!   numbers at 640×480, 1280×720 or 12 MP, and in a slightly upscaled frame.
//!
//! The frame's order of instructions is `guidance`'s: one thing at a time, what the user can act
//! on first.
//!
//! Finding the face is cheapest where it was a frame ago (see [`FaceEngine`]): the short-range
//! model on the region around the last face, the full-range model over the whole frame only
//! when the track is lost and every few frames (a second person stepping in), and the zoomed
//! search (five model runs, for faces too far away) only when nothing else finds a face, at most
//! every few frames.

use super::blazeface::{BlazeFace, ModelFace, Range};
use super::challenge::ChallengeSample;
use super::face_mesh::{FaceMesh, HeadPose};
use crate::selfie::face_box::FaceBox;
use crate::selfie::frame::Frame;
use crate::selfie::guidance::Guidance;
use crate::selfie::pixel_reader::{PixelReader, RgbLine, with_reader};
use crate::selfie::rect::Rect;
use crate::selfie::rotation::Orientation;
use identity_pass_model_interpreter::ModelError;

/// The side of the face patch light and sharpness are measured on.
const PATCH: usize = 96;

/// Limits that separate good frames from bad ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineLimits {
    /// Below this mean luma (0–255) of the face (or the frame, without a face): too dark.
    pub min_brightness: f32,
    /// Above this mean luma of the face: too bright.
    pub max_brightness: f32,
    /// Face width below this fraction of the upright image's width: move closer.
    pub min_face_width: f32,
    /// Face width above this fraction: move back.
    pub max_face_width: f32,
    /// Face centre farther than this from the centre (fraction of the width), horizontally.
    pub max_offset_x: f32,
    /// The same, vertically (fraction of the height; looser: a selfie holds the face high).
    pub max_offset_y: f32,
    /// Yaw beyond this many degrees: look straight.
    pub max_yaw: f32,
    /// Pitch beyond this many degrees: look straight. Looser than yaw: the forehead–chin line
    /// leans about 10° in a frontal face seen from a phone held a little low (measured on the
    /// fixtures: −10° to −13°).
    pub max_pitch: f32,
    /// Roll beyond this many degrees: look straight (head tilted).
    pub max_tilt: f32,
    /// Below this face-mesh score, a detected box is not a face.
    pub min_mesh_presence: f32,
    /// Below this sharpness of the face patch: blurred (sharp faces measure 0.11–0.19 on the
    /// fixtures, the blurred one 0.026).
    pub min_sharpness: f32,
    /// The face's centre moving more than this fraction of its width between frames: hold still.
    pub max_motion: f32,
}

impl Default for EngineLimits {
    fn default() -> Self {
        Self {
            min_brightness: 50.0,
            max_brightness: 225.0,
            min_face_width: 0.25,
            max_face_width: 0.75,
            max_offset_x: 0.15,
            max_offset_y: 0.20,
            max_yaw: 20.0,
            max_pitch: 28.0,
            max_tilt: 20.0,
            min_mesh_presence: 0.5,
            min_sharpness: 0.07,
            max_motion: 0.08,
        }
    }
}

impl EngineLimits {
    /// Whether the face mesh, run on a lone detected face, scores it as no face (`presence`:
    /// its score, `None` when it did not run). The two models must agree before a box counts as
    /// a face: on the phone, on the service and when deciding which face to follow. A score
    /// that is not a number rejects too.
    pub fn mesh_rejects(&self, presence: Option<f32>) -> bool {
        presence.is_some_and(|p| p.is_nan() || p < self.min_mesh_presence)
    }
}

/// What the engine saw in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Faces, most confident first, in the upright image's pixels.
    pub faces: Vec<ModelFace>,
    /// The upright image's width and height.
    pub image_size: (f32, f32),
    /// Mean luma (0–255) of the single face's patch, or of the frame.
    pub brightness: f32,
    /// Sharpness of the single face's patch (Laplacian variance over pixel variance).
    pub sharpness: Option<f32>,
    /// The single face's head pose.
    pub pose: Option<HeadPose>,
    /// The single face's eye opening (right, left).
    pub eyes: Option<(f32, f32)>,
    /// The single face's height over its width, from the mesh.
    pub face_aspect: Option<f32>,
    /// The face mesh model's score that the single face is a face.
    pub mesh_presence: Option<f32>,
    /// The single face's movement since the previous frame, as a fraction of its width.
    pub motion: Option<f32>,
    /// How the faces were found.
    pub pass: FacePass,
    /// The instruction.
    pub guidance: Guidance,
}

/// How a frame's faces were found, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacePass {
    /// Near the last face, with the short-range model (one small model run).
    Tracked,
    /// Over the whole frame with the full-range model (the track was lost, or it was time to
    /// look for a second person).
    WholeFrame,
    /// The whole frame and its four zoomed quarters (five model runs): nothing was found.
    Searched,
}

impl Assessment {
    /// The faces as fractions of the upright image, for the overlay and the capture.
    pub fn face_boxes(&self) -> Vec<FaceBox> {
        let (width, height) = (self.image_size.0.max(1.0), self.image_size.1.max(1.0));
        self.faces
            .iter()
            .map(|f| FaceBox {
                left: f.rect.x / width,
                top: f.rect.y / height,
                width: f.rect.width / width,
                height: f.rect.height / height,
            })
            .collect()
    }

    /// What the liveness challenge needs from this frame.
    pub fn challenge_sample(&self, timestamp_ms: u64) -> ChallengeSample {
        ChallengeSample {
            timestamp_ms,
            faces: self.faces.len(),
            yaw: self.pose.map_or(0.0, |p| p.yaw),
            eyes: self.eyes.map_or(0.0, |(right, left)| right.min(left)),
            face_aspect: self.face_aspect.unwrap_or(0.0),
            face_width: self.faces.first().map_or(0.0, |f| f.rect.width / self.image_size.0.max(1.0)),
        }
    }
}

/// Frames a face is followed near its last place before the whole frame is looked at again, so
/// a second person stepping in is noticed within a third of a second at 30 frames a second.
const RECHECK_EVERY: u32 = 10;
/// Frames without a face between two zoomed searches: the search costs five model runs, and a
/// face too far away is still told to come closer within a sixth of a second.
const SEARCH_EVERY: u32 = 5;
/// The region searched around the last face, in face sizes: the face may move half its width
/// between two frames and stay whole inside, where the short-range model sees it large.
const TRACK_REGION: f32 = 2.0;
/// Bounds on [`FaceEngine::calibrate`]'s ratio: beyond them one of the two boxes is wrong, and
/// the tracker's own size is the safer one to report.
const MIN_TRACKER_SCALE: f32 = 0.8;
const MAX_TRACKER_SCALE: f32 = 1.25;

/// The detectors, the mesh and the last face; one per camera session (or per upload judged).
#[derive(Debug)]
pub struct FaceEngine {
    /// Full range: the whole frame, and the zoomed search.
    detector: BlazeFace,
    /// Short range: near the last face.
    tracker: BlazeFace,
    mesh: FaceMesh,
    limits: EngineLimits,
    last_face: Option<Rect>,
    /// Frames since the whole frame was last looked at.
    since_whole_frame: u32,
    /// Frames since the last zoomed search (`None`: never searched, so the first frame without a
    /// face searches at once).
    since_search: Option<u32>,
    /// The full-range box's width over the short-range box's, for the same face (see
    /// [`FaceEngine::in_detector_measure`]).
    tracker_scale: f32,
    /// Whether the last frame's face was turned past `max_yaw` (see [`FaceEngine::calibrate`]).
    last_turned: bool,
}

impl FaceEngine {
    /// Loads the models (about 10 ms; each session loads them once).
    pub fn new(limits: EngineLimits) -> Result<Self, ModelError> {
        Ok(Self {
            detector: BlazeFace::new(Range::Full)?,
            tracker: BlazeFace::new(Range::Short)?,
            mesh: FaceMesh::new()?,
            limits,
            last_face: None,
            since_whole_frame: 0,
            since_search: None,
            tracker_scale: 1.0,
            last_turned: false,
        })
    }

    /// Forgets every frame seen (the camera was switched, the app resumed, a new step began):
    /// the engine then judges the next frames exactly as a newly loaded one would, without
    /// loading the models again.
    pub fn reset(&mut self) {
        self.last_face = None;
        self.since_whole_frame = 0;
        self.since_search = None;
        self.tracker_scale = 1.0;
        self.last_turned = false;
    }

    /// Judges one frame (`orientation` turns it upright, and flips it when mirrored).
    pub fn assess(&mut self, frame: &Frame<'_>, orientation: impl Into<Orientation>) -> Assessment {
        let orientation = orientation.into();
        let image_size = orientation.upright_size(frame.width() as f32, frame.height() as f32);
        let (faces, pass) = self.find_faces(frame, orientation);
        let single = match faces.as_slice() {
            [face] => Some(*face),
            _ => None,
        };
        let whole = Rect { x: 0.0, y: 0.0, width: image_size.0, height: image_size.1 };
        let patch = luma_patch(frame, orientation, single.map_or(whole, |f| f.rect));
        let brightness = patch.iter().sum::<f32>() / patch.len() as f32;
        let sharpness = single.and_then(|_| sharpness(&patch));
        let landmarks = single.map(|face| self.mesh.landmarks(frame, orientation, &face));
        let motion = match (self.last_face, single) {
            (Some(last), Some(now)) => {
                let ((x0, y0), (x1, y1)) = (last.center(), now.rect.center());
                Some(((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt() / now.rect.width.max(1.0))
            }
            _ => None,
        };
        // Only a face both models agree on is followed: a box the mesh scores as no face would
        // otherwise be tracked on and on.
        let followed = !self.limits.mesh_rejects(landmarks.as_ref().map(|l| l.presence));
        self.last_face = single.filter(|_| followed).map(|f| f.rect);
        let mut assessment = Assessment {
            faces,
            image_size,
            brightness,
            sharpness,
            pose: landmarks.as_ref().map(|l| l.head_pose()),
            eyes: landmarks.as_ref().map(|l| l.eye_openness()),
            face_aspect: landmarks.as_ref().map(|l| l.face_aspect()),
            mesh_presence: landmarks.as_ref().map(|l| l.presence),
            motion,
            pass,
            guidance: Guidance::Good,
        };
        assessment.guidance = guidance_for(&assessment, &self.limits);
        self.last_turned = assessment.pose.is_some_and(|p| p.yaw.abs() > self.limits.max_yaw);
        assessment
    }

    /// The frame's faces, by the cheapest pass that can be trusted (see [`FacePass`]).
    fn find_faces(&mut self, frame: &Frame<'_>, orientation: Orientation) -> (Vec<ModelFace>, FacePass) {
        let tracked = match self.last_face {
            Some(last) => self.track(frame, orientation, last),
            None => Vec::new(),
        };
        let recheck_due = self.since_whole_frame + 1 >= RECHECK_EVERY;
        if !tracked.is_empty() && !recheck_due {
            self.since_whole_frame += 1;
            return (self.in_detector_measure(tracked), FacePass::Tracked);
        }
        self.since_whole_frame = 0;
        let whole = self.detector.detect(frame, orientation);
        if !tracked.is_empty() && whole.len() <= 1 {
            // The recheck found no one else: the tracked box stays, so the face does not jump
            // between the two models' boxes; the two sizes are compared again, unless the head
            // is turned away (see `calibrate`).
            if let ([near], [seen]) = (tracked.as_slice(), whole.as_slice())
                && !self.last_turned
            {
                self.calibrate(near, seen);
            }
            return (self.in_detector_measure(tracked), FacePass::WholeFrame);
        }
        if let [found] = whole.as_slice() {
            // One face, newly found: measured by the tracker as every later frame will be, so
            // its place does not jump on the next frame (the short-range box sits a few pixels
            // lower), and its size is the two models' agreed size from now on.
            let remeasured = self.track(frame, orientation, found.rect);
            if let [near] = remeasured.as_slice() {
                self.calibrate(near, found);
                return (self.in_detector_measure(remeasured), FacePass::WholeFrame);
            }
            return (whole, FacePass::WholeFrame);
        }
        if !whole.is_empty() {
            return (whole, FacePass::WholeFrame);
        }
        let search_due = self.since_search.is_none_or(|frames| frames + 1 >= SEARCH_EVERY);
        if !search_due {
            self.since_search = self.since_search.map(|frames| frames + 1);
            return (whole, FacePass::WholeFrame);
        }
        self.since_search = Some(0);
        (self.detector.search(frame, orientation), FacePass::Searched)
    }

    /// Remembers how much larger the full-range model draws the face than the short-range one
    /// (about 7% on the selfie, 7–15% as the face fills the frame), from one frame both saw.
    ///
    /// Not from a head turned past `max_yaw`: the two boxes of a turned head are in another
    /// ratio (6% instead of 14% on the selfie's head turned 38°, come closer), and the crop of
    /// the face mesh follows the scale. Calibrated there, the head facing the camera again was
    /// cropped 7% smaller until the next recheck, and the one after it (tracked in a region
    /// sized from that smaller box) 2–3% larger; the mesh reads a closed eye wider in a larger
    /// crop (the rendered blink: 0.25 of the eye's width at the detector's box, 0.27 at 1.03
    /// times it, 0.31 at 1.1, open eyes 0.35–0.38 throughout), and a blink right after a turn
    /// fell short of the challenge's 72% about one time in four.
    fn calibrate(&mut self, near: &ModelFace, seen: &ModelFace) {
        let ratio = seen.rect.width / near.rect.width;
        self.tracker_scale = if (MIN_TRACKER_SCALE..=MAX_TRACKER_SCALE).contains(&ratio) { ratio } else { 1.0 };
    }

    /// The tracker's boxes grown about their centres to the full-range model's measure, in
    /// which the limits are set (and the labelled set's widths are drawn): a face is "too
    /// close" at the same size whichever model saw it last.
    fn in_detector_measure(&self, mut faces: Vec<ModelFace>) -> Vec<ModelFace> {
        for face in &mut faces {
            let (x, y) = face.rect.center();
            let (width, height) = (face.rect.width * self.tracker_scale, face.rect.height * self.tracker_scale);
            face.rect = Rect { x: x - width / 2.0, y: y - height / 2.0, width, height };
        }
        faces
    }

    /// The short-range model on a square `TRACK_REGION` times the size of `face`, around it.
    fn track(&mut self, frame: &Frame<'_>, orientation: Orientation, face: Rect) -> Vec<ModelFace> {
        let side = face.width.max(face.height) * TRACK_REGION;
        let (x, y) = face.center();
        let region = Rect { x: x - side / 2.0, y: y - side / 2.0, width: side, height: side };
        self.tracker.detect_in(frame, orientation, region)
    }
}

/// The one instruction, in `guidance`'s order: light, presence, count, size, place, pose,
/// focus, stillness.
pub fn guidance_for(seen: &Assessment, limits: &EngineLimits) -> Guidance {
    if seen.brightness < limits.min_brightness {
        return Guidance::TooDark;
    }
    let face = match seen.faces.as_slice() {
        [] => return Guidance::NoFace,
        [face] => face,
        _ => return Guidance::MultipleFaces,
    };
    if limits.mesh_rejects(seen.mesh_presence) {
        return Guidance::NoFace;
    }
    if seen.brightness > limits.max_brightness {
        return Guidance::TooBright;
    }
    let (width, height) = seen.image_size;
    let share = face.rect.width / width;
    if share < limits.min_face_width {
        return Guidance::MoveCloser;
    }
    if share > limits.max_face_width {
        return Guidance::MoveBack;
    }
    let (cx, cy) = face.rect.center();
    if (cx / width - 0.5).abs() > limits.max_offset_x || (cy / height - 0.5).abs() > limits.max_offset_y {
        return Guidance::CenterFace;
    }
    if seen.pose.is_some_and(|p| p.yaw.abs() > limits.max_yaw || p.pitch.abs() > limits.max_pitch || p.roll.abs() > limits.max_tilt) {
        return Guidance::LookStraight;
    }
    if seen.sharpness.is_some_and(|s| s < limits.min_sharpness) {
        return Guidance::Blurry;
    }
    if seen.motion.is_some_and(|m| m > limits.max_motion) {
        return Guidance::HoldStill;
    }
    Guidance::Good
}

/// `rect` of the upright image as a `PATCH × PATCH` grey image (each pixel the mean of up to
/// 3×3 samples), values 0–255; outside the image counts as black.
fn luma_patch(frame: &Frame<'_>, orientation: Orientation, rect: Rect) -> Vec<f32> {
    with_reader!(frame, pixels => luma_patch_of(pixels, orientation, rect))
}

fn luma_patch_of(pixels: impl PixelReader, orientation: Orientation, rect: Rect) -> Vec<f32> {
    let (frame_width, frame_height) = pixels.size();
    let (width, height) = orientation.upright_size(frame_width as f32, frame_height as f32);
    let footprint = rect.width.max(rect.height) / PATCH as f32;
    let samples = (footprint.ceil() as usize).clamp(1, 3);
    // Where each patch column's and row's samples fall (`samples` per patch pixel), turned into
    // the frame once (the grid is the same for every pixel); `None` outside the image.
    let axis = |start: f32, extent: f32, limit: f32, frame: &dyn Fn(f32) -> u32| -> Vec<Option<u32>> {
        (0..PATCH)
            .flat_map(|p| {
                (0..samples).map(move |k| {
                    let at = start + (p as f32 + (k as f32 + 0.5) / samples as f32) * extent / PATCH as f32;
                    (at >= 0.0 && at < limit).then(|| frame(at))
                })
            })
            .collect()
    };
    let columns = axis(rect.x, rect.width, width, &|u| pixels.grid_column(orientation, u));
    let rows = axis(rect.y, rect.height, height, &|v| pixels.grid_row(orientation, v));
    // A sample row at a time, every patch column's samples in one line read (a sample outside
    // the image reads column 0 and is skipped). Each pixel's sum still adds its samples row by
    // row, then column by column, as one read at a time did: the same floats, the same bits.
    let sample_columns: Vec<u32> = columns.iter().map(|u| u.unwrap_or(0)).collect();
    let mut line = RgbLine::new(sample_columns.len());
    let mut lumas = vec![0.0f32; sample_columns.len()];
    let mut patch = vec![0.0; PATCH * PATCH];
    for (row, out) in rows.chunks_exact(samples).zip(patch.chunks_exact_mut(PATCH)) {
        for &v in row.iter().flatten() {
            pixels.rgb_line(orientation, v, &sample_columns, &mut line);
            for (((luma, r), g), b) in lumas.iter_mut().zip(&line.red).zip(&line.green).zip(&line.blue) {
                *luma = 0.299 * f32::from(*r) + 0.587 * f32::from(*g) + 0.114 * f32::from(*b);
            }
            for ((sum, lumas), columns) in out.iter_mut().zip(lumas.chunks_exact(samples)).zip(columns.chunks_exact(samples)) {
                for (luma, column) in lumas.iter().zip(columns) {
                    if column.is_some() {
                        *sum += luma;
                    }
                }
            }
        }
        for value in out.iter_mut() {
            *value /= (samples * samples) as f32;
        }
    }
    patch
}

/// Variance of the 4-neighbour Laplacian over the variance of the pixels: edges relative to
/// contrast, so exposure does not change it. `None` for a flat patch.
fn sharpness(patch: &[f32]) -> Option<f32> {
    let n = patch.len() as f32;
    let mean = patch.iter().sum::<f32>() / n;
    let variance = patch.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n;
    if variance < 1.0 {
        return None;
    }
    let at = |x: usize, y: usize| patch[y * PATCH + x];
    let laplacians: Vec<f32> = (1..PATCH - 1)
        .flat_map(|y| (1..PATCH - 1).map(move |x| (x, y)))
        .map(|(x, y)| 4.0 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1))
        .collect();
    let count = laplacians.len() as f32;
    let lap_mean = laplacians.iter().sum::<f32>() / count;
    let lap_variance = laplacians.iter().map(|v| (v - lap_mean).powi(2)).sum::<f32>() / count;
    Some(lap_variance / variance)
}
