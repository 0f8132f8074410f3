//! Image quality of the face region: brightness, sharpness (blur) and motion between frames.
//!
//! All three are measured on the downscaled working image, where one pixel is ~2 camera pixels at
//! 640×480, so the numbers below describe what the service will see in the uploaded crop.

use super::luma::{LumaImage, Rect};

/// Mean luma (0–255) of the face if there is one, else of the whole frame: a dark room makes
/// detection fail, and "find more light" is then more useful than "no face".
pub fn brightness(image: &LumaImage, face: Option<Rect>) -> f32 {
    let whole = Rect { x: 0.0, y: 0.0, width: image.width() as f32, height: image.height() as f32 };
    face.and_then(|f| image.mean_and_variance(f))
        .or_else(|| image.mean_and_variance(whole))
        .map_or(0.0, |(mean, _)| mean)
}

/// Focus measure of the face: variance of the Laplacian divided by the variance of the pixels.
///
/// Dividing by the contrast makes the measure independent of exposure (a darker photo has weaker
/// edges *and* weaker contrast), so one threshold serves every lighting the brightness check
/// lets through. Sharp faces score ~0.2 at working resolution; defocus and motion smear ~0.03.
pub fn sharpness(image: &LumaImage, face: Rect) -> Option<f32> {
    let (_, variance) = image.mean_and_variance(face)?;
    let laplacian = image.laplacian_variance(face)?;
    (variance > 1.0).then(|| laplacian / variance)
}

/// How fast the face moves, in face widths per second, between two observations of it
/// (`earlier` and `later` boxes with their timestamps in ms; `later_ms > earlier_ms`).
pub fn motion(earlier: Rect, earlier_ms: u64, later: Rect, later_ms: u64) -> f32 {
    let dt = later_ms.saturating_sub(earlier_ms).max(1) as f32 / 1000.0;
    let (ax, ay) = earlier.center();
    let (bx, by) = later.center();
    let shift = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
    let size = earlier.width.max(later.width).max(1.0);
    shift / size / dt
}
