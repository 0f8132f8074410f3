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
use crate::selfie::rotation::Orientation;

/// One layout's reads. Every position passed is inside the frame; a read past a plane's end
/// (which [`Frame::new`](crate::selfie::frame::Frame::new)'s checks rule out) gives black or
/// neutral chroma, never a panic.
pub(crate) trait PixelReader: Copy {
    /// The frame's width and height.
    fn size(self) -> (u32, u32);

    /// The RGB colour of the pixel at `x`, `y`.
    fn rgb(self, x: u32, y: u32) -> [u8; 3];

    /// The RGB colour under `(u, v)` of the upright image (continuous coordinates, inside it):
    /// the frame pixel `orientation` puts there, the position truncated and kept inside the frame.
    #[inline]
    fn rgb_upright(self, orientation: Orientation, u: f32, v: f32) -> [u8; 3] {
        self.rgb_in_grid(orientation, self.grid_column(orientation, u), self.grid_row(orientation, v))
    }

    /// Upright column `u` as the frame pixel it reads along its frame axis (see
    /// [`Orientation::column_in_frame`]): worked out once per column by samplers that read a grid.
    #[inline]
    fn grid_column(self, orientation: Orientation, u: f32) -> u32 {
        let (width, height) = self.size();
        let at = orientation.column_in_frame(u, width as f32, height as f32);
        (at as u32).min(if orientation.swaps_axes() { height } else { width } - 1)
    }

    /// Upright row `v` as the frame pixel it reads along its frame axis.
    #[inline]
    fn grid_row(self, orientation: Orientation, v: f32) -> u32 {
        let (width, height) = self.size();
        let at = orientation.row_in_frame(v, width as f32, height as f32);
        (at as u32).min(if orientation.swaps_axes() { width } else { height } - 1)
    }

    /// The RGB colour where a [`Self::grid_column`] and a [`Self::grid_row`] cross: the same
    /// pixel [`Self::rgb_upright`] reads for their `u` and `v`.
    #[inline]
    fn rgb_in_grid(self, orientation: Orientation, column: u32, row: u32) -> [u8; 3] {
        if orientation.swaps_axes() { self.rgb(row, column) } else { self.rgb(column, row) }
    }

    /// The colours where grid row `row` crosses each of `columns`, into `line`: what
    /// [`Self::rgb_in_grid`] reads for each, a line at a time, so that a layout can find its
    /// row once and convert the whole line together.
    #[inline]
    fn rgb_line(self, orientation: Orientation, row: u32, columns: &[u32], line: &mut RgbLine) {
        line.read_each(columns, |column| self.rgb_in_grid(orientation, column, row));
    }
}

/// A line of colours, one array per channel, as [`PixelReader::rgb_line`] reads them. The
/// channels are 16-bit so that sums and the YUV conversion run eight pixels to an instruction
/// even on the x86-64 baseline (SSE2, which has no 32-bit multiply or minimum).
pub(crate) struct RgbLine {
    pub(crate) red: Vec<i16>,
    pub(crate) green: Vec<i16>,
    pub(crate) blue: Vec<i16>,
}

impl RgbLine {
    /// A black line of `len` pixels.
    pub(crate) fn new(len: usize) -> Self {
        Self { red: vec![0; len], green: vec![0; len], blue: vec![0; len] }
    }

    /// Back to black.
    pub(crate) fn clear(&mut self) {
        for channel in [&mut self.red, &mut self.green, &mut self.blue] {
            channel.fill(0);
        }
    }

    /// Each pixel from `read` of its column.
    #[inline]
    fn read_each(&mut self, columns: &[u32], mut read: impl FnMut(u32) -> [u8; 3]) {
        let channels = self.red.iter_mut().zip(&mut self.green).zip(&mut self.blue);
        for (((red, green), blue), &column) in channels.zip(columns) {
            let [r, g, b] = read(column);
            (*red, *green, *blue) = (r.into(), g.into(), b.into());
        }
    }

    /// Adds `other` where `mask` is all ones (−1), nothing where it is 0.
    pub(crate) fn add_masked(&mut self, other: &RgbLine, mask: &[i16]) {
        for (sum, add) in [(&mut self.red, &other.red), (&mut self.green, &other.green), (&mut self.blue, &other.blue)] {
            for ((sum, add), mask) in sum.iter_mut().zip(add).zip(mask) {
                *sum += add & mask;
            }
        }
    }

    /// A line read as Y, U and V (in `red`, `green` and `blue`) turned into RGB: for each
    /// pixel exactly what [`yuv_to_rgb`] gives, in 16-bit arithmetic. Its products of 359 and
    /// 454 do not fit 16 bits, so they are split: `(359·v) >> 8` is `v + ((103·v) >> 8)`,
    /// `(454·u) >> 8` is `u + ((198·u) >> 8)`, and `(88·u + 183·v) >> 8` is
    /// `(44·u + ((183·v) >> 1)) >> 7` (88·u is even); the test checks every Y, U and V.
    #[inline]
    fn yuv_to_rgb(&mut self) {
        let channels = self.red.iter_mut().zip(&mut self.green).zip(&mut self.blue);
        for ((red, green), blue) in channels {
            let (luma, u, v) = (*red, *green - 128, *blue - 128);
            *red = (luma + v + ((103 * v) >> 8)).clamp(0, 255);
            *green = (luma - ((44 * u + ((183 * v) >> 1)) >> 7)).clamp(0, 255);
            *blue = (luma + u + ((198 * u) >> 8)).clamp(0, 255);
        }
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

    /// Along one of the frame's rows (not turned a quarter), the row's luma and chroma are
    /// found once and the line converted together: the full-range detector's letterbox reads
    /// about 110 000 pixels, and reading them one [`Self::rgb`] at a time was a sixth of its
    /// time. Each colour is what [`Self::rgb`] gives, missing bytes included.
    #[inline]
    fn rgb_line(self, orientation: Orientation, row: u32, columns: &[u32], line: &mut RgbLine) {
        if orientation.swaps_axes() {
            // Turned a quarter, the line runs down a column of the frame: no row to find once.
            line.read_each(columns, |column| self.rgb(row, column));
            return;
        }
        let stride = self.plane.row_stride as usize;
        let luma = self.plane.data.get(row as usize * stride..).unwrap_or(&[]);
        let chroma = self.plane.data.get(self.height as usize * stride + (row / 2) as usize * stride..).unwrap_or(&[]);
        line.read_each(columns, |column| {
            let pair = column as usize & !1;
            [byte(luma, column as usize, 0), byte(chroma, pair + 1, 128), byte(chroma, pair, 128)]
        });
        line.yuv_to_rgb();
    }
}

/// Android `YUV_420_888`: Y, U and V planes, each with its own strides.
#[derive(Clone, Copy)]
pub(crate) struct Yuv420Reader<'a> {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) planes: [Plane<'a>; 3],
}

impl<'a> PixelReader for Yuv420Reader<'a> {
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

    /// As [`Nv21Reader`]'s: each plane's row found once, the line converted together.
    #[inline]
    fn rgb_line(self, orientation: Orientation, row: u32, columns: &[u32], line: &mut RgbLine) {
        if orientation.swaps_axes() {
            line.read_each(columns, |column| self.rgb(row, column));
            return;
        }
        let row_of = |plane: &Plane<'a>, y: u32| plane.data.get(y as usize * plane.row_stride as usize..).unwrap_or(&[]);
        let [luma, u, v] = self.planes;
        let (luma_row, u_row, v_row) = (row_of(&luma, row), row_of(&u, row / 2), row_of(&v, row / 2));
        line.read_each(columns, |x| {
            let at = |plane: &Plane<'_>, x: u32| x as usize * plane.pixel_stride as usize;
            [byte(luma_row, at(&luma, x), 0), byte(u_row, at(&u, x / 2), 0), byte(v_row, at(&v, x / 2), 0)]
        });
        line.yuv_to_rgb();
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
    use super::{PixelReader, RgbLine, yuv_to_rgb};
    use crate::selfie::frame::{Frame, PixelFormat, Plane};
    use crate::selfie::rotation::{Orientation, Rotation};

    /// The line's 16-bit conversion gives exactly what the pixel's does, for every Y, U and V.
    #[test]
    fn a_converted_line_matches_each_pixel_for_every_yuv() {
        let mut line = RgbLine::new(256 * 256);
        for luma in 0..=255u8 {
            line.read_each(&(0..256 * 256).collect::<Vec<u32>>(), |at| [luma, (at / 256) as u8, (at % 256) as u8]);
            line.yuv_to_rgb();
            for at in 0..256 * 256usize {
                let expected = yuv_to_rgb(luma, (at / 256) as u8, (at % 256) as u8).map(i16::from);
                assert_eq!([line.red[at], line.green[at], line.blue[at]], expected, "y {luma} u {} v {}", at / 256, at % 256);
            }
        }
    }

    /// A line read at once gives, pixel for pixel, what reading each pixel gives: for every
    /// layout (padded rows, Android's interleaved chroma planes, an odd width) and every turn.
    #[test]
    fn a_line_reads_what_each_pixel_reads_in_every_layout_and_turn() {
        let (width, height) = (7u32, 5u32);
        let noise = |n: usize| -> Vec<u8> { (0..n).map(|i| (i * 97 + 13 * (i / 7) + 41) as u8).collect() };
        // NV21: rows padded to 8 bytes.
        let nv21 = noise(8 * 5 + 8 * 3);
        // YUV_420_888 with interleaved chroma (pixel stride 2), as Android's cameras give it.
        let (luma, chroma) = (noise(9 * 5), noise(8 * 3));
        let bgra = noise(30 * 5);
        let rgb = noise(21 * 5);
        let frames = [
            Frame::new(width, height, PixelFormat::Nv21, &[Plane { data: &nv21, row_stride: 8, pixel_stride: 1 }]),
            Frame::new(
                width,
                height,
                PixelFormat::Yuv420,
                &[
                    Plane { data: &luma, row_stride: 9, pixel_stride: 1 },
                    Plane { data: &chroma, row_stride: 8, pixel_stride: 2 },
                    Plane { data: &chroma[1..], row_stride: 8, pixel_stride: 2 },
                ],
            ),
            Frame::new(width, height, PixelFormat::Bgra, &[Plane { data: &bgra, row_stride: 30, pixel_stride: 4 }]),
            Frame::new(width, height, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: 21, pixel_stride: 3 }]),
        ];
        for (index, frame) in frames.into_iter().enumerate() {
            let frame = frame.unwrap_or_else(|error| panic!("frame {index}: {error:?}"));
            let turns = [Rotation::Upright, Rotation::Clockwise90, Rotation::HalfTurn, Rotation::Clockwise270];
            for orientation in turns.into_iter().flat_map(|rotation| [false, true].map(|mirrored| Orientation { rotation, mirrored })) {
                let (columns, rows) = if orientation.swaps_axes() { (height, width) } else { (width, height) };
                // Columns out of order and repeated, as a letterbox's samples can be.
                let columns: Vec<u32> = (0..columns).rev().chain(0..columns).collect();
                for row in 0..rows {
                    let mut line = RgbLine::new(columns.len());
                    with_reader!(frame, pixels => {
                        pixels.rgb_line(orientation, row, &columns, &mut line);
                        for (at, &column) in columns.iter().enumerate() {
                            let expected = pixels.rgb_in_grid(orientation, column, row).map(i16::from);
                            assert_eq!([line.red[at], line.green[at], line.blue[at]], expected, "{orientation:?} row {row} column {column}");
                        }
                    });
                }
            }
        }
    }

    /// The 3×2 numbered frame read as a grid of the upright image (each column and row turned
    /// once, at pixel centres), for every turn, mirrored or not: the numbers land where a turned photograph
    /// puts them, as `rotation`'s `UprightCopy` tests have them.
    #[test]
    fn a_grid_reads_the_upright_image_for_every_turn() {
        let pixels: Vec<u8> = (1..=6u8).flat_map(|n| [n, n, n]).collect();
        let frame = Frame::new(3, 2, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 9, pixel_stride: 3 }]).expect("frame");
        // 1 2 3
        // 4 5 6
        let read = |orientation: Orientation| {
            with_reader!(frame, pixels => {
                let (width, height) = orientation.upright_size(3.0, 2.0);
                let columns: Vec<u32> = (0..width as u32).map(|u| pixels.grid_column(orientation, u as f32 + 0.5)).collect();
                (0..height as u32)
                    .map(|v| {
                        let row = pixels.grid_row(orientation, v as f32 + 0.5);
                        columns.iter().map(|column| pixels.rgb_in_grid(orientation, *column, row)[0]).collect::<Vec<u8>>()
                    })
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(read(Rotation::Upright.into()), [vec![1, 2, 3], vec![4, 5, 6]]);
        assert_eq!(read(Rotation::Clockwise90.into()), [vec![4, 1], vec![5, 2], vec![6, 3]]);
        assert_eq!(read(Rotation::HalfTurn.into()), [vec![6, 5, 4], vec![3, 2, 1]]);
        assert_eq!(read(Rotation::Clockwise270.into()), [vec![3, 6], vec![2, 5], vec![1, 4]]);
        let mirrored = |rotation| Orientation { rotation, mirrored: true };
        assert_eq!(read(mirrored(Rotation::Upright)), [vec![3, 2, 1], vec![6, 5, 4]]);
        assert_eq!(read(mirrored(Rotation::Clockwise90)), [vec![1, 4], vec![2, 5], vec![3, 6]]);
        assert_eq!(read(mirrored(Rotation::HalfTurn)), [vec![4, 5, 6], vec![1, 2, 3]]);
        assert_eq!(read(mirrored(Rotation::Clockwise270)), [vec![6, 3], vec![5, 2], vec![4, 1]]);
        // A position at the far edge is kept inside the frame, mirrored or not.
        with_reader!(frame, pixels => assert_eq!(pixels.grid_column(Orientation::AS_DELIVERED, 3.0), 2));
        with_reader!(frame, pixels => assert_eq!(pixels.grid_column(mirrored(Rotation::Upright), 0.0), 2));
    }
}
