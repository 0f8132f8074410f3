//! A rectangle in pixels of some image: what the face models report faces and read regions in.

/// A rectangle in pixels of some image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// The centre point.
    pub fn center(&self) -> (f32, f32) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// This rectangle grown by `factor` of its size on every side, about the same centre.
    pub fn expanded(&self, factor: f32) -> Rect {
        Rect {
            x: self.x - self.width * factor,
            y: self.y - self.height * factor,
            width: self.width * (1.0 + 2.0 * factor),
            height: self.height * (1.0 + 2.0 * factor),
        }
    }

    /// The part inside `0..width × 0..height` (may be empty: zero width or height).
    pub fn clamped(&self, width: f32, height: f32) -> Rect {
        let x0 = self.x.clamp(0.0, width);
        let y0 = self.y.clamp(0.0, height);
        let x1 = (self.x + self.width).clamp(0.0, width);
        let y1 = (self.y + self.height).clamp(0.0, height);
        Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
    }

    /// This rectangle with every coordinate multiplied by `scale`, then shifted by `(dx, dy)`.
    pub fn scaled(&self, scale: f32, dx: f32, dy: f32) -> Rect {
        Rect { x: self.x * scale + dx, y: self.y * scale + dy, width: self.width * scale, height: self.height * scale }
    }
}
