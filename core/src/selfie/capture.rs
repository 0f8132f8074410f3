//! The capture: crop the face with a margin, encode a metadata-free JPEG, bound its size.
//!
//! The bytes only ever live in memory, in a type that wipes them on drop and never prints them.
//! The JPEG carries no EXIF, GPS, ICC or comment segment: the encoder writes none unless asked,
//! and `metadata_markers` re-checks every capture before it leaves this module. Only the JFIF
//! APP0 header (version and a 1:1 pixel aspect, nothing about the device or the place) remains.

use std::fmt;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use thiserror::Error;
use zeroize::Zeroizing;

use super::face_box::FaceBox;
use super::frame::Frame;
use crate::secret::REDACTED;

/// How a capture is cropped and encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaptureSettings {
    /// Margin around the face box on each side, as a fraction of the face size (hair, chin, ears).
    pub margin: f32,
    /// Longest side of the JPEG in pixels before any size fallback.
    pub max_side: u32,
    /// Upper bound of the JPEG size in bytes.
    pub max_bytes: usize,
    /// First JPEG quality tried (1–100).
    pub quality: u8,
}

impl Default for CaptureSettings {
    fn default() -> Self {
        Self { margin: 0.5, max_side: 480, max_bytes: 200_000, quality: 85 }
    }
}

/// Why a capture failed (the session keeps going and tries again on later frames).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaptureError {
    /// The face box lies outside the frame.
    #[error("the face is outside the frame")]
    EmptyCrop,
    /// The encoder refused the image.
    #[error("JPEG encoding failed: {0}")]
    Encoding(String),
    /// Even the smallest allowed JPEG exceeds the byte bound.
    #[error("the JPEG cannot be made smaller than {max_bytes} bytes")]
    TooLarge {
        /// The bound.
        max_bytes: usize,
    },
    /// The encoder wrote a metadata segment (never expected; checked so it cannot slip out).
    #[error("the JPEG carries a metadata segment (marker 0x{0:02X})")]
    Metadata(u8),
}

/// A captured selfie: JPEG bytes, wiped on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct CapturedSelfie {
    jpeg: Zeroizing<Vec<u8>>,
    width: u32,
    height: u32,
    captured_at_ms: u64,
}

impl fmt::Debug for CapturedSelfie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapturedSelfie")
            .field("jpeg", &format_args!("{REDACTED} ({} bytes)", self.jpeg.len()))
            .field("width", &self.width)
            .field("height", &self.height)
            .field("captured_at_ms", &self.captured_at_ms)
            .finish()
    }
}

impl CapturedSelfie {
    /// The JPEG, for the upload only. Named loudly so every exposure is easy to find in review.
    pub fn expose_jpeg(&self) -> &[u8] {
        &self.jpeg
    }

    /// Pixel width of the JPEG.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Pixel height of the JPEG.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The timestamp of the frame it came from.
    pub fn captured_at_ms(&self) -> u64 {
        self.captured_at_ms
    }
}

/// The markers of segments before the image data other than APP0 (JFIF): APP1–APP15 (EXIF,
/// XMP, ICC, maker notes…) and COM. Empty for a clean JPEG.
pub fn metadata_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut found = Vec::new();
    let mut at = 2; // after SOI
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        if marker == 0xDA {
            break; // start of scan: no more headers
        }
        if (0xE1..=0xEF).contains(&marker) || marker == 0xFE {
            found.push(marker);
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        at += 2 + length;
    }
    found
}

/// Crops `face` (with margin) out of `frame`, box-averaged down to at most `max_side` px.
fn crop_rgb(frame: &Frame<'_>, face: FaceBox, settings: &CaptureSettings) -> Option<(Zeroizing<Vec<u8>>, u32, u32)> {
    let (fw, fh) = (frame.width() as f32, frame.height() as f32);
    let (w, h) = (face.width * fw, face.height * fh);
    let x0 = (face.left * fw - w * settings.margin).clamp(0.0, fw) as u32;
    let y0 = (face.top * fh - h * settings.margin * 1.2).clamp(0.0, fh) as u32;
    let x1 = ((face.left * fw + w * (1.0 + settings.margin)).clamp(0.0, fw)) as u32;
    let y1 = ((face.top * fh + h * (1.0 + settings.margin)).clamp(0.0, fh)) as u32;
    let (rw, rh) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    let step = rw.max(rh).div_ceil(settings.max_side.max(16)).max(1);
    let (ow, oh) = (rw / step, rh / step);
    if ow == 0 || oh == 0 {
        return None;
    }
    let mut rgb = Zeroizing::new(Vec::with_capacity(ow as usize * oh as usize * 3));
    let area = step * step;
    for oy in 0..oh {
        for ox in 0..ow {
            let mut sum = [0u32; 3];
            for ky in 0..step {
                for kx in 0..step {
                    let p = frame.rgb_at(x0 + ox * step + kx, y0 + oy * step + ky);
                    for c in 0..3 {
                        sum[c] += u32::from(p[c]);
                    }
                }
            }
            rgb.extend(sum.map(|s| (s / area) as u8));
        }
    }
    Some((rgb, ow, oh))
}

/// Halves an RGB image (2×2 box average), for the last-resort size fallback.
fn halve(rgb: &[u8], width: u32, height: u32) -> (Zeroizing<Vec<u8>>, u32, u32) {
    let (ow, oh) = ((width / 2).max(1), (height / 2).max(1));
    let mut out = Zeroizing::new(Vec::with_capacity(ow as usize * oh as usize * 3));
    let at = |x: u32, y: u32, c: usize| u32::from(rgb[((y.min(height - 1) * width + x.min(width - 1)) * 3) as usize + c]);
    for y in 0..oh {
        for x in 0..ow {
            for c in 0..3 {
                let s = at(2 * x, 2 * y, c) + at(2 * x + 1, 2 * y, c) + at(2 * x, 2 * y + 1, c) + at(2 * x + 1, 2 * y + 1, c);
                out.push((s / 4) as u8);
            }
        }
    }
    (out, ow, oh)
}

fn encode(rgb: &[u8], width: u32, height: u32, quality: u8, capacity: usize) -> Result<Zeroizing<Vec<u8>>, CaptureError> {
    // Reserved up front so the buffer is not reallocated (each reallocation would leave an
    // unwiped copy of the partial JPEG behind in freed memory).
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    let mut encoder = Encoder::new(&mut *out, quality);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    let (w, h) = (u16::try_from(width), u16::try_from(height));
    let (Ok(w), Ok(h)) = (w, h) else { return Err(CaptureError::Encoding("image too large".into())) };
    encoder.encode(rgb, w, h, ColorType::Rgb).map_err(|e| CaptureError::Encoding(e.to_string()))?;
    Ok(out)
}

/// Width the liveness evidence is reduced towards: a face a quarter of the width is still 80 px,
/// which the face models read as well as a full frame (their inputs are 128 and 192 px), and a
/// frame is 15–30 KB on the wire.
pub const EVIDENCE_WIDTH: u32 = 320;
/// Shortest side an evidence frame keeps (the service refuses frames with a side under 160 px).
pub const EVIDENCE_MIN_SIDE: u32 = 160;
/// Longest side an evidence frame may have (the service refuses frames with a side over 1280 px).
pub const EVIDENCE_MAX_SIDE: u32 = 1280;
/// Upper bound of one evidence JPEG (the service accepts up to 256 KiB; a 320-px frame is
/// 15–30 KB).
pub const EVIDENCE_MAX_BYTES: usize = 200_000;
/// JPEG quality of the evidence: enough for the service's face detector, small on the wire.
const EVIDENCE_QUALITY: u8 = 80;
/// Samples per axis averaged into one evidence pixel: every pixel of the box up to 1280-px
/// frames, an even 4×4 grid of it above, so a 12 MP frame costs what a 1280-px one does.
const EVIDENCE_SAMPLES: u32 = 4;

/// The integer reduction factor of an evidence frame (`width / 320`), made
/// smaller when it would bring a side under [`EVIDENCE_MIN_SIDE`] (very wide frames) and larger
/// when a side would stay over [`EVIDENCE_MAX_SIDE`] (very tall ones).
fn evidence_factor(width: u32, height: u32) -> u32 {
    let mut factor = (width / EVIDENCE_WIDTH).max(1);
    while factor > 1 && (width / factor).min(height / factor) < EVIDENCE_MIN_SIDE {
        factor -= 1;
    }
    while (width / factor).max(height / factor) > EVIDENCE_MAX_SIDE {
        factor += 1;
    }
    factor
}

/// The whole frame, box-averaged by `factor` (edge pixels that fill no whole box dropped).
fn reduce_rgb(frame: &Frame<'_>, factor: u32) -> (Zeroizing<Vec<u8>>, u32, u32) {
    let (ow, oh) = ((frame.width() / factor).max(1), (frame.height() / factor).max(1));
    let samples = factor.clamp(1, EVIDENCE_SAMPLES);
    // Offsets of the samples inside a box, evenly spread (all of them when the box is small).
    let offsets: Vec<u32> = (0..samples).map(|i| (i * factor / samples).min(factor - 1)).collect();
    let count = samples * samples;
    let mut rgb = Zeroizing::new(Vec::with_capacity(ow as usize * oh as usize * 3));
    for oy in 0..oh {
        for ox in 0..ow {
            let mut sum = [0u32; 3];
            for &dy in &offsets {
                for &dx in &offsets {
                    let x = (ox * factor + dx).min(frame.width() - 1);
                    let y = (oy * factor + dy).min(frame.height() - 1);
                    let p = frame.rgb_at(x, y);
                    for c in 0..3 {
                        sum[c] += u32::from(p[c]);
                    }
                }
            }
            rgb.extend(sum.map(|s| (s / count) as u8));
        }
    }
    (rgb, ow, oh)
}

/// One frame of the liveness evidence: the whole frame (the service measures the face against
/// it, as the phone did), reduced to about [`EVIDENCE_WIDTH`] pixels wide with its aspect
/// kept, as a metadata-free JPEG of at most [`EVIDENCE_MAX_BYTES`], stamped with the frame's
/// timestamp. Held like the selfie: wiped on drop, never printed.
pub fn evidence_frame(frame: &Frame<'_>, timestamp_ms: u64) -> Result<CapturedSelfie, CaptureError> {
    let (rgb, width, height) = reduce_rgb(frame, evidence_factor(frame.width(), frame.height()));
    let mut quality = EVIDENCE_QUALITY;
    loop {
        let jpeg = encode(&rgb, width, height, quality, EVIDENCE_MAX_BYTES.saturating_mul(2))?;
        if jpeg.len() <= EVIDENCE_MAX_BYTES {
            if let Some(&marker) = metadata_markers(&jpeg).first() {
                return Err(CaptureError::Metadata(marker));
            }
            return Ok(CapturedSelfie { jpeg, width, height, captured_at_ms: timestamp_ms });
        }
        if quality <= 40 {
            return Err(CaptureError::TooLarge { max_bytes: EVIDENCE_MAX_BYTES });
        }
        quality = quality.saturating_sub(20).max(40);
    }
}

/// Crops and encodes the capture from the frame it was decided on.
pub fn capture(frame: &Frame<'_>, face: FaceBox, timestamp_ms: u64, settings: &CaptureSettings) -> Result<CapturedSelfie, CaptureError> {
    let (mut rgb, mut width, mut height) = crop_rgb(frame, face, settings).ok_or(CaptureError::EmptyCrop)?;
    let capacity = settings.max_bytes.saturating_mul(2).max(64 * 1024);
    loop {
        let mut quality = settings.quality.clamp(1, 100);
        loop {
            let jpeg = encode(&rgb, width, height, quality, capacity)?;
            if jpeg.len() <= settings.max_bytes {
                if let Some(&marker) = metadata_markers(&jpeg).first() {
                    return Err(CaptureError::Metadata(marker));
                }
                return Ok(CapturedSelfie { jpeg, width, height, captured_at_ms: timestamp_ms });
            }
            if quality <= 50 {
                break;
            }
            quality = quality.saturating_sub(15).max(50);
        }
        // Quality alone was not enough: fewer pixels. Below 64 px a face is useless.
        if width.min(height) < 128 {
            return Err(CaptureError::TooLarge { max_bytes: settings.max_bytes });
        }
        (rgb, width, height) = halve(&rgb, width, height);
    }
}
