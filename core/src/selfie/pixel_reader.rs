//! Reading a frame's pixels one layout at a time.
//!
//! The face models' inputs and the face patch are sampled from the camera's buffer: about
//! 140 000 pixel reads on a followed face, at every frame. Read through [`Frame::rgb_at`], each
//! read chose the layout again and was a call of its own, and the reads were a third of a
//! followed face's time outside the models. A sampler is therefore written once, generic over
//! [`PixelReader`], and [`with_reader!`] compiles it for each layout, so the layout is chosen
//! once per frame and each read is inlined into the sampler's loop. The arithmetic is the same
//! as `rgb_at`'s (which now goes through the same readers), so every sampled value is unchanged.
//!
//! [`Frame::rgb_at`]: crate::selfie::frame::Frame

use crate::selfie::frame::Plane;
use crate::selfie::rotation::Rotation;

/// One layout's reads. Every position passed is inside the frame; a read past a plane's end
/// (which [`Frame::new`](crate::selfie::frame::Frame::new)'s checks rule out) gives black or
/// neutral chroma, never a panic.
pub(crate) trait PixelReader: Copy {
    /// The frame's width and height.
    fn size(self) -> (u32, u32);

    /// The RGB colour of the pixel at `x`, `y`.
    fn rgb(self, x: u32, y: u32) -> [u8; 3];

    /// The RGB colour under `(u, v)` of the upright image (continuous coordinates, inside it):
    /// the frame pixel `rotation` puts there, the position truncated and kept inside the frame.
    #[inline]
    fn rgb_upright(self, rotation: Rotation, u: f32, v: f32) -> [u8; 3] {
        let (width, height) = self.size();
        let (fx, fy) = rotation.frame_position(u, v, width as f32, height as f32);
        self.rgb((fx as u32).min(width - 1), (fy as u32).min(height - 1))
    }
}

/// A frame's reader, by layout (see [`with_reader!`]).
#[derive(Clone, Copy)]
pub(crate) enum Reader<'a> {
    Nv21(Nv21Reader<'a>),
    Yuv420(Yuv420Reader<'a>),
    Bgra(PackedReader<'a, 4>),
    Rgb(PackedReader<'a, 3>),
}

/// Runs `$body` with `$reader` bound to `$frame`'s [`PixelReader`]: the body is compiled once
/// per layout, the layout chosen once.
macro_rules! with_reader {
    ($frame:expr, $reader:ident => $body:expr) => {
        match $frame.reader() {
            $crate::selfie::pixel_reader::Reader::Nv21($reader) => $body,
            $crate::selfie::pixel_reader::Reader::Yuv420($reader) => $body,
            $crate::selfie::pixel_reader::Reader::Bgra($reader) => $body,
            $crate::selfie::pixel_reader::Reader::Rgb($reader) => $body,
        }
    };
}
pub(crate) use with_reader;

fn byte(data: &[u8], at: usize, missing: u8) -> u8 {
    data.get(at).copied().unwrap_or(missing)
}

/// Android NV21: the Y rows, then V/U pairs, each pair covering a 2×2 block.
#[derive(Clone, Copy)]
pub(crate) struct Nv21Reader<'a> {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) plane: Plane<'a>,
}

impl PixelReader for Nv21Reader<'_> {
    #[inline]
    fn size(self) -> (u32, u32) {
        (self.width, self.height)
    }

    #[inline]
    fn rgb(self, x: u32, y: u32) -> [u8; 3] {
        let stride = self.plane.row_stride as usize;
        let luma = byte(self.plane.data, y as usize * stride + x as usize, 0);
        let chroma = self.height as usize * stride + (y / 2) as usize * stride + (x / 2) as usize * 2;
        let v = byte(self.plane.data, chroma, 128);
        let u = byte(self.plane.data, chroma + 1, 128);
        yuv_to_rgb(luma, u, v)
    }
}

/// Android `YUV_420_888`: Y, U and V planes, each with its own strides.
#[derive(Clone, Copy)]
pub(crate) struct Yuv420Reader<'a> {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) planes: [Plane<'a>; 3],
}

impl PixelReader for Yuv420Reader<'_> {
    #[inline]
    fn size(self) -> (u32, u32) {
        (self.width, self.height)
    }

    #[inline]
    fn rgb(self, x: u32, y: u32) -> [u8; 3] {
        let get = |plane: &Plane<'_>, x: u32, y: u32, missing: u8| {
            byte(plane.data, y as usize * plane.row_stride as usize + x as usize * plane.pixel_stride as usize, missing)
        };
        let [luma, u, v] = &self.planes;
        yuv_to_rgb(get(luma, x, y, 0), get(u, x / 2, y / 2, 0), get(v, x / 2, y / 2, 0))
    }
}

/// One plane of `BYTES`-byte pixels: BGRA (iOS, 4) or RGB (3).
#[derive(Clone, Copy)]
pub(crate) struct PackedReader<'a, const BYTES: usize> {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) plane: Plane<'a>,
}

impl<const BYTES: usize> PixelReader for PackedReader<'_, BYTES> {
    #[inline]
    fn size(self) -> (u32, u32) {
        (self.width, self.height)
    }

    #[inline]
    fn rgb(self, x: u32, y: u32) -> [u8; 3] {
        let base = y as usize * self.plane.row_stride as usize + x as usize * BYTES;
        match self.plane.data.get(base..base + 3) {
            Some(&[b, g, r]) if BYTES == 4 => [r, g, b],
            Some(&[r, g, b]) => [r, g, b],
            _ => [0, 0, 0],
        }
    }
}

/// BT.601 full-range YUV → RGB (what Android's camera produces).
#[inline]
fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let (y, u, v) = (i32::from(y), i32::from(u) - 128, i32::from(v) - 128);
    let clamp = |value: i32| value.clamp(0, 255) as u8;
    [clamp(y + ((359 * v) >> 8)), clamp(y - ((88 * u + 183 * v) >> 8)), clamp(y + ((454 * u) >> 8))]
}
