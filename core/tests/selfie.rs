//! The selfie module on real photographs (see tests/fixtures/make_fixtures.py for their origin).

use identity_pass_core::messages::{self, Locale};
use identity_pass_core::selfie::capture::metadata_markers;
use identity_pass_core::selfie::convert::{rgb_to_bgra, rgb_to_nv21, rgb_to_yuv420_planes};
use identity_pass_core::selfie::face_model::Action;
use identity_pass_core::selfie::{
    Frame, FrameError, Guidance, LivenessFailure, LivenessState, PixelFormat, Plane, SelfieConfig, SelfieSession, SessionError,
};

struct Rgb {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

fn fixture(name: &str) -> Rgb {
    let path = format!("{}/tests/fixtures/{name}.jpg", env!("CARGO_MANIFEST_DIR"));
    let image = image::open(&path).expect("fixture decodes").to_rgb8();
    Rgb { width: image.width(), height: image.height(), pixels: image.into_raw() }
}

/// The first verdict of a fresh session on this fixture, fed as NV21 like an Android camera.
fn first_verdict(name: &str) -> identity_pass_core::selfie::FrameVerdict {
    let rgb = fixture(name);
    let nv21 = rgb_to_nv21(rgb.width, rgb.height, &rgb.pixels).expect("sizes match");
    let frame = Frame::new(rgb.width, rgb.height, PixelFormat::Nv21, &[Plane { data: &nv21, row_stride: rgb.width, pixel_stride: 1 }])
        .expect("valid frame");
    SelfieSession::new(SelfieConfig::standard()).push_frame(&frame, 1_000).expect("analysed")
}

#[test]
fn a_well_framed_selfie_finds_one_centred_face_and_is_good() {
    let verdict = first_verdict("face_selfie_640x480");
    assert_eq!(verdict.faces.len(), 1, "{verdict:?}");
    let face = verdict.faces[0];
    let centre = (face.left + face.width / 2.0, face.top + face.height / 2.0);
    assert!((centre.0 - 0.5).abs() < 0.1 && (centre.1 - 0.5).abs() < 0.15, "{face:?}");
    assert!(face.width > 0.25 && face.width < 0.4, "{face:?}");
    assert_eq!(verdict.guidance, Guidance::Good, "{verdict:?}");
}

#[test]
fn the_hd_frame_finds_the_face() {
    let verdict = first_verdict("face_selfie_1280x720");
    assert_eq!(verdict.faces.len(), 1, "{verdict:?}");
}

#[test]
fn a_small_face_asks_to_move_closer() {
    for name in ["face_far_640x480", "face_portrait_512x512"] {
        let verdict = first_verdict(name);
        assert_eq!(verdict.faces.len(), 1, "{name}: {verdict:?}");
        assert_eq!(verdict.guidance, Guidance::MoveCloser, "{name}: {verdict:?}");
    }
}

#[test]
fn two_people_are_refused() {
    let verdict = first_verdict("two_faces_640x480");
    assert_eq!(verdict.faces.len(), 2, "{verdict:?}");
    assert_eq!(verdict.guidance, Guidance::MultipleFaces);
}

#[test]
fn a_dark_room_asks_for_light() {
    let verdict = first_verdict("face_dark_640x480");
    assert_eq!(verdict.guidance, Guidance::TooDark, "{verdict:?}");
    let text = messages::selfie::verdict_message(verdict.guidance, None, Locale::English).text;
    assert!(text.contains("well-lit room"), "{text}");
}

#[test]
fn motion_blur_is_detected_on_a_found_face() {
    let verdict = first_verdict("face_blurred_640x480");
    assert_eq!(verdict.faces.len(), 1, "{verdict:?}");
    assert_eq!(verdict.guidance, Guidance::Blurry, "{verdict:?}");
    let sharp = first_verdict("face_selfie_640x480").sharpness.expect("measured");
    assert!(verdict.sharpness.expect("measured") < sharp / 3.0);
}

#[test]
fn photographs_without_a_person_have_no_face() {
    for name in ["no_face_coffee_640x480", "no_face_rocket_640x480", "no_face_cat_640x480"] {
        let verdict = first_verdict(name);
        assert!(verdict.faces.is_empty(), "{name}: {verdict:?}");
        assert_eq!(verdict.guidance, Guidance::NoFace, "{name}");
    }
}

#[test]
fn guidance_messages_exist_in_both_languages() {
    let verdict = first_verdict("face_far_640x480");
    let english = messages::selfie::verdict_message(verdict.guidance, None, Locale::English);
    let chinese = messages::selfie::verdict_message(verdict.guidance, None, Locale::SimplifiedChinese);
    assert_eq!(english.code, "SELFIE_MOVE_CLOSER");
    assert!(english.text.contains("entire face"), "{english:?}");
    assert!(chinese.text.contains("整张脸"), "{chinese:?}");
}

/// Pushes the frame `count` times, 33 ms apart; returns the session and the frame that captured.
fn push_repeatedly(frame: &Frame<'_>, count: u32) -> (SelfieSession, Option<u32>) {
    let mut session = SelfieSession::new(SelfieConfig::standard());
    let mut captured_at = None;
    for i in 0..count {
        let verdict = session.push_frame(frame, 1_000 + u64::from(i) * 33).expect("analysed");
        if verdict.captured {
            captured_at.get_or_insert(i + 1);
        }
    }
    (session, captured_at)
}

fn assert_clean_capture(mut session: SelfieSession) {
    let selfie = session.take_capture().expect("a capture");
    let jpeg = selfie.expose_jpeg();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
    assert!(metadata_markers(jpeg).is_empty(), "no EXIF/XMP/ICC/comment");
    assert!(!jpeg.windows(4).any(|w| w == b"Exif"), "no Exif block anywhere");
    assert!(jpeg.len() <= 200_000, "{} bytes", jpeg.len());
    let decoded = image::load_from_memory(jpeg).expect("decodes");
    assert_eq!((decoded.width(), decoded.height()), (selfie.width(), selfie.height()));
    assert!(selfie.width() >= 200 && selfie.width() <= 480, "{selfie:?}");
    let printed = format!("{selfie:?}");
    assert!(printed.contains("[redacted]") && !printed.contains("255, 216"), "{printed}");
    assert!(session.take_capture().is_none(), "handed over once");
}

#[test]
fn five_good_nv21_frames_yield_a_clean_jpeg() {
    let rgb = fixture("face_selfie_640x480");
    let nv21 = rgb_to_nv21(rgb.width, rgb.height, &rgb.pixels).expect("sizes match");
    let frame = Frame::new(640, 480, PixelFormat::Nv21, &[Plane { data: &nv21, row_stride: 640, pixel_stride: 1 }]).expect("valid");
    let (session, captured_at) = push_repeatedly(&frame, 8);
    assert_eq!(captured_at, Some(5));
    assert_clean_capture(session);
}

#[test]
fn bgra_with_padded_rows_captures_too() {
    let rgb = fixture("face_selfie_640x480");
    let stride = 640 * 4 + 64;
    let bgra = rgb_to_bgra(640, 480, &rgb.pixels, stride).expect("sizes match");
    let frame = Frame::new(640, 480, PixelFormat::Bgra, &[Plane { data: &bgra, row_stride: stride, pixel_stride: 4 }]).expect("valid");
    let (session, captured_at) = push_repeatedly(&frame, 6);
    assert_eq!(captured_at, Some(5));
    assert_clean_capture(session);
}

#[test]
fn yuv_420_888_planes_with_pixel_stride_two_capture_too() {
    let rgb = fixture("face_selfie_640x480");
    let (y, u, v, y_stride, c_stride) = rgb_to_yuv420_planes(640, 480, &rgb.pixels).expect("sizes match");
    let planes = [
        Plane { data: &y, row_stride: y_stride, pixel_stride: 1 },
        Plane { data: &u, row_stride: c_stride, pixel_stride: 2 },
        Plane { data: &v, row_stride: c_stride, pixel_stride: 2 },
    ];
    let frame = Frame::new(640, 480, PixelFormat::Yuv420, &planes).expect("valid");
    let (session, captured_at) = push_repeatedly(&frame, 6);
    assert_eq!(captured_at, Some(5));
    assert_clean_capture(session);
}

#[test]
fn a_moving_face_is_asked_to_hold_still() {
    let rgb = fixture("face_selfie_640x480");
    // The same selfie shifted 24 px sideways on every other frame: the face jumps back and forth.
    let mut shifted = vec![0u8; rgb.pixels.len()];
    for y in 0..480 {
        let row = &rgb.pixels[y * 1920..][..1920];
        shifted[y * 1920 + 72..][..1920 - 72].copy_from_slice(&row[..1920 - 72]);
    }
    let mut session = SelfieSession::new(SelfieConfig::standard());
    let mut guidance = Vec::new();
    for i in 0..8u64 {
        let pixels = if i % 2 == 0 { &rgb.pixels } else { &shifted };
        let frame = Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: pixels, row_stride: 1920, pixel_stride: 3 }]).expect("valid");
        let verdict = session.push_frame(&frame, 1_000 + i * 33).expect("analysed");
        assert!(!verdict.captured, "never captures while moving");
        guidance.push(verdict.guidance);
    }
    assert!(guidance[1..].iter().all(|g| *g == Guidance::HoldStill), "{guidance:?}");
}

#[test]
fn bad_frames_never_capture() {
    for name in ["face_dark_640x480", "face_blurred_640x480", "two_faces_640x480", "no_face_cat_640x480"] {
        let rgb = fixture(name);
        let frame =
            Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: &rgb.pixels, row_stride: 640 * 3, pixel_stride: 3 }]).expect("valid");
        let (mut session, captured_at) = push_repeatedly(&frame, 8);
        assert_eq!(captured_at, None, "{name}");
        assert!(session.take_capture().is_none(), "{name}");
    }
}

#[test]
fn malformed_buffers_are_errors_not_panics() {
    let short = vec![0u8; 100];
    let plane = |row_stride, pixel_stride| Plane { data: &short, row_stride, pixel_stride };
    assert!(matches!(Frame::new(640, 480, PixelFormat::Nv21, &[plane(640, 1)]), Err(FrameError::ShortBuffer { .. })));
    assert!(matches!(Frame::new(640, 480, PixelFormat::Bgra, &[plane(100, 4)]), Err(FrameError::BadStride { .. })));
    assert!(matches!(Frame::new(0, 480, PixelFormat::Rgb, &[plane(0, 3)]), Err(FrameError::BadDimensions { .. })));
    assert!(matches!(Frame::new(9000, 10, PixelFormat::Rgb, &[plane(27000, 3)]), Err(FrameError::BadDimensions { .. })));
    assert!(matches!(Frame::new(4, 4, PixelFormat::Yuv420, &[plane(4, 1)]), Err(FrameError::PlaneCount { expected: 3, found: 1, .. })));
    // Odd sizes: a 3×3 NV21 frame has 2 V/U pairs per chroma row, so rows need 4 bytes, and
    // 3 luma rows + 2 chroma rows of stride 4 need 20 bytes.
    let odd = vec![128u8; 20];
    let frame = Frame::new(3, 3, PixelFormat::Nv21, &[Plane { data: &odd, row_stride: 3, pixel_stride: 1 }]);
    assert!(matches!(frame, Err(FrameError::BadStride { .. })), "{:?}", frame.err());
    let frame = Frame::new(3, 3, PixelFormat::Nv21, &[Plane { data: &odd[..19], row_stride: 4, pixel_stride: 1 }]);
    assert!(matches!(frame, Err(FrameError::ShortBuffer { needed: 20, found: 19, .. })), "{:?}", frame.err());
    let frame = Frame::new(3, 3, PixelFormat::Nv21, &[Plane { data: &odd, row_stride: 4, pixel_stride: 1 }]).expect("valid");
    let verdict = SelfieSession::new(SelfieConfig::standard()).push_frame(&frame, 1).expect("tiny frames are analysed");
    assert_eq!(verdict.guidance, Guidance::NoFace);
}

#[test]
fn timestamps_must_increase() {
    let pixels = vec![128u8; 64 * 64 * 3];
    let frame = Frame::new(64, 64, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 192, pixel_stride: 3 }]).expect("valid");
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.push_frame(&frame, 10).expect("first");
    let error = session.push_frame(&frame, 10).expect_err("same time");
    assert!(matches!(error, SessionError::Frame(FrameError::TimestampNotIncreasing { timestamp_ms: 10, previous_ms: 10 })));
}

/// The selfie zoomed by `zoom` (≥ 1) about the face centre, back to 640×480: the face grows as
/// when the phone comes closer.
fn zoomed(source: &image::RgbImage, zoom: f32) -> Vec<u8> {
    let (w, h) = (640.0 / zoom, 480.0 / zoom);
    let (cx, cy) = (320.0, 250.0);
    let x = (cx - w / 2.0).max(0.0) as u32;
    let y = (cy - h / 2.0).max(0.0) as u32;
    let crop = image::imageops::crop_imm(source, x, y, w as u32, h as u32).to_image();
    image::imageops::resize(&crop, 640, 480, image::imageops::FilterType::Triangle).into_raw()
}

/// The selfie's head (`testing::selfie_head`) as a person who does what the session asks
/// (`simulated_person::ObedientPerson`, one pose every 100 ms), in front of a camera taking a
/// frame every `interval_ms` (a pose held over the frames of its 100 ms), as NV21 like an
/// Android camera, through a session running `asked` until its challenge ends.
fn obedient_run(asked: &[Action], interval_ms: u64) -> identity_pass_core::selfie::LivenessOutcome {
    use identity_pass_core::simulated_person::ObedientPerson;
    let head = identity_pass_core::testing::selfie_head();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.start_liveness_actions(asked.to_vec());
    let (mut person, mut told) = (ObedientPerson::default(), None);
    let mut picture = None;
    for i in 0..(20_000 / interval_ms) {
        let timestamp_ms = 5_000 + i * interval_ms;
        if picture.is_none() || (timestamp_ms - 5_000) % 100 < interval_ms {
            picture = Some(head.draw(person.next_pose(told)));
        }
        let Some(rgb) = picture.as_ref() else { unreachable!("drawn above") };
        let nv21 = rgb_to_nv21(640, 480, rgb.as_raw()).expect("sizes match");
        let frame = Frame::new(640, 480, PixelFormat::Nv21, &[Plane { data: &nv21, row_stride: 640, pixel_stride: 1 }]).expect("valid");
        told = match session.push_frame(&frame, timestamp_ms).expect("analysed").liveness {
            Some(LivenessState::DoAction { action, index, .. }) => Some((index, action)),
            _ => None,
        };
        if let Some(outcome) = session.take_liveness_outcome() {
            return outcome;
        }
    }
    panic!("the challenge never ended: {:?}", session.liveness_state());
}

/// What the service does with the uploaded frames (`reference-service` `domain::liveness_check`):
/// each JPEG decoded as it comes, one fresh face engine over all of them in order, the core's
/// action challenge with its default limits. `"passed"`, or the failure's code,
/// `ACTIONS_INCOMPLETE` when the frames end first, `NO_FACE` when none had a face.
fn judged_as_the_service_does(asked: &[Action], frames: &[identity_pass_core::selfie::CapturedSelfie]) -> &'static str {
    use identity_pass_core::selfie::face_model::{ActionChallenge, ChallengeLimits, ChallengeState, EngineLimits, FaceEngine, Rotation};
    let mut engine = FaceEngine::new(EngineLimits::default()).expect("the vendored models load");
    let mut challenge = ActionChallenge::new(asked.to_vec(), ChallengeLimits::default());
    let mut any_face = false;
    for uploaded in frames {
        let rgb = image::load_from_memory_with_format(uploaded.expose_jpeg(), image::ImageFormat::Jpeg).expect("a JPEG").to_rgb8();
        let (width, height) = rgb.dimensions();
        let frame = Frame::new(width, height, PixelFormat::Rgb, &[Plane { data: rgb.as_raw(), row_stride: width * 3, pixel_stride: 3 }])
            .expect("valid frame");
        let assessment = engine.assess(&frame, Rotation::Upright);
        any_face |= assessment.faces.len() == 1;
        match challenge.observe(assessment.challenge_sample(uploaded.captured_at_ms())) {
            ChallengeState::Passed => return "passed",
            ChallengeState::Failed(failure) => return failure.code(),
            ChallengeState::InProgress { .. } => {}
        }
    }
    if any_face { "ACTIONS_INCOMPLETE" } else { "NO_FACE" }
}

#[test]
fn the_service_judging_the_evidence_frames_agrees_with_the_phone() {
    use identity_pass_core::selfie::{EVIDENCE_INTERVAL_MS, MAX_EVIDENCE_FRAMES};
    let asked = [Action::TurnLeft, Action::ComeCloser, Action::Blink];
    // The tests' camera (10 frames a second), and a 30 fps camera watching the same person:
    // the challenge judges (and keeps) one frame per 100 ms of it.
    for interval_ms in [100, 33] {
        let outcome = obedient_run(&asked, interval_ms);
        assert_eq!(outcome.failure, None, "the phone passes at {interval_ms} ms");
        let frames = &outcome.evidence;
        assert!((6..=MAX_EVIDENCE_FRAMES).contains(&frames.len()), "{interval_ms} ms: {} frames", frames.len());
        assert!(frames.windows(2).all(|w| w[1].captured_at_ms() >= w[0].captured_at_ms() + EVIDENCE_INTERVAL_MS));
        assert_eq!(frames.first().map(|f| f.captured_at_ms()), Some(5_000), "from the first frame with a face");
        assert_eq!(
            frames.last().map(|f| f.captured_at_ms()),
            outcome.samples.last().map(|s| s.timestamp_ms),
            "up to the frame that passed"
        );
        assert!(outcome.growth > 1.2, "the trace shows the face come closer: {}", outcome.growth);
        for frame in frames {
            // The service's limits: 160–1280 px a side, 256 KiB, and no metadata.
            assert_eq!((frame.width(), frame.height()), (320, 240), "the analyser's working size, aspect kept");
            assert!(frame.expose_jpeg().len() <= 256 * 1024 && metadata_markers(frame.expose_jpeg()).is_empty());
        }
        let printed = format!("{outcome:?}");
        assert!(printed.contains("[redacted]") && !printed.contains("255, 216"), "no JPEG bytes in Debug: {printed}");
        assert_eq!(judged_as_the_service_does(&asked, frames), "passed", "the service agrees at {interval_ms} ms");
        // The same frames for actions in another order: the service's own challenge decides.
        assert_eq!(judged_as_the_service_does(&[Action::Blink, Action::TurnLeft, Action::ComeCloser], frames), "ACTIONS_INCOMPLETE");
    }
}

#[test]
fn a_still_face_does_no_action_and_the_service_would_not_pass_it() {
    let source = image::open(format!("{}/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"))).expect("fixture").to_rgb8();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.start_liveness_actions(vec![Action::TurnRight, Action::Blink]);
    let pixels = zoomed(&source, 1.0);
    let frame = Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 1920, pixel_stride: 3 }]).expect("valid");
    for i in 0..12u64 {
        let state = session.push_frame(&frame, 1_000 + i * 100).expect("analysed").liveness;
        assert_eq!(state, Some(LivenessState::DoAction { action: Action::TurnRight, index: 0, count: 2 }), "frame {i}");
    }
    assert!(session.take_liveness_outcome().is_none(), "no outcome while it runs");
    // The still face's frames, had they been sent: no action done.
    let still: Vec<_> =
        (0..12u64).map(|i| identity_pass_core::selfie::capture::evidence_frame(&frame, 1_000 + i * 100).expect("encoded")).collect();
    assert_eq!(judged_as_the_service_does(&[Action::TurnRight, Action::Blink], &still), "ACTIONS_INCOMPLETE");
}

/// The action challenge in the session: each verdict names the action to do now and its words;
/// a person who does what the screen says (`simulated_person::ObedientPerson`, the selfie's head turned
/// and blinking in 3D) passes, and the frames kept are the ones the service will judge.
#[test]
fn a_person_following_the_sessions_instructions_passes_the_action_challenge() {
    use identity_pass_core::simulated_person::{ObedientPerson, PosedHead};
    let head = PosedHead::new(
        image::open(format!("{}/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"))).expect("fixture").to_rgb8(),
    )
    .expect("the selfie shows one face");
    let asked = vec![Action::Blink, Action::TurnRight, Action::ComeCloser];
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.start_liveness_actions(asked.clone());
    let mut person = ObedientPerson::default();
    let (mut shown, mut told) = (Vec::new(), None);
    let mut last = None;
    for i in 0..120u64 {
        let picture = head.draw(person.next_pose(told));
        let frame =
            Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: picture.as_raw(), row_stride: 1920, pixel_stride: 3 }]).expect("valid");
        let verdict = session.push_frame(&frame, 1_000 + i * 100).expect("analysed");
        let message = messages::selfie::verdict_message(verdict.guidance, verdict.liveness.as_ref(), Locale::English);
        if shown.last() != Some(&message.code) {
            shown.push(message.code.clone());
        }
        told = match verdict.liveness {
            Some(LivenessState::DoAction { action, index, count }) => {
                assert_eq!((asked.get(index as usize), count), (Some(&action), 3));
                Some((index, action))
            }
            _ => None,
        };
        last = verdict.liveness;
        if matches!(last, Some(LivenessState::Passed { .. } | LivenessState::Failed { .. })) {
            break;
        }
    }
    assert!(matches!(last, Some(LivenessState::Passed { .. })), "{last:?} after {shown:?}");
    assert_eq!(shown, ["LIVENESS_BLINK", "LIVENESS_TURN_RIGHT", "LIVENESS_MOVE_CLOSER", "LIVENESS_PASSED"]);
    let outcome = session.take_liveness_outcome().expect("an outcome");
    assert!(session.take_liveness_outcome().is_none(), "delivered once");
    assert_eq!(outcome.failure, None);
    assert!(outcome.evidence.len() >= 25 && outcome.evidence.len() <= identity_pass_core::selfie::session::MAX_EVIDENCE_FRAMES);
    assert!(outcome.evidence.windows(2).all(|w| w[1].captured_at_ms() - w[0].captured_at_ms() == 100), "every judged frame kept");

    // A photograph brought closer, under the same instructions, never blinks: the blink times out.
    let mut session = SelfieSession::new(SelfieConfig::standard());
    session.start_liveness_actions(asked);
    let source = image::open(format!("{}/tests/fixtures/face_selfie_640x480.jpg", env!("CARGO_MANIFEST_DIR"))).expect("fixture").to_rgb8();
    let mut last = None;
    for i in 0..60u64 {
        let pixels = zoomed(&source, 1.0 + 0.01 * i as f32);
        let frame = Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 1920, pixel_stride: 3 }]).expect("valid");
        last = session.push_frame(&frame, 1_000 + i * 100).expect("analysed").liveness;
    }
    assert_eq!(last, Some(LivenessState::Failed { reason: LivenessFailure::ActionTimedOut }));
    assert!(session.take_liveness_outcome().expect("an outcome").evidence.is_empty());
}
