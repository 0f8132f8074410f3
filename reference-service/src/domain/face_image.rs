//! What makes a selfie or a liveness capture acceptable: a JPEG (magic bytes, end-of-image
//! marker, must decode) within size and dimension limits, showing exactly one face
//! ([`FaceCheck`], by default the core's detector). The cheap checks run first, so a refused
//! upload costs no face search.

use crate::domain::DomainError;
use crate::domain::face_check::FaceCheck;

/// Smallest accepted JPEG.
pub const MIN_JPEG_BYTES: usize = 1024;
/// Largest accepted JPEG.
pub const MAX_JPEG_BYTES: usize = 5 * 1024 * 1024;
/// Smallest accepted width and height.
pub const MIN_DIMENSION: u32 = 240;
/// Largest accepted width and height. The app sends at most 480 px (the core's
/// `CaptureSettings::max_side`); 2048 leaves room for other clients while bounding what a small
/// file can make the service decode: a 50 KB JPEG declaring 4096×4096 cost 5.8 s of CPU and a
/// 120 MB peak in a debug build before it was refused for having no face; 2048×2048, 1.6 s and
/// 48 MB (same build, same machine).
pub const MAX_DIMENSION: u32 = 2048;

/// Checks that `bytes` are an acceptable JPEG showing exactly one face.
pub fn validate_jpeg(bytes: &[u8], face_check: &dyn FaceCheck) -> Result<(), DomainError> {
    if bytes.len() > MAX_JPEG_BYTES {
        return Err(DomainError::ImageTooLarge { max_bytes: MAX_JPEG_BYTES });
    }
    if bytes.len() < MIN_JPEG_BYTES {
        return Err(DomainError::ImageTooSmall { min_bytes: MIN_JPEG_BYTES });
    }
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(DomainError::ImageNotJpeg);
    }
    // Decoders fill in a truncated scan silently, so the end-of-image marker is checked too.
    let end = bytes.iter().rposition(|&b| b != 0).unwrap_or(0);
    if end < 1 || bytes[end - 1..=end] != [0xFF, 0xD9] {
        return Err(DomainError::ImageTruncated);
    }
    // The size the header declares, before any pixel is decoded: a small file can declare
    // 12000×12000, and decoding that first would cost seconds and hundreds of megabytes.
    let reader = || image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Jpeg);
    let (width, height) = reader().into_dimensions().map_err(|_| DomainError::ImageUndecodable)?;
    let fits = |d: u32| (MIN_DIMENSION..=MAX_DIMENSION).contains(&d);
    if !fits(width) || !fits(height) {
        return Err(DomainError::ImageDimensionsInvalid { min: MIN_DIMENSION, max: MAX_DIMENSION });
    }
    // And the decoder held to it, whatever a later marker might claim.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    let mut decoder = reader();
    decoder.limits(limits);
    let image = decoder.decode().map_err(|_| DomainError::ImageUndecodable)?;
    match face_check.count_faces(&image)? {
        0 => Err(DomainError::NoFaceDetected),
        1 => Ok(()),
        _ => Err(DomainError::MultipleFacesDetected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::face_check::{AssumeFacePresent, FaceCheckFailed};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image =
            image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 7 % 256) as u8, (y * 5 % 256) as u8, ((x ^ y) % 256) as u8]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image).expect("encode");
        out
    }

    struct Broken;
    impl FaceCheck for Broken {
        fn count_faces(&self, _image: &image::DynamicImage) -> Result<usize, FaceCheckFailed> {
            Err(FaceCheckFailed("model missing".into()))
        }
    }

    #[test]
    fn size_format_and_dimensions_are_checked_before_any_face_search() {
        assert_eq!(validate_jpeg(&[0xFF; 10], &Broken), Err(DomainError::ImageTooSmall { min_bytes: MIN_JPEG_BYTES }));
        let png_like = vec![0x89; 2048];
        assert_eq!(validate_jpeg(&png_like, &Broken), Err(DomainError::ImageNotJpeg));
        let mut truncated = jpeg(320, 320);
        truncated.truncate(truncated.len() - 2);
        assert_eq!(validate_jpeg(&truncated, &Broken), Err(DomainError::ImageTruncated));
        assert!(matches!(validate_jpeg(&jpeg(200, 320), &Broken), Err(DomainError::ImageDimensionsInvalid { .. })));
        assert_eq!(validate_jpeg(&jpeg(320, 320), &AssumeFacePresent), Ok(()));
        assert_eq!(validate_jpeg(&jpeg(320, 320), &Broken), Err(DomainError::FaceCheckFailed(FaceCheckFailed("model missing".into()))));
    }

    /// A real 320×320 JPEG whose frame header (SOF0) claims `width`×`height`.
    pub(crate) fn declaring(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = jpeg(320, 320);
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame header");
        bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        bytes
    }

    #[test]
    fn a_small_file_declaring_a_huge_picture_is_refused_from_its_header() {
        // 12000×12000 would be ~430 MB of pixels; the header alone refuses it, and a declared
        // size within limits is held to by the decoder.
        let huge = declaring(12_000, 12_000);
        assert!(huge.len() < 50_000);
        assert_eq!(validate_jpeg(&huge, &Broken), Err(DomainError::ImageDimensionsInvalid { min: MIN_DIMENSION, max: MAX_DIMENSION }));
        assert_eq!(
            validate_jpeg(&declaring(2049, 320), &Broken),
            Err(DomainError::ImageDimensionsInvalid { min: MIN_DIMENSION, max: MAX_DIMENSION })
        );
        assert_eq!(validate_jpeg(&declaring(320, 320), &AssumeFacePresent), Ok(()), "the patch itself keeps a valid JPEG");
    }
}
