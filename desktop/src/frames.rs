//! Camera frames into the runtime's selfie session, with the core's guidance on the status
//! line: until the selfie is captured, or until the liveness challenge has an outcome.
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
/// Frames offered to the simulated person for one liveness attempt: three actions of at most
/// 5 s each, at 10 frames a second.
const MAX_STILL_LIVENESS_FRAMES: u32 = 160;

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
        let frame = camera.next_frame(None)?;
        let verdict = runtime.push_rotated_frame(&frame_of(&frame.image)?, frame.orientation, frame.timestamp_ms)?;
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

/// Frames until the liveness challenge passes or fails.
pub fn feed_liveness(
    runtime: &OnboardingRuntime,
    camera: &mut Camera,
    render: &mut Renderer,
    locale: Locale,
) -> Result<(), CameraInputError> {
    let chrome = Chrome(locale);
    let mut last_instruction = String::new();
    let mut liveness = None;
    for _ in 0..max_frames(camera).max(MAX_STILL_LIVENESS_FRAMES) {
        let frame = camera.next_frame(liveness.as_ref())?;
        let verdict = runtime.push_rotated_frame(&frame_of(&frame.image)?, frame.orientation, frame.timestamp_ms)?;
        liveness.clone_from(&verdict.liveness);
        last_instruction = selfie_messages::verdict_message(verdict.guidance, verdict.liveness.as_ref(), locale).text;
        let (percent, finished) = match &verdict.liveness {
            Some(LivenessState::DoAction { index, count, .. }) => (*index * 100 / (*count).max(1), false),
            Some(LivenessState::Passed { .. }) => (100, true),
            Some(LivenessState::Failed { .. }) => (0, true),
            None => (0, false),
        };
        render.status("liveness", &chrome.liveness_frame(&last_instruction, percent), Duration::from_secs(2));
        if finished {
            render.clear_status();
            return Ok(());
        }
    }
    Err(CameraInputError::NeverUsable { guidance: last_instruction })
}
