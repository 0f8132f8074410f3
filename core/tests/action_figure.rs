//! The liveness figure turns the way the checker wants the person to turn, on the screen the
//! person sees. The truth is taken from the face engine and the checker's limits, not from the
//! figure's own docs: the simulated person is drawn turned, the engine reads the yaw the checker
//! counts for that action, and the nose's move across that frame must be the figure's.
//!
//! This test found that the checker's sense of left and right is that of a frame mirrored like
//! the preview: "turn left" passes when the nose moves to the frame's left. The Android app sent
//! CameraX's unmirrored frames, so a user who turned left as told was read as turning right.
//! The core now reads every front camera's frame as its mirrored preview shows it
//! (`CameraFrame.previewMirrored`, `rotation::Orientation`; docs/selfie-engine.md, "Which image
//! the core judges"), so the frame here, the figure and the preview agree on every phone.

use identity_pass_core::selfie::action_figure::ActionFigure;
use identity_pass_core::selfie::face_model::{Action, ChallengeLimits, EngineLimits, FaceEngine, Keypoint};
use identity_pass_core::selfie::{Frame, PixelFormat, Plane, Rotation};
use identity_pass_core::simulated_person::{Pose, poses_of};
use identity_pass_core::testing::selfie_head;

/// How far the nose tip sits from the midpoint of the eyes, across the frame, as a fraction of
/// the face's width; and the yaw the engine reads (what the checker judges).
fn nose_offset_and_yaw(pose: Pose) -> (f32, f32) {
    let picture = selfie_head().draw(pose);
    let (width, height) = picture.dimensions();
    let plane = Plane { data: picture.as_raw(), row_stride: width * 3, pixel_stride: 3 };
    let frame = Frame::new(width, height, PixelFormat::Rgb, &[plane]).expect("a whole RGB frame");
    let assessment = FaceEngine::new(EngineLimits::default()).expect("models").assess(&frame, Rotation::Upright);
    let face = assessment.faces.first().expect("the simulated person's face is found");
    let between_eyes = (face.keypoint(Keypoint::RightEye).0 + face.keypoint(Keypoint::LeftEye).0) / 2.0;
    let offset = (face.keypoint(Keypoint::NoseTip).0 - between_eyes) / face.rect.width;
    (offset, assessment.pose.expect("one face has a pose").yaw)
}

#[test]
fn each_turn_is_drawn_the_way_the_checker_counts_it_in_a_frame_mirrored_like_the_preview() {
    let turn_degrees = ChallengeLimits::default().turn_degrees;
    let (straight, _) = nose_offset_and_yaw(Pose::AS_PHOTOGRAPHED);
    for action in [Action::TurnLeft, Action::TurnRight] {
        let furthest = poses_of(action).into_iter().max_by(|a, b| a.yaw.abs().total_cmp(&b.yaw.abs())).expect("a turn has poses");
        let (turned, yaw) = nose_offset_and_yaw(furthest);
        let counted = if action == Action::TurnLeft { yaw > turn_degrees } else { yaw < -turn_degrees };
        assert!(counted, "{action:?}: the checker would not count a yaw of {yaw}°");
        // The frame is what the preview shows (the iOS app's frames).
        let in_preview = turned - straight;
        assert!(in_preview.abs() > 0.05, "{action:?}: the nose hardly moved ({in_preview})");
        let figure = ActionFigure::at(action, 0, true).nose.to_x - ActionFigure::at(action, 0, false).nose.to_x;
        assert_eq!(
            in_preview.signum(),
            figure.signum(),
            "{action:?}: the person's nose moves {in_preview} across the preview, the figure's {figure}"
        );
    }
}
