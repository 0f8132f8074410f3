//! Small grayscale images: the working copy of a frame that detection and quality run on.
//!
//! Every analysis runs on a box-averaged, downscaled luma image (~320 px wide) rather than on the
//! camera frame: it is what makes one-thread analysis at camera rate possible, and averaging
//! also removes sensor noise that would otherwise read as "sharp" detail.

use super::frame::Frame;

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

/// An 8-bit grayscale image, rows packed.
#[derive(Clone, PartialEq, Eq)]
pub struct LumaImage {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl std::fmt::Debug for LumaImage {
    // Pixels of a face are personal data; a Debug print shows the size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LumaImage({}x{})", self.width, self.height)
    }
}

impl LumaImage {
    /// An image from packed rows; `None` if the length does not match.
    pub fn from_pixels(width: u32, height: u32, pixels: Vec<u8>) -> Option<Self> {
        (pixels.len() == width as usize * height as usize).then_some(Self { width, height, pixels })
    }

    /// The frame's luma, box-averaged by the integer `factor` in both directions (≥ 1).
    /// Edge pixels that do not fill a whole box are dropped.
    pub fn downscaled_from(frame: &Frame<'_>, factor: u32) -> Self {
        let factor = factor.max(1);
        let (width, height) = ((frame.width() / factor).max(1), (frame.height() / factor).max(1));
        let factor_x = factor.min(frame.width());
        let factor_y = factor.min(frame.height());
        let mut pixels = vec![0u8; width as usize * height as usize];
        let mut acc = vec![0u32; width as usize];
        let area = factor_x * factor_y;
        for (out_y, out_row) in pixels.chunks_exact_mut(width as usize).enumerate() {
            acc.fill(0);
            for k in 0..factor_y {
                frame.accumulate_luma_row(out_y as u32 * factor_y + k, 0, factor_x, &mut acc);
            }
            for (out, sum) in out_row.iter_mut().zip(&acc) {
                *out = (sum / area) as u8;
            }
        }
        Self { width, height, pixels }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The packed rows.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The region `rect` (clamped to the image), box-averaged by `factor` (≥ 1).
    /// `None` if the clamped region is smaller than one box.
    pub fn crop_downscaled(&self, rect: Rect, factor: u32) -> Option<(LumaImage, Rect)> {
        let factor = factor.max(1);
        let r = rect.clamped(self.width as f32, self.height as f32);
        let (x0, y0) = (r.x as u32, r.y as u32);
        let (w, h) = (r.width as u32 / factor, r.height as u32 / factor);
        if w == 0 || h == 0 {
            return None;
        }
        let mut pixels = Vec::with_capacity(w as usize * h as usize);
        let stride = self.width as usize;
        for oy in 0..h {
            for ox in 0..w {
                let mut sum = 0u32;
                for ky in 0..factor {
                    let row = (y0 + oy * factor + ky) as usize * stride;
                    let start = row + (x0 + ox * factor) as usize;
                    sum += self.pixels[start..start + factor as usize].iter().map(|&v| u32::from(v)).sum::<u32>();
                }
                pixels.push((sum / (factor * factor)) as u8);
            }
        }
        let used = Rect { x: x0 as f32, y: y0 as f32, width: (w * factor) as f32, height: (h * factor) as f32 };
        Some((LumaImage { width: w, height: h, pixels }, used))
    }

    /// Mean and variance of the pixels inside `rect` (clamped); `None` if empty.
    pub fn mean_and_variance(&self, rect: Rect) -> Option<(f32, f32)> {
        let r = rect.clamped(self.width as f32, self.height as f32);
        let (x0, y0, x1, y1) = (r.x as usize, r.y as usize, (r.x + r.width) as usize, (r.y + r.height) as usize);
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let (mut sum, mut sum_sq) = (0u64, 0u64);
        for y in y0..y1 {
            for &v in &self.pixels[y * self.width as usize + x0..y * self.width as usize + x1] {
                sum += u64::from(v);
                sum_sq += u64::from(v) * u64::from(v);
            }
        }
        let n = ((x1 - x0) * (y1 - y0)) as f64;
        let mean = sum as f64 / n;
        Some((mean as f32, (sum_sq as f64 / n - mean * mean).max(0.0) as f32))
    }

    /// Variance of the 4-neighbour Laplacian inside `rect` (clamped, one-pixel border skipped):
    /// high on sharp edges, low when defocused or smeared by motion. `None` if too small.
    pub fn laplacian_variance(&self, rect: Rect) -> Option<f32> {
        let r = rect.clamped(self.width as f32, self.height as f32);
        let (x0, y0) = ((r.x as usize).max(1), (r.y as usize).max(1));
        let x1 = ((r.x + r.width) as usize).min(self.width as usize - 1);
        let y1 = ((r.y + r.height) as usize).min(self.height as usize - 1);
        if x1 <= x0 + 2 || y1 <= y0 + 2 {
            return None;
        }
        let w = self.width as usize;
        let p = &self.pixels;
        let (mut sum, mut sum_sq, mut n) = (0i64, 0i64, 0i64);
        for y in y0..y1 {
            for x in x0..x1 {
                let at = y * w + x;
                let lap = i64::from(p[at - 1]) + i64::from(p[at + 1]) + i64::from(p[at - w]) + i64::from(p[at + w]) - 4 * i64::from(p[at]);
                sum += lap;
                sum_sq += lap * lap;
                n += 1;
            }
        }
        let mean = sum as f64 / n as f64;
        Some((sum_sq as f64 / n as f64 - mean * mean) as f32)
    }
}
