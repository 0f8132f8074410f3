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
        self.rgb_in_grid(rotation, self.grid_column(rotation, u), self.grid_row(rotation, v))
    }

    /// Upright column `u` as the frame pixel it reads along its frame axis (see
    /// [`Rotation::column_in_frame`]): worked out once per column by samplers that read a grid.
    #[inline]
    fn grid_column(self, rotation: Rotation, u: f32) -> u32 {
        let (width, height) = self.size();
        let at = rotation.column_in_frame(u, width as f32, height as f32);
        (at as u32).min(if rotation.swaps_axes() { height } else { width } - 1)
    }

    /// Upright row `v` as the frame pixel it reads along its frame axis.
    #[inline]
    fn grid_row(self, rotation: Rotation, v: f32) -> u32 {
        let (width, height) = self.size();
        let at = rotation.row_in_frame(v, width as f32, height as f32);
        (at as u32).min(if rotation.swaps_axes() { width } else { height } - 1)
    }

    /// The RGB colour where a [`Self::grid_column`] and a [`Self::grid_row`] cross: the same
    /// pixel [`Self::rgb_upright`] reads for their `u` and `v`.
    #[inline]
    fn rgb_in_grid(self, rotation: Rotation, column: u32, row: u32) -> [u8; 3] {
        if rotation.swaps_axes() { self.rgb(row, column) } else { self.rgb(column, row) }
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

#[cfg(test)]
mod tests {
    use super::PixelReader;
    use crate::selfie::frame::{Frame, PixelFormat, Plane};
    use crate::selfie::rotation::Rotation;

    /// The 3×2 numbered frame read as a grid of the upright image (each column and row turned
    /// once, at pixel centres), for every turn: the numbers land where a turned photograph
    /// puts them, as `rotation`'s `UprightCopy` test has them.
    #[test]
    fn a_grid_reads_the_upright_image_for_every_turn() {
        let pixels: Vec<u8> = (1..=6u8).flat_map(|n| [n, n, n]).collect();
        let frame = Frame::new(3, 2, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 9, pixel_stride: 3 }]).expect("frame");
        // 1 2 3
        // 4 5 6
        let read = |rotation: Rotation| {
            with_reader!(frame, pixels => {
                let (width, height) = rotation.upright_size(3.0, 2.0);
                let columns: Vec<u32> = (0..width as u32).map(|u| pixels.grid_column(rotation, u as f32 + 0.5)).collect();
                (0..height as u32)
                    .map(|v| {
                        let row = pixels.grid_row(rotation, v as f32 + 0.5);
                        columns.iter().map(|column| pixels.rgb_in_grid(rotation, *column, row)[0]).collect::<Vec<u8>>()
                    })
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(read(Rotation::Upright), [vec![1, 2, 3], vec![4, 5, 6]]);
        assert_eq!(read(Rotation::Clockwise90), [vec![4, 1], vec![5, 2], vec![6, 3]]);
        assert_eq!(read(Rotation::HalfTurn), [vec![6, 5, 4], vec![3, 2, 1]]);
        assert_eq!(read(Rotation::Clockwise270), [vec![3, 6], vec![2, 5], vec![1, 4]]);
        // A position at the far edge is kept inside the frame.
        with_reader!(frame, pixels => assert_eq!(pixels.grid_column(Rotation::Upright, 3.0), 2));
    }
}
