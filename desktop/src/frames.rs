//! Camera frames into the runtime's selfie session, with the core's guidance on the status
//! line: until the selfie is captured, or until the "move closer" challenge has an outcome.
//! The capture and the outcome go to the flow and the service through the runtime itself.

use std::time::Duration;

use identity_pass_core::messages::{Locale, selfie as selfie_messages};
use identity_pass_core::selfie::LivenessState;
use identity_pass_runtime::OnboardingRuntime;

use crate::camera::{Camera, CameraInputError, frame_of};
use crate::chrome::Chrome;
use crate::render::Renderer;

/// Consecutive good frames the core's selfie session needs (`SelfieConfig::standard`).
const GOOD_FRAMES_NEEDED: u32 = 5;
/// Frames offered for one selfie or one liveness attempt before giving up: 6 s of the
/// simulated camera, or about a minute of a webcam.
const MAX_STILL_FRAMES: u32 = 60;
const MAX_WEBCAM_FRAMES: u32 = 1_800;
/// The still camera zooms in for this many frames, then holds (the approach has ended).
const APPROACH_FRAMES: u32 = 40;

fn max_frames(camera: &Camera) -> u32 {
    if camera.is_live() { MAX_WEBCAM_FRAMES } else { MAX_STILL_FRAMES }
}

/// Frames until the core captures the selfie.
pub fn feed_selfie(
    runtime: &OnboardingRuntime,
    camera: &mut Camera,
    render: &mut Renderer,
    locale: Locale,
) -> Result<(), CameraInputError> {
    let chrome = Chrome(locale);
    let mut last_guidance = String::new();
    for _ in 0..max_frames(camera) {
        let frame = camera.next_frame(0)?;
        let verdict = runtime.push_frame(&frame_of(&frame.image)?, frame.timestamp_ms)?;
        last_guidance = selfie_messages::verdict_message(verdict.guidance, None, locale).text;
        let line = chrome.camera_frame(&last_guidance, verdict.good_streak.min(GOOD_FRAMES_NEEDED), GOOD_FRAMES_NEEDED);
        render.status("camera", &line, Duration::from_secs(2));
        if verdict.captured {
            render.clear_status();
            return Ok(());
        }
    }
    Err(CameraInputError::NeverUsable { guidance: last_guidance })
}

/// Frames until the "move closer" challenge passes or fails.
pub fn feed_liveness(
    runtime: &OnboardingRuntime,
    camera: &mut Camera,
    render: &mut Renderer,
    locale: Locale,
) -> Result<(), CameraInputError> {
    let chrome = Chrome(locale);
    let mut last_instruction = String::new();
    for index in 0..max_frames(camera).max(APPROACH_FRAMES * 3) {
        let frame = camera.next_frame(index.min(APPROACH_FRAMES - 1))?;
        let verdict = runtime.push_frame(&frame_of(&frame.image)?, frame.timestamp_ms)?;
        last_instruction = selfie_messages::verdict_message(verdict.guidance, verdict.liveness.as_ref(), locale).text;
        let (percent, finished) = match &verdict.liveness {
            Some(LivenessState::InProgress { progress }) => ((progress.clamp(0.0, 1.0) * 100.0) as u32, false),
            Some(LivenessState::Passed { .. }) => (100, true),
            Some(LivenessState::Failed { .. }) => (0, true),
            Some(LivenessState::WaitingForFace) | None => (0, false),
        };
        render.status("liveness", &chrome.liveness_frame(&last_instruction, percent), Duration::from_secs(2));
        if finished {
            render.clear_status();
            return Ok(());
        }
    }
    Err(CameraInputError::NeverUsable { guidance: last_instruction })
}
