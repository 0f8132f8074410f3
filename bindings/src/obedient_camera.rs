//! Test support only (feature `test-support`, never in a phone build): the camera of a person
//! who does what the liveness step asks, for the Kotlin and Swift session tests. No camera on a
//! build machine films a person turning their head or blinking, and a photograph cannot
//! (which is what the challenge checks), so the frames are the selfie fixture's head turned and
//! blinking in 3D (`identity_pass_core::simulated_person::PosedHead`), as an Android camera's NV21.

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

    /// The next 640×480 NV21 frame, taken at `timestamp_ms`, of the person doing what the last
    /// verdict's `liveness` asked (facing the camera when it asked nothing).
    pub fn next_frame(&self, liveness: Option<LivenessState>, timestamp_ms: u64) -> CameraFrame {
        let asked = match liveness {
            Some(LivenessState::DoAction { action, index, .. }) => Some((index, action)),
            _ => None,
        };
        let pose = self.person.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).next_pose(asked);
        let mut picture = self.head.draw(pose);
        let number = u64::from(FRAMES_MADE.fetch_add(1, Ordering::Relaxed));
        mark_frame(&mut picture, process_mark() << 32 | number);
        let (width, height) = picture.dimensions();
        let nv21 = rgb_to_nv21(width, height, picture.as_raw()).unwrap_or_default();
        CameraFrame {
            width,
            height,
            format: identity_pass_core::selfie::PixelFormat::Nv21,
            planes: vec![FramePlane { data: nv21, row_stride: width, pixel_stride: 1 }],
            timestamp_ms,
            rotation_degrees: 0,
        }
    }
}

impl Default for ObedientCamera {
    fn default() -> Self {
        Self::new()
    }
}
