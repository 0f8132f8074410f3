//! MediaPipe's face mesh: 468 points of a face found by BlazeFace, from which the head's pose
//! and whether the eyes are open are measured (geometry, not guesses).
//!
//! As in MediaPipe 0.10.14 (`face_landmark_front_cpu`): the region is the detection's box grown
//! 1.5 times, square, turned so the eyes are level (the angle from the right eye's keypoint to
//! the left's), sampled into the model's 192×192 input with values 0…1; the model gives each
//! point in that input's pixels (and a depth on the same scale) and a face/no-face score.

use identity_pass_model_interpreter::{Interpreter, ModelError};

use super::blazeface::{Keypoint, ModelFace};
use crate::selfie::frame::Frame;
use crate::selfie::pixel_reader::{PixelReader, with_reader};
use crate::selfie::rotation::Orientation;

/// MediaPipe's face mesh model, Apache-2.0 (see core/models/LICENSE-mediapipe.txt).
const MESH: &[u8] = include_bytes!("../../../models/face_landmark.tflite");

/// Points of the mesh this module reads (MediaPipe's canonical face mesh numbering).
mod point {
    pub const NOSE_TIP: usize = 1;
    pub const FOREHEAD: usize = 10;
    pub const CHIN: usize = 152;
    /// The subject's right eye: outer and inner corner, upper and lower lid.
    pub const RIGHT_EYE: [usize; 4] = [33, 133, 159, 145];
    /// The subject's left eye: outer and inner corner, upper and lower lid.
    pub const LEFT_EYE: [usize; 4] = [263, 362, 386, 374];
    /// The sides of the face at the cheekbones: the subject's right, then left.
    pub const RIGHT_CHEEK: usize = 234;
    pub const LEFT_CHEEK: usize = 454;
}

/// How much larger than the detection's box the mesh's region is (MediaPipe's `scale_x/y`).
const REGION_SCALE: f32 = 1.5;

/// The head's turn, in degrees, measured from the mesh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadPose {
    /// Turned to the subject's left (positive) or right (negative): the line between the
    /// cheekbones against the image plane. Left and right as in a mirror image: the nose moves
    /// to the image's left on a positive yaw (`tests/action_figure.rs`). The core reads every
    /// front camera's frame as its mirrored preview shows it (`rotation::Orientation`), so this
    /// is the user's left on every phone; in an unmirrored image the signs would swap.
    pub yaw: f32,
    /// Chin down (positive) or up (negative): the line from forehead to chin against the image
    /// plane.
    pub pitch: f32,
    /// Tilted clockwise in the image (positive) or anticlockwise: the line between the eyes'
    /// outer corners.
    pub roll: f32,
}

/// The mesh of one face, in the upright image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Landmarks {
    /// 468 points: x, y in pixels, z (depth, towards the camera negative) on the x scale.
    pub points: Vec<[f32; 3]>,
    /// The model's confidence that this is a face, 0 to 1.
    pub presence: f32,
}

impl Landmarks {
    fn at(&self, index: usize) -> [f32; 3] {
        self.points.get(index).copied().unwrap_or([0.0; 3])
    }

    /// The head's yaw, pitch and roll.
    pub fn head_pose(&self) -> HeadPose {
        let degrees = |y: f32, x: f32| y.atan2(x).to_degrees();
        let (right, left) = (self.at(point::RIGHT_CHEEK), self.at(point::LEFT_CHEEK));
        let (forehead, chin) = (self.at(point::FOREHEAD), self.at(point::CHIN));
        let (right_corner, left_corner) = (self.at(point::RIGHT_EYE[0]), self.at(point::LEFT_EYE[0]));
        let across = ((left[0] - right[0]).powi(2) + (left[1] - right[1]).powi(2)).sqrt();
        let down = ((chin[0] - forehead[0]).powi(2) + (chin[1] - forehead[1]).powi(2)).sqrt();
        HeadPose {
            // Turning to the subject's left brings their right cheek towards the camera.
            yaw: degrees(right[2] - left[2], across),
            pitch: degrees(forehead[2] - chin[2], down),
            roll: degrees(left_corner[1] - right_corner[1], left_corner[0] - right_corner[0]),
        }
    }

    /// Each eye's opening: lid to lid over corner to corner (about 0.25–0.35 open, under 0.1
    /// closed); the subject's right eye first.
    pub fn eye_openness(&self) -> (f32, f32) {
        let ratio = |[outer, inner, upper, lower]: [usize; 4]| {
            let distance = |a: [f32; 3], b: [f32; 3]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
            let width = distance(self.at(outer), self.at(inner));
            if width > 0.0 { distance(self.at(upper), self.at(lower)) / width } else { 0.0 }
        };
        (ratio(point::RIGHT_EYE), ratio(point::LEFT_EYE))
    }

    /// The face's height (forehead to chin) over its width (cheekbone to cheekbone), in the
    /// image: a head that blinks keeps it, a photograph tilted away from the camera (which
    /// flattens the eyes as a blink does) shrinks it.
    pub fn face_aspect(&self) -> f32 {
        let distance = |a: [f32; 3], b: [f32; 3]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        let across = distance(self.at(point::RIGHT_CHEEK), self.at(point::LEFT_CHEEK));
        if across > 0.0 { distance(self.at(point::FOREHEAD), self.at(point::CHIN)) / across } else { 0.0 }
    }

    /// The tip of the nose.
    pub fn nose_tip(&self) -> [f32; 3] {
        self.at(point::NOSE_TIP)
    }
}

/// The face mesh model; one per analysing thread (it holds its buffers).
#[derive(Debug)]
pub struct FaceMesh {
    model: Interpreter,
    size: usize,
}

impl FaceMesh {
    /// Loads the vendored model.
    pub fn new() -> Result<Self, ModelError> {
        let model = Interpreter::load(MESH)?;
        let (height, width, channels) = model.input_shape();
        if height != width || channels != 3 || model.output(0).len() != 468 * 3 || model.output(1).len() != 1 {
            return Err(ModelError::unexpected(format!("input {height}×{width}×{channels} or its outputs do not fit the face mesh")));
        }
        Ok(Self { model, size: width })
    }

    /// The mesh of `face` (found by BlazeFace in the same frame and orientation).
    pub fn landmarks(&mut self, frame: &Frame<'_>, orientation: impl Into<Orientation>, face: &ModelFace) -> Landmarks {
        let orientation = orientation.into();
        let region = Region::around(face);
        self.fill_input(frame, orientation, &region);
        self.model.run();
        let size = self.size as f32;
        let points = self
            .model
            .output(0)
            .chunks_exact(3)
            .map(|p| {
                let (x, y) = region.image_position(p[0] / size - 0.5, p[1] / size - 0.5);
                [x, y, p[2] / size * region.side]
            })
            .collect();
        let flag = self.model.output(1).first().copied().unwrap_or(-100.0);
        Landmarks { points, presence: 1.0 / (1.0 + (-flag.clamp(-100.0, 100.0)).exp()) }
    }

    /// The region, turned level, sampled into the input (values 0…1; outside the frame black).
    fn fill_input(&mut self, frame: &Frame<'_>, orientation: Orientation, region: &Region) {
        let size = self.size;
        let input = self.model.input_mut();
        with_reader!(frame, pixels => region_into(pixels, orientation, region, size, input));
    }
}

/// `region` of the upright image as `size × size` RGB (0…1), each pixel the mean of a grid of
/// samples: one per two frame pixels under it, at most 3×3.
fn region_into(pixels: impl PixelReader, orientation: Orientation, region: &Region, size: usize, input: &mut [f32]) {
    let (frame_width, frame_height) = pixels.size();
    let (width, height) = orientation.upright_size(frame_width as f32, frame_height as f32);
    let footprint = region.side / size as f32;
    let samples = ((footprint / 2.0).ceil() as usize).clamp(1, 3);
    let step = 1.0 / (size * samples) as f32;
    // The samples' offsets across and down the region, each worked out once (the turn mixes
    // them, so they are added per sample, as `Region::image_position` adds them).
    let offset = |i: usize| i as f32 * step + step / 2.0 - 0.5;
    let across: Vec<(f32, f32)> = (0..size * samples).map(|i| region.across(offset(i))).collect();
    let down: Vec<(f32, f32)> = (0..size * samples).map(|i| region.down(offset(i))).collect();
    for (y, rows) in down.chunks_exact(samples).enumerate() {
        for (x, columns) in across.chunks_exact(samples).enumerate() {
            let mut sum = [0u32; 3];
            let mut count = 0u32;
            for row in rows {
                for column in columns {
                    let (u, v) = Region::joined(*column, *row);
                    count += 1;
                    if u < 0.0 || v < 0.0 || u >= width || v >= height {
                        continue; // black
                    }
                    for (s, value) in sum.iter_mut().zip(pixels.rgb_upright(orientation, u, v)) {
                        *s += u32::from(value);
                    }
                }
            }
            let at = (y * size + x) * 3;
            for (value, s) in input[at..at + 3].iter_mut().zip(sum) {
                *value = s as f32 / count.max(1) as f32 / 255.0;
            }
        }
    }
}

/// The mesh's square region: centre, side and turn, in the upright image.
#[derive(Debug, Clone, Copy)]
struct Region {
    centre: (f32, f32),
    side: f32,
    /// The sine and cosine of the angle of the line from the right eye to the left (clockwise
    /// in the image), worked out once: the input's 37 000 samples each need them.
    turn: (f32, f32),
}

impl Region {
    fn around(face: &ModelFace) -> Self {
        let (right, left) = (face.keypoint(Keypoint::RightEye), face.keypoint(Keypoint::LeftEye));
        Self {
            centre: face.rect.center(),
            side: face.rect.width.max(face.rect.height) * REGION_SCALE,
            turn: (left.1 - right.1).atan2(left.0 - right.0).sin_cos(),
        }
    }

    /// The image position of `(du, dv)`, the region's own coordinates (−0.5…0.5 across it).
    fn image_position(self, du: f32, dv: f32) -> (f32, f32) {
        Self::joined(self.across(du), self.down(dv))
    }

    /// The image position from its two parts ([`Self::across`] and [`Self::down`]).
    #[inline]
    fn joined(across: (f32, f32), down: (f32, f32)) -> (f32, f32) {
        (across.0 - down.0, across.1 + down.1)
    }

    /// The part of [`Self::image_position`] that depends on `du` alone (the centre included):
    /// a sampler works it out once per column of samples, not per sample.
    fn across(self, du: f32) -> (f32, f32) {
        let (sin, cos) = self.turn;
        let x = du * self.side;
        (self.centre.0 + cos * x, self.centre.1 + sin * x)
    }

    /// The part of [`Self::image_position`] that depends on `dv` alone.
    fn down(self, dv: f32) -> (f32, f32) {
        let (sin, cos) = self.turn;
        let y = dv * self.side;
        (sin * y, cos * y)
    }
}
