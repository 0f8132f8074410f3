//! Writes the camera frames of the UI tests' liveness step: the head of a face photograph doing
//! each action the service can ask (`simulated_person::poses_of`: turned, blinking or coming
//! closer in 3D), as 640×480 NV21, the Android camera's layout, which the iOS kit reads too.
//! An emulator or a simulator has no camera, and a photograph cannot do the actions; the
//! kits' `FixtureLivenessPerson` plays these frames when the screen asks for an action. The
//! runners call it through `tests/make-camera-frames.sh`; nothing it writes is committed.
//!
//! `cargo run -p identity-pass-core --example action_frames -- <in.jpg> <out-dir>` writes
//! `action_<code>_<NN>.nv21` (`turn_left`, `turn_right`, `blink`, `come_closer`; NN from 00).

use std::path::Path;
use std::process::ExitCode;

use identity_pass_core::selfie::convert::rgb_to_nv21;
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::simulated_person::{PosedHead, poses_of};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: action_frames <in.jpg> <out-dir>");
        return ExitCode::FAILURE;
    };
    let photo = match image::open(input) {
        Ok(image) => image.to_rgb8(),
        Err(e) => {
            eprintln!("cannot read {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if photo.dimensions() != (640, 480) {
        eprintln!("{input}: the frames are 640×480, the photograph is {:?}", photo.dimensions());
        return ExitCode::FAILURE;
    }
    let Some(head) = PosedHead::new(photo) else {
        eprintln!("{input}: not a photograph of one face");
        return ExitCode::FAILURE;
    };
    for action in [Action::TurnLeft, Action::TurnRight, Action::Blink, Action::ComeCloser] {
        for (number, pose) in poses_of(action).into_iter().enumerate() {
            let picture = head.draw(pose);
            let Some(nv21) = rgb_to_nv21(640, 480, picture.as_raw()) else {
                eprintln!("a 640×480 picture converts to NV21");
                return ExitCode::FAILURE;
            };
            let path = Path::new(out_dir).join(format!("action_{}_{number:02}.nv21", action.code()));
            if let Err(e) = std::fs::write(&path, nv21) {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
