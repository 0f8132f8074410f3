//! Pictures the selfie tests make from the fixtures: the selfie's head pasted into faceless
//! photographs at a known place, size and roll, and the helpers that turn a picture into a
//! camera frame.

#![allow(dead_code)] // each test file uses its own part

use identity_pass_core::selfie::convert::rgb_to_nv21;
use identity_pass_core::selfie::{Frame, PixelFormat, Plane};
use image::{Rgb, RgbImage};

/// A fixture photograph.
pub fn fixture(name: &str) -> RgbImage {
    image::open(format!("{}/tests/fixtures/{name}.jpg", env!("CARGO_MANIFEST_DIR"))).expect("fixture decodes").to_rgb8()
}

/// The selfie's face in `face_selfie_640x480`: centre and width of the full-range BlazeFace box
/// (MediaPipe's own: `core/benches/mediapipe_faces.py --full-range`).
pub const SELFIE_FACE: (f32, f32, f32) = (214.6 + 110.9, 132.6 + 110.85, 221.8);

/// A face placed in a picture: centre and face width, in the picture's pixels.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    pub x: f32,
    pub y: f32,
    pub width: f32,
}

/// `scene` with the head of `selfie` (the fixture `face_selfie_640x480`) pasted so that its face
/// is `width` wide, centred on (`x`, `y`), turned `roll` degrees clockwise: a disc of 1.6 face
/// widths, sampled bilinearly, its outer fifth blended into the scene so no hard edge reads as
/// a face's outline.
pub fn paste_face(scene: &mut RgbImage, selfie: &RgbImage, x: f32, y: f32, width: f32, roll: f32) -> Placed {
    let (cx, cy, face) = SELFIE_FACE;
    let scale = width / face;
    let half = 0.8 * face;
    let (sin, cos) = roll.to_radians().sin_cos();
    let reach = (half * scale * std::f32::consts::SQRT_2).ceil() as i64;
    for py in (y as i64 - reach).max(0)..(y as i64 + reach + 1).min(i64::from(scene.height())) {
        for px in (x as i64 - reach).max(0)..(x as i64 + reach + 1).min(i64::from(scene.width())) {
            // Back into the selfie: undo the turn, then the scale.
            let (dx, dy) = ((px as f32 + 0.5 - x) / scale, (py as f32 + 0.5 - y) / scale);
            let (sx, sy) = (cos * dx + sin * dy, -sin * dx + cos * dy);
            let r = (sx * sx + sy * sy).sqrt() / half;
            if r >= 1.0 {
                continue;
            }
            let alpha = ((1.0 - r) / 0.2).min(1.0);
            let Some(from) = bilinear(selfie, cx + sx, cy + sy) else { continue };
            let to = scene.get_pixel_mut(px as u32, py as u32);
            for (t, f) in to.0.iter_mut().zip(from) {
                *t = (f32::from(*t) * (1.0 - alpha) + f * alpha).round() as u8;
            }
        }
    }
    Placed { x, y, width }
}

fn bilinear(image: &RgbImage, x: f32, y: f32) -> Option<[f32; 3]> {
    let (x, y) = (x - 0.5, y - 0.5);
    if x < 0.0 || y < 0.0 || x >= (image.width() - 1) as f32 || y >= (image.height() - 1) as f32 {
        return None;
    }
    let (x0, y0) = (x as u32, y as u32);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |dx: u32, dy: u32| image.get_pixel(x0 + dx, y0 + dy).0.map(f32::from);
    let (a, b, c, d) = (p(0, 0), p(1, 0), p(0, 1), p(1, 1));
    Some(std::array::from_fn(|i| (a[i] * (1.0 - fx) + b[i] * fx) * (1.0 - fy) + (c[i] * (1.0 - fx) + d[i] * fx) * fy))
}

/// Every pixel's value times `factor` (a darker or brighter exposure).
pub fn scaled_brightness(image: &RgbImage, factor: f32) -> RgbImage {
    let mut out = image.clone();
    for pixel in out.pixels_mut() {
        *pixel = Rgb(pixel.0.map(|v| (f32::from(v) * factor).round().min(255.0) as u8));
    }
    out
}

/// `f` given `image` as an NV21 camera frame, as an Android camera delivers it.
pub fn as_nv21_frame<T>(image: &RgbImage, f: impl FnOnce(&Frame<'_>) -> T) -> T {
    let (width, height) = image.dimensions();
    let nv21 = rgb_to_nv21(width, height, image.as_raw()).expect("sizes match");
    let frame =
        Frame::new(width, height, PixelFormat::Nv21, &[Plane { data: &nv21, row_stride: width, pixel_stride: 1 }]).expect("valid frame");
    f(&frame)
}

/// The distance between two points.
pub fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}
