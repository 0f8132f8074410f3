//! A person in front of the camera, simulated from a face photograph: the head re-posed in 3D
//! (turned about its vertical axis, the eyes closed, closer) and a person who does what the
//! liveness step asks. **A stand-in** (feature `simulated-person`: the tests, and the desktop
//! demo's simulated camera; never a phone build) for what no camera gives a build machine.
//!
//! How: the face mesh of the photograph (MediaPipe's model through our engine) gives 468 points
//! with depth. They are turned in 3D about the head's vertical axis and projected straight on;
//! the photograph is then warped piecewise-affinely from the points' old places to their new
//! ones, nearer triangles painted over farther ones (a nose turned away hides its far cheek). A
//! ring of points around the head turns with it, fading to the picture's fixed border, so hair,
//! ears and background follow without a seam. Closing the eyes moves each upper lid's points
//! onto the lower lid's, so the lid's skin is drawn over the eye, as a real blink does.
//!
//! A flat photograph cannot do this (its points have no depth to turn), which is exactly the
//! difference the challenge measures; a head rendered this way is a 3D mask, which the challenge
//! does not claim to stop (`selfie::face_model::challenge`).

use image::RgbImage;

use crate::selfie::face_model::{Action, BlazeFace, FaceMesh, Range, Rotation};
use crate::selfie::{Frame, PixelFormat, Plane};

/// Each eye's rows of points above it, from the lid's edge (where the lashes are) outwards, and
/// the lower lid's edge under them, from the outer corner to the inner one (MediaPipe's
/// canonical mesh numbering; the subject's right eye first).
const UPPER_LID_EDGES: [[usize; 7]; 2] = [[246, 161, 160, 159, 158, 157, 173], [466, 388, 387, 386, 385, 384, 398]];
const UPPER_LID_CREASES: [[usize; 7]; 2] = [[247, 30, 29, 27, 28, 56, 190], [467, 260, 259, 257, 258, 286, 414]];
const LOWER_LID_EDGES: [[usize; 7]; 2] = [[7, 163, 144, 145, 153, 154, 155], [249, 390, 373, 374, 380, 381, 382]];
/// The face's outline, for the ring of head points around it.
const FACE_OVAL: [usize; 36] = [
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132,
    93, 234, 127, 162, 21, 54, 103, 67, 109,
];

/// The pose to draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Degrees the head turns to the subject's left (positive) or right (negative).
    pub yaw: f32,
    /// How far the eyes are closed: 0 as photographed, 1 shut.
    pub eyes_closed: f32,
    /// The face's width against the photograph's (1 as photographed), about its centre: a
    /// person coming closer.
    pub zoom: f32,
}

impl Pose {
    /// The photograph's own pose.
    pub const AS_PHOTOGRAPHED: Pose = Pose { yaw: 0.0, eyes_closed: 0.0, zoom: 1.0 };
}

/// What a person asked for `actions` does in front of the camera, one pose per frame at ten
/// frames a second: a moment facing the camera, then each action in about a second (a turn
/// to 40° and back, a blink with the eyes shut for three frames, a third closer), then half a
/// second facing the camera (`SETTLE_FRAMES`) before the next.
pub fn poses_doing(actions: &[Action]) -> Vec<Pose> {
    let mut poses = vec![Pose::AS_PHOTOGRAPHED; 4];
    let mut zoom = 1.0;
    for action in actions {
        poses.extend(poses_for(*action, &mut zoom));
    }
    poses
}

/// The poses of doing `action` once from the photographed pose, ending with
/// [`SETTLE_FRAMES`] facing the camera: the frames the UI tests' fixture camera plays when the screen asks for it
/// (`examples/action_frames.rs`).
pub fn poses_of(action: Action) -> Vec<Pose> {
    poses_for(action, &mut 1.0)
}

/// Frames a person faces the camera after an action, reading the next instruction. Half a
/// second: the face engine's measure settles within about three frames of the face growing
/// by a third (its tracker is recalibrated on the next whole-frame look), and a blink right
/// after coming closer read only 0.68–0.72 of the open eyes on the service, against the
/// checker's 0.72, where after a pause it reads 0.61–0.64, as after the other actions.
pub const SETTLE_FRAMES: usize = 5;

/// One action's poses from a face `zoom` times its photographed size (which "come closer"
/// grows), ending with [`SETTLE_FRAMES`] facing the camera.
fn poses_for(action: Action, zoom: &mut f32) -> Vec<Pose> {
    let still = Pose { zoom: *zoom, ..Pose::AS_PHOTOGRAPHED };
    let mut poses: Vec<Pose> = match action {
        Action::TurnLeft | Action::TurnRight => {
            let side = if action == Action::TurnLeft { 1.0 } else { -1.0 };
            (0..=10).map(|step| Pose { yaw: side * 40.0 * (step as f32 / 10.0 * std::f32::consts::PI).sin(), ..still }).collect()
        }
        Action::Blink => [0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0].map(|eyes_closed| Pose { eyes_closed, ..still }).to_vec(),
        Action::ComeCloser => (0..10)
            .map(|_| {
                *zoom *= 1.03;
                Pose { zoom: *zoom, ..still }
            })
            .collect(),
    };
    poses.extend([Pose { zoom: *zoom, ..Pose::AS_PHOTOGRAPHED }; SETTLE_FRAMES]);
    poses
}

/// A person who does what the screen asks, one frame at a time: told an action (by its place
/// in the sequence, so a repeated action is done again), they do it to the end, pause facing
/// the camera, then read the screen again; if it still asks for the same action a second
/// later, they do it again, as people do.
#[derive(Debug, Default)]
pub struct ObedientPerson {
    doing: Option<u32>,
    script: std::collections::VecDeque<Pose>,
    zoom: Option<f32>,
    /// Frames facing the camera since the action was last done.
    waited: u32,
}

/// Frames (at ten a second) a person waits before doing an action again.
const PATIENCE_FRAMES: u32 = 10;

impl ObedientPerson {
    /// The pose of the next frame, given what the last verdict asked for (`index` in the
    /// sequence and the action), if anything.
    pub fn next_pose(&mut self, asked: Option<(u32, Action)>) -> Pose {
        let zoom = self.zoom.get_or_insert(1.0);
        // A movement under way is finished first: nobody stops a turn halfway to blink.
        if let Some((index, action)) = asked
            && self.script.is_empty()
            && (self.doing != Some(index) || self.waited >= PATIENCE_FRAMES)
        {
            self.doing = Some(index);
            self.waited = 0;
            self.script = poses_for(action, zoom).into();
        }
        self.script.pop_front().unwrap_or_else(|| {
            self.waited += 1;
            Pose { zoom: *zoom, ..Pose::AS_PHOTOGRAPHED }
        })
    }
}

/// Writes `number` into the top of `picture` as 64 black and white cells (one bit each, 10
/// pixels square, so the pattern survives the phone's reduction of the frame and the JPEG's
/// quantisation): frames a camera takes are never the same picture twice, and the service
/// refuses frames it judged before, so each simulated frame carries its own number.
pub fn mark_frame(picture: &mut RgbImage, number: u64) {
    const CELL: u32 = 10;
    let (width, height) = picture.dimensions();
    for bit in 0..64u32 {
        let value = if number >> bit & 1 == 1 { 255 } else { 0 };
        for y in 0..CELL.min(height) {
            for x in bit * CELL..((bit + 1) * CELL).min(width) {
                picture.put_pixel(x, y, image::Rgb([value; 3]));
            }
        }
    }
}

/// Rings of points around the face: how far out (in the face's outline's distances from its
/// centre) and how much of the outline's movement each follows. The head beyond the mesh
/// (forehead, hair, ears, jaw) moves with the face, less and less further out.
const RINGS: [(f32, f32); 3] = [(1.25, 0.75), (1.6, 0.4), (2.1, 0.12)];

/// A photograph's head, measured once, ready to be drawn in any pose.
pub struct PosedHead {
    photo: RgbImage,
    /// The mesh's points: x, y in the photograph's pixels, z on the x scale (towards the camera
    /// negative).
    points: Vec<[f32; 3]>,
    /// Every control point's place in the photograph: the mesh's, then the rings' (each with
    /// the outline point it follows and how much), then the picture's border (fixed).
    sources: Vec<[f32; 2]>,
    ring_points: Vec<(usize, f32)>,
    /// The photograph's triangles over `sources` (the warp keeps them, moving their corners).
    triangles: Vec<[usize; 3]>,
    /// The head's centre and the face's width, in pixels.
    centre: (f32, f32),
    face_width: f32,
    /// Pictures drawn so far, by pose: a person doing a challenge repeats a few dozen poses,
    /// and unoptimised test builds take about 0.1 s to draw one.
    drawn: std::sync::Mutex<std::collections::HashMap<[u32; 3], RgbImage>>,
}

impl PosedHead {
    /// The head of the single face in `photo`; `None` when the photograph does not show exactly
    /// one face (or is not a picture a camera frame can be).
    pub fn new(photo: RgbImage) -> Option<Self> {
        let (width, height) = photo.dimensions();
        let frame =
            Frame::new(width, height, PixelFormat::Rgb, &[Plane { data: photo.as_raw(), row_stride: width * 3, pixel_stride: 3 }]).ok()?;
        let faces = BlazeFace::new(Range::Full).ok()?.detect(&frame, Rotation::Upright);
        let [face] = faces.as_slice() else { return None };
        let points = FaceMesh::new().ok()?.landmarks(&frame, Rotation::Upright, face).points;
        let (x0, x1) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
        let (y0, y1) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p[1]), hi.max(p[1])));
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let (width, height) = (width as f32, height as f32);

        let mut sources: Vec<[f32; 2]> = points.iter().map(|p| [p[0], p[1]]).collect();
        let mut ring_points = Vec::new();
        for (reach, weight) in RINGS {
            for index in FACE_OVAL {
                let outline = points[index];
                let (x, y) = (cx + (outline[0] - cx) * reach, cy + (outline[1] - cy) * reach);
                if x >= 0.0 && y >= 0.0 && x < width && y < height {
                    sources.push([x, y]);
                    ring_points.push((index, weight));
                }
            }
        }
        for i in 0..=8 {
            let t = i as f32 / 8.0;
            sources.extend([[t * width, 0.0], [t * width, height], [0.0, t * height], [width, t * height]]);
        }
        let triangles = delaunay(&sources);
        Some(Self { photo, points, sources, ring_points, triangles, centre: (cx, cy), face_width: x1 - x0, drawn: Default::default() })
    }

    /// The photograph with the head in `pose`.
    pub fn draw(&self, pose: Pose) -> RgbImage {
        let key = [pose.yaw.to_bits(), pose.eyes_closed.to_bits(), pose.zoom.to_bits()];
        let mut drawn = self.drawn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        drawn.entry(key).or_insert_with(|| self.render(pose)).clone()
    }

    fn render(&self, pose: Pose) -> RgbImage {
        // The mesh's depth grows away from the camera, so a turn to the subject's left (their
        // right cheek coming forward) is a negative angle in the image's x–z plane.
        let (sin, cos) = (-pose.yaw).to_radians().sin_cos();
        let (cx, cy) = self.centre;
        // The axis the head turns about lies behind the face, near the middle of the skull.
        let axis_depth = self.points.iter().map(|p| p[2]).sum::<f32>() / self.points.len() as f32 + 0.35 * self.face_width;
        let turn = |x: f32, y: f32, z: f32| -> ([f32; 2], f32) {
            let (dx, dz) = (x - cx, z - axis_depth);
            ([cx + dx * cos - dz * sin, y], axis_depth + dx * sin + dz * cos)
        };

        // A blink: the lid's edge comes down to the lower lid, and the crease above it follows to
        // just over it, so the skin of the lid (above the crease, unmoved at the brow) covers the
        // eye and the lashes are a thin line at the bottom.
        let mut lids = self.points.clone();
        let closed = pose.eyes_closed.clamp(0.0, 1.0);
        for ((edges, creases), lowers) in UPPER_LID_EDGES.iter().zip(UPPER_LID_CREASES).zip(LOWER_LID_EDGES) {
            for ((edge, crease), lower) in edges.iter().zip(creases).zip(lowers) {
                let (up, low) = (self.points[*edge], self.points[lower]);
                let shut = |above: f32| std::array::from_fn::<f32, 3, _>(|i| low[i] + above * (up[i] - low[i]));
                for (index, target) in [(*edge, shut(0.08)), (crease, shut(0.3))] {
                    let at = self.points[index];
                    lids[index] = std::array::from_fn(|i| at[i] + (target[i] - at[i]) * closed);
                    lids[index][2] = at[2];
                }
            }
        }
        // Where every control point goes, and its depth for the painting order.
        let (mut targets, mut depth): (Vec<[f32; 2]>, Vec<f32>) = lids.iter().map(|p| turn(p[0], p[1], p[2])).unzip();
        for (source, (index, weight)) in self.sources[self.points.len()..].iter().zip(&self.ring_points) {
            let (outline, moved) = (self.points[*index], targets[*index]);
            targets.push([source[0] + (moved[0] - outline[0]) * weight, source[1] + (moved[1] - outline[1]) * weight]);
            depth.push(f32::MAX); // behind the face
        }
        targets.extend_from_slice(&self.sources[targets.len()..]);
        depth.resize(targets.len(), f32::MAX);

        // Farthest first, so nearer surfaces are painted over what they hide.
        let mean_depth = |t: &[usize; 3]| t.iter().map(|i| depth[*i].min(1e6)).sum::<f32>();
        let mut triangles = self.triangles.clone();
        triangles.sort_by(|a, b| mean_depth(b).total_cmp(&mean_depth(a)));
        let mut out = self.photo.clone();
        for triangle in &triangles {
            let (from, to) = (triangle.map(|i| self.sources[i]), triangle.map(|i| targets[i]));
            if from != to {
                warp_triangle(&self.photo, &mut out, from, to);
            }
        }
        if pose.zoom == 1.0 {
            return out;
        }
        // Closer: the whole picture grows about the face, as when the phone is brought nearer.
        RgbImage::from_fn(out.width(), out.height(), |x, y| {
            image::Rgb(bilinear(&out, cx + (x as f32 + 0.5 - cx) / pose.zoom, cy + (y as f32 + 0.5 - cy) / pose.zoom))
        })
    }
}

/// Paints the destination triangle `to` with the photograph's triangle `from`.
fn warp_triangle(photo: &RgbImage, out: &mut RgbImage, from: [[f32; 2]; 3], to: [[f32; 2]; 3]) {
    let area = (to[1][0] - to[0][0]) * (to[2][1] - to[0][1]) - (to[2][0] - to[0][0]) * (to[1][1] - to[0][1]);
    let source_area = (from[1][0] - from[0][0]) * (from[2][1] - from[0][1]) - (from[2][0] - from[0][0]) * (from[1][1] - from[0][1]);
    // Edge-on: nothing to paint. A triangle turned away (its winding flipped) is painted
    // anyway, before the nearer ones that hide it, so no hole shows the old picture.
    if area.abs() < 1e-3 || source_area.abs() < 1e-6 {
        return;
    }
    let (w, h) = (out.width() as f32, out.height() as f32);
    let x0 = to.iter().map(|p| p[0]).fold(f32::MAX, f32::min).floor().max(0.0) as u32;
    let x1 = to.iter().map(|p| p[0]).fold(f32::MIN, f32::max).ceil().min(w - 1.0) as u32;
    let y0 = to.iter().map(|p| p[1]).fold(f32::MAX, f32::min).floor().max(0.0) as u32;
    let y1 = to.iter().map(|p| p[1]).fold(f32::MIN, f32::max).ceil().min(h - 1.0) as u32;
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let b1 = ((px - to[0][0]) * (to[2][1] - to[0][1]) - (to[2][0] - to[0][0]) * (py - to[0][1])) / area;
            let b2 = ((to[1][0] - to[0][0]) * (py - to[0][1]) - (px - to[0][0]) * (to[1][1] - to[0][1])) / area;
            let b0 = 1.0 - b1 - b2;
            if b0 < -1e-4 || b1 < -1e-4 || b2 < -1e-4 {
                continue;
            }
            let sx = b0 * from[0][0] + b1 * from[1][0] + b2 * from[2][0];
            let sy = b0 * from[0][1] + b1 * from[1][1] + b2 * from[2][1];
            out.put_pixel(x, y, image::Rgb(bilinear(photo, sx, sy)));
        }
    }
}

fn bilinear(image: &RgbImage, x: f32, y: f32) -> [u8; 3] {
    let (x, y) = ((x - 0.5).clamp(0.0, (image.width() - 1) as f32), (y - 0.5).clamp(0.0, (image.height() - 1) as f32));
    let (x0, y0) = (x as u32, y as u32);
    let (x1, y1) = ((x0 + 1).min(image.width() - 1), (y0 + 1).min(image.height() - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x: u32, y: u32| image.get_pixel(x, y).0.map(f32::from);
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    std::array::from_fn(|i| ((a[i] * (1.0 - fx) + b[i] * fx) * (1.0 - fy) + (c[i] * (1.0 - fx) + d[i] * fx) * fy).round() as u8)
}

/// Delaunay triangles of `points` (Bowyer–Watson; a few hundred points, so the simple quadratic
/// form), as indices into `points`.
fn delaunay(points: &[[f32; 2]]) -> Vec<[usize; 3]> {
    let (min, max) = points
        .iter()
        .fold(([f32::MAX; 2], [f32::MIN; 2]), |(lo, hi), p| ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])]));
    let span = (max[0] - min[0]).max(max[1] - min[1]).max(1.0) * 20.0;
    let mid = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
    let mut all: Vec<[f64; 2]> = points.iter().map(|p| [f64::from(p[0]), f64::from(p[1])]).collect();
    let n = all.len();
    for corner in [[mid[0] - span, mid[1] - span], [mid[0] + span, mid[1] - span], [mid[0], mid[1] + span]] {
        all.push([f64::from(corner[0]), f64::from(corner[1])]);
    }
    let mut triangles: Vec<[usize; 3]> = vec![[n, n + 1, n + 2]];
    for (index, p) in all.iter().enumerate().take(n) {
        let (bad, good): (Vec<[usize; 3]>, Vec<[usize; 3]>) = triangles.into_iter().partition(|t| in_circumcircle(&all, *t, *p));
        triangles = good;
        // The hole's boundary: edges of exactly one bad triangle.
        let mut edges: Vec<[usize; 2]> = Vec::new();
        for t in &bad {
            for edge in [[t[0], t[1]], [t[1], t[2]], [t[2], t[0]]] {
                if let Some(at) = edges.iter().position(|e| (e[0] == edge[1] && e[1] == edge[0]) || *e == edge) {
                    edges.swap_remove(at);
                } else {
                    edges.push(edge);
                }
            }
        }
        triangles.extend(edges.into_iter().map(|[a, b]| [a, b, index]));
    }
    triangles.retain(|t| t.iter().all(|i| *i < n));
    triangles
}

fn in_circumcircle(points: &[[f64; 2]], t: [usize; 3], p: [f64; 2]) -> bool {
    let [a, b, c] = t.map(|i| points[i]);
    let orientation = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
    let row = |q: [f64; 2]| {
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        [dx, dy, dx * dx + dy * dy]
    };
    let (ra, rb, rc) = (row(a), row(b), row(c));
    let det = ra[0] * (rb[1] * rc[2] - rc[1] * rb[2]) - ra[1] * (rb[0] * rc[2] - rc[0] * rb[2]) + ra[2] * (rb[0] * rc[1] - rc[0] * rb[1]);
    if orientation > 0.0 { det > 0.0 } else { det < 0.0 }
}
