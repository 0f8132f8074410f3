//! Image quality of the face region: brightness, sharpness (blur) and motion between frames.
//!
//! All three are measured on the downscaled working image, where one pixel is ~2 camera pixels at
//! 640×480, so the numbers below describe what the service will see in the uploaded crop.

use super::luma::{LumaImage, Rect};

/// Mean luma (0–255) of the face if there is one, else of the whole frame: a dark room makes
/// detection fail, and "find more light" is then more useful than "no face".
pub fn brightness(image: &LumaImage, face: Option<Rect>) -> f32 {
    let whole = Rect { x: 0.0, y: 0.0, width: image.width() as f32, height: image.height() as f32 };
    face.and_then(|f| image.mean_and_variance(f)).or_else(|| image.mean_and_variance(whole)).map_or(0.0, |(mean, _)| mean)
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

/// How much the face region changed since the previous frame: the mean absolute difference of
/// the same pixels in both frames, divided by the earlier patch's standard deviation.
///
/// Measured on pixels rather than on face boxes because the detector's boxes jitter by a few
/// pixels on identical frames, which would read as motion. ~0 when still; a head turn or a swing
/// of the phone between two frames gives 0.4 and more. `None` when the patches differ in size.
pub fn motion(earlier: &LumaImage, later: &LumaImage) -> Option<f32> {
    if earlier.width() != later.width() || earlier.height() != later.height() || earlier.pixels().is_empty() {
        return None;
    }
    let whole = Rect { x: 0.0, y: 0.0, width: earlier.width() as f32, height: earlier.height() as f32 };
    let (_, variance) = earlier.mean_and_variance(whole)?;
    let total: u64 = earlier.pixels().iter().zip(later.pixels()).map(|(&a, &b)| u64::from(a.abs_diff(b))).sum();
    let mean_difference = total as f32 / earlier.pixels().len() as f32;
    Some(mean_difference / variance.sqrt().max(1.0))
}
