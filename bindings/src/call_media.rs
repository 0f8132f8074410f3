//! Exports the shell's half of the reviewer's video call. The call itself (WebRTC, H.264, Opus,
//! reconnecting) is the runtime's, once, in Rust; a shell only plays what comes out of it and
//! feeds it the camera and the microphone:
//! - the camera frames it already pushes for the selfie (`OnboardingSession.pushFrame`) go to the
//!   call while the call is open;
//! - the microphone goes in by `OnboardingSession.pushCallAudio` (48 kHz mono PCM);
//! - the reviewer's pictures and voice come out through [`CallMediaOutput`], which the shell
//!   implements with its platform's drawing and audio (a Compose `Image`/`AudioTrack`, a SwiftUI
//!   `Image`/`AVAudioEngine`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use identity_pass_core::selfie::call_picture::CallPicture;

use crate::error::ShellCallbackError;

/// One decoded picture of the reviewer's video, upright, to draw as it comes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReviewerPicture {
    /// Pixels across.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// `width × height` pixels, 4 bytes each (R, G, B, A; A always 255), rows top to bottom, no
    /// padding: what `Bitmap.copyPixelsFromBuffer` (ARGB_8888) and `CGImage` (RGBA) take.
    pub rgba: Vec<u8>,
}

/// Where the reviewer's side of the call goes on this platform. Give one in
/// `SessionSettings.callMedia` and the session joins the call's media itself when the user
/// presses "Join": the flow moves on when the media connects, and the service measures the time
/// in the call from that media, not from anyone's word.
///
/// Called from the call's task, not the main thread; return quickly (hand the picture to the
/// UI, queue the samples for the speaker). Whatever an implementation throws is logged and the
/// call goes on.
#[uniffi::export(with_foreign)]
pub trait CallMediaOutput: Send + Sync {
    /// The reviewer's latest picture (about 30 a second while their camera is on).
    fn on_reviewer_picture(&self, picture: ReviewerPicture) -> Result<(), ShellCallbackError>;
    /// The reviewer's voice: 48 kHz mono PCM, 20 ms (960 samples) at a time, to play in order.
    fn on_reviewer_audio(&self, samples: Vec<i16>) -> Result<(), ShellCallbackError>;
}

/// The shell's output, as the runtime's listener sees it.
pub(crate) struct ForeignCallOutput {
    output: Arc<dyn CallMediaOutput>,
    /// A throwing output is logged once per session, not 80 times a second.
    failure_logged: AtomicBool,
}

impl ForeignCallOutput {
    pub(crate) fn new(output: Arc<dyn CallMediaOutput>) -> Self {
        Self { output, failure_logged: AtomicBool::new(false) }
    }

    pub(crate) fn picture(&self, picture: &CallPicture) {
        let picture = ReviewerPicture { width: picture.width(), height: picture.height(), rgba: picture.to_rgba() };
        let result = self.output.on_reviewer_picture(picture);
        self.log_failure(result, "picture");
    }

    pub(crate) fn audio(&self, samples: &[i16]) {
        let result = self.output.on_reviewer_audio(samples.to_vec());
        self.log_failure(result, "audio");
    }

    fn log_failure(&self, result: Result<(), ShellCallbackError>, what: &'static str) {
        if let Err(error) = result
            && !self.failure_logged.swap(true, Ordering::Relaxed)
        {
            tracing::error!(%error, what, "the shell's call output failed; the call goes on (logged once)");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Recorder {
        pictures: Mutex<Vec<ReviewerPicture>>,
        audio: Mutex<Vec<Vec<i16>>>,
        throws: bool,
    }

    impl CallMediaOutput for Recorder {
        fn on_reviewer_picture(&self, picture: ReviewerPicture) -> Result<(), ShellCallbackError> {
            self.pictures.lock().expect("lock").push(picture);
            if self.throws { Err(ShellCallbackError::Failed { reason: "the view is gone".into() }) } else { Ok(()) }
        }
        fn on_reviewer_audio(&self, samples: Vec<i16>) -> Result<(), ShellCallbackError> {
            self.audio.lock().expect("lock").push(samples);
            if self.throws { Err(ShellCallbackError::Failed { reason: "no speaker".into() }) } else { Ok(()) }
        }
    }

    fn grey_picture(width: u32, height: u32, luma: u8) -> CallPicture {
        let (w, h) = (width as usize, height as usize);
        let y = vec![luma; w * h];
        let chroma = vec![128u8; w.div_ceil(2) * h.div_ceil(2)];
        CallPicture::from_planes(width, height, (&y, &chroma, &chroma), (w, w.div_ceil(2), w.div_ceil(2))).expect("planes fit")
    }

    #[test]
    fn pictures_cross_as_unpadded_opaque_rgba() {
        let recorder = Arc::new(Recorder::default());
        let output = ForeignCallOutput::new(recorder.clone());
        output.picture(&grey_picture(64, 48, 200));
        let pictures = recorder.pictures.lock().expect("lock");
        let picture = &pictures[0];
        assert_eq!((picture.width, picture.height), (64, 48));
        assert_eq!(picture.rgba.len(), 64 * 48 * 4);
        assert!(picture.rgba.chunks(4).all(|p| p[3] == 255), "opaque");
        // Video range (BT.601, 16–235): a luma of 200 is (200 − 16) × 255 / 219 = 214 on screen.
        assert!(picture.rgba.chunks(4).all(|p| p[0] == p[1] && p[1] == p[2] && p[0].abs_diff(214) <= 1), "grey stays grey");
    }

    #[test]
    fn a_throwing_output_keeps_getting_the_call() {
        let recorder = Arc::new(Recorder { throws: true, ..Recorder::default() });
        let output = ForeignCallOutput::new(recorder.clone());
        for _ in 0..3 {
            output.picture(&grey_picture(8, 8, 16));
            output.audio(&[1, 2, 3]);
        }
        assert_eq!(recorder.pictures.lock().expect("lock").len(), 3);
        assert_eq!(recorder.audio.lock().expect("lock").as_slice(), &[vec![1, 2, 3], vec![1, 2, 3], vec![1, 2, 3]]);
    }
}
