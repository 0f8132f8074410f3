//! The next selfie engine's verdicts (BlazeFace, the face mesh, measurements at a fixed scale)
//! on photographs the tests make from the fixtures: one instruction per picture, each the one a
//! person holding the phone should get.

#![allow(clippy::print_stdout)] // the verdict table is printed for the closing figures

use identity_pass_core::selfie::Guidance;
use identity_pass_core::selfie::face_model::{
    Action, ActionChallenge, Assessment, ChallengeFailure, ChallengeLimits, ChallengeState, EngineLimits, FaceEngine, Rotation,
};
use identity_pass_core::simulated_person::{PosedHead, poses_doing};
use image::{RgbImage, imageops};

mod pictures;
use pictures::{SELFIE_FACE, as_nv21_frame, fixture, paste_face, scaled_brightness};

/// `image` as an NV21 camera frame, judged by a fresh engine (no previous frame).
fn judge(image: &RgbImage, rotation: Rotation) -> Assessment {
    let mut engine = FaceEngine::new(EngineLimits::default()).expect("the models load");
    as_nv21_frame(image, |frame| engine.assess(frame, rotation))
}

/// Every labelled picture: what it is, the picture, its rotation, and the instruction it must get.
fn verdict_table() -> Vec<(&'static str, RgbImage, Rotation, Guidance)> {
    let selfie = fixture("face_selfie_640x480");
    let rocket = fixture("no_face_rocket_640x480");
    let with_face = |x: f32, y: f32, width: f32, roll: f32| {
        let mut scene = rocket.clone();
        paste_face(&mut scene, &selfie, x, y, width, roll);
        scene
    };
    let mut group = rocket.clone();
    for (x, y, w) in
        [(90.0, 130.0, 58.0), (250.0, 120.0, 64.0), (420.0, 130.0, 70.0), (560.0, 150.0, 60.0), (170.0, 330.0, 77.0), (450.0, 340.0, 66.0)]
    {
        paste_face(&mut group, &selfie, x, y, w, 0.0);
    }
    // The middle of the selfie blown up to the full frame: the face fills 85% of the width.
    let too_close = imageops::resize(&imageops::crop_imm(&selfie, 190, 130, 270, 203).to_image(), 640, 480, imageops::FilterType::Triangle);
    vec![
        ("the selfie", selfie.clone(), Rotation::Upright, Guidance::Good),
        ("the selfie from a sideways sensor", imageops::rotate270(&selfie), Rotation::Clockwise90, Guidance::Good),
        (
            "the selfie upscaled to 1280×960",
            imageops::resize(&selfie, 1280, 960, imageops::FilterType::Triangle),
            Rotation::Upright,
            Guidance::Good,
        ),
        ("a face at 6% of the width", with_face(150.0, 170.0, 38.4, 0.0), Rotation::Upright, Guidance::MoveCloser),
        ("a face at 12% of the width", with_face(320.0, 240.0, 76.8, 0.0), Rotation::Upright, Guidance::MoveCloser),
        ("face_far_640x480 (20%)", fixture("face_far_640x480"), Rotation::Upright, Guidance::MoveCloser),
        ("a face filling 85% of the width", too_close, Rotation::Upright, Guidance::MoveBack),
        ("a face off to the side", with_face(150.0, 240.0, 200.0, 0.0), Rotation::Upright, Guidance::CenterFace),
        ("a head tilted 30°", with_face(320.0, 240.0, 200.0, 30.0), Rotation::Upright, Guidance::LookStraight),
        ("a group of six", group, Rotation::Upright, Guidance::MultipleFaces),
        ("two_faces_640x480", fixture("two_faces_640x480"), Rotation::Upright, Guidance::MultipleFaces),
        ("the selfie at 15% brightness", scaled_brightness(&selfie, 0.15), Rotation::Upright, Guidance::TooDark),
        ("face_dark_640x480", fixture("face_dark_640x480"), Rotation::Upright, Guidance::TooDark),
        ("face_blurred_640x480", fixture("face_blurred_640x480"), Rotation::Upright, Guidance::Blurry),
        ("a cat", fixture("no_face_cat_640x480"), Rotation::Upright, Guidance::NoFace),
        ("coffee", fixture("no_face_coffee_640x480"), Rotation::Upright, Guidance::NoFace),
        ("a rocket", fixture("no_face_rocket_640x480"), Rotation::Upright, Guidance::NoFace),
    ]
}

#[test]
fn every_picture_gets_the_instruction_a_person_needs() {
    let mut wrong = Vec::new();
    println!("{:<36} {:<14} {:<14} {:>6} {:>6} {:>7}", "picture", "expected", "got", "faces", "light", "sharp");
    for (what, picture, rotation, expected) in verdict_table() {
        let seen = judge(&picture, rotation);
        println!(
            "{what:<36} {:<14} {:<14} {:>6} {:>6.0} {:>7}",
            format!("{expected:?}"),
            format!("{:?}", seen.guidance),
            seen.faces.len(),
            seen.brightness,
            seen.sharpness.map_or("-".into(), |s| format!("{s:.3}"))
        );
        if seen.guidance != expected {
            wrong.push(format!("{what}: expected {expected:?}, got {:?} ({seen:?})", seen.guidance));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_same_face_measures_the_same_at_any_resolution() {
    let selfie = fixture("face_selfie_640x480");
    let base = judge(&selfie, Rotation::Upright);
    for (width, height) in [(1280, 960), (960, 720), (480, 360)] {
        let resized = imageops::resize(&selfie, width, height, imageops::FilterType::Triangle);
        let seen = judge(&resized, Rotation::Upright);
        let (a, b) = (base.sharpness.expect("a face"), seen.sharpness.expect("a face"));
        assert!((a - b).abs() < 0.35 * a, "{width}×{height}: sharpness {b:.3} against {a:.3} at 640×480");
        assert!((base.brightness - seen.brightness).abs() < 3.0, "{width}×{height}: light {} against {}", seen.brightness, base.brightness);
        let share = |s: &Assessment| s.faces[0].rect.width / s.image_size.0;
        assert!((share(&base) - share(&seen)).abs() < 0.02, "{width}×{height}: face share {} against {}", share(&seen), share(&base));
    }
}

/// A camera on a still face: the first frame looks at the whole picture, the next nine only near
/// the face (one small model run), the tenth at the whole picture again; the face keeps its size
/// and place to within 1% throughout, whichever model measured it. A second person who steps in
/// is seen by the next whole-picture look at the latest.
#[test]
fn a_still_face_is_tracked_at_one_size_and_a_newcomer_is_seen_at_the_recheck() {
    use identity_pass_core::selfie::face_model::FacePass;
    let mut engine = FaceEngine::new(EngineLimits::default()).expect("the models load");
    let (selfie, rocket) = (fixture("face_selfie_640x480"), fixture("no_face_rocket_640x480"));
    let mut alone = rocket.clone();
    paste_face(&mut alone, &selfie, 260.0, 240.0, 200.0, 0.0);
    let seen: Vec<Assessment> = (0..12).map(|_| as_nv21_frame(&alone, |frame| engine.assess(frame, Rotation::Upright))).collect();
    let passes: Vec<FacePass> = seen.iter().map(|a| a.pass).collect();
    let mut expected = vec![FacePass::WholeFrame];
    expected.extend([FacePass::Tracked; 9]);
    expected.extend([FacePass::WholeFrame, FacePass::Tracked]);
    assert_eq!(passes, expected);
    let first = seen[0].face_boxes()[0];
    for (i, assessment) in seen.iter().enumerate() {
        assert_eq!(assessment.guidance, Guidance::Good, "frame {i}");
        let face = assessment.face_boxes()[0];
        for (a, b) in [(first.left, face.left), (first.top, face.top), (first.width, face.width), (first.height, face.height)] {
            assert!((a - b).abs() < 0.01, "frame {i}: {face:?} against the first frame's {first:?}");
        }
    }
    let mut crowded = alone.clone();
    paste_face(&mut crowded, &selfie, 545.0, 240.0, 150.0, 0.0);
    let verdicts: Vec<(FacePass, Guidance)> =
        (0..10).map(|_| as_nv21_frame(&crowded, |frame| engine.assess(frame, Rotation::Upright))).map(|a| (a.pass, a.guidance)).collect();
    let recheck = verdicts.iter().position(|(pass, _)| *pass == FacePass::WholeFrame).expect("a recheck within ten frames");
    assert!(verdicts[..recheck].iter().all(|(pass, _)| *pass == FacePass::Tracked), "{verdicts:?}");
    assert_eq!(verdicts[recheck].1, Guidance::MultipleFaces, "{verdicts:?}");
}

/// A reset engine judges as a newly loaded one: the phone's liveness judge is reset after a
/// false start, where the service judges the upload with a fresh engine, and the two must agree.
#[test]
fn a_reset_engine_judges_as_a_new_one() {
    let (selfie, rocket) = (fixture("face_selfie_640x480"), fixture("no_face_rocket_640x480"));
    let mut near = rocket.clone();
    paste_face(&mut near, &selfie, 260.0, 240.0, 300.0, 0.0);
    let mut far = rocket.clone();
    paste_face(&mut far, &selfie, 380.0, 220.0, 150.0, 0.0);
    let judged = |engine: &mut FaceEngine| -> Vec<Assessment> {
        [&far, &far, &rocket, &far].iter().map(|scene| as_nv21_frame(scene, |frame| engine.assess(frame, Rotation::Upright))).collect()
    };
    let mut used = FaceEngine::new(EngineLimits::default()).expect("the models load");
    for _ in 0..4 {
        as_nv21_frame(&near, |frame| used.assess(frame, Rotation::Upright));
    }
    used.reset();
    let fresh = judged(&mut FaceEngine::new(EngineLimits::default()).expect("the models load"));
    assert_eq!(judged(&mut used), fresh);
    assert!(fresh.iter().any(|a| a.pass == identity_pass_core::selfie::face_model::FacePass::Tracked), "the sequence follows a face");
}

#[test]
fn a_face_moving_between_frames_is_told_to_hold_still() {
    let mut engine = FaceEngine::new(EngineLimits::default()).expect("the models load");
    let (selfie, rocket) = (fixture("face_selfie_640x480"), fixture("no_face_rocket_640x480"));
    let mut verdicts = Vec::new();
    for x in [320.0, 320.0, 350.0] {
        let mut scene = rocket.clone();
        paste_face(&mut scene, &selfie, x, 240.0, 200.0, 0.0);
        verdicts.push(as_nv21_frame(&scene, |frame| engine.assess(frame, Rotation::Upright).guidance));
    }
    assert_eq!(verdicts, vec![Guidance::Good, Guidance::Good, Guidance::HoldStill]);
}

/// The selfie as a printed photo in someone's hand: bent about its vertical axis by `bend`
/// radians (as a cylinder), its face `width` pixels wide, centred at (`x`, 240).
fn held_photo(bend: f32, width: f32, x: f32) -> RgbImage {
    let selfie = fixture("face_selfie_640x480");
    let (cx, cy, face) = SELFIE_FACE;
    let scale = width / face;
    let mut scene = fixture("no_face_rocket_640x480");
    let radius = 300.0; // the photo's half-width, in the selfie's pixels
    for py in 0..480u32 {
        for px in 0..640u32 {
            let (dx, dy) = ((px as f32 - x) / scale, (py as f32 - 240.0) / scale);
            if dx.abs() >= radius || dy.abs() >= 230.0 {
                continue;
            }
            let angle = (dx / radius).asin() - bend;
            if angle.abs() >= std::f32::consts::FRAC_PI_2 {
                continue;
            }
            let (sx, sy) = (cx + angle.sin() * radius, cy + dy);
            if sx >= 0.0 && sy >= 0.0 && sx < 640.0 && sy < 480.0 {
                scene.put_pixel(px, py, *selfie.get_pixel(sx as u32, sy as u32));
            }
        }
    }
    scene
}

#[test]
fn a_printed_photo_replayed_to_the_camera_fails_every_challenge() {
    // Six seconds of a photo held up, brought closer, moved and bent back and forth, 400 ms
    // apart: everything a hand can do to a photo.
    let mut engine = FaceEngine::new(EngineLimits::default()).expect("the models load");
    let samples: Vec<_> = (0..16u64)
        .map(|i| {
            let t = i as f32;
            let picture = held_photo(0.5 * (t / 2.0).sin(), 180.0 + 8.0 * t, 320.0 + 20.0 * (t / 3.0).sin());
            as_nv21_frame(&picture, |frame| engine.assess(frame, Rotation::Upright).challenge_sample(i * 400))
        })
        .collect();
    let most_turned = samples.iter().map(|s| s.yaw.abs()).fold(0.0, f32::max);
    let least_open = samples.iter().map(|s| s.eyes).fold(1.0, f32::min);
    println!("photo replay: most turned {most_turned:.1}°, eyes never below {least_open:.2}");
    assert!(samples.iter().all(|s| s.faces == 1), "{samples:?}");
    for random in [[0, 0, 0, 0], [1, 2, 3, 4], [5, 3, 1, 0]] {
        let actions = Action::sequence_from(random);
        let mut challenge = ActionChallenge::new(actions.clone(), ChallengeLimits::default());
        for sample in &samples {
            challenge.observe(*sample);
        }
        assert!(matches!(challenge.state(), ChallengeState::Failed(ChallengeFailure::TimedOut(_))), "{actions:?}: {:?}", challenge.state());
    }
}

/// Every frame of `pictures`, 100 ms apart, judged by one engine (as the phone's session and
/// the service's check do) into the challenge's samples.
fn samples_of(pictures: impl Iterator<Item = RgbImage>) -> Vec<identity_pass_core::selfie::face_model::ChallengeSample> {
    let mut engine = FaceEngine::new(EngineLimits::default()).expect("the models load");
    pictures
        .enumerate()
        .map(|(i, picture)| as_nv21_frame(&picture, |frame| engine.assess(frame, Rotation::Upright).challenge_sample(i as u64 * 100)))
        .collect()
}

fn challenge_after(actions: &[Action], samples: &[identity_pass_core::selfie::face_model::ChallengeSample]) -> ChallengeState {
    let mut challenge = ActionChallenge::new(actions.to_vec(), ChallengeLimits::default());
    for sample in samples {
        challenge.observe(*sample);
    }
    challenge.state()
}

#[test]
fn a_head_doing_what_is_asked_passes_and_the_same_actions_in_another_order_do_not() {
    // The selfie's head turned and blinking in 3D (`simulated_person::PosedHead`): what a person does
    // in front of the camera, measured by the engine as any camera frame is.
    let head = PosedHead::new(fixture("face_selfie_640x480")).expect("the selfie shows one face");
    // Two draws that hold all four actions between them.
    for random in [[1, 2, 3, 4], [6, 1, 2, 1]] {
        let asked = Action::sequence_from(random);
        let samples = samples_of(poses_doing(&asked).into_iter().map(|pose| head.draw(pose)));
        let most_left = samples.iter().map(|s| s.yaw).fold(f32::MIN, f32::max);
        let most_right = samples.iter().map(|s| s.yaw).fold(f32::MAX, f32::min);
        let (open, shut) = samples.iter().fold((0.0f32, 1.0f32), |(open, shut), s| (open.max(s.eyes), shut.min(s.eyes)));
        println!("{asked:?}: yaw {most_right:.1}° to {most_left:.1}°, eyes {open:.2} open, {shut:.2} shut");
        assert_eq!(challenge_after(&asked, &samples), ChallengeState::Passed, "{asked:?}: {samples:?}");
        let mut other_order = asked.clone();
        other_order.rotate_left(1);
        let samples = samples_of(poses_doing(&other_order).into_iter().map(|pose| head.draw(pose)));
        assert_ne!(challenge_after(&asked, &samples), ChallengeState::Passed, "{asked:?} done as {other_order:?}");
    }
}
