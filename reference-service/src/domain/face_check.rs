//! Whether a selfie or liveness capture shows exactly one face.
//!
//! The default, [`DetectedFace`], runs the core's own face engine (MediaPipe's BlazeFace and
//! face mesh, the models the phone's selfie session uses, on a fresh engine with nothing
//! tracked), so the service
//! refuses what the app would never have captured: no face, or more than one. The
//! [`FaceCheck`] trait stays so tests can inject a check that fails on purpose.
//!
//! Two faces are refused (`MULTIPLE_FACES_DETECTED`): the core never captures a frame with a
//! second face (its guidance says `SELFIE_MULTIPLE_FACES` and the liveness challenge fails), so
//! such an upload did not come from a conforming app, and a reviewer comparing "the selfie" with
//! the badge photo must not have to guess which face is meant.

use identity_pass_core::selfie::face_model::{EngineLimits, FaceEngine, Rotation};
use identity_pass_core::selfie::{Frame, PixelFormat, Plane};
use image::DynamicImage;

/// The check itself could not run (a corrupted face model, an image the core refuses). Never the
/// user's fault; the service answers 500 and logs this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("face check failed: {0}")]
pub struct FaceCheckFailed(pub String);

/// Counts the faces in an image that already passed the JPEG, size and dimension checks.
pub trait FaceCheck: Send + Sync {
    /// How many faces the image shows.
    fn count_faces(&self, image: &DynamicImage) -> Result<usize, FaceCheckFailed>;
}

/// The core's face engine on the decoded image.
///
/// A fresh engine per image, so no face followed in an earlier upload can steer this one: the
/// full-range detector over the whole image and, when it finds no one, the zoomed search, which
/// finds faces down to about 6% of the width (every selfie the core captures keeps the face at
/// about half the width). A face the mesh model scores as no face is not counted. Runs on the
/// calling thread: loading the models takes about 10 ms and judging an image tens of ms.
#[derive(Debug, Default, Clone, Copy)]
pub struct DetectedFace;

impl FaceCheck for DetectedFace {
    fn count_faces(&self, image: &DynamicImage) -> Result<usize, FaceCheckFailed> {
        let rgb = image.to_rgb8();
        let (width, height) = rgb.dimensions();
        let row_stride = width.checked_mul(3).ok_or_else(|| FaceCheckFailed(format!("image {width}x{height} too wide")))?;
        let plane = Plane { data: rgb.as_raw(), row_stride, pixel_stride: 3 };
        let frame = Frame::new(width, height, PixelFormat::Rgb, &[plane]).map_err(|e| FaceCheckFailed(e.to_string()))?;
        let mut engine = FaceEngine::new(EngineLimits::default()).map_err(|e| FaceCheckFailed(e.to_string()))?;
        let seen = engine.assess(&frame, Rotation::Upright);
        // The two models must agree, as on the phone (`guidance_for`): a lone box the mesh
        // scores as no face is no face.
        Ok(if EngineLimits::default().mesh_rejects(seen.mesh_presence) { 0 } else { seen.faces.len() })
    }
}

/// Takes every image to show exactly one face. For tests that upload synthetic images and are
/// about something else; never a deployment default.
#[derive(Debug, Default, Clone, Copy)]
pub struct AssumeFacePresent;

impl FaceCheck for AssumeFacePresent {
    fn count_faces(&self, _image: &DynamicImage) -> Result<usize, FaceCheckFailed> {
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity_pass_core::selfie::FaceBox;
    use identity_pass_core::selfie::capture::{self, CaptureSettings};

    fn fixture(name: &str) -> DynamicImage {
        let path = format!("{}/../core/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        image::open(&path).expect("fixture decodes")
    }

    #[test]
    fn counts_the_faces_of_the_core_fixtures() {
        assert_eq!(DetectedFace.count_faces(&fixture("face_selfie_640x480.jpg")), Ok(1));
        assert_eq!(DetectedFace.count_faces(&fixture("face_selfie_1280x720.jpg")), Ok(1));
        assert_eq!(DetectedFace.count_faces(&fixture("no_face_coffee_640x480.jpg")), Ok(0));
        assert_eq!(DetectedFace.count_faces(&fixture("no_face_rocket_640x480.jpg")), Ok(0));
        assert_eq!(DetectedFace.count_faces(&fixture("two_faces_640x480.jpg")), Ok(2));
    }

    #[test]
    fn a_flat_grey_image_has_no_face() {
        let grey = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(400, 300, image::Luma([128])));
        assert_eq!(DetectedFace.count_faces(&grey), Ok(0));
    }

    /// What the app uploads is the core's capture (a face crop), not the camera frame: the
    /// service must accept it, through every check of `validate_jpeg`, not only the detector.
    #[test]
    fn the_cores_own_capture_of_a_fixture_passes_every_upload_check() {
        let rgb = fixture("face_selfie_640x480.jpg").to_rgb8();
        let (width, height) = rgb.dimensions();
        let plane = Plane { data: rgb.as_raw(), row_stride: width * 3, pixel_stride: 3 };
        let frame = Frame::new(width, height, PixelFormat::Rgb, &[plane]).expect("frame");
        let seen = FaceEngine::new(EngineLimits::default()).expect("models").assess(&frame, Rotation::Upright);
        let face: FaceBox = *seen.face_boxes().first().expect("the fixture shows a face");
        let captured = capture::capture(&frame, face, 0, &CaptureSettings::default()).expect("capture");
        let jpeg = captured.expose_jpeg();
        assert!(crate::domain::face_image::validate_jpeg(jpeg, &DetectedFace).is_ok(), "{} bytes refused", jpeg.len());
    }
}
