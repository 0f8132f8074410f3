//! The single instruction the user sees for one frame (decided by
//! `face_model::assessment::guidance_for`).
//!
//! One message at a time, in a fixed priority order: a user can act on one thing, and the order
//! follows dependency (no face can be judged in the dark; size before centring because moving
//! closer changes the centring; blur and motion last because they fix themselves once the user
//! is still).

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
    /// The head is turned or tilted away from the camera (from the face mesh).
    LookStraight,
    /// The picture is blurred (focus or motion smear).
    Blurry,
    /// The face is moving between frames.
    HoldStill,
    /// Everything is fine: hold it there.
    Good,
}
