//! The reviewer's video call on a desktop. The call itself (WebRTC with the service, H.264,
//! Opus, reconnecting) is the runtime's, as on the phones; this shell feeds it and reports it:
//! - the camera: the same source as the selfie (the webcam, or the simulated person), about 15
//!   pictures a second while the call is open;
//! - the microphone: a terminal shell has no audio device support (the design card has no audio
//!   crate), so the scripted user hums a steady 440 Hz tone for the reviewer to hear, and a
//!   person's side is silence — a stand-in named as such on screen;
//! - the reviewer's side: a terminal cannot draw video or play sound, so their pictures and
//!   voice are counted and summarised on the status line (size, pictures a second, loudness).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use identity_pass_core::selfie::call_picture::CallPicture;
use identity_pass_runtime::OnboardingRuntime;

use crate::camera::{Camera, CameraInputError, frame_of};

/// Time between two camera pictures sent to the call (15 a second).
const PICTURE_INTERVAL: Duration = Duration::from_millis(66);
/// The microphone's rate: 48 kHz mono, as the runtime takes it.
const SAMPLES_PER_SECOND: u64 = 48_000;
/// The scripted user's hum: 440 Hz at about a quarter of full scale.
const HUM_HZ: f64 = 440.0;
const HUM_AMPLITUDE: f64 = 8_000.0;

/// What arrived from the reviewer, counted as it comes (on the call's task).
#[derive(Default)]
pub struct ReviewerMedia {
    pictures: AtomicU64,
    /// The latest picture's width and height.
    size: Mutex<Option<(u32, u32)>>,
    audio_pieces: AtomicU64,
    /// The loudest 20-ms piece's RMS so far. Not reset by a summary: the driver reads one on
    /// every 20-ms tick of the call, which would leave only the last piece's loudness.
    loudest_rms: AtomicU64,
}

impl ReviewerMedia {
    /// One of the reviewer's pictures.
    pub fn picture(&self, picture: &CallPicture) {
        self.pictures.fetch_add(1, Ordering::Relaxed);
        *self.size.lock().unwrap_or_else(|p| p.into_inner()) = Some((picture.width(), picture.height()));
    }

    /// A piece of the reviewer's voice.
    pub fn audio(&self, samples: &[i16]) {
        self.audio_pieces.fetch_add(1, Ordering::Relaxed);
        let energy: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
        let rms = (energy / samples.len().max(1) as f64).sqrt() as u64;
        self.loudest_rms.fetch_max(rms, Ordering::Relaxed);
    }

    /// How many pictures have arrived, their latest size, and the loudest voice so far.
    pub fn summary(&self) -> ReviewerMediaSummary {
        ReviewerMediaSummary {
            pictures: self.pictures.load(Ordering::Relaxed),
            size: *self.size.lock().unwrap_or_else(|p| p.into_inner()),
            audio_pieces: self.audio_pieces.load(Ordering::Relaxed),
            loudest_rms: self.loudest_rms.load(Ordering::Relaxed),
        }
    }
}

/// A snapshot of [`ReviewerMedia`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewerMediaSummary {
    /// Pictures so far.
    pub pictures: u64,
    /// The latest picture's size.
    pub size: Option<(u32, u32)>,
    /// 20-ms pieces of voice so far.
    pub audio_pieces: u64,
    /// The loudest piece's RMS (of 32 767) so far.
    pub loudest_rms: u64,
}

/// The user's side while the call is open: pictures from the camera, samples from the
/// stand-in microphone, paced by the wall clock.
pub struct CallFeed {
    opened: Instant,
    last_picture: Option<Instant>,
    samples_sent: u64,
    hums: bool,
}

impl CallFeed {
    /// A feed starting now; `hums`: the scripted user's tone, else silence.
    pub fn new(hums: bool) -> Self {
        Self { opened: Instant::now(), last_picture: None, samples_sent: 0, hums }
    }

    /// Sends what is due: a picture when one is due, and the microphone's samples up to now.
    pub fn feed(&mut self, runtime: &OnboardingRuntime, camera: &mut Camera) -> Result<(), CameraInputError> {
        if self.last_picture.is_none_or(|at| at.elapsed() >= PICTURE_INTERVAL) {
            self.last_picture = Some(Instant::now());
            let frame = camera.next_frame(None)?;
            runtime.push_rotated_frame(&frame_of(&frame.image)?, frame.orientation, frame.timestamp_ms)?;
        }
        let due = self.opened.elapsed().as_millis() as u64 * SAMPLES_PER_SECOND / 1_000;
        if due > self.samples_sent {
            let samples = microphone(self.samples_sent, due, self.hums);
            runtime.push_call_audio(&samples);
            self.samples_sent = due;
        }
        Ok(())
    }
}

/// The stand-in microphone's samples `from..to` (counted from the call's start).
fn microphone(from: u64, to: u64, hums: bool) -> Vec<i16> {
    (from..to)
        .map(|n| {
            if hums {
                let phase = std::f64::consts::TAU * HUM_HZ * n as f64 / SAMPLES_PER_SECOND as f64;
                (HUM_AMPLITUDE * phase.sin()) as i16
            } else {
                0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hum_is_continuous_across_pieces_and_silence_is_silent() {
        let whole = microphone(0, 960, true);
        let pieces = [microphone(0, 300, true), microphone(300, 960, true)].concat();
        assert_eq!(whole, pieces, "pieces of any size join without a click");
        let rms = (whole.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / whole.len() as f64).sqrt();
        assert!((rms - HUM_AMPLITUDE / 2f64.sqrt()).abs() < 100.0, "a sine of the set loudness: {rms}");
        assert!(microphone(0, 960, false).iter().all(|&s| s == 0));
    }

    #[test]
    fn the_reviewers_media_is_summarised_and_a_summary_forgets_nothing() {
        let media = ReviewerMedia::default();
        let y = vec![100u8; 64 * 48];
        let chroma = vec![128u8; 32 * 24];
        let picture = CallPicture::from_planes(64, 48, (&y, &chroma, &chroma), (64, 32, 32)).expect("planes fit");
        media.picture(&picture);
        media.picture(&picture);
        media.audio(&[1000; 960]);
        media.audio(&[-3000; 960]);
        let summary = media.summary();
        assert_eq!(summary, ReviewerMediaSummary { pictures: 2, size: Some((64, 48)), audio_pieces: 2, loudest_rms: 3000 });
        assert_eq!(media.summary(), summary, "reading it again changes nothing");
    }
}
