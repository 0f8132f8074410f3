//! The desktop shell's camera (feature `desktop-camera`, nokhwa: V4L2, AVFoundation, MSMF).
//!
//! Phones capture natively (CameraX, AVFoundation) and push frames through the bindings; this is
//! only for the desktop shell. A machine without a camera gets `CameraError::NoCamera`, never a
//! panic (nokhwa's `query` returns an empty list there).

use nokhwa::Camera;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{ApiBackend, CameraIndex, RequestedFormat, RequestedFormatType};
use thiserror::Error;

/// Why the camera cannot deliver frames.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CameraError {
    /// This machine has no camera (or none this platform's backend can see).
    #[error("no camera found on this computer")]
    NoCamera,
    /// The camera exists but could not be opened (in use, no permission).
    #[error("the camera could not be opened: {0}")]
    Open(String),
    /// A frame could not be read or decoded.
    #[error("the camera stopped delivering frames: {0}")]
    Read(String),
}

impl CameraError {
    /// A stable code for the shell.
    pub fn code(&self) -> &'static str {
        match self {
            CameraError::NoCamera => "CAMERA_NONE",
            CameraError::Open(_) => "CAMERA_OPEN_FAILED",
            CameraError::Read(_) => "CAMERA_READ_FAILED",
        }
    }
}

/// One RGB frame from the desktop camera; feed it as `PixelFormat::Rgb`.
pub struct RgbFrame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Packed RGB rows (`width · 3` bytes each).
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for RgbFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RgbFrame({}x{})", self.width, self.height)
    }
}

/// An open desktop camera.
pub struct DesktopCamera {
    camera: Camera,
}

impl DesktopCamera {
    /// Opens the first camera, streaming at the highest frame rate it offers.
    pub fn open_first() -> Result<Self, CameraError> {
        let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| CameraError::Open(e.to_string()))?;
        let first = cameras.first().ok_or(CameraError::NoCamera)?;
        let requested = RequestedFormat::new::<RgbFormat>(RequestedFormatType::AbsoluteHighestFrameRate);
        let index: CameraIndex = first.index().clone();
        let mut camera = Camera::new(index, requested).map_err(|e| CameraError::Open(e.to_string()))?;
        camera.open_stream().map_err(|e| CameraError::Open(e.to_string()))?;
        Ok(Self { camera })
    }

    /// The next frame, decoded to RGB.
    pub fn next_frame(&mut self) -> Result<RgbFrame, CameraError> {
        let buffer = self.camera.frame().map_err(|e| CameraError::Read(e.to_string()))?;
        let image = buffer.decode_image::<RgbFormat>().map_err(|e| CameraError::Read(e.to_string()))?;
        Ok(RgbFrame { width: image.width(), height: image.height(), pixels: image.into_raw() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This build machine has no camera (/dev/video* absent): opening must say so, not panic.
    #[test]
    fn a_machine_without_a_camera_gets_a_typed_error() {
        if std::path::Path::new("/dev/video0").exists() {
            return; // a real camera is attached; nothing to assert about its absence
        }
        let error = DesktopCamera::open_first().err().expect("no camera here");
        assert!(matches!(error, CameraError::NoCamera | CameraError::Open(_)), "{error:?}");
    }
}
