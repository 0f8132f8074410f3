//! A camera frame as the reviewer's call sends it: upright, no larger than the call's size, in
//! the I420 layout video encoders take (a full-resolution luma plane, then quarter-size U and
//! V planes).
//!
//! The shells push the same frames for the selfie and for the call, in their native layouts
//! and turned the way the sensor is mounted; this is the one place that makes them the
//! picture the reviewer should see. Sizes are even because the chroma planes are half size.

use crate::selfie::frame::{Frame, MAX_SIDE};
use crate::selfie::rotation::Orientation;

/// The longest side the call sends: 640 px (640×480 landscape, 480×640 portrait), what a
/// reviewer needs to see a face and what one phone core encodes at camera rate.
pub const CALL_LONG_SIDE: u32 = 640;

/// An upright I420 picture, owned.
#[derive(Clone, PartialEq, Eq)]
pub struct CallPicture {
    width: u32,
    height: u32,
    /// Y (width × height), then U and V (each width/2 × height/2).
    planes: Vec<u8>,
}

impl std::fmt::Debug for CallPicture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A face: never printed.
        f.debug_struct("CallPicture").field("width", &self.width).field("height", &self.height).finish_non_exhaustive()
    }
}

/// BT.601 limited range, what VP8 and H.264 decoders in browsers assume by default.
fn rgb_to_limited_yuv([r, g, b]: [u8; 3]) -> (u8, u8, u8) {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    let y = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    let u = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
    let v = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
    (y.clamp(16, 235) as u8, u.clamp(16, 240) as u8, v.clamp(16, 240) as u8)
}

impl CallPicture {
    /// `frame` turned upright by `orientation`, as others see the user (never mirrored, see
    /// [`Orientation::as_others_see_it`]), and scaled down (never up) so that its longer side
    /// is at most [`CALL_LONG_SIDE`], each output pixel taken from the frame pixel under its
    /// centre.
    pub fn from_camera(frame: &Frame<'_>, orientation: impl Into<Orientation>) -> Self {
        let orientation = orientation.into().as_others_see_it();
        let (frame_width, frame_height) = (frame.width(), frame.height());
        let (upright_width, upright_height) = orientation.upright_size(frame_width as f32, frame_height as f32);
        let scale = (CALL_LONG_SIDE as f32 / upright_width.max(upright_height)).min(1.0);
        let even = |side: f32| (((side * scale) as u32) & !1).max(2);
        let (width, height) = (even(upright_width), even(upright_height));
        let (w, h) = (width as usize, height as usize);
        let mut planes = vec![0u8; w * h + 2 * (w / 2) * (h / 2)];
        let (luma, chroma) = planes.split_at_mut(w * h);
        let (u_plane, v_plane) = chroma.split_at_mut((w / 2) * (h / 2));
        let (step_x, step_y) = (upright_width / width as f32, upright_height / height as f32);
        for row in 0..h {
            for column in 0..w {
                let (u, v) = ((column as f32 + 0.5) * step_x, (row as f32 + 0.5) * step_y);
                let (fx, fy) = orientation.frame_position(u, v, frame_width as f32, frame_height as f32);
                let (x, y) = ((fx as u32).min(frame_width - 1), (fy as u32).min(frame_height - 1));
                let (luma_value, cb, cr) = rgb_to_limited_yuv(frame.rgb_at(x, y));
                luma[row * w + column] = luma_value;
                // Chroma from the top-left pixel of each 2×2 block: a call picture, not a print.
                if row % 2 == 0 && column % 2 == 0 {
                    let at = (row / 2) * (w / 2) + column / 2;
                    u_plane[at] = cb;
                    v_plane[at] = cr;
                }
            }
        }
        Self { width, height, planes }
    }

    /// A decoded picture from its planes (a decoder's rows may be padded: `strides` are the
    /// bytes from one row to the next in Y, U and V). `None` when a plane is too short for
    /// the size, or the size is odd, zero or larger than a frame may be.
    pub fn from_planes(width: u32, height: u32, (y, u, v): (&[u8], &[u8], &[u8]), strides: (usize, usize, usize)) -> Option<Self> {
        let valid =
            width > 0 && height > 0 && width.is_multiple_of(2) && height.is_multiple_of(2) && width <= MAX_SIDE && height <= MAX_SIDE;
        if !valid {
            return None;
        }
        let (w, h) = (width as usize, height as usize);
        let mut planes = Vec::with_capacity(w * h + 2 * (w / 2) * (h / 2));
        for (plane, stride, plane_width, plane_height) in [(y, strides.0, w, h), (u, strides.1, w / 2, h / 2), (v, strides.2, w / 2, h / 2)]
        {
            if stride < plane_width || plane.len() < stride * (plane_height - 1) + plane_width {
                return None;
            }
            for row in 0..plane_height {
                planes.extend_from_slice(&plane[row * stride..][..plane_width]);
            }
        }
        Some(Self { width, height, planes })
    }

    /// Packed RGBA (alpha 255), what the shells draw (Android's `Bitmap`, iOS's `CGImage`).
    pub fn to_rgba(&self) -> Vec<u8> {
        let (w, h) = (self.width as usize, self.height as usize);
        let (y_plane, u_plane, v_plane) = (self.y(), self.u(), self.v());
        let mut rgba = Vec::with_capacity(w * h * 4);
        for row in 0..h {
            for column in 0..w {
                let chroma = (row / 2) * (w / 2) + column / 2;
                let luma = (i32::from(y_plane[row * w + column]) - 16) * 298;
                let (cb, cr) = (i32::from(u_plane[chroma]) - 128, i32::from(v_plane[chroma]) - 128);
                let channel = |value: i32| ((value + 128) >> 8).clamp(0, 255) as u8;
                rgba.extend_from_slice(&[channel(luma + 409 * cr), channel(luma - 100 * cb - 208 * cr), channel(luma + 516 * cb), 255]);
            }
        }
        rgba
    }

    /// Width in pixels (even).
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels (even).
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The luma plane, `width` bytes per row.
    pub fn y(&self) -> &[u8] {
        &self.planes[..self.luma_len()]
    }

    /// The U (Cb) plane, `width / 2` bytes per row.
    pub fn u(&self) -> &[u8] {
        let start = self.luma_len();
        &self.planes[start..start + self.chroma_len()]
    }

    /// The V (Cr) plane, `width / 2` bytes per row.
    pub fn v(&self) -> &[u8] {
        &self.planes[self.luma_len() + self.chroma_len()..]
    }

    fn luma_len(&self) -> usize {
        self.width as usize * self.height as usize
    }

    fn chroma_len(&self) -> usize {
        (self.width as usize / 2) * (self.height as usize / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfie::frame::{PixelFormat, Plane};
    use crate::selfie::rotation::Rotation;

    fn rgb_frame(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        (0..height).flat_map(|y| (0..width).map(move |x| (x, y))).flat_map(|(x, y)| pixel(x, y)).collect()
    }

    #[test]
    fn a_large_sideways_frame_becomes_an_upright_picture_no_longer_than_the_calls_side() {
        // 1280×720 from a sensor mounted sideways: the left half red, the right half blue.
        let rgb = rgb_frame(1280, 720, |x, _| if x < 640 { [255, 0, 0] } else { [0, 0, 255] });
        let frame = Frame::new(1280, 720, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: 1280 * 3, pixel_stride: 3 }]).expect("frame");
        let picture = CallPicture::from_camera(&frame, Rotation::Clockwise90);
        assert_eq!((picture.width(), picture.height()), (360, 640), "upright portrait, long side 640");
        assert_eq!(picture.y().len(), 360 * 640);
        assert_eq!((picture.u().len(), picture.v().len()), (180 * 320, 180 * 320));
        // Turned a quarter clockwise, the frame's left (red) is the picture's top: high Cr at
        // the top, high Cb at the bottom.
        let (top, bottom) = (5 * 180 + 90, 315 * 180 + 90);
        assert!(picture.v()[top] > 200 && picture.u()[top] < 128, "red on top");
        assert!(picture.u()[bottom] > 200 && picture.v()[bottom] < 128, "blue at the bottom");
    }

    /// The reviewer sees the user as others do: a frame whose preview is mirrored gives the
    /// same picture as the camera's own view, for every turn.
    #[test]
    fn the_reviewer_gets_the_cameras_own_view_even_when_the_preview_is_mirrored() {
        let rgb = rgb_frame(64, 48, |x, y| {
            if x < 32 {
                [255, 0, 0]
            } else if y < 24 {
                [0, 0, 255]
            } else {
                [0, 255, 0]
            }
        });
        let frame = Frame::new(64, 48, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: 64 * 3, pixel_stride: 3 }]).expect("frame");
        for rotation in [Rotation::Upright, Rotation::Clockwise90, Rotation::HalfTurn, Rotation::Clockwise270] {
            let mirrored = CallPicture::from_camera(&frame, Orientation { rotation, mirrored: true });
            assert_eq!(mirrored, CallPicture::from_camera(&frame, rotation), "{rotation:?}");
        }
        // Upright, the frame's left (red) stays on the picture's left.
        let picture = CallPicture::from_camera(&frame, Orientation { rotation: Rotation::Upright, mirrored: true });
        assert!(picture.v()[12 * 32 + 2] > 200, "red on the left");
    }

    #[test]
    fn decoded_planes_with_padded_rows_make_the_same_picture_and_its_colours_come_back_as_rgba() {
        let rgb = rgb_frame(64, 48, |x, _| if x < 32 { [200, 30, 30] } else { [20, 40, 220] });
        let frame = Frame::new(64, 48, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: 64 * 3, pixel_stride: 3 }]).expect("frame");
        let picture = CallPicture::from_camera(&frame, Rotation::Upright);
        // The same planes with 16 bytes of padding after every row, as decoders align them.
        let pad = |plane: &[u8], width: usize| plane.chunks(width).flat_map(|row| row.iter().copied().chain([0; 16])).collect::<Vec<u8>>();
        let (y, u, v) = (pad(picture.y(), 64), pad(picture.u(), 32), pad(picture.v(), 32));
        let decoded = CallPicture::from_planes(64, 48, (&y, &u, &v), (80, 48, 48)).expect("valid planes");
        assert_eq!(decoded, picture);
        let rgba = decoded.to_rgba();
        assert_eq!(rgba.len(), 64 * 48 * 4);
        let near = |a: &[u8], b: [u8; 3]| a.iter().zip(b).all(|(&x, y)| x.abs_diff(y) <= 6);
        assert!(near(&rgba[..3], [200, 30, 30]), "red comes back: {:?}", &rgba[..4]);
        assert!(near(&rgba[(63 * 4)..(63 * 4 + 3)], [20, 40, 220]), "blue comes back: {:?}", &rgba[63 * 4..63 * 4 + 4]);
        assert!(rgba.chunks(4).all(|p| p[3] == 255));
        // Planes too short for the size, odd or zero sizes: refused.
        assert_eq!(CallPicture::from_planes(64, 48, (&y[..100], &u, &v), (80, 48, 48)), None);
        assert_eq!(CallPicture::from_planes(63, 48, (&y, &u, &v), (80, 48, 48)), None);
        assert_eq!(CallPicture::from_planes(0, 0, (&[], &[], &[]), (0, 0, 0)), None);
        assert_eq!(CallPicture::from_planes(64, 48, (&y, &u, &v), (60, 48, 48)), None, "stride under the width");
    }

    #[test]
    fn a_small_frame_is_never_scaled_up_and_odd_sides_are_made_even() {
        let rgb = rgb_frame(321, 241, |_, _| [255, 255, 255]);
        let frame = Frame::new(321, 241, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: 321 * 3, pixel_stride: 3 }]).expect("frame");
        let picture = CallPicture::from_camera(&frame, Rotation::Upright);
        assert_eq!((picture.width(), picture.height()), (320, 240));
        assert!(picture.y().iter().all(|&y| y == 235), "white is limited-range 235");
        assert!(picture.u().iter().chain(picture.v()).all(|&c| c == 128), "no colour");
    }
}
