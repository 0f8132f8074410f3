//! Where the selfie and liveness frames come from: the bundled sample selfie or a photograph
//! (`--selfie FILE`) played as a simulated camera, or the webcam (nokhwa, feature `webcam`).
//!
//! A still photograph cannot turn its head or blink, which is what the liveness challenge
//! checks; so the simulated camera is a simulated person (`identity_pass_core::simulated_person`,
//! a stand-in named as such): the photograph's head, re-posed in 3D, doing what each verdict
//! asks, exactly as the runtime's and the bindings' end-to-end tests do with the same fixture.

use std::path::Path;

use identity_pass_core::selfie::{Frame, LivenessState, Orientation, PixelFormat, Plane, SessionError};
use identity_pass_core::simulated_person::{ObedientPerson, PosedHead};
use image::RgbImage;

/// The sample selfie (core's fixture), so the demo needs no camera and no file.
const SAMPLE_SELFIE: &[u8] = include_bytes!("../../core/tests/fixtures/face_selfie_640x480.jpg");
/// The simulated camera's frame size and rate.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;
const FRAME_INTERVAL_MS: u64 = 100;

/// Why frames cannot be produced.
#[derive(Debug, thiserror::Error)]
pub enum CameraInputError {
    /// The photograph cannot be read.
    #[error("cannot read the selfie file {path}: {detail}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
    /// The photograph is not an image this shell decodes (JPEG, PNG).
    #[error("the selfie file {path} is not a JPEG or PNG image: {detail}")]
    NotAnImage {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
    /// No face, or more than one, in the photograph.
    #[error("no single face was found in {path}; use a photograph with one face, facing the camera")]
    NoFace {
        /// The file.
        path: String,
    },
    /// The webcam failed (or there is none).
    #[cfg(feature = "webcam")]
    #[error("{message} ({code}); use --selfie FILE to play a photograph instead")]
    Webcam {
        /// Stable code (`CAMERA_NONE`…).
        code: &'static str,
        /// The camera module's explanation.
        message: String,
    },
    /// The camera never gave a picture the core accepts.
    #[error("the camera never gave a usable picture (last guidance: {guidance})")]
    NeverUsable {
        /// The core's last guidance, in the session's language.
        guidance: String,
    },
    /// This build has no webcam support.
    #[cfg(not(feature = "webcam"))]
    #[error("this build has no webcam support (feature `webcam`); use --selfie FILE")]
    NoWebcamSupport,
    /// The core refused a frame.
    #[error("a camera frame was refused: {0}")]
    Frame(#[from] SessionError),
}

/// A still photograph played as a camera: the simulated person in it.
pub struct StillCamera {
    head: PosedHead,
    person: ObedientPerson,
    next_timestamp_ms: u64,
}

impl StillCamera {
    /// The bundled sample selfie.
    pub fn sample() -> Result<Self, CameraInputError> {
        Self::from_bytes(SAMPLE_SELFIE, "the bundled sample selfie")
    }

    /// A photograph from a file.
    pub fn from_file(path: &Path) -> Result<Self, CameraInputError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| CameraInputError::Unreadable { path: name.clone(), detail: e.to_string() })?;
        Self::from_bytes(&bytes, &name)
    }

    fn from_bytes(bytes: &[u8], name: &str) -> Result<Self, CameraInputError> {
        let decoded = image::load_from_memory(bytes)
            .map_err(|e| CameraInputError::NotAnImage { path: name.to_owned(), detail: e.to_string() })?
            .to_rgb8();
        // The face measured once, with the core's own models, so it can be re-posed.
        let head = PosedHead::new(to_camera_frame(&decoded)).ok_or_else(|| CameraInputError::NoFace { path: name.to_owned() })?;
        Ok(Self { head, person: ObedientPerson::default(), next_timestamp_ms: 1_000 })
    }

    /// The next 640×480 RGB frame: the photograph as it is, or, during the liveness step, the
    /// person doing what the last verdict's `liveness` asks.
    pub fn frame(&mut self, liveness: Option<&LivenessState>) -> RgbImage {
        let pose = match liveness {
            Some(LivenessState::DoAction { action, index, .. }) => self.person.next_pose(Some((*index, *action))),
            _ => self.person.next_pose(None),
        };
        self.head.draw(pose)
    }

    /// The next timestamp of the simulated 10 fps camera.
    fn tick(&mut self) -> u64 {
        let now = self.next_timestamp_ms;
        self.next_timestamp_ms += FRAME_INTERVAL_MS;
        now
    }
}

/// Centre-crops to 4:3 and scales to the simulated camera's 640×480.
fn to_camera_frame(source: &RgbImage) -> RgbImage {
    let (sw, sh) = (source.width(), source.height());
    let (cw, ch) = if sw * 3 > sh * 4 { (sh * 4 / 3, sh) } else { (sw, sw * 3 / 4) };
    let crop = image::imageops::crop_imm(source, (sw - cw) / 2, (sh - ch) / 2, cw.max(1), ch.max(1)).to_image();
    image::imageops::resize(&crop, WIDTH, HEIGHT, image::imageops::FilterType::Triangle)
}

/// A source of camera frames.
pub enum Camera {
    /// A photograph (the sample or `--selfie FILE`).
    Still(Box<StillCamera>),
    /// The webcam.
    #[cfg(feature = "webcam")]
    Webcam(webcam::Webcam),
}

/// One frame, when it was taken, and how the user sees it.
pub struct TimedFrame {
    /// Packed RGB.
    pub image: RgbImage,
    /// Camera time, strictly increasing.
    pub timestamp_ms: u64,
    /// How the core reads it: a webcam's frame is the camera's own view, which people expect
    /// to see as a mirror (every video-call preview is one), so "turn to your left" is a turn
    /// towards the mirror image's left; the simulated person is drawn as that mirror image.
    pub orientation: Orientation,
}

impl Camera {
    /// The webcam (fails clearly when there is none).
    pub fn webcam() -> Result<Self, CameraInputError> {
        #[cfg(feature = "webcam")]
        {
            webcam::Webcam::open().map(Camera::Webcam)
        }
        #[cfg(not(feature = "webcam"))]
        {
            Err(CameraInputError::NoWebcamSupport)
        }
    }

    /// The next frame, given the last verdict's liveness state (`None` for the selfie): a live
    /// camera films whoever is there; the still camera's simulated person follows it.
    pub fn next_frame(&mut self, liveness: Option<&LivenessState>) -> Result<TimedFrame, CameraInputError> {
        match self {
            Camera::Still(still) => {
                let image = still.frame(liveness);
                Ok(TimedFrame { image, timestamp_ms: still.tick(), orientation: Orientation::AS_DELIVERED })
            }
            #[cfg(feature = "webcam")]
            Camera::Webcam(webcam) => {
                let _ = liveness;
                webcam.next_frame()
            }
        }
    }

    /// Whether frames come from a live camera (which needs a person in front of it).
    pub fn is_live(&self) -> bool {
        !matches!(self, Camera::Still(_))
    }
}

/// `image` as a core camera frame (packed RGB).
pub fn frame_of(image: &RgbImage) -> Result<Frame<'_>, CameraInputError> {
    let plane = Plane { data: image.as_raw(), row_stride: image.width() * 3, pixel_stride: 3 };
    Frame::new(image.width(), image.height(), PixelFormat::Rgb, &[plane]).map_err(|e| CameraInputError::Frame(e.into()))
}

#[cfg(feature = "webcam")]
mod webcam {
    use std::time::Instant;

    use identity_pass_core::selfie::camera::DesktopCamera;
    use identity_pass_core::selfie::{Orientation, Rotation};

    use super::{CameraInputError, TimedFrame};

    /// The first webcam, with a monotonic frame clock.
    pub struct Webcam {
        camera: DesktopCamera,
        started: Instant,
        last_ms: u64,
    }

    impl Webcam {
        pub(super) fn open() -> Result<Self, CameraInputError> {
            let camera = DesktopCamera::open_first().map_err(|e| CameraInputError::Webcam { code: e.code(), message: e.to_string() })?;
            Ok(Self { camera, started: Instant::now(), last_ms: 0 })
        }

        pub(super) fn next_frame(&mut self) -> Result<TimedFrame, CameraInputError> {
            let frame = self.camera.next_frame().map_err(|e| CameraInputError::Webcam { code: e.code(), message: e.to_string() })?;
            let image = image::RgbImage::from_raw(frame.width, frame.height, frame.pixels)
                .ok_or(CameraInputError::Webcam { code: "CAMERA_READ_FAILED", message: "a frame of the wrong size".into() })?;
            let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.last_ms = elapsed.max(self.last_ms + 1);
            let orientation = Orientation { rotation: Rotation::Upright, mirrored: true };
            Ok(TimedFrame { image, timestamp_ms: self.last_ms, orientation })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_selfie_is_a_person_who_turns_and_comes_closer_when_asked() {
        use identity_pass_core::selfie::face_model::{Action, EngineLimits, FaceEngine, Rotation};
        let mut still = StillCamera::sample().expect("the bundled sample decodes and has one face");
        let judge = |image: &RgbImage| {
            let mut engine = FaceEngine::new(EngineLimits::default()).expect("models");
            engine.assess(&frame_of(image).expect("frame"), Rotation::Upright)
        };
        let straight = judge(&still.frame(None));
        let asked = LivenessState::DoAction { action: Action::TurnLeft, index: 0, count: 3 };
        let turned = (0..6).map(|_| still.frame(Some(&asked))).last().map(|image| judge(&image)).expect("frames");
        let yaw = |a: &identity_pass_core::selfie::face_model::Assessment| a.pose.map_or(0.0, |p| p.yaw);
        assert!(yaw(&turned) > yaw(&straight) + 20.0, "turned to the left: {} → {}", yaw(&straight), yaw(&turned));
        // Asked to come closer mid-turn, the person finishes the turn and its pause first (5 + 5
        // frames), then comes closer (10 frames).
        let asked = LivenessState::DoAction { action: Action::ComeCloser, index: 1, count: 3 };
        let frames: Vec<RgbImage> = (0..20).map(|_| still.frame(Some(&asked))).collect();
        assert!(yaw(&judge(&frames[2])) > yaw(&straight) + 10.0, "still turning: {}", yaw(&judge(&frames[2])));
        let closer = frames.last().map(judge).expect("frames");
        let width = |a: &identity_pass_core::selfie::face_model::Assessment| a.face_boxes().first().map_or(0.0, |f| f.width);
        assert!(width(&closer) > width(&straight) * 1.3, "closer: {} → {}", width(&straight), width(&closer));
    }

    #[test]
    fn a_missing_file_and_a_non_image_are_clear_errors() {
        let missing = StillCamera::from_file(Path::new("/nonexistent/selfie.jpg")).err().expect("error");
        assert!(matches!(missing, CameraInputError::Unreadable { .. }), "{missing}");
        let dir = tempfile::tempdir().expect("dir");
        let text = dir.path().join("notes.jpg");
        std::fs::write(&text, b"not a picture").expect("write");
        let garbage = StillCamera::from_file(&text).err().expect("error");
        assert!(matches!(garbage, CameraInputError::NotAnImage { .. }), "{garbage}");
    }

    #[test]
    fn a_picture_without_a_face_is_refused() {
        let grey = RgbImage::from_pixel(800, 600, image::Rgb([128, 128, 128]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(grey).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encode");
        let error = StillCamera::from_bytes(&png, "grey.png").err().expect("error");
        assert!(matches!(error, CameraInputError::NoFace { .. }), "{error}");
    }
}
