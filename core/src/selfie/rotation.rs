//! Which way up a camera frame is: the shell says how far to turn it (phone sensors are mounted
//! sideways), and the core finds faces, measures them and crops them in the upright image.
//!
//! A front camera's preview is a mirror image, and the user acts on what the preview shows:
//! "turn to your left" is a turn towards the preview's left. Android's CameraX and iOS's
//! AVFoundation both deliver the camera's own view and mirror only the preview, so the shell
//! says so (`preview_mirrored`) and the core reads the selfie and the liveness frames as the
//! preview shows them ([`Orientation`]): the same image on every platform, the one whose left
//! and right the liveness checker on the service means. The reviewer's call picture is the
//! camera's own view, as another person sees the user ([`Orientation::as_others_see_it`]).
//!
//! The face models read a rotated frame directly, sample by sample, so the per-frame analysis
//! never copies it. The few frames that leave the core as pictures (the capture, the liveness
//! evidence) are turned into an upright copy first ([`UprightCopy`]), so that the service and
//! the reviewer see the face the right way up.

use super::frame::{Frame, FrameError, PixelFormat, Plane};

/// How far the frame must be turned clockwise for the scene to stand upright: what the shell's
/// camera says (CameraX `ImageInfo.rotationDegrees`; on iOS from the connection's rotation angle
/// and the device orientation). Faces are found, and reported, in the upright image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rotation {
    /// Upright as delivered.
    #[default]
    Upright,
    /// Turn 90° clockwise (a phone held upright, its sensor mounted landscape).
    Clockwise90,
    /// Turn 180°.
    HalfTurn,
    /// Turn 270° clockwise (90° anticlockwise).
    Clockwise270,
}

impl Rotation {
    /// The rotation for the shell's clockwise degrees (CameraX `ImageInfo.rotationDegrees`,
    /// AVFoundation's `videoRotationAngle`); anything but a quarter turn is refused.
    pub fn from_degrees(degrees: u32) -> Result<Self, FrameError> {
        match degrees {
            0 => Ok(Rotation::Upright),
            90 => Ok(Rotation::Clockwise90),
            180 => Ok(Rotation::HalfTurn),
            270 => Ok(Rotation::Clockwise270),
            _ => Err(FrameError::BadRotation { degrees }),
        }
    }

    /// The upright image's width and height for a frame of `width × height`.
    pub fn upright_size(self, width: f32, height: f32) -> (f32, f32) {
        match self {
            Rotation::Upright | Rotation::HalfTurn => (width, height),
            Rotation::Clockwise90 | Rotation::Clockwise270 => (height, width),
        }
    }

    /// Whether the upright image's columns are the frame's rows (a quarter turn).
    pub fn swaps_axes(self) -> bool {
        matches!(self, Rotation::Clockwise90 | Rotation::Clockwise270)
    }

    /// Where upright column `u` lies in the frame, along the frame's x axis, or its y axis when
    /// [`Self::swaps_axes`]. A turn maps each axis alone, so samplers that read a grid of the
    /// upright image turn each column and row once, not each read.
    pub fn column_in_frame(self, u: f32, width: f32, height: f32) -> f32 {
        match self {
            Rotation::Upright | Rotation::Clockwise270 => u,
            Rotation::Clockwise90 => height - u,
            Rotation::HalfTurn => width - u,
        }
    }

    /// Where upright row `v` lies in the frame, along the frame's y axis, or its x axis when
    /// [`Self::swaps_axes`].
    pub fn row_in_frame(self, v: f32, width: f32, height: f32) -> f32 {
        match self {
            Rotation::Upright | Rotation::Clockwise90 => v,
            Rotation::HalfTurn => height - v,
            Rotation::Clockwise270 => width - v,
        }
    }
}

/// How the core reads a camera frame: turned upright by `rotation`, then, when `mirrored`,
/// flipped left to right as a front camera's preview is. The flip is of the upright image, so
/// for a sensor mounted sideways it reverses each of the frame's columns, not each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Orientation {
    /// The quarter turn that stands the frame upright.
    pub rotation: Rotation,
    /// Whether the upright image is flipped left to right.
    pub mirrored: bool,
}

impl From<Rotation> for Orientation {
    /// The turn alone, unflipped.
    fn from(rotation: Rotation) -> Self {
        Self { rotation, mirrored: false }
    }
}

impl Orientation {
    /// The frame as delivered: upright, unflipped.
    pub const AS_DELIVERED: Self = Self { rotation: Rotation::Upright, mirrored: false };

    /// What the shell reports of a frame: the clockwise degrees that stand it upright (see
    /// [`Rotation::from_degrees`]) and whether the user's preview shows it mirrored. The core
    /// reads it as the preview shows it.
    pub fn of_camera(rotation_degrees: u32, preview_mirrored: bool) -> Result<Self, FrameError> {
        Ok(Self { rotation: Rotation::from_degrees(rotation_degrees)?, mirrored: preview_mirrored })
    }

    /// The same frame as another person sees the user: upright, never mirrored. What the
    /// reviewer gets in the call, where writing on a shirt must read the right way round.
    pub fn as_others_see_it(self) -> Self {
        Self { mirrored: false, ..self }
    }

    /// The upright image's width and height for a frame of `width × height` (a flip keeps them).
    pub fn upright_size(self, width: f32, height: f32) -> (f32, f32) {
        self.rotation.upright_size(width, height)
    }

    /// Whether the upright image's columns are the frame's rows (a quarter turn).
    pub fn swaps_axes(self) -> bool {
        self.rotation.swaps_axes()
    }

    /// The frame position under upright position `(u, v)` (continuous coordinates) of a
    /// `width × height` frame.
    pub fn frame_position(self, u: f32, v: f32, width: f32, height: f32) -> (f32, f32) {
        let (column, row) = (self.column_in_frame(u, width, height), self.row_in_frame(v, width, height));
        if self.swaps_axes() { (row, column) } else { (column, row) }
    }

    /// Where upright column `u` lies in the frame, along the frame's x axis, or its y axis when
    /// [`Self::swaps_axes`] (see [`Rotation::column_in_frame`]). The flip is one more map of
    /// the same axis, so a grid's columns are still worked out once each.
    pub fn column_in_frame(self, u: f32, width: f32, height: f32) -> f32 {
        let unflipped = if self.mirrored { self.upright_size(width, height).0 - u } else { u };
        self.rotation.column_in_frame(unflipped, width, height)
    }

    /// Where upright row `v` lies in the frame (a flip left to right leaves rows alone).
    pub fn row_in_frame(self, v: f32, width: f32, height: f32) -> f32 {
        self.rotation.row_in_frame(v, width, height)
    }
}

/// A frame turned upright into packed RGB, owned: what a capture or an evidence frame is cut
/// from when the camera's frame is not upright.
pub struct UprightCopy {
    width: u32,
    height: u32,
    rgb: zeroize::Zeroizing<Vec<u8>>,
}

impl UprightCopy {
    /// `frame` turned (and flipped) by `orientation` (every pixel read once; a 640×480 frame
    /// is 0.9 MB).
    pub fn of(frame: &Frame<'_>, orientation: impl Into<Orientation>) -> Self {
        let orientation = orientation.into();
        let (frame_width, frame_height) = (frame.width(), frame.height());
        let (width, height) = if orientation.swaps_axes() { (frame_height, frame_width) } else { (frame_width, frame_height) };
        let mut rgb = zeroize::Zeroizing::new(Vec::with_capacity(width as usize * height as usize * 3));
        for v in 0..height {
            for u in 0..width {
                // The frame pixel whose centre lies under the upright pixel's centre.
                let (fx, fy) = orientation.frame_position(u as f32 + 0.5, v as f32 + 0.5, frame_width as f32, frame_height as f32);
                let (x, y) = ((fx as u32).min(frame_width - 1), (fy as u32).min(frame_height - 1));
                rgb.extend_from_slice(&frame.rgb_at(x, y));
            }
        }
        Self { width, height, rgb }
    }

    /// The copy as a frame.
    pub fn frame(&self) -> Result<Frame<'_>, FrameError> {
        Frame::new(self.width, self.height, PixelFormat::Rgb, &[Plane { data: &self.rgb, row_stride: self.width * 3, pixel_stride: 3 }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_quarter_turns_are_rotations() {
        let turns: Vec<_> = [0, 90, 180, 270].into_iter().map(Rotation::from_degrees).collect();
        assert_eq!(turns, [Ok(Rotation::Upright), Ok(Rotation::Clockwise90), Ok(Rotation::HalfTurn), Ok(Rotation::Clockwise270)]);
        for degrees in [45, 360, 450, u32::MAX] {
            assert_eq!(Rotation::from_degrees(degrees), Err(FrameError::BadRotation { degrees }));
            assert_eq!(FrameError::BadRotation { degrees }.code(), "FRAME_BAD_ROTATION");
        }
    }

    /// A 3×2 frame whose pixels are numbered, turned each way: the numbers land where a
    /// turned photograph puts them.
    #[test]
    fn a_copy_turns_the_pixels_as_a_photograph_turns() {
        let pixels: Vec<u8> = (1..=6u8).flat_map(|n| [n, n, n]).collect();
        let frame = Frame::new(3, 2, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 9, pixel_stride: 3 }]).expect("frame");
        // 1 2 3
        // 4 5 6
        let read = |rotation| {
            let copy = UprightCopy::of(&frame, rotation);
            let view = copy.frame().expect("copy");
            let rows: Vec<Vec<u8>> = (0..view.height()).map(|y| (0..view.width()).map(|x| view.rgb_at(x, y)[0]).collect()).collect();
            rows
        };
        assert_eq!(read(Rotation::Upright), [vec![1, 2, 3], vec![4, 5, 6]]);
        assert_eq!(read(Rotation::Clockwise90), [vec![4, 1], vec![5, 2], vec![6, 3]]);
        assert_eq!(read(Rotation::HalfTurn), [vec![6, 5, 4], vec![3, 2, 1]]);
        assert_eq!(read(Rotation::Clockwise270), [vec![3, 6], vec![2, 5], vec![1, 4]]);
    }

    /// Mirrored, each turn gives its upright image flipped left to right: for the sideways
    /// turns that flip runs down the frame's columns (a front sensor mounted sideways).
    #[test]
    fn a_mirrored_copy_is_the_upright_copy_flipped_left_to_right_for_every_turn() {
        let pixels: Vec<u8> = (1..=6u8).flat_map(|n| [n, n, n]).collect();
        let frame = Frame::new(3, 2, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 9, pixel_stride: 3 }]).expect("frame");
        let read = |orientation: Orientation| {
            let copy = UprightCopy::of(&frame, orientation);
            let view = copy.frame().expect("copy");
            (0..view.height()).map(|y| (0..view.width()).map(|x| view.rgb_at(x, y)[0]).collect()).collect::<Vec<Vec<u8>>>()
        };
        let mirrored = |rotation| Orientation { rotation, mirrored: true };
        assert_eq!(read(mirrored(Rotation::Upright)), [vec![3, 2, 1], vec![6, 5, 4]]);
        assert_eq!(read(mirrored(Rotation::Clockwise90)), [vec![1, 4], vec![2, 5], vec![3, 6]]);
        assert_eq!(read(mirrored(Rotation::HalfTurn)), [vec![4, 5, 6], vec![1, 2, 3]]);
        assert_eq!(read(mirrored(Rotation::Clockwise270)), [vec![6, 3], vec![5, 2], vec![4, 1]]);
        for rotation in [Rotation::Upright, Rotation::Clockwise90, Rotation::HalfTurn, Rotation::Clockwise270] {
            assert_eq!(read(Orientation::from(rotation)), read(mirrored(rotation).as_others_see_it()), "{rotation:?}");
        }
    }

    #[test]
    fn the_shells_report_becomes_an_orientation() {
        assert_eq!(Orientation::of_camera(270, true), Ok(Orientation { rotation: Rotation::Clockwise270, mirrored: true }));
        assert_eq!(Orientation::of_camera(0, false), Ok(Orientation::AS_DELIVERED));
        assert_eq!(Orientation::of_camera(45, true), Err(FrameError::BadRotation { degrees: 45 }));
    }
}
