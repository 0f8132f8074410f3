//! A liveness challenge a photograph cannot pass: a random sequence of actions (turn left, turn
//! right, blink, come closer), each checked from the face mesh over time, each within a time
//! limit, in the order asked.
//!
//! The sequence is the service's to draw ([`Action::sequence_from`] turns its random bytes into
//! one) so that a recording made for one attempt does not fit the next; it always holds a blink,
//! which a printed or on-screen photo cannot make, and a turn, which a photo cannot make either:
//! moving, tilting or bending a photo changes the mesh's yaw by a few degrees (a photo of the
//! selfie bent like a cylinder by ±29° reads −6° to +9°), not the 25° a turned head gives.
//!
//! What this does not stop, said plainly: a video of the person (replayed on a screen, or made
//! to order by a deepfake tool, which can obey any sequence in real time), a good mask, or an
//! injected camera feed. It is not certified presentation-attack detection (ISO/IEC 30107-3);
//! it raises the cost of the cheapest attacks, and the reviewer's video call remains the check
//! that a person is there.
//!
//! Pure: samples in, state out, time passed in. The same checker runs on the phone (to guide the
//! user) and on the service over the uploaded frames (which decides).

/// One thing the user is asked to do. Persisted in the flow's snapshot under its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Turn the head to their left (the face's yaw past the limit, positive), then back.
    TurnLeft,
    /// Turn the head to their right (yaw negative), then back.
    TurnRight,
    /// Close both eyes and open them again.
    Blink,
    /// Bring the face closer: its width grows by the limit's ratio.
    ComeCloser,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 4] = [Action::TurnLeft, Action::TurnRight, Action::Blink, Action::ComeCloser];

    /// A stable code for the service's API (never a Rust `Debug` name).
    pub fn code(&self) -> &'static str {
        match self {
            Action::TurnLeft => "turn_left",
            Action::TurnRight => "turn_right",
            Action::Blink => "blink",
            Action::ComeCloser => "come_closer",
        }
    }

    /// The action with this `code`, if any.
    pub fn from_code(code: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }

    /// A sequence of three actions from the service's random bytes: a blink, a turn (left or
    /// right), and one more of the four, in a random order, never the same action twice in a row.
    pub fn sequence_from(random: [u8; 4]) -> Vec<Action> {
        let turn = if random[0].is_multiple_of(2) { Action::TurnLeft } else { Action::TurnRight };
        let extra = [Action::TurnLeft, Action::TurnRight, Action::ComeCloser, Action::Blink][usize::from(random[1] % 4)];
        let mut actions = vec![Action::Blink, turn, extra];
        // Fisher–Yates with the remaining bytes.
        for (i, byte) in [(2usize, random[2]), (1, random[3])] {
            actions.swap(i, usize::from(byte) % (i + 1));
        }
        // Two equal neighbours (the extra repeats one): move it to the other end.
        if actions.windows(2).any(|w| w[0] == w[1]) {
            actions.rotate_left(1);
            if actions.windows(2).any(|w| w[0] == w[1]) {
                actions.rotate_left(1);
            }
        }
        actions
    }
}

/// What the checker needs from one frame (made from an `Assessment`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChallengeSample {
    /// When the frame was taken, in the camera's milliseconds.
    pub timestamp_ms: u64,
    /// How many faces the frame shows.
    pub faces: usize,
    /// The single face's yaw in degrees (positive: turned to the subject's left).
    pub yaw: f32,
    /// The single face's eye opening, the lower of the two.
    pub eyes: f32,
    /// The single face's height over its width (a photograph tilted away flattens it).
    pub face_aspect: f32,
    /// The single face's width as a fraction of the image's width.
    pub face_width: f32,
}

/// The challenge's limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChallengeLimits {
    /// Each action must be done within this long of the previous one's end.
    pub per_action_ms: u64,
    /// A turn must reach this many degrees of yaw.
    pub turn_degrees: f32,
    /// A turn must come back within this many degrees of straight before the next action.
    pub straight_degrees: f32,
    /// Eyes count as closed below this fraction of their opening when the blink was asked
    /// (the widest seen while facing the camera), …
    pub closed_eyes: f32,
    /// … and as open again above this fraction.
    pub open_eyes: f32,
    /// A blink keeps the face's proportions within this fraction: a photograph tilted away
    /// flattens the eyes, but the whole face with them.
    pub blink_aspect_tolerance: f32,
    /// "Come closer" needs the face this many times as wide as when the action began.
    pub closer_ratio: f32,
    /// Frames further apart than this: the camera stopped, the attempt is void.
    pub max_gap_ms: u64,
}

impl Default for ChallengeLimits {
    fn default() -> Self {
        Self {
            per_action_ms: 5_000,
            turn_degrees: 22.0,
            straight_degrees: 10.0,
            closed_eyes: 0.72,
            open_eyes: 0.88,
            blink_aspect_tolerance: 0.08,
            closer_ratio: 1.3,
            max_gap_ms: 500,
        }
    }
}

/// Why the challenge failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChallengeFailure {
    /// The action was not done in time.
    TimedOut(Action),
    /// No face in a frame.
    FaceLost,
    /// More than one face in a frame.
    MultipleFaces,
    /// The frames stopped coming (or went back in time).
    FramesInterrupted,
}

impl ChallengeFailure {
    /// A stable code for the flow and the service.
    pub fn code(&self) -> &'static str {
        match self {
            ChallengeFailure::TimedOut(_) => "ACTION_TIMED_OUT",
            ChallengeFailure::FaceLost => "FACE_LOST",
            ChallengeFailure::MultipleFaces => "MULTIPLE_FACES",
            ChallengeFailure::FramesInterrupted => "FRAMES_INTERRUPTED",
        }
    }
}

/// Where the challenge stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ChallengeState {
    /// Doing action `index` of the sequence.
    InProgress {
        /// Which action of the sequence.
        index: usize,
        /// The action.
        action: Action,
    },
    /// Every action done in time.
    Passed,
    /// Failed, for good.
    Failed(ChallengeFailure),
}

/// How far the current action has got.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Progress {
    /// Waiting for the face to do it: for "come closer", from this width; for a blink, from the
    /// widest eyes seen facing the camera, and the face's proportions then.
    Waiting { baseline_width: Option<f32>, open_eyes: Option<OpenEyes> },
    /// Half done: turned (waiting to come back straight), or eyes closed (waiting to open
    /// past the fraction of this opening).
    Halfway { open_eyes: f32 },
}

/// The eyes' opening a blink is measured against, and the face's proportions with it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OpenEyes {
    eyes: f32,
    face_aspect: f32,
}

impl Progress {
    const START: Progress = Progress::Waiting { baseline_width: None, open_eyes: None };
}

/// The checker: feed it every frame's sample, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionChallenge {
    actions: Vec<Action>,
    limits: ChallengeLimits,
    state: ChallengeState,
    progress: Progress,
    /// When the current action began (the previous one's end, or the first frame).
    action_started_ms: Option<u64>,
    last_ms: Option<u64>,
}

impl ActionChallenge {
    /// A challenge of `actions` (an empty sequence has nothing to do and passes at once).
    pub fn new(actions: Vec<Action>, limits: ChallengeLimits) -> Self {
        let state = match actions.first() {
            Some(action) => ChallengeState::InProgress { index: 0, action: *action },
            None => ChallengeState::Passed,
        };
        Self { actions, limits, state, progress: Progress::START, action_started_ms: None, last_ms: None }
    }

    /// The actions asked, in order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Where it stands.
    pub fn state(&self) -> ChallengeState {
        self.state
    }

    /// Takes one frame's sample.
    pub fn observe(&mut self, sample: ChallengeSample) -> ChallengeState {
        let ChallengeState::InProgress { index, action } = self.state else { return self.state };
        let limits = self.limits;
        if let Some(last) = self.last_ms
            && (sample.timestamp_ms < last || sample.timestamp_ms - last > limits.max_gap_ms)
        {
            return self.fail(ChallengeFailure::FramesInterrupted);
        }
        self.last_ms = Some(sample.timestamp_ms);
        let started = *self.action_started_ms.get_or_insert(sample.timestamp_ms);
        match sample.faces {
            0 => return self.fail(ChallengeFailure::FaceLost),
            1 => {}
            _ => return self.fail(ChallengeFailure::MultipleFaces),
        }
        let facing = sample.yaw.abs() <= limits.straight_degrees;
        let done = match (action, self.progress) {
            (Action::TurnLeft | Action::TurnRight, Progress::Waiting { .. }) => {
                let turned = if action == Action::TurnLeft { sample.yaw } else { -sample.yaw };
                if turned >= limits.turn_degrees {
                    self.progress = Progress::Halfway { open_eyes: 0.0 };
                }
                false
            }
            (Action::TurnLeft | Action::TurnRight, Progress::Halfway { .. }) => facing,
            (Action::Blink, Progress::Waiting { open_eyes, .. }) => {
                // People's eyes open to different heights (and the mesh reads them a little
                // differently), so a blink is the eyes closing against their own opening.
                let widest = match open_eyes {
                    Some(open) if open.eyes >= sample.eyes || !facing => Some(open),
                    _ if facing => Some(OpenEyes { eyes: sample.eyes, face_aspect: sample.face_aspect }),
                    other => other,
                };
                self.progress = Progress::Waiting { baseline_width: None, open_eyes: widest };
                if let Some(open) = widest
                    && facing
                    && sample.eyes < open.eyes * limits.closed_eyes
                    && (sample.face_aspect / open.face_aspect.max(f32::EPSILON) - 1.0).abs() <= limits.blink_aspect_tolerance
                {
                    self.progress = Progress::Halfway { open_eyes: open.eyes };
                }
                false
            }
            (Action::Blink, Progress::Halfway { open_eyes }) => sample.eyes > open_eyes * limits.open_eyes,
            (Action::ComeCloser, Progress::Waiting { baseline_width, .. }) => {
                let baseline = baseline_width.unwrap_or(sample.face_width);
                self.progress = Progress::Waiting { baseline_width: Some(baseline), open_eyes: None };
                sample.face_width >= baseline * limits.closer_ratio
            }
            (Action::ComeCloser, Progress::Halfway { .. }) => true,
        };
        if done {
            self.action_started_ms = Some(sample.timestamp_ms);
            self.progress = Progress::START;
            self.state = match self.actions.get(index + 1) {
                Some(next) => ChallengeState::InProgress { index: index + 1, action: *next },
                None => ChallengeState::Passed,
            };
        } else if sample.timestamp_ms.saturating_sub(started) > limits.per_action_ms {
            return self.fail(ChallengeFailure::TimedOut(action));
        }
        self.state
    }

    fn fail(&mut self, failure: ChallengeFailure) -> ChallengeState {
        self.state = ChallengeState::Failed(failure);
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(timestamp_ms: u64, yaw: f32, eyes: f32, face_width: f32) -> ChallengeSample {
        ChallengeSample { timestamp_ms, faces: 1, yaw, eyes, face_width, face_aspect: 1.3 }
    }

    /// A person doing `actions` at 30 frames a second: each action takes about a second.
    fn person(actions: &[Action]) -> Vec<ChallengeSample> {
        let mut frames = Vec::new();
        let mut t = 0;
        let mut width = 0.3;
        let mut push = |yaw: f32, eyes: f32, width: f32, frames: &mut Vec<ChallengeSample>| {
            frames.push(sample(t, yaw, eyes, width));
            t += 33;
        };
        for _ in 0..10 {
            push(0.0, 0.35, width, &mut frames);
        }
        for action in actions {
            for step in 0..30 {
                let phase = (step as f32 / 29.0 * std::f32::consts::PI).sin(); // 0 → 1 → 0
                match action {
                    Action::TurnLeft => push(35.0 * phase, 0.35, width, &mut frames),
                    Action::TurnRight => push(-35.0 * phase, 0.35, width, &mut frames),
                    Action::Blink => push(0.0, if (12..16).contains(&step) { 0.05 } else { 0.35 }, width, &mut frames),
                    Action::ComeCloser => {
                        width *= 1.012;
                        push(0.0, 0.35, width, &mut frames);
                    }
                }
            }
        }
        frames
    }

    fn run(actions: Vec<Action>, frames: &[ChallengeSample]) -> ChallengeState {
        let mut challenge = ActionChallenge::new(actions, ChallengeLimits::default());
        for frame in frames {
            challenge.observe(*frame);
        }
        challenge.state()
    }

    #[test]
    fn a_person_doing_what_is_asked_passes() {
        for random in [[0, 0, 0, 0], [1, 2, 3, 4], [7, 3, 250, 9], [2, 1, 1, 1]] {
            let actions = Action::sequence_from(random);
            assert_eq!(run(actions.clone(), &person(&actions)), ChallengeState::Passed, "{actions:?}");
        }
    }

    #[test]
    fn doing_the_actions_in_another_order_fails() {
        let asked = vec![Action::TurnLeft, Action::Blink, Action::TurnRight];
        // The right actions, the wrong order, then waiting: only the last turn counts (as the
        // first action asked), and the blink asked next never comes.
        let mut frames = person(&[Action::TurnRight, Action::Blink, Action::TurnLeft]);
        let end = frames.last().map_or(0, |f| f.timestamp_ms);
        frames.extend((1..200).map(|i| sample(end + i * 33, 0.0, 0.35, 0.3)));
        assert_eq!(run(asked, &frames), ChallengeState::Failed(ChallengeFailure::TimedOut(Action::Blink)));
    }

    #[test]
    fn a_photo_moved_closer_and_tilted_never_blinks_or_turns() {
        // What a printed photo gives the mesh: the yaw wobbles a few degrees, the eyes stay open,
        // the width changes as it is moved.
        let photo: Vec<ChallengeSample> =
            (0..600).map(|i| sample(i * 33, 8.0 * ((i as f32) / 20.0).sin(), 0.33, 0.3 + 0.001 * i as f32)).collect();
        for random in [[0, 0, 0, 0], [1, 2, 3, 4], [9, 9, 9, 9]] {
            let actions = Action::sequence_from(random);
            assert!(matches!(run(actions.clone(), &photo), ChallengeState::Failed(ChallengeFailure::TimedOut(_))), "{actions:?}");
        }
    }

    #[test]
    fn every_sequence_holds_a_blink_and_a_turn_and_no_repeat() {
        for a in 0..=255u8 {
            for b in [0u8, 1, 2, 3, 17, 200] {
                let actions = Action::sequence_from([a, b, a.wrapping_mul(7), b.wrapping_add(a)]);
                assert_eq!(actions.len(), 3);
                assert!(actions.contains(&Action::Blink), "{actions:?}");
                assert!(actions.iter().any(|x| matches!(x, Action::TurnLeft | Action::TurnRight)), "{actions:?}");
                assert!(actions.windows(2).all(|w| w[0] != w[1]), "{actions:?}");
            }
        }
    }

    #[test]
    fn every_failure_has_the_code_the_phone_reads_back() {
        use crate::selfie::LivenessFailure;
        let failures = [
            ChallengeFailure::TimedOut(Action::Blink),
            ChallengeFailure::FaceLost,
            ChallengeFailure::MultipleFaces,
            ChallengeFailure::FramesInterrupted,
        ];
        for failure in failures {
            assert_eq!(LivenessFailure::from_code(failure.code()), Some(LivenessFailure::from(failure)), "{failure:?}");
        }
    }

    #[test]
    fn codes_name_each_action_once() {
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
        assert_eq!(Action::from_code("TurnLeft"), None);
    }

    #[test]
    fn a_lost_face_a_second_face_or_a_gap_fails_at_once() {
        let actions = vec![Action::Blink];
        let mut lost = person(&actions);
        lost[20].faces = 0;
        assert_eq!(run(actions.clone(), &lost), ChallengeState::Failed(ChallengeFailure::FaceLost));
        let mut two = person(&actions);
        two[20].faces = 2;
        assert_eq!(run(actions.clone(), &two), ChallengeState::Failed(ChallengeFailure::MultipleFaces));
        let mut gap = person(&actions);
        for frame in gap.iter_mut().skip(20) {
            frame.timestamp_ms += 2_000;
        }
        assert_eq!(run(actions, &gap), ChallengeState::Failed(ChallengeFailure::FramesInterrupted));
    }

    #[test]
    fn a_photo_tilted_away_flattens_the_eyes_but_is_no_blink() {
        // Tilting a photograph back by 50° shortens everything up and down by cos 50° = 0.64:
        // the eyes' opening falls below the blink's fraction, and the face's proportions with it.
        let tilt = |i: u64| (((i as f32) / 10.0).sin().abs() * 50f32.to_radians()).cos();
        let tilted: Vec<ChallengeSample> =
            (0..200).map(|i| ChallengeSample { face_aspect: 1.3 * tilt(i), ..sample(i * 33, 0.0, 0.35 * tilt(i), 0.3) }).collect();
        assert!(tilted.iter().any(|s| s.eyes < 0.35 * ChallengeLimits::default().closed_eyes));
        assert_eq!(run(vec![Action::Blink], &tilted), ChallengeState::Failed(ChallengeFailure::TimedOut(Action::Blink)));
        // The same eyes closing in a face that keeps its shape is a blink.
        let blinking: Vec<ChallengeSample> = (0..200).map(|i| sample(i * 33, 0.0, 0.35 * tilt(i), 0.3)).collect();
        assert_eq!(run(vec![Action::Blink], &blinking), ChallengeState::Passed);
    }

    #[test]
    fn a_blink_is_measured_against_the_persons_own_open_eyes() {
        // Narrow eyes (0.22 open) closing to 0.14 blink; wide ones (0.40) narrowing to 0.33 do not.
        let eyes = |open: f32, shut: f32| -> Vec<ChallengeSample> {
            (0..60).map(|i| sample(i * 33, 0.0, if (20..26).contains(&i) { shut } else { open }, 0.3)).collect()
        };
        assert_eq!(run(vec![Action::Blink], &eyes(0.22, 0.14)), ChallengeState::Passed);
        assert_eq!(run(vec![Action::Blink], &eyes(0.40, 0.33)), ChallengeState::InProgress { index: 0, action: Action::Blink });
    }

    #[test]
    fn a_slow_action_times_out() {
        let actions = vec![Action::ComeCloser];
        // Standing still for six seconds.
        let still: Vec<ChallengeSample> = (0..190).map(|i| sample(i * 33, 0.0, 0.35, 0.3)).collect();
        assert_eq!(run(actions, &still), ChallengeState::Failed(ChallengeFailure::TimedOut(Action::ComeCloser)));
    }
}
