//! The figure the apps animate beside the camera while the liveness challenge asks for an
//! action: a drawn head doing it, over and over, the way the user sees themselves in the
//! preview.
//!
//! Why it is in the core: which way the figure turns for "turn left", how far and how fast, how
//! long its blink lasts and how a loop starts again are decisions. Drawn by each shell, Android
//! and iOS could disagree with each other and with the checker (`face_model::challenge`), and
//! nothing on this machine could test them. The shells draw ellipses and lines in a unit square
//! at the time they pass in, and nothing else.
//!
//! The figure is a mirror image, as the front camera's preview is (both apps mirror it): a head
//! turning to its own left moves its features towards the screen's left. `tests/action_figure.rs`
//! checks that against the face engine's reading of the simulated person doing each turn, the
//! reading the checker passes.
//!
//! "Come closer" grows the head and then fades it out and back in at its first size, so the
//! loop never shows the head moving back (which the user could copy, undoing the action).
//!
//! Pure: the action and the milliseconds since the instruction appeared in, shapes out.

use super::face_model::Action;

/// An ellipse in the figure's unit square (x to the right, y down, both 0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureEllipse {
    /// Centre, across.
    pub center_x: f32,
    /// Centre, down.
    pub center_y: f32,
    /// Half the width.
    pub radius_x: f32,
    /// Half the height.
    pub radius_y: f32,
}

/// A straight line in the figure's unit square.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureLine {
    /// Start, across.
    pub from_x: f32,
    /// Start, down.
    pub from_y: f32,
    /// End, across.
    pub to_x: f32,
    /// End, down.
    pub to_y: f32,
}

/// An arrow showing the movement: a shaft and the two barbs of its head, at the shaft's end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureArrow {
    /// From the tail to the point.
    pub shaft: FigureLine,
    /// From the point back on one side.
    pub barb_one: FigureLine,
    /// From the point back on the other side.
    pub barb_other: FigureLine,
}

/// The figure at one moment. Every shape lies inside the unit square.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFigure {
    /// The head's outline.
    pub head: FigureEllipse,
    /// The eye on the screen's left (drawn filled). A closed eye keeps a small height, so it is
    /// drawn as a line rather than vanishing.
    pub eye_on_left: FigureEllipse,
    /// The eye on the screen's right.
    pub eye_on_right: FigureEllipse,
    /// The nose, from the bridge to the tip.
    pub nose: FigureLine,
    /// The mouth.
    pub mouth: FigureLine,
    /// What to do, drawn beside the head (none for a blink).
    pub arrows: Vec<FigureArrow>,
    /// How opaque to draw all of it, 0 to 1.
    pub opacity: f32,
}

/// Where the head is in its movement: the values between which the loop moves.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FigurePose {
    /// How far the head is turned towards the screen's right (1) or left (−1).
    turn: f32,
    /// 1 open, 0 shut.
    eyes_open: f32,
    /// The head's size against its size at rest.
    scale: f32,
    /// How opaque.
    opacity: f32,
}

const AT_REST: FigurePose = FigurePose { turn: 0.0, eyes_open: 1.0, scale: 1.0, opacity: 1.0 };
/// How much bigger "come closer" draws the head: a little more than the checker asks of the
/// face (`ChallengeLimits::closer_ratio`, 1.3).
const CLOSER_SCALE: f32 = 1.35;

/// One moment of the loop: at `at_ms` the figure is in `pose`; between two moments it eases
/// from one to the other. Two moments at the same time make a cut, used only while invisible.
#[derive(Debug, Clone, Copy)]
struct Keyframe {
    at_ms: u64,
    pose: FigurePose,
}

const fn key(at_ms: u64, turn: f32, eyes_open: f32, scale: f32, opacity: f32) -> Keyframe {
    Keyframe { at_ms, pose: FigurePose { turn, eyes_open, scale, opacity } }
}

/// A turn to the screen's left: a moment still, the turn in 0.6 s, held 0.6 s, back in 0.6 s,
/// a moment still (the checker asks for the turn and the way back). A turn to the right is its
/// mirror image.
const TURN_TO_SCREEN_LEFT: [Keyframe; 6] = [
    key(0, 0.0, 1.0, 1.0, 1.0),
    key(400, 0.0, 1.0, 1.0, 1.0),
    key(1000, -1.0, 1.0, 1.0, 1.0),
    key(1600, -1.0, 1.0, 1.0, 1.0),
    key(2200, 0.0, 1.0, 1.0, 1.0),
    key(2600, 0.0, 1.0, 1.0, 1.0),
];
/// The moment a turn is held, drawn still when motion is reduced.
const TURN_HELD_MS: u64 = 1300;

/// A blink as a person makes one on purpose: shut in 0.12 s, kept shut 0.2 s, open in 0.15 s,
/// then open for a while so that each blink reads as one.
const BLINK: [Keyframe; 6] = [
    key(0, 0.0, 1.0, 1.0, 1.0),
    key(900, 0.0, 1.0, 1.0, 1.0),
    key(1020, 0.0, 0.0, 1.0, 1.0),
    key(1220, 0.0, 0.0, 1.0, 1.0),
    key(1370, 0.0, 1.0, 1.0, 1.0),
    key(1900, 0.0, 1.0, 1.0, 1.0),
];
const BLINK_HELD_MS: u64 = 1100;

/// Coming closer: fade in at rest, grow in 0.8 s, hold, fade out still grown; the cut back to
/// rest happens while invisible, a tenth of a second before the next loop fades in.
const COME_CLOSER: [Keyframe; 8] = [
    key(0, 0.0, 1.0, 1.0, 0.0),
    key(300, 0.0, 1.0, 1.0, 1.0),
    key(500, 0.0, 1.0, 1.0, 1.0),
    key(1300, 0.0, 1.0, CLOSER_SCALE, 1.0),
    key(1900, 0.0, 1.0, CLOSER_SCALE, 1.0),
    key(2200, 0.0, 1.0, CLOSER_SCALE, 0.0),
    key(2200, 0.0, 1.0, 1.0, 0.0),
    key(2300, 0.0, 1.0, 1.0, 0.0),
];
const CLOSER_HELD_MS: u64 = 1600;

impl ActionFigure {
    /// The figure for `action`, `since_shown_ms` after the instruction appeared (the shells
    /// start counting again when the action changes). With `reduce_motion` (the platform's
    /// accessibility setting) it is the action's held moment, drawn still, arrows included.
    pub fn at(action: Action, since_shown_ms: u64, reduce_motion: bool) -> ActionFigure {
        let keyframes: &[Keyframe] = match action {
            Action::TurnLeft | Action::TurnRight => &TURN_TO_SCREEN_LEFT,
            Action::Blink => &BLINK,
            Action::ComeCloser => &COME_CLOSER,
        };
        let held_ms = match action {
            Action::TurnLeft | Action::TurnRight => TURN_HELD_MS,
            Action::Blink => BLINK_HELD_MS,
            Action::ComeCloser => CLOSER_HELD_MS,
        };
        let mut pose = pose_at(keyframes, if reduce_motion { held_ms } else { since_shown_ms });
        // Mirrored preview: the user's left is the screen's left.
        if action == Action::TurnRight {
            pose.turn = -pose.turn;
        }
        draw(pose, action)
    }
}

/// The loop's length.
fn loop_ms(keyframes: &[Keyframe]) -> u64 {
    keyframes.last().map_or(1, |last| last.at_ms.max(1))
}

/// The pose `ms` into the loop (which repeats), eased between keyframes.
fn pose_at(keyframes: &[Keyframe], ms: u64) -> FigurePose {
    let t = ms % loop_ms(keyframes);
    for pair in keyframes.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if t >= from.at_ms && t < to.at_ms {
            // Smoothstep: starts and stops gently, as a head does.
            let linear = (t - from.at_ms) as f32 / (to.at_ms - from.at_ms) as f32;
            let eased = linear * linear * (3.0 - 2.0 * linear);
            let mix = |a: f32, b: f32| a + (b - a) * eased;
            return FigurePose {
                turn: mix(from.pose.turn, to.pose.turn),
                eyes_open: mix(from.pose.eyes_open, to.pose.eyes_open),
                scale: mix(from.pose.scale, to.pose.scale),
                opacity: mix(from.pose.opacity, to.pose.opacity),
            };
        }
    }
    keyframes.first().map_or(AT_REST, |first| first.pose)
}

/// The shapes of `pose`. The head rests in the middle of the square; a turn slides the features
/// across it (the nose furthest, as it stands out most) and narrows the eye turning away;
/// coming closer scales everything about the middle.
fn draw(pose: FigurePose, action: Action) -> ActionFigure {
    let FigurePose { turn, eyes_open, scale, opacity } = pose;
    let grown = |x: f32, y: f32| (0.5 + (x - 0.5) * scale, 0.5 + (y - 0.5) * scale);
    let ellipse = |x: f32, y: f32, rx: f32, ry: f32| {
        let (center_x, center_y) = grown(x, y);
        FigureEllipse { center_x, center_y, radius_x: rx * scale, radius_y: ry * scale }
    };
    let line = |x0: f32, y0: f32, x1: f32, y1: f32| {
        let ((from_x, from_y), (to_x, to_y)) = (grown(x0, y0), grown(x1, y1));
        FigureLine { from_x, from_y, to_x, to_y }
    };
    let eye_height = (0.032 * eyes_open).max(0.004);
    // The eye on the side the head turns towards goes round the curve of the head.
    let eye_width = |side: f32| 0.05 * (1.0 - if turn * side > 0.0 { 0.4 } else { 0.1 } * turn.abs());
    let eyes_shift = 0.11 * turn;
    let nose_shift = 0.15 * turn;
    let mouth_shift = 0.09 * turn;
    ActionFigure {
        head: ellipse(0.5, 0.5, 0.26 * (1.0 - 0.06 * turn.abs()), 0.34),
        eye_on_left: ellipse(0.4 + eyes_shift, 0.42, eye_width(-1.0), eye_height),
        eye_on_right: ellipse(0.6 + eyes_shift, 0.42, eye_width(1.0), eye_height),
        nose: line(0.5 + eyes_shift, 0.45, 0.5 + nose_shift, 0.56),
        mouth: line(0.44 + mouth_shift, 0.66, 0.56 + mouth_shift, 0.66),
        arrows: arrows(action),
        opacity,
    }
}

/// The arrows for `action`: one across the top for a turn, pointing the way to turn (on the
/// mirrored screen); four out of the corners for coming closer; none for a blink.
fn arrows(action: Action) -> Vec<FigureArrow> {
    match action {
        Action::TurnLeft => vec![arrow((0.62, 0.08), (0.38, 0.08))],
        Action::TurnRight => vec![arrow((0.38, 0.08), (0.62, 0.08))],
        Action::Blink => Vec::new(),
        Action::ComeCloser => {
            vec![
                arrow((0.18, 0.18), (0.05, 0.05)),
                arrow((0.82, 0.18), (0.95, 0.05)),
                arrow((0.18, 0.82), (0.05, 0.95)),
                arrow((0.82, 0.82), (0.95, 0.95)),
            ]
        }
    }
}

/// An arrow from `tail` to `point` with barbs 0.04 long at 30° either side of the shaft.
fn arrow(tail: (f32, f32), point: (f32, f32)) -> FigureArrow {
    let (dx, dy) = (point.0 - tail.0, point.1 - tail.1);
    let length = (dx * dx + dy * dy).sqrt().max(f32::EPSILON);
    let (ux, uy) = (dx / length, dy / length);
    let barb = |angle: f32| {
        let (sin, cos) = angle.sin_cos();
        // The shaft's direction turned by ±angle, pointing back from the point.
        let (bx, by) = (-(ux * cos - uy * sin), -(ux * sin + uy * cos));
        FigureLine { from_x: point.0, from_y: point.1, to_x: point.0 + 0.04 * bx, to_y: point.1 + 0.04 * by }
    };
    FigureArrow {
        shaft: FigureLine { from_x: tail.0, from_y: tail.1, to_x: point.0, to_y: point.1 },
        barb_one: barb(30f32.to_radians()),
        barb_other: barb(-30f32.to_radians()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ellipse and line of the figure, for checks over all of its shapes.
    fn extents(figure: &ActionFigure) -> impl Iterator<Item = (f32, f32, f32, f32)> + '_ {
        let ellipses = [figure.head, figure.eye_on_left, figure.eye_on_right]
            .into_iter()
            .map(|e| (e.center_x - e.radius_x, e.center_y - e.radius_y, e.center_x + e.radius_x, e.center_y + e.radius_y));
        let lines = [figure.nose, figure.mouth]
            .into_iter()
            .chain(figure.arrows.iter().flat_map(|a| [a.shaft, a.barb_one, a.barb_other]))
            .map(|l| (l.from_x.min(l.to_x), l.from_y.min(l.to_y), l.from_x.max(l.to_x), l.from_y.max(l.to_y)));
        ellipses.chain(lines)
    }

    /// Below this opacity a jump cannot be seen.
    const VISIBLE: f32 = 0.05;

    /// Every 16 ms (a 60 Hz display) over two loops of the longest animation.
    fn moments() -> impl Iterator<Item = u64> {
        (0..=2 * 2600 / 16).map(|i| i * 16)
    }

    fn nose_tip(action: Action, ms: u64) -> f32 {
        ActionFigure::at(action, ms, false).nose.to_x
    }

    #[test]
    fn a_turn_moves_the_features_towards_its_side_of_the_mirrored_screen_and_back() {
        assert!((nose_tip(Action::TurnLeft, 0) - 0.5).abs() < 1e-6);
        assert!(nose_tip(Action::TurnLeft, TURN_HELD_MS) < 0.5 - 0.12, "{}", nose_tip(Action::TurnLeft, TURN_HELD_MS));
        assert!(nose_tip(Action::TurnRight, TURN_HELD_MS) > 0.5 + 0.12, "{}", nose_tip(Action::TurnRight, TURN_HELD_MS));
        assert!((nose_tip(Action::TurnLeft, 2400) - 0.5).abs() < 1e-6, "back at rest before the loop starts again");
        // Turning to the screen's left, the eye on the left goes round the head: narrower.
        let turned = ActionFigure::at(Action::TurnLeft, TURN_HELD_MS, false);
        assert!(turned.eye_on_left.radius_x < 0.7 * turned.eye_on_right.radius_x);
        let left_arrow = turned.arrows[0].shaft;
        assert!(left_arrow.to_x < left_arrow.from_x, "the arrow points left");
    }

    #[test]
    fn turning_right_is_the_mirror_image_of_turning_left_at_every_moment() {
        let mirrored = |e: FigureEllipse| FigureEllipse { center_x: 1.0 - e.center_x, ..e };
        for ms in moments() {
            let (left, right) = (ActionFigure::at(Action::TurnLeft, ms, false), ActionFigure::at(Action::TurnRight, ms, false));
            let close = |a: f32, b: f32| (a - b).abs() < 1e-5;
            assert!(close(right.nose.to_x, 1.0 - left.nose.to_x) && close(right.nose.to_y, left.nose.to_y), "{ms} ms");
            assert!(close(right.eye_on_left.center_x, mirrored(left.eye_on_right).center_x), "{ms} ms");
            assert!(close(right.eye_on_left.radius_x, left.eye_on_right.radius_x), "{ms} ms");
            assert!(close(right.head.radius_x, left.head.radius_x), "{ms} ms");
            assert!(close(right.arrows[0].shaft.to_x, 1.0 - left.arrows[0].shaft.to_x), "{ms} ms");
        }
    }

    #[test]
    fn a_blink_shuts_only_the_eyes_and_opens_them_again() {
        let open = ActionFigure::at(Action::Blink, 0, false);
        let shut = ActionFigure::at(Action::Blink, BLINK_HELD_MS, false);
        assert!(shut.eye_on_left.radius_y < 0.2 * open.eye_on_left.radius_y);
        assert!(shut.eye_on_right.radius_y > 0.0, "a shut eye is still drawn, as a line");
        assert_eq!((shut.head, shut.nose, shut.mouth), (open.head, open.nose, open.mouth));
        assert!(shut.arrows.is_empty());
        assert_eq!(ActionFigure::at(Action::Blink, 1600, false), open, "open again before the loop starts again");
    }

    #[test]
    fn coming_closer_grows_the_head_and_never_shows_it_moving_back() {
        let rest = ActionFigure::at(Action::ComeCloser, 400, false);
        let near = ActionFigure::at(Action::ComeCloser, CLOSER_HELD_MS, false);
        // At least as much as the checker asks of the face.
        let asked = crate::selfie::face_model::ChallengeLimits::default().closer_ratio;
        assert!(near.head.radius_x >= asked * rest.head.radius_x, "{} → {}", rest.head.radius_x, near.head.radius_x);
        assert_eq!(near.arrows.len(), 4);
        // While it can be seen, the head never shrinks from one moment to the next.
        let mut previous: Option<ActionFigure> = None;
        for ms in moments() {
            let figure = ActionFigure::at(Action::ComeCloser, ms, false);
            if let Some(before) = previous.filter(|before| before.opacity > VISIBLE && figure.opacity > VISIBLE) {
                assert!(figure.head.radius_y >= before.head.radius_y, "shrank at {ms} ms while visible");
            }
            previous = Some(figure);
        }
    }

    #[test]
    fn every_action_moves_smoothly_loops_and_stays_inside_the_square() {
        for action in Action::ALL {
            let mut previous: Option<ActionFigure> = None;
            for ms in moments() {
                let figure = ActionFigure::at(action, ms, false);
                for (left, top, right, bottom) in extents(&figure) {
                    assert!(left >= 0.0 && top >= 0.0 && right <= 1.0 && bottom <= 1.0, "{action:?} at {ms} ms leaves the square");
                }
                assert!((0.0..=1.0).contains(&figure.opacity));
                if let Some(before) = previous.filter(|before| before.opacity > VISIBLE && figure.opacity > VISIBLE) {
                    // At most a hundredth of the square in 16 ms (the quickest, a blink's eyes
                    // and the turning nose, move about 0.006).
                    for (a, b) in extents(&before).zip(extents(&figure)) {
                        let step = (a.0 - b.0).abs().max((a.1 - b.1).abs()).max((a.2 - b.2).abs()).max((a.3 - b.3).abs());
                        assert!(step < 0.01, "{action:?} jumps {step} at {ms} ms");
                    }
                }
                assert_eq!(figure, ActionFigure::at(action, ms + loop_ms_of(action), false), "{action:?} loops");
                previous = Some(figure);
            }
        }
    }

    fn loop_ms_of(action: Action) -> u64 {
        match action {
            Action::TurnLeft | Action::TurnRight => loop_ms(&TURN_TO_SCREEN_LEFT),
            Action::Blink => loop_ms(&BLINK),
            Action::ComeCloser => loop_ms(&COME_CLOSER),
        }
    }

    #[test]
    fn with_motion_reduced_the_figure_holds_the_action_still() {
        for action in Action::ALL {
            let still = ActionFigure::at(action, 0, true);
            assert!(moments().all(|ms| ActionFigure::at(action, ms, true) == still), "{action:?} moves");
            assert_eq!(still.opacity, 1.0);
            assert_ne!(still, ActionFigure::at(action, 0, false), "{action:?} shows the action, not the rest");
        }
    }
}
