//! A face's place in a frame, as the shells draw it and the capture cuts it.

/// A face box as fractions of the upright image (0–1), so the shells can draw it on any preview
/// size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    /// Left edge / frame width.
    pub left: f32,
    /// Top edge / frame height.
    pub top: f32,
    /// Width / frame width.
    pub width: f32,
    /// Height / frame height.
    pub height: f32,
}
