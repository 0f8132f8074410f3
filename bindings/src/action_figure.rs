//! Exports the figure the apps animate while the liveness challenge asks for an action. The
//! shells call it once per display frame with the time since the action appeared and draw what
//! comes back; which way, how far and how fast it moves is the core's (`selfie::action_figure`).

use identity_pass_core::selfie::action_figure::{ActionFigure, FigureArrow, FigureEllipse, FigureLine};
use identity_pass_core::selfie::face_model::Action;

#[uniffi::remote(Record)]
struct FigureEllipse {
    center_x: f32,
    center_y: f32,
    radius_x: f32,
    radius_y: f32,
}

#[uniffi::remote(Record)]
struct FigureLine {
    from_x: f32,
    from_y: f32,
    to_x: f32,
    to_y: f32,
}

#[uniffi::remote(Record)]
struct FigureArrow {
    shaft: FigureLine,
    barb_one: FigureLine,
    barb_other: FigureLine,
}

#[uniffi::remote(Record)]
struct ActionFigure {
    head: FigureEllipse,
    eye_on_left: FigureEllipse,
    eye_on_right: FigureEllipse,
    nose: FigureLine,
    mouth: FigureLine,
    arrows: Vec<FigureArrow>,
    opacity: f32,
}

/// The figure for `action`, `since_shown_ms` after the instruction appeared, in a unit square
/// (x right, y down), mirrored like the front camera's preview. With `reduce_motion` (the
/// platform's accessibility setting) it holds the action still.
#[uniffi::export]
pub fn action_figure(action: Action, since_shown_ms: u64, reduce_motion: bool) -> ActionFigure {
    ActionFigure::at(action, since_shown_ms, reduce_motion)
}
