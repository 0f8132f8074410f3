//! Liveness, decided by the service: it issues a challenge (a nonce, the action, an expiry),
//! the phone uploads the frames it captured for it, and the service runs the core's own
//! analysis (the face engine and the "move closer" challenge the phone ran for live guidance)
//! on those frames. The phone's own pass is never asked for.
//!
//! What ties frames to one challenge: the challenge id is single-use and expires, and every
//! frame's digest is remembered, so frames uploaded for one challenge are refused for any other
//! (`store::liveness_challenges`). What it cannot tell: that a frame was taken by a camera now
//! rather than replayed from a new recording — the core's challenge raises the cost of a
//! replay, it is not certified presentation-attack detection (`core::selfie::liveness`).

use identity_pass_core::selfie::face_model::{EngineLimits, FaceEngine, Rotation};
use identity_pass_core::selfie::liveness::{LivenessSettings, LivenessState, MoveCloserChallenge};
use identity_pass_core::selfie::still::{DecodedStill, StillError, decode_jpeg};

use crate::domain::DomainError;

/// How long the phone has to perform the challenge and upload its frames.
pub const CHALLENGE_LIFETIME_SECONDS: i64 = 120;
/// The core's challenge needs at least this many frames with a face.
pub const MIN_FRAMES: usize = 6;
/// More frames than a phone sends for one approach (8 s at 10 frames a second).
pub const MAX_FRAMES: usize = 80;
/// One frame's largest JPEG (a 640-px frame is ~30 KB).
pub const MAX_FRAME_BYTES: usize = 256 * 1024;
/// Frame sides accepted, checked from the header before any decoding.
pub const FRAME_SIDES: std::ops::RangeInclusive<u32> = 160..=1280;

/// The action the user performs (the only one the core guides today).
pub const MOVE_CLOSER: &str = "move_closer";

/// An issued challenge (`liveness_challenges`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivenessChallenge {
    /// Its id, which is also the nonce the phone echoes.
    pub id: String,
    /// The request.
    pub request_id: String,
    /// What the user must do.
    pub action: String,
    /// Unix seconds.
    pub issued_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// When frames were judged for it (single use).
    pub used_at: Option<i64>,
}

impl LivenessChallenge {
    /// Whether frames may still be judged for it at `now`.
    pub fn check_usable(&self, now: i64) -> Result<(), DomainError> {
        if self.used_at.is_some() {
            return Err(DomainError::LivenessChallengeUsed);
        }
        if now >= self.expires_at {
            return Err(DomainError::LivenessChallengeExpired);
        }
        Ok(())
    }
}

/// One uploaded frame: when the phone's camera took it (its clock, ms) and the JPEG.
pub struct UploadedFrame {
    /// Camera timestamp, ms; strictly increasing within an upload.
    pub timestamp_ms: u64,
    /// The frame, JPEG.
    pub jpeg: Vec<u8>,
}

/// The service's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivenessVerdict {
    /// `passed` or `failed`.
    pub result: &'static str,
    /// The core's failure code when failed (`NOT_SMOOTH`, `TIMED_OUT`…, or `INCOMPLETE` /
    /// `NO_FACE` when the frames end before a verdict).
    pub reason: Option<&'static str>,
    /// Index of the frame kept as the capture for the reviewer (the last one with a face).
    pub capture_index: Option<usize>,
}

/// Checks the upload's shape before any image is decoded.
pub fn check_upload(frames: &[UploadedFrame]) -> Result<(), DomainError> {
    if frames.len() < MIN_FRAMES {
        return Err(DomainError::LivenessFramesRequired { min: MIN_FRAMES });
    }
    if frames.len() > MAX_FRAMES {
        return Err(DomainError::LivenessFramesTooMany { max: MAX_FRAMES });
    }
    if frames.windows(2).any(|pair| pair[1].timestamp_ms <= pair[0].timestamp_ms) {
        return Err(DomainError::LivenessFramesOutOfOrder);
    }
    if frames.iter().any(|f| f.jpeg.len() > MAX_FRAME_BYTES) {
        return Err(DomainError::ImageTooLarge { max_bytes: MAX_FRAME_BYTES });
    }
    Ok(())
}

/// The core's decoder, the one the phone re-read its evidence with, bounded to [`FRAME_SIDES`].
fn decode(jpeg: &[u8]) -> Result<DecodedStill, DomainError> {
    decode_jpeg(jpeg, FRAME_SIDES).map_err(|error| match error {
        StillError::Undecodable => DomainError::ImageUndecodable,
        StillError::Dimensions { .. } => DomainError::ImageDimensionsInvalid { min: *FRAME_SIDES.start(), max: *FRAME_SIDES.end() },
    })
}

/// Runs the core's analysis and challenge on the frames, in order, as the phone did.
pub fn judge(action: &str, frames: &[UploadedFrame]) -> Result<LivenessVerdict, DomainError> {
    if action != MOVE_CLOSER {
        return Err(DomainError::LivenessActionUnknown);
    }
    // A fresh engine that sees the frames in order, as the phone's judge did.
    let mut engine = FaceEngine::new(EngineLimits::default())
        .map_err(|e| DomainError::FaceCheckFailed(crate::domain::face_check::FaceCheckFailed(e.to_string())))?;
    let mut challenge = MoveCloserChallenge::new(LivenessSettings::default());
    let mut capture_index = None;
    for (index, uploaded) in frames.iter().enumerate() {
        let still = decode(&uploaded.jpeg)?;
        let frame = still.frame().map_err(|_| DomainError::ImageUndecodable)?;
        let faces = engine.assess(&frame, Rotation::Upright).face_boxes();
        if faces.len() == 1 {
            capture_index = Some(index);
        }
        match challenge.observe(uploaded.timestamp_ms, &faces) {
            LivenessState::Passed { .. } => return Ok(LivenessVerdict { result: "passed", reason: None, capture_index }),
            LivenessState::Failed { reason } => {
                return Ok(LivenessVerdict { result: "failed", reason: Some(reason.code()), capture_index });
            }
            LivenessState::WaitingForFace | LivenessState::InProgress { .. } => {}
        }
    }
    let reason = if matches!(challenge.state(), LivenessState::WaitingForFace) { "NO_FACE" } else { "INCOMPLETE" };
    Ok(LivenessVerdict { result: "failed", reason: Some(reason), capture_index })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The selfie fixture zoomed about the face, as a 320-px JPEG (what the phone uploads).
    fn closer(zoom: f32) -> Vec<u8> {
        let path = format!("{}/../core/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"));
        identity_pass_core::testing::face_closer_jpeg(&std::fs::read(path).expect("fixture"), zoom, None)
    }

    fn frames(zooms: &[f32]) -> Vec<UploadedFrame> {
        zooms.iter().enumerate().map(|(i, z)| UploadedFrame { timestamp_ms: 1_000 + i as u64 * 100, jpeg: closer(*z) }).collect()
    }

    #[test]
    fn an_approach_passes_and_a_still_face_does_not() {
        let approach: Vec<f32> = (0..24).map(|i| 1.0 + 0.03 * i as f32).collect();
        let verdict = judge(MOVE_CLOSER, &frames(&approach)).expect("judged");
        assert_eq!((verdict.result, verdict.reason), ("passed", None));
        assert!(verdict.capture_index.is_some());
        let still = judge(MOVE_CLOSER, &frames(&[1.0; 12])).expect("judged");
        assert_eq!((still.result, still.reason), ("failed", Some("INCOMPLETE")));
    }

    #[test]
    fn a_jump_cut_fails_with_the_cores_reason() {
        let cut = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7];
        assert_eq!(judge(MOVE_CLOSER, &frames(&cut)).expect("judged").reason, Some("NOT_SMOOTH"));
    }

    #[test]
    fn the_upload_is_checked_before_decoding() {
        assert_eq!(check_upload(&frames(&[1.0; 3])), Err(DomainError::LivenessFramesRequired { min: MIN_FRAMES }));
        let mut backwards = frames(&[1.0; 6]);
        backwards[3].timestamp_ms = 0;
        assert_eq!(check_upload(&backwards), Err(DomainError::LivenessFramesOutOfOrder));
        let huge: Vec<UploadedFrame> = (0..6).map(|i| UploadedFrame { timestamp_ms: i, jpeg: vec![0; MAX_FRAME_BYTES + 1] }).collect();
        assert_eq!(check_upload(&huge), Err(DomainError::ImageTooLarge { max_bytes: MAX_FRAME_BYTES }));
        let not_jpeg: Vec<UploadedFrame> = (0..6).map(|i| UploadedFrame { timestamp_ms: i, jpeg: vec![1; 100] }).collect();
        assert_eq!(judge(MOVE_CLOSER, &not_jpeg), Err(DomainError::ImageUndecodable));
        assert_eq!(judge("turn_left", &frames(&[1.0; 6])), Err(DomainError::LivenessActionUnknown));
    }

    #[test]
    fn a_challenge_is_single_use_and_expires() {
        let mut challenge = LivenessChallenge {
            id: "lc_1".into(),
            request_id: "req_1".into(),
            action: MOVE_CLOSER.into(),
            issued_at: 100,
            expires_at: 100 + CHALLENGE_LIFETIME_SECONDS,
            used_at: None,
        };
        assert_eq!(challenge.check_usable(219), Ok(()));
        assert_eq!(challenge.check_usable(220), Err(DomainError::LivenessChallengeExpired));
        challenge.used_at = Some(150);
        assert_eq!(challenge.check_usable(150), Err(DomainError::LivenessChallengeUsed));
    }
}
