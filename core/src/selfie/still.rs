//! A JPEG still decoded into a frame the analyser can read. One decoder for everyone who
//! analyses a picture rather than a camera stream: the phone re-reading its own liveness
//! evidence, the service judging the frames it receives, the reference partner's ID checks.
//! Because the phone and the service decode through this same function, the phone's challenge
//! sees the pixels the service's will.
//!
//! The header's size is checked before any pixel is decoded, and decoding is capped at the
//! largest allowed size, so a small file declaring 12000×12000 costs nothing.

use std::ops::RangeInclusive;

use zeroize::Zeroizing;

use super::frame::{Frame, FrameError, PixelFormat, Plane};

/// Why a still was not decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StillError {
    /// Not a JPEG, or a damaged one.
    #[error("not a readable JPEG")]
    Undecodable,
    /// A side outside the accepted range (read from the header, before decoding).
    #[error("{width}x{height} is outside the accepted sizes")]
    Dimensions {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
}

/// Decoded RGB pixels, wiped on drop (they are a picture of someone's face).
pub struct DecodedStill {
    rgb: Zeroizing<Vec<u8>>,
    width: u32,
    height: u32,
}

impl std::fmt::Debug for DecodedStill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedStill").field("width", &self.width).field("height", &self.height).finish_non_exhaustive()
    }
}

impl DecodedStill {
    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels as a frame to analyse.
    pub fn frame(&self) -> Result<Frame<'_>, FrameError> {
        let plane = Plane { data: &self.rgb, row_stride: self.width.saturating_mul(3), pixel_stride: 3 };
        Frame::new(self.width, self.height, PixelFormat::Rgb, &[plane])
    }
}

/// Decodes `jpeg` to RGB if both its sides lie in `sides`.
pub fn decode_jpeg(jpeg: &[u8], sides: RangeInclusive<u32>) -> Result<DecodedStill, StillError> {
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(jpeg)).map_err(|_| StillError::Undecodable)?;
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    if !sides.contains(&width) || !sides.contains(&height) {
        return Err(StillError::Dimensions { width, height });
    }
    let largest = u64::from(*sides.end());
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(largest * largest * 4);
    image::ImageDecoder::set_limits(&mut decoder, limits).map_err(|_| StillError::Undecodable)?;
    let rgb = image::DynamicImage::from_decoder(decoder).map_err(|_| StillError::Undecodable)?.into_rgb8();
    Ok(DecodedStill { rgb: Zeroizing::new(rgb.into_raw()), width, height })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/{name}.jpg", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_photo_decodes_to_a_frame_of_its_size() {
        let still = decode_jpeg(&fixture("face_selfie_640x480"), 160..=1280).expect("decodes");
        let frame = still.frame().expect("frame");
        assert_eq!((still.width(), still.height(), frame.width(), frame.height()), (640, 480, 640, 480));
        assert!(!format!("{still:?}").contains("rgb"), "no pixels in Debug");
    }

    #[test]
    fn sizes_outside_the_range_and_non_jpegs_are_refused_before_decoding() {
        assert_eq!(
            decode_jpeg(&fixture("face_selfie_1280x720"), 160..=1000).err(),
            Some(StillError::Dimensions { width: 1280, height: 720 })
        );
        assert_eq!(
            decode_jpeg(&fixture("face_selfie_640x480"), 500..=1280).err(),
            Some(StillError::Dimensions { width: 640, height: 480 })
        );
        assert_eq!(decode_jpeg(b"not a jpeg at all", 1..=4096).err(), Some(StillError::Undecodable));
    }
}
