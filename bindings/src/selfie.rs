//! Exports the selfie session: camera frames in, guidance, a capture and a liveness outcome out.
//!
//! The JPEG never crosses the FFI: Kotlin and Swift see its size and dimensions, and the core
//! uploads it, so no copy of the face lives in the JVM or Swift heap where it cannot be wiped.
//! Frames do cross (the shells own the camera); each call copies them once into Rust memory.

use std::sync::Mutex;

use identity_pass_core::messages::{self, Locale};
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::selfie::{
    self as core, FaceBox, Frame, Guidance, LivenessFailure, LivenessSample, LivenessState, Orientation, PixelFormat, Plane,
};

use crate::error::SelfieError;

#[uniffi::remote(Enum)]
enum PixelFormat {
    Nv21,
    Yuv420,
    Bgra,
    Rgb,
}

#[uniffi::remote(Record)]
struct FaceBox {
    left: f32,
    top: f32,
    width: f32,
    height: f32,
}

#[uniffi::remote(Enum)]
enum Guidance {
    TooDark,
    TooBright,
    NoFace,
    MultipleFaces,
    MoveCloser,
    MoveBack,
    CenterFace,
    LookStraight,
    Blurry,
    HoldStill,
    Good,
}

#[uniffi::remote(Enum)]
enum LivenessFailure {
    FaceLost,
    MultipleFaces,
    ActionTimedOut,
    FramesInterrupted,
}

#[uniffi::remote(Enum)]
enum Action {
    TurnLeft,
    TurnRight,
    Blink,
    ComeCloser,
}

#[uniffi::remote(Record)]
struct LivenessSample {
    timestamp_ms: u64,
    face_width: f32,
}

#[uniffi::remote(Enum)]
enum LivenessState {
    DoAction { action: Action, index: u32, count: u32 },
    Passed { growth: f32, samples: Vec<LivenessSample> },
    Failed { reason: LivenessFailure },
}

/// One plane of a camera image (Android `Image.Plane`, or the single buffer of NV21/BGRA/RGB).
#[derive(uniffi::Record)]
pub struct FramePlane {
    /// The plane's bytes.
    pub data: Vec<u8>,
    /// Bytes from one row to the next.
    pub row_stride: u32,
    /// Bytes from one sample to the next (1 or 2 for YUV, 4 for BGRA, 3 for RGB).
    pub pixel_stride: u32,
}

/// One camera frame.
#[derive(uniffi::Record)]
pub struct CameraFrame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Layout of `planes`.
    pub format: PixelFormat,
    /// One plane (NV21, BGRA, RGB) or three (Y, U, V for `Yuv420`).
    pub planes: Vec<FramePlane>,
    /// Capture time in milliseconds, strictly increasing (any monotonic clock). A value no
    /// camera clock gives (above 2^53, or a jump of more than 10 s that the next frame does not
    /// confirm) refuses that frame only (`FRAME_TIMESTAMP_IMPLAUSIBLE`); `retake` and
    /// `start_liveness_actions` start the clock again.
    pub timestamp_ms: u64,
    /// How far the frame must be turned clockwise to stand upright: 0, 90, 180 or 270 (CameraX
    /// `ImageInfo.rotationDegrees`; on iOS the connection's `videoRotationAngle`). Faces are
    /// found and reported in the upright image; anything else is `FRAME_BAD_ROTATION`.
    #[uniffi(default = 0)]
    pub rotation_degrees: u32,
    /// Whether the user's preview shows this frame mirrored: true for a front camera's frames
    /// as CameraX's `ImageAnalysis` and AVFoundation's video output deliver them (the camera's
    /// own view; `PreviewView` and the preview layer mirror only what they show). The core then
    /// judges the selfie and the liveness actions on the image the user sees, so "turn to your
    /// left" means the user's left on every phone; the reviewer's call picture stays the
    /// camera's own view. False for frames that are already the preview's image (the tests'
    /// fixture frames) and for a camera whose preview is not mirrored.
    #[uniffi(default = false)]
    pub preview_mirrored: bool,
}

/// What to show for one frame.
#[derive(uniffi::Record)]
pub struct SelfieVerdict {
    /// The instruction.
    pub guidance: Guidance,
    /// Stable code of the text to show (the liveness instruction while a challenge runs).
    pub message_code: String,
    /// The text, in the session's language.
    pub message_text: String,
    /// Faces found, as fractions of the frame, for drawing an overlay.
    pub faces: Vec<FaceBox>,
    /// Consecutive good frames.
    pub good_streak: u32,
    /// True on the frame that produced the capture.
    pub captured: bool,
    /// The liveness challenge's state while one runs or after it ended.
    pub liveness: Option<LivenessState>,
}

/// What the shell may know about a capture: not its bytes.
#[derive(uniffi::Record)]
pub struct CaptureInfo {
    /// JPEG size in bytes.
    pub byte_len: u64,
    /// JPEG width.
    pub width: u32,
    /// JPEG height.
    pub height: u32,
    /// Timestamp of the frame it came from.
    pub captured_at_ms: u64,
}

/// The liveness outcome, without the evidence JPEGs (those stay in the core for upload).
#[derive(uniffi::Record)]
pub struct LivenessResult {
    /// `None` when passed.
    pub failure: Option<LivenessFailure>,
    /// Final / first face width.
    pub growth: f32,
    /// Frames kept as evidence for the service.
    pub evidence_frames: u32,
    /// Message code for the outcome.
    pub message_code: String,
    /// Message text for the outcome.
    pub message_text: String,
}

/// Borrows the shell's planes as a core `Frame` (validated: sizes, strides, formats, rotation)
/// and hands it on with the turn that makes it upright and the flip the preview shows.
pub(crate) fn with_frame<T>(frame: &CameraFrame, use_frame: impl FnOnce(&Frame<'_>, Orientation) -> T) -> Result<T, SelfieError> {
    let orientation = Orientation::of_camera(frame.rotation_degrees, frame.preview_mirrored)?;
    let planes: Vec<Plane<'_>> =
        frame.planes.iter().map(|p| Plane { data: &p.data, row_stride: p.row_stride, pixel_stride: p.pixel_stride }).collect();
    let view = Frame::new(frame.width, frame.height, frame.format, &planes)?;
    Ok(use_frame(&view, orientation))
}

/// The verdict as the shells see it, with its message in `locale`.
pub(crate) fn verdict_record(verdict: core::FrameVerdict, locale: Locale) -> SelfieVerdict {
    let message = messages::selfie::verdict_message(verdict.guidance, verdict.liveness.as_ref(), locale);
    SelfieVerdict {
        guidance: verdict.guidance,
        message_code: message.code,
        message_text: message.text,
        faces: verdict.faces,
        good_streak: verdict.good_streak,
        captured: verdict.captured,
        liveness: verdict.liveness,
    }
}

/// A selfie session; feed it every camera frame (from any one thread at a time).
#[derive(uniffi::Object)]
pub struct SelfieSession {
    inner: Mutex<SessionState>,
    locale: Locale,
}

struct SessionState {
    session: core::SelfieSession,
    capture: Option<core::CapturedSelfie>,
    liveness: Option<core::LivenessOutcome>,
}

#[uniffi::export]
impl SelfieSession {
    /// A session whose messages follow `language_tag` (BCP-47, e.g. `zh-CN`, `en-GB`).
    #[uniffi::constructor]
    pub fn new(language_tag: String) -> Self {
        Self {
            inner: Mutex::new(SessionState {
                session: core::SelfieSession::new(core::SelfieConfig::standard()),
                capture: None,
                liveness: None,
            }),
            locale: Locale::from_language_tag(&language_tag),
        }
    }

    /// Analyses one frame and says what to show.
    pub fn push_frame(&self, frame: CameraFrame) -> Result<SelfieVerdict, SelfieError> {
        let mut state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let verdict = with_frame(&frame, |view, orientation| state.session.push_rotated_frame(view, orientation, frame.timestamp_ms))??;
        if let Some(capture) = state.session.take_capture() {
            state.capture = Some(capture);
        }
        if let Some(outcome) = state.session.take_liveness_outcome() {
            state.liveness = Some(outcome);
        }
        Ok(verdict_record(verdict, self.locale))
    }

    /// The capture's size and dimensions, once one was taken.
    pub fn capture_info(&self) -> Option<CaptureInfo> {
        let state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        state.capture.as_ref().map(|c| CaptureInfo {
            byte_len: c.expose_jpeg().len() as u64,
            width: c.width(),
            height: c.height(),
            captured_at_ms: c.captured_at_ms(),
        })
    }

    /// Discards the capture (wiping it) and allows a new one.
    pub fn retake(&self) {
        let mut state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        state.capture = None;
        state.session.retake();
    }

    /// Starts the action challenge the service drew (`actions` in order) on the following
    /// frames; each verdict's message is the instruction for the action to do now.
    pub fn start_liveness_actions(&self, actions: Vec<Action>) {
        let mut state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        state.liveness = None;
        state.session.start_liveness_actions(actions);
    }

    /// The challenge's outcome once it has ended.
    pub fn liveness_result(&self) -> Option<LivenessResult> {
        let state = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        state.liveness.as_ref().map(|outcome| {
            let shown = match outcome.failure {
                None => LivenessState::Passed { growth: outcome.growth, samples: Vec::new() },
                Some(reason) => LivenessState::Failed { reason },
            };
            let message = messages::selfie::liveness_code(&shown).text(self.locale);
            LivenessResult {
                failure: outcome.failure,
                growth: outcome.growth,
                evidence_frames: outcome.evidence.len() as u32,
                message_code: message.code,
                message_text: message.text,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity_pass_core::selfie::convert::rgb_to_nv21;

    /// What the Kotlin and Swift tests do: decode a committed fixture, convert it to the camera's
    /// layout, push it as consecutive frames 33 ms apart.
    #[test]
    fn nv21_frames_through_the_export_yield_guidance_and_a_capture() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/face_selfie_640x480.jpg");
        let rgb = image::open(path).expect("fixture").to_rgb8();
        let nv21 = rgb_to_nv21(640, 480, rgb.as_raw()).expect("sizes match");
        let session = SelfieSession::new("zh-CN".to_owned());
        let mut verdicts = Vec::new();
        for i in 0..6u64 {
            let frame = CameraFrame {
                width: 640,
                height: 480,
                format: PixelFormat::Nv21,
                planes: vec![FramePlane { data: nv21.clone(), row_stride: 640, pixel_stride: 1 }],
                timestamp_ms: 1_000 + i * 33,
                rotation_degrees: 0,
                preview_mirrored: false,
            };
            verdicts.push(session.push_frame(frame).expect("analysed"));
        }
        assert_eq!(verdicts[0].message_code, "SELFIE_GOOD");
        assert_eq!(verdicts[0].message_text, "很好，请保持。");
        assert!(verdicts[4].captured && !verdicts[3].captured);
        let info = session.capture_info().expect("captured");
        assert!(info.byte_len > 1_000 && info.byte_len <= 200_000 && info.width > 0);

        let short = CameraFrame {
            width: 640,
            height: 480,
            format: PixelFormat::Nv21,
            planes: vec![],
            timestamp_ms: 5_000,
            rotation_degrees: 0,
            preview_mirrored: false,
        };
        assert!(matches!(session.push_frame(short), Err(SelfieError::InvalidFrame { code, .. }) if code == "FRAME_PLANE_COUNT"));
    }

    /// A phone held upright gives its sensor's frame sideways and says how far to turn it: the
    /// face is found, and reported, where it is in the upright picture. A turn that is not a
    /// quarter is refused and costs nothing.
    #[test]
    fn a_sideways_sensor_frame_is_judged_upright_with_the_shells_rotation() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/face_selfie_640x480.jpg");
        let upright = image::open(path).expect("fixture").to_rgb8();
        let sideways = image::imageops::rotate270(&upright);
        let frame_of = |rgb: &image::RgbImage, rotation_degrees, timestamp_ms| {
            let (width, height) = rgb.dimensions();
            CameraFrame {
                width,
                height,
                format: PixelFormat::Nv21,
                planes: vec![FramePlane {
                    data: rgb_to_nv21(width, height, rgb.as_raw()).expect("sizes"),
                    row_stride: width,
                    pixel_stride: 1,
                }],
                timestamp_ms,
                rotation_degrees,
                preview_mirrored: false,
            }
        };
        let straight = SelfieSession::new("en".to_owned()).push_frame(frame_of(&upright, 0, 1_000)).expect("analysed");
        let session = SelfieSession::new("en".to_owned());
        let turned = session.push_frame(frame_of(&sideways, 90, 1_000)).expect("analysed");
        assert_eq!((straight.guidance, turned.guidance), (Guidance::Good, Guidance::Good));
        let (a, b) = (&straight.faces[0], &turned.faces[0]);
        for (x, y) in [(a.left, b.left), (a.top, b.top), (a.width, b.width), (a.height, b.height)] {
            assert!((x - y).abs() < 0.02, "upright {a:?}, turned {b:?}");
        }
        // Unturned, the sideways frame's face lies on its side: not the same verdict.
        let unturned = SelfieSession::new("en".to_owned()).push_frame(frame_of(&sideways, 0, 1_000)).expect("analysed");
        assert_ne!(unturned.guidance, Guidance::Good);

        let refused = session.push_frame(frame_of(&sideways, 45, 1_033));
        assert!(matches!(refused, Err(SelfieError::InvalidFrame { code, .. }) if code == "FRAME_BAD_ROTATION"));
        assert_eq!(session.push_frame(frame_of(&sideways, 90, 1_033)).expect("the session goes on").guidance, Guidance::Good);
    }
}
