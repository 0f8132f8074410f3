//! Turns one frame's analysis into the single instruction the user sees.
//!
//! One message at a time, in a fixed priority order: a user can act on one thing, and the order
//! follows dependency (no face can be judged in the dark; size before centring because moving
//! closer changes the centring; blur and motion last because they fix themselves once the user
//! is still).

use super::analysis::FrameAnalysis;

/// What the user should do next (each maps to one catalog message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Guidance {
    /// The picture is too dark: find a well-lit room.
    TooDark,
    /// The face is washed out: avoid direct light behind or onto the face.
    TooBright,
    /// No face is visible.
    NoFace,
    /// More than one face is visible.
    MultipleFaces,
    /// The face is too small: move closer.
    MoveCloser,
    /// The face fills too much of the frame: move back.
    MoveBack,
    /// The face is off-centre.
    CenterFace,
    /// The head is turned or tilted away from the camera (the next engine's face mesh).
    LookStraight,
    /// The picture is blurred (focus or motion smear).
    Blurry,
    /// The face is moving between frames.
    HoldStill,
    /// Everything is fine: hold it there.
    Good,
}

/// Limits that separate good frames from bad ones. Calibrated on the committed fixtures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GuidanceThresholds {
    /// Below this mean luma (0–255): too dark.
    pub min_brightness: f32,
    /// Above this mean luma of the face: too bright.
    pub max_brightness: f32,
    /// Face width below this fraction of the frame width: move closer.
    pub min_face_width: f32,
    /// Face width above this fraction: move back.
    pub max_face_width: f32,
    /// Face centre farther than this (fraction of the frame) from the centre, horizontally.
    pub max_offset_x: f32,
    /// The same, vertically (looser: a selfie holds the face a little high).
    pub max_offset_y: f32,
    /// Below this sharpness (see `quality::sharpness`): blurred.
    pub min_sharpness: f32,
    /// Above this frame-to-frame change of the face (see `quality::motion`): hold still.
    pub max_motion: f32,
}

impl Default for GuidanceThresholds {
    fn default() -> Self {
        Self {
            min_brightness: 50.0,
            max_brightness: 225.0,
            min_face_width: 0.22,
            max_face_width: 0.70,
            max_offset_x: 0.15,
            max_offset_y: 0.20,
            min_sharpness: 0.07,
            max_motion: 0.35,
        }
    }
}

/// The one instruction for this frame.
pub fn guidance_for(analysis: &FrameAnalysis, limits: &GuidanceThresholds) -> Guidance {
    if analysis.brightness < limits.min_brightness {
        return Guidance::TooDark;
    }
    let face = match analysis.faces.as_slice() {
        [] => return Guidance::NoFace,
        [face] => face,
        _ => return Guidance::MultipleFaces,
    };
    if analysis.brightness > limits.max_brightness {
        return Guidance::TooBright;
    }
    if face.width < limits.min_face_width {
        return Guidance::MoveCloser;
    }
    if face.width > limits.max_face_width {
        return Guidance::MoveBack;
    }
    let (cx, cy) = (face.left + face.width / 2.0, face.top + face.height / 2.0);
    if (cx - 0.5).abs() > limits.max_offset_x || (cy - 0.5).abs() > limits.max_offset_y {
        return Guidance::CenterFace;
    }
    if analysis.sharpness.is_some_and(|s| s < limits.min_sharpness) {
        return Guidance::Blurry;
    }
    if analysis.motion.is_some_and(|m| m > limits.max_motion) {
        return Guidance::HoldStill;
    }
    Guidance::Good
}
