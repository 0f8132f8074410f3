//! Frame intake: camera buffers in the shells' native layouts, validated before any pixel is read.
//!
//! Android's CameraX delivers `YUV_420_888` as three planes whose row and pixel strides vary by
//! device (pixel stride 2 means the U and V planes interleave); the legacy camera API and many
//! pipelines hand over one NV21 buffer; iOS delivers `kCVPixelFormatType_32BGRA` with row padding;
//! the desktop and tests have packed RGB. A `Frame` borrows the caller's bytes (no copy per frame)
//! and is only constructed once every row it will read is known to be inside its buffer, so the
//! readers below cannot index out of bounds and bad input is a typed error, never a panic.

use thiserror::Error;

use crate::selfie::pixel_reader::{Nv21Reader, PackedReader, PixelReader, Reader, Yuv420Reader, with_reader};

/// The largest side we accept: 12 MP 4:3 is 4000×3000 and some sensors go to 8K.
pub const MAX_SIDE: u32 = 8192;
/// The largest frame we accept, in pixels (≈ 50 MP).
pub const MAX_PIXELS: u64 = 50_000_000;

/// How the frame's bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// One buffer: the Y rows, then interleaved V/U rows at half resolution (Android NV21).
    /// One plane; its `row_stride` applies to both parts.
    Nv21,
    /// Android `YUV_420_888`: three planes Y, U, V, each with its own row and pixel stride.
    Yuv420,
    /// iOS 32BGRA: one plane, 4 bytes per pixel, rows possibly padded.
    Bgra,
    /// Packed 8-bit RGB: one plane, 3 bytes per pixel (desktop cameras, tests).
    Rgb,
}

/// One plane of a camera buffer, borrowed from the caller.
#[derive(Clone, Copy)]
pub struct Plane<'a> {
    /// The plane's bytes.
    pub data: &'a [u8],
    /// Bytes from the start of one row to the start of the next.
    pub row_stride: u32,
    /// Bytes from one pixel (sample) to the next within a row.
    pub pixel_stride: u32,
}

/// Why a frame was refused. Nothing was read from it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FrameError {
    /// Zero or oversized dimensions.
    #[error("frame size {width}x{height} is not supported")]
    BadDimensions {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The format needs a different number of planes.
    #[error("{format:?} needs {expected} plane(s), got {found}")]
    PlaneCount {
        /// The declared format.
        format: PixelFormat,
        /// Planes the format needs.
        expected: usize,
        /// Planes given.
        found: usize,
    },
    /// A stride is smaller than one row or one pixel needs.
    #[error("plane {plane}: stride too small (row {row_stride}, pixel {pixel_stride})")]
    BadStride {
        /// Plane index.
        plane: usize,
        /// Given row stride.
        row_stride: u32,
        /// Given pixel stride.
        pixel_stride: u32,
    },
    /// A plane is shorter than its rows and strides require.
    #[error("plane {plane}: {found} bytes, needs at least {needed}")]
    ShortBuffer {
        /// Plane index.
        plane: usize,
        /// Bytes required.
        needed: u64,
        /// Bytes given.
        found: u64,
    },
    /// Frames must arrive in time order.
    #[error("timestamp {timestamp_ms} ms is not after the previous frame's {previous_ms} ms")]
    TimestampNotIncreasing {
        /// This frame's timestamp.
        timestamp_ms: u64,
        /// The previous frame's timestamp.
        previous_ms: u64,
    },
    /// A timestamp no camera clock produces, or a jump no running camera makes (see
    /// `selfie::frame_clock`). Only this frame is refused; the session's clock is unchanged.
    #[error("timestamp {timestamp_ms} ms is not plausible after the previous frame's {previous_ms:?} ms")]
    TimestampImplausible {
        /// This frame's timestamp.
        timestamp_ms: u64,
        /// The previous accepted frame's timestamp, if any.
        previous_ms: Option<u64>,
    },
    /// The shell's rotation is not a quarter turn (CameraX and AVFoundation give 0, 90, 180 or
    /// 270).
    #[error("rotation {degrees} degrees is not a quarter turn")]
    BadRotation {
        /// The degrees given.
        degrees: u32,
    },
}

impl FrameError {
    /// A stable code for logs and the shells.
    pub fn code(&self) -> &'static str {
        match self {
            FrameError::BadDimensions { .. } => "FRAME_BAD_DIMENSIONS",
            FrameError::PlaneCount { .. } => "FRAME_PLANE_COUNT",
            FrameError::BadStride { .. } => "FRAME_BAD_STRIDE",
            FrameError::ShortBuffer { .. } => "FRAME_SHORT_BUFFER",
            FrameError::TimestampNotIncreasing { .. } => "FRAME_TIMESTAMP_NOT_INCREASING",
            FrameError::TimestampImplausible { .. } => "FRAME_TIMESTAMP_IMPLAUSIBLE",
            FrameError::BadRotation { .. } => "FRAME_BAD_ROTATION",
        }
    }
}

/// A validated camera frame: every read inside `width × height` stays inside the planes.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    width: u32,
    height: u32,
    format: PixelFormat,
    planes: [Plane<'a>; 3],
}

/// Checks that `rows` rows of `cols` samples of `sample_bytes` each fit in `plane`.
fn check_plane(index: usize, plane: &Plane<'_>, rows: u32, cols: u32, sample_bytes: u32) -> Result<(), FrameError> {
    let bad_stride = FrameError::BadStride { plane: index, row_stride: plane.row_stride, pixel_stride: plane.pixel_stride };
    if plane.pixel_stride < sample_bytes {
        return Err(bad_stride);
    }
    let row_bytes = u64::from(cols - 1) * u64::from(plane.pixel_stride) + u64::from(sample_bytes);
    if u64::from(plane.row_stride) < row_bytes {
        return Err(bad_stride);
    }
    // The last row may stop right after its last sample (Android trims the padding there).
    let needed = u64::from(rows - 1) * u64::from(plane.row_stride) + row_bytes;
    let found = plane.data.len() as u64;
    if found < needed {
        return Err(FrameError::ShortBuffer { plane: index, needed, found });
    }
    Ok(())
}

impl<'a> Frame<'a> {
    /// Validates a frame. For `Nv21`, `Bgra` and `Rgb` pass one plane (its pixel stride is
    /// ignored and taken as 1, 4 and 3); for `Yuv420` pass Y, U, V in that order.
    pub fn new(width: u32, height: u32, format: PixelFormat, planes: &[Plane<'a>]) -> Result<Self, FrameError> {
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(FrameError::BadDimensions { width, height });
        }
        let expected = if format == PixelFormat::Yuv420 { 3 } else { 1 };
        if planes.len() != expected {
            return Err(FrameError::PlaneCount { format, expected, found: planes.len() });
        }
        let (chroma_w, chroma_h) = (width.div_ceil(2), height.div_ceil(2));
        let mut normalized = [planes[0]; 3];
        match format {
            PixelFormat::Nv21 => {
                let plane = Plane { pixel_stride: 1, ..planes[0] };
                // Y rows, then chroma rows of `chroma_w` V/U pairs: checked as one plane of
                // `height + chroma_h` rows, the last of which is 2·chroma_w bytes wide.
                check_plane(0, &plane, height + chroma_h, width.max(2 * chroma_w), 1)?;
                normalized = [plane; 3];
            }
            PixelFormat::Yuv420 => {
                check_plane(0, &planes[0], height, width, 1)?;
                check_plane(1, &planes[1], chroma_h, chroma_w, 1)?;
                check_plane(2, &planes[2], chroma_h, chroma_w, 1)?;
                normalized = [planes[0], planes[1], planes[2]];
            }
            PixelFormat::Bgra | PixelFormat::Rgb => {
                let bytes = if format == PixelFormat::Bgra { 4 } else { 3 };
                let plane = Plane { pixel_stride: bytes, ..planes[0] };
                check_plane(0, &plane, height, width, bytes)?;
                normalized[0] = plane;
            }
        }
        Ok(Self { width, height, format, planes: normalized })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The layout.
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// The RGB colour of one pixel; `x`, `y` inside the frame. A loop over many pixels reads
    /// through [`Frame::reader`] instead (see `pixel_reader`).
    pub(crate) fn rgb_at(&self, x: u32, y: u32) -> [u8; 3] {
        with_reader!(self, pixels => pixels.rgb(x, y))
    }

    /// This frame's reader for its layout (see [`with_reader!`]).
    pub(crate) fn reader(&self) -> Reader<'a> {
        let (width, height) = (self.width, self.height);
        match self.format {
            PixelFormat::Nv21 => Reader::Nv21(Nv21Reader { width, height, plane: self.planes[0] }),
            PixelFormat::Yuv420 => Reader::Yuv420(Yuv420Reader { width, height, planes: self.planes }),
            PixelFormat::Bgra => Reader::Bgra(PackedReader { width, height, plane: self.planes[0] }),
            PixelFormat::Rgb => Reader::Rgb(PackedReader { width, height, plane: self.planes[0] }),
        }
    }
}
