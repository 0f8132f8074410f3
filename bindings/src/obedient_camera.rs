//! Test support only (feature `test-support`, never in a phone build): the camera of a person
//! who does what the liveness step asks, for the Kotlin and Swift session tests. No camera on a
//! build machine films a person turning their head or blinking, and a photograph cannot
//! (which is what the challenge checks), so the frames are the selfie fixture's head turned and
//! blinking in 3D (`identity_pass_core::simulated_person::PosedHead`), delivered as an Android
//! front camera delivers them: NV21 from a sensor mounted sideways, the camera's own view, which
//! the preview shows mirrored. So every session test that passes the liveness check passes it
//! through the turn and the flip a phone's frames need.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use identity_pass_core::selfie::LivenessState;
use identity_pass_core::selfie::convert::rgb_to_nv21;
use identity_pass_core::simulated_person::{ObedientPerson, PosedHead, mark_frame};

use crate::selfie::{CameraFrame, FramePlane};

/// The selfie fixture the head is drawn from.
const SELFIE: &[u8] = include_bytes!("../../core/tests/fixtures/face_selfie_640x480.jpg");

/// Frames made by every camera in this process: each carries its number, and this process's
/// random mark, along its top (`mark_frame`), so no two are the same picture, not even from two test processes
/// sharing one service (a real camera never repeats one, and the service refuses frames it
/// judged before).
static FRAMES_MADE: AtomicU32 = AtomicU32::new(0);

/// 32 bits random per process (std's hasher keys are).
fn process_mark() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static MARK: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *MARK.get_or_init(|| std::collections::hash_map::RandomState::new().build_hasher().finish() >> 32)
}

/// A person facing the phone's front camera who follows the liveness instructions.
#[derive(uniffi::Object)]
pub struct ObedientCamera {
    head: PosedHead,
    person: Mutex<ObedientPerson>,
}

#[uniffi::export]
impl ObedientCamera {
    /// A person who has not been asked anything yet.
    #[uniffi::constructor]
    pub fn new() -> Self {
        let photo = image::load_from_memory(SELFIE).map(|image| image.to_rgb8()).unwrap_or_default();
        // The fixture is compiled in and shows one face (`core/tests/selfie_engine.rs`).
        let head = PosedHead::new(photo).expect("the bundled selfie shows one face");
        Self { head, person: Mutex::new(ObedientPerson::default()) }
    }

    /// The next frame, taken at `timestamp_ms`, of the person doing what the last verdict's
    /// `liveness` asked (facing the camera when it asked nothing): what the user sees is a
    /// 640×480 preview; the frame is the sensor's 480×640 NV21 of the camera's own view, to be
    /// turned 270° clockwise and shown mirrored, as CameraX gives a front camera's frames.
    pub fn next_frame(&self, liveness: Option<LivenessState>, timestamp_ms: u64) -> CameraFrame {
        let asked = match liveness {
            Some(LivenessState::DoAction { action, index, .. }) => Some((index, action)),
            _ => None,
        };
        let pose = self.person.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).next_pose(asked);
        let mut picture = self.head.draw(pose);
        let number = u64::from(FRAMES_MADE.fetch_add(1, Ordering::Relaxed));
        mark_frame(&mut picture, process_mark() << 32 | number);
        as_front_camera_delivers(&picture, timestamp_ms)
    }
}

/// The frame a front camera delivers when its preview shows `preview`: the preview unmirrored
/// (the camera's own view), turned 90° clockwise (so that 270° more stands it upright), as NV21.
fn as_front_camera_delivers(preview: &image::RgbImage, timestamp_ms: u64) -> CameraFrame {
    let sensor = image::imageops::rotate90(&image::imageops::flip_horizontal(preview));
    let (width, height) = sensor.dimensions();
    let nv21 = rgb_to_nv21(width, height, sensor.as_raw()).unwrap_or_default();
    CameraFrame {
        width,
        height,
        format: identity_pass_core::selfie::PixelFormat::Nv21,
        planes: vec![FramePlane { data: nv21, row_stride: width, pixel_stride: 1 }],
        timestamp_ms,
        rotation_degrees: 270,
        preview_mirrored: true,
    }
}

impl Default for ObedientCamera {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use identity_pass_core::selfie::face_model::Action;

    use super::*;
    use crate::selfie::SelfieSession;

    /// Runs the person through `actions` in a fresh session, each frame passed through
    /// `deliver`: the liveness state at the end (at most 16 s of frames, 10 a second) and how
    /// many actions were done.
    fn run(actions: Vec<Action>, deliver: impl Fn(CameraFrame) -> CameraFrame) -> (Option<LivenessState>, u32) {
        let (camera, session) = (ObedientCamera::new(), SelfieSession::new("en".to_owned()));
        session.start_liveness_actions(actions);
        let (mut liveness, mut done) = (None, 0);
        for step in 0..160u64 {
            let verdict = session.push_frame(deliver(camera.next_frame(liveness, 1_000 + step * 100))).expect("analysed");
            liveness = verdict.liveness;
            match &liveness {
                Some(LivenessState::DoAction { index, .. }) => done = done.max(*index),
                Some(LivenessState::Passed { .. }) => return (liveness, 2),
                Some(LivenessState::Failed { .. }) => break,
                None => {}
            }
        }
        (liveness, done)
    }

    /// The Android defect this guards against: CameraX's frames are the camera's own view, so a
    /// user turning to their left (towards the preview's left) turns towards the frame's right.
    /// Read as the preview shows them, both turns pass; read as delivered, without the flip,
    /// the user's left is never seen and the challenge fails on its first action.
    #[test]
    fn a_front_cameras_frames_are_judged_as_the_mirrored_preview_shows_them() {
        let turns = vec![Action::TurnLeft, Action::TurnRight];
        let (flipped, _) = run(turns.clone(), |frame| frame);
        assert!(matches!(flipped, Some(LivenessState::Passed { .. })), "{flipped:?}");
        let (unflipped, done) = run(turns, |frame| CameraFrame { preview_mirrored: false, ..frame });
        assert!(matches!(unflipped, Some(LivenessState::Failed { .. })), "{unflipped:?}");
        assert_eq!(done, 0, "the turn to the left was never seen");
    }
}
