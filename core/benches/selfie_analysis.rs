//! Selfie analysis benchmark: the face engine's whole judgement per frame (tracked and cold, in
//! landscape and portrait, from upright and sideways sensor buffers) beside OpenCV's Haar cascade
//! at the same minimum face size; BlazeFace run by our interpreter beside MediaPipe's own on the
//! same frames; capture → upload-ready time; peak memory for a 12 MP frame.
//!
//! Run: `bash scripts/bench-selfie.sh`, which makes the OpenCV venv (once, under
//! `${IDENTITY_PASS_CACHE:-~/.cache/identity-pass}/venv`, `opencv-python-headless<5`) and then
//! runs `cargo bench -p identity-pass-core --bench selfie_analysis` (release, one thread: the
//! analysis never spawns threads) with `SELFIE_BENCH_PYTHON` pointing at it, and a second venv
//! with MediaPipe 0.10.14 (`SELFIE_BENCH_MEDIAPIPE_PYTHON`, run under `taskset -c 0`). Run
//! directly, without those venvs, the OpenCV and MediaPipe columns say "skipped".

#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use identity_pass_core::selfie::capture::{self, CaptureSettings};
use identity_pass_core::selfie::convert::rgb_to_nv21;
use identity_pass_core::selfie::face_model::{BlazeFace, EngineLimits, FaceEngine, FaceMesh, Orientation, Range, Rotation};
use identity_pass_core::selfie::{Frame, PixelFormat, Plane, SelfieConfig, SelfieSession};
use image::RgbImage;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// One benchmark frame: the camera's buffer as NV21, the turn (and flip) that shows it as the
/// user sees it, and that picture as a PNG for the Python anchors (which are given it).
struct Clip {
    name: String,
    width: u32,
    height: u32,
    rotation: Orientation,
    nv21: Vec<u8>,
    png: PathBuf,
}

fn clip(name: &str, upright: &RgbImage, rotation: impl Into<Orientation>) -> Clip {
    let rotation = rotation.into();
    let (uw, uh) = upright.dimensions();
    let png = std::env::temp_dir().join(format!("selfie-bench-{uw}x{uh}.png"));
    upright.save(&png).unwrap();
    // The sensor's buffer: the upright picture unflipped (a front camera's own view) and turned
    // back the other way.
    let seen = if rotation.mirrored { image::imageops::flip_horizontal(upright) } else { upright.clone() };
    let buffer = match rotation.rotation {
        Rotation::Upright => seen,
        Rotation::Clockwise90 => image::imageops::rotate270(&seen),
        Rotation::HalfTurn => image::imageops::rotate180(&seen),
        Rotation::Clockwise270 => image::imageops::rotate90(&seen),
    };
    let (width, height) = buffer.dimensions();
    Clip { name: name.to_owned(), width, height, rotation, nv21: rgb_to_nv21(width, height, buffer.as_raw()).unwrap(), png }
}

fn load(name: &str, file: &str) -> Clip {
    clip(name, &image::open(format!("{FIXTURES}/{file}")).unwrap().to_rgb8(), Rotation::Upright)
}

/// A portrait picture `width × height` cut from the middle of the 1280×720 selfie.
fn portrait(width: u32, height: u32) -> RgbImage {
    let source = image::open(format!("{FIXTURES}/face_selfie_1280x720.jpg")).unwrap().to_rgb8();
    let cut = 720 * width / height;
    let middle = image::imageops::crop_imm(&source, (1280 - cut) / 2, 0, cut, 720).to_image();
    image::imageops::resize(&middle, width, height, image::imageops::FilterType::Triangle)
}

fn frame(clip: &Clip) -> Frame<'_> {
    Frame::new(clip.width, clip.height, PixelFormat::Nv21, &[Plane { data: &clip.nv21, row_stride: clip.width, pixel_stride: 1 }]).unwrap()
}

/// Turns of the detector table per frame, ours and MediaPipe's alternating, and frames per turn.
const DETECTOR_TURNS: usize = 40;
const FRAMES_PER_TURN: u32 = 8;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Per-frame ms of the engine's whole judgement (detector, mesh, face patch, guidance) fed the
/// same frame in steady state, and how many frames each pass took (tracked, whole frame,
/// searched): near the last face with the short-range model, the whole frame every 10th.
fn tracked(frame: &Frame<'_>, rotation: Orientation, frames: u32) -> (Vec<f64>, [u32; 3]) {
    let mut engine = FaceEngine::new(EngineLimits::default()).unwrap();
    engine.assess(frame, rotation);
    let mut passes = [0; 3];
    let times = (0..frames)
        .map(|_| {
            let start = Instant::now();
            let pass = engine.assess(frame, rotation).pass;
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            passes[pass as usize] += 1;
            elapsed
        })
        .collect();
    (times, passes)
}

/// Per-frame ms of a cold judgement (no track: the whole frame), as on the first frame or
/// after the face was lost.
fn cold(frame: &Frame<'_>, rotation: Orientation, frames: u32) -> Vec<f64> {
    let mut engine = FaceEngine::new(EngineLimits::default()).unwrap();
    (0..frames)
        .map(|_| {
            engine.reset();
            let start = Instant::now();
            engine.assess(frame, rotation);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("SELFIE_BENCH_PYTHON")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/identity-pass/venv/bin/python")))?;
    candidate.exists().then_some(candidate)
}

/// The smallest face our engine finds, as a fraction of the upright width (the labelled set's
/// smallest faces); OpenCV is given the same minimum, in pixels of each frame.
const MIN_FACE_FRACTION: f64 = 0.06;

/// `(median ms, faces)` per clip from OpenCV's cascade with pyramid step `scale`, or why it was
/// skipped.
fn haar(clips: &[&Clip], rounds: u32, scale: f64) -> Result<Vec<(f64, u32)>, String> {
    let python = python().ok_or("no venv python (see the header of this file for the install command)")?;
    let mut command = Command::new(python);
    command
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/opencv_haar.py"))
        .arg(rounds.to_string())
        .arg(MIN_FACE_FRACTION.to_string())
        .arg(scale.to_string())
        .env("OMP_NUM_THREADS", "1");
    timings(command, clips)
}

/// Runs a timing script over the clips' PNGs; it prints `<path> <median ms> <faces>` a line.
fn timings(mut command: Command, clips: &[&Clip]) -> Result<Vec<(f64, u32)>, String> {
    let output = command.args(clips.iter().map(|c| &c.png)).output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("failed").to_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut cols = line.split_whitespace().skip(1);
            Some((cols.next()?.parse().ok()?, cols.next()?.parse().ok()?))
        })
        .collect())
}

/// Per-frame ms of BlazeFace (letterbox, model, decoding) on the same NV21 frame, and the faces;
/// `search`: the whole frame and its four zoomed quarters.
fn blazeface(clip: &Clip, frames: u32, range: Range, search: bool) -> (Vec<f64>, usize) {
    let frame = frame(clip);
    let mut detector = BlazeFace::new(range).unwrap();
    let run = |detector: &mut BlazeFace| {
        if search { detector.search(&frame, Rotation::Upright) } else { detector.detect(&frame, Rotation::Upright) }
    };
    let faces = run(&mut detector).len();
    let times = (0..frames)
        .map(|_| {
            let start = Instant::now();
            run(&mut detector);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    (times, faces)
}

/// `(median ms, faces)` per clip from MediaPipe's FaceMesh solution in video mode (tracking from
/// its own landmarks) on one core, or why it was skipped.
fn mediapipe_mesh(clips: &[&Clip], rounds: u32) -> Result<Vec<(f64, u32)>, String> {
    mediapipe_run(clips, rounds, &["--mesh"])
}

fn mediapipe_run(clips: &[&Clip], rounds: u32, mode: &[&str]) -> Result<Vec<(f64, u32)>, String> {
    let python = std::env::var_os("SELFIE_BENCH_MEDIAPIPE_PYTHON")
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .ok_or("no MediaPipe venv (run scripts/bench-selfie.sh)")?;
    let mut command = Command::new("taskset");
    command
        .args(["-c", "0"])
        .arg(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/mediapipe_faces.py"))
        .args(mode)
        .arg("--time")
        .arg(rounds.to_string());
    timings(command, clips)
}

/// MediaPipe's own detector kept running in a child (`mediapipe_faces.py --serve`, on core 0) and
/// asked for a few frames at a time, so that it and ours take short turns.
struct MediaPipeTurns {
    child: Child,
    requests: ChildStdin,
    replies: BufReader<ChildStdout>,
}

impl MediaPipeTurns {
    fn start(clips: &[&Clip], range: Range) -> Result<Self, String> {
        let python = std::env::var_os("SELFIE_BENCH_MEDIAPIPE_PYTHON")
            .map(PathBuf::from)
            .filter(|p| p.exists())
            .ok_or("no MediaPipe venv (run scripts/bench-selfie.sh)")?;
        let mut command = Command::new("taskset");
        command.args(["-c", "0"]).arg(python).arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/mediapipe_faces.py"));
        if range == Range::Full {
            command.arg("--full-range");
        }
        let mut child = command
            .arg("--serve")
            .args(clips.iter().map(|c| &c.png))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let (Some(requests), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err("no pipes to the MediaPipe child".to_owned());
        };
        let mut turns = Self { child, requests, replies: BufReader::new(stdout) };
        match turns.reply()?.as_str() {
            "ready" => Ok(turns),
            other => Err(format!("MediaPipe child said {other:?}")),
        }
    }

    fn reply(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.replies.read_line(&mut line) {
            Ok(0) => Err("the MediaPipe child ended (is mediapipe installed in its venv?)".to_owned()),
            Ok(_) => Ok(line.trim().to_owned()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Per-frame ms of `frames` runs on clip `index`, and the faces found.
    fn time(&mut self, index: usize, frames: u32) -> Result<(Vec<f64>, u32), String> {
        writeln!(self.requests, "{index} {frames}").and_then(|()| self.requests.flush()).map_err(|e| e.to_string())?;
        let reply = self.reply()?;
        let mut words = reply.split_whitespace();
        let faces = words.next().and_then(|w| w.parse().ok()).ok_or_else(|| format!("bad reply {reply:?}"))?;
        let times = words.map(|w| w.parse::<f64>().map_err(|e| e.to_string())).collect::<Result<Vec<f64>, String>>()?;
        Ok((times, faces))
    }
}

impl Drop for MediaPipeTurns {
    fn drop(&mut self) {
        // Killed, not asked: the child waits on its stdin for the next turn, which never comes.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Child process: a 12 MP NV21 frame (4000×3000, nearest-neighbour upscale of the selfie) pushed
/// until captured; prints VmHWM before the frame exists and at the end.
fn child_12mp() {
    let hwm = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
    };
    let small = load("12mp", "face_selfie_640x480.jpg");
    let baseline = hwm().unwrap_or(0);
    let (w, h) = (4000usize, 3000usize);
    let mut nv21 = vec![0u8; w * h * 3 / 2];
    for y in 0..h {
        for x in 0..w {
            nv21[y * w + x] = small.nv21[(y * 480 / h) * 640 + x * 640 / w];
        }
    }
    for y in 0..h / 2 {
        for x in 0..w / 2 {
            let src = 640 * 480 + (y * 240 / (h / 2)) * 640 + (x * 320 / (w / 2)) * 2;
            nv21[w * h + y * w + 2 * x] = small.nv21[src];
            nv21[w * h + y * w + 2 * x + 1] = small.nv21[src + 1];
        }
    }
    let frame = Frame::new(4000, 3000, PixelFormat::Nv21, &[Plane { data: &nv21, row_stride: 4000, pixel_stride: 1 }]).unwrap();
    let mut session = SelfieSession::new(SelfieConfig::standard());
    let start = Instant::now();
    let mut captured = false;
    for i in 0..8u64 {
        captured |= session.push_frame(&frame, i * 33).unwrap().captured;
    }
    let elapsed = start.elapsed().as_secs_f64() * 1000.0 / 8.0;
    println!("{} {} {} {:.1}", baseline, hwm().unwrap_or(0), captured, elapsed);
}

fn main() {
    if std::env::var_os("SELFIE_BENCH_CHILD").is_some() {
        return child_12mp();
    }
    let vga = load("640x480", "face_selfie_640x480.jpg");
    let hd = load("1280x720", "face_selfie_1280x720.jpg");
    let (vga_portrait, hd_portrait) = (portrait(480, 640), portrait(720, 1280));
    let layouts = [
        load("640x480", "face_selfie_640x480.jpg"),
        clip("480x640", &vga_portrait, Rotation::Upright),
        clip("480x640 from sensor", &vga_portrait, Rotation::Clockwise90),
        clip("480x640 front, mirror", &vga_portrait, Orientation { rotation: Rotation::Clockwise270, mirrored: true }),
        load("1280x720", "face_selfie_1280x720.jpg"),
        clip("720x1280", &hd_portrait, Rotation::Upright),
        clip("720x1280 from sensor", &hd_portrait, Rotation::Clockwise90),
    ];
    println!("Selfie analysis benchmark (release, one thread, NV21 input, median of N frames)\n");
    println!("The whole judgement per frame (detector, mesh, face patch, guidance) against OpenCV's Haar cascade,");
    println!(
        "both finding faces from {:.0}% of the upright width up (OpenCV: minSize in pixels of each frame).",
        MIN_FACE_FRACTION * 100.0
    );
    let all: Vec<&Clip> = layouts.iter().collect();
    let haar_fine = haar(&all, 30, 1.1);
    let haar_coarse = haar(&all, 30, 1.25);
    println!(
        "{:<22} {:>12} {:>12} {:>12} {:>22} {:>22}",
        "frame (upright)", "ours tracked", "ours mean*", "ours cold", "Haar cold, step 1.1", "Haar cold, step 1.25"
    );
    for (index, clip) in layouts.iter().enumerate() {
        let frame = frame(clip);
        let (steady, passes) = tracked(&frame, clip.rotation, 300);
        let full = cold(&frame, clip.rotation, 30);
        let opencv = |results: &Result<Vec<(f64, u32)>, String>| match results {
            Ok(results) => results.get(index).map_or("no result".to_owned(), |(ms, faces)| format!("{ms:.2} ms ({faces} face)")),
            Err(reason) => format!("skipped: {}", reason.chars().take(12).collect::<String>()),
        };
        let (tracked_ms, cold_ms) = (median(steady.clone()), median(full));
        println!(
            "{:<22} {:>9.2} ms {:>9.2} ms {:>9.2} ms {:>22} {:>22}   passes {passes:?}",
            clip.name,
            tracked_ms,
            mean(&steady),
            cold_ms,
            opencv(&haar_fine),
            opencv(&haar_coarse),
        );
        if let (Ok(fine), Ok(coarse)) = (&haar_fine, &haar_coarse)
            && let (Some((fine_ms, _)), Some((coarse_ms, _))) = (fine.get(index), coarse.get(index))
        {
            println!(
                "{:<22} Haar 1.1 / ours: {:.1}x cold, {:.1}x tracked; Haar 1.25 / ours: {:.1}x cold, {:.1}x tracked",
                "",
                fine_ms / cold_ms,
                fine_ms / tracked_ms,
                coarse_ms / cold_ms,
                coarse_ms / tracked_ms
            );
        }
    }
    println!("* mean over 300 frames, the whole-frame recheck every 10th included; passes = [tracked, whole frame, searched]");
    println!("  (OpenCV has no tracking: its column is always a cold search)\n");

    // The next engine's detector: every frame is a full (cold) search, there is no tracking. Ours
    // and MediaPipe's take short turns (FRAMES_PER_TURN frames each, DETECTOR_TURNS times per
    // frame), both on core 0: this machine's speed drifts by up to 2× over seconds, and with
    // turns this short both sides run in the same spells. Each side's figure is the median of all
    // its frames; the ratio is the median over turns of ours ÷ theirs, each turn against the turn
    // beside it.
    println!(
        "{:<24} {:>24} {:>34} {:>14}",
        "BlazeFace, frame", "ours (our interpreter)", "MediaPipe 0.10.14 (taskset 1 core)", "ours ÷ theirs*"
    );
    for (range, label) in [(Range::Short, "short"), (Range::Full, "full")] {
        let clips = [&vga, &hd];
        let frames: Vec<Frame<'_>> = clips.iter().map(|clip| frame(clip)).collect();
        let mut detectors: Vec<BlazeFace> = clips.iter().map(|_| BlazeFace::new(range).unwrap()).collect();
        let faces: Vec<usize> = detectors.iter_mut().zip(&frames).map(|(d, f)| d.detect(f, Rotation::Upright).len()).collect();
        let mut theirs = MediaPipeTurns::start(&clips, range);
        let mut ours_times: Vec<Vec<f64>> = clips.iter().map(|_| Vec::new()).collect();
        let mut theirs_times: Vec<(Vec<f64>, u32)> = clips.iter().map(|_| (Vec::new(), 0)).collect();
        let mut ratios: Vec<Vec<f64>> = clips.iter().map(|_| Vec::new()).collect();
        for _ in 0..DETECTOR_TURNS {
            for (index, (detector, frame)) in detectors.iter_mut().zip(&frames).enumerate() {
                let ours: Vec<f64> = (0..FRAMES_PER_TURN)
                    .map(|_| {
                        let start = Instant::now();
                        detector.detect(frame, Rotation::Upright);
                        start.elapsed().as_secs_f64() * 1000.0
                    })
                    .collect();
                let ours_ms = median(ours.clone());
                ours_times[index].extend(ours);
                let Ok(server) = theirs.as_mut() else { continue };
                match server.time(index, FRAMES_PER_TURN) {
                    Ok((times, found)) => {
                        ratios[index].push(ours_ms / median(times.clone()));
                        theirs_times[index].0.extend(times);
                        theirs_times[index].1 = found;
                    }
                    Err(reason) => theirs = Err(reason),
                }
            }
        }
        for (index, clip) in clips.into_iter().enumerate() {
            let ours_ms = median(ours_times[index].clone());
            let (theirs_text, ratio) = match &theirs {
                Ok(_) => {
                    let (times, found) = &theirs_times[index];
                    (format!("{:.2} ms ({found} face)", median(times.clone())), format!("{:.2}x", median(ratios[index].clone())))
                }
                Err(reason) => (format!("skipped: {reason}"), String::new()),
            };
            println!(
                "{:<24} {:>24} {:>34} {:>14}",
                format!("{label} range, {}", clip.name),
                format!("{ours_ms:.2} ms ({} face)", faces[index]),
                theirs_text,
                ratio
            );
        }
    }
    for clip in [&vga, &hd] {
        let (times, faces) = blazeface(clip, 30, Range::Full, true);
        println!(
            "{:<24} {:>24} {:>34}",
            format!("full, searched, {}", clip.name),
            format!("{:.2} ms ({faces} face)", median(times)),
            "(no such mode)"
        );
    }
    // A followed face, the whole per-frame pipeline: ours tracked (short-range model near the face,
    // the mesh, the face patch, the guidance) against MediaPipe's FaceMesh in video mode (the mesh,
    // its region taken from the last frame's landmarks); the mesh alone beside them.
    let theirs = mediapipe_mesh(&[&vga, &hd], 100);
    for (index, clip) in [&vga, &hd].into_iter().enumerate() {
        let frame = frame(clip);
        let face = BlazeFace::new(Range::Full).unwrap().detect(&frame, Rotation::Upright)[0];
        let mut mesh = FaceMesh::new().unwrap();
        let mesh_times: Vec<f64> = (0..100)
            .map(|_| {
                let start = Instant::now();
                mesh.landmarks(&frame, Rotation::Upright, &face);
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        let (tracked_times, _) = tracked(&frame, Rotation::Upright.into(), 100);
        let theirs = match &theirs {
            Ok(results) => results.get(index).map_or("no result".to_owned(), |(ms, faces)| format!("{ms:.2} ms ({faces} face)")),
            Err(reason) => format!("skipped: {reason}"),
        };
        println!(
            "{:<24} {:>24} {:>34}",
            format!("followed face, {}", clip.name),
            format!("{:.2} ms (mesh {:.2})", median(tracked_times), median(mesh_times)),
            theirs
        );
    }
    println!(
        "(same frames, one thread; ours from NV21, MediaPipe from the same pixels as RGB; searched = whole frame + 4 zoomed quarters;"
    );
    println!("  followed face: ours tracked, whole judgement, against MediaPipe FaceMesh in video mode)");
    println!("* the median over {DETECTOR_TURNS} turns of {FRAMES_PER_TURN} frames of each turn's ours ÷ theirs\n");

    // Capture → upload-ready: crop, encode, bound and check the JPEG of the deciding frame.
    let vga_frame = frame(&vga);
    let mut engine = FaceEngine::new(EngineLimits::default()).unwrap();
    let face = engine.assess(&vga_frame, Rotation::Upright).face_boxes()[0];
    let settings = CaptureSettings::default();
    let mut bytes = 0;
    let times: Vec<f64> = (0..30)
        .map(|_| {
            let start = Instant::now();
            bytes = capture::capture(&vga_frame, face, 0, &settings).unwrap().expose_jpeg().len();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!("capture → upload-ready (640x480): {:.1} ms median, JPEG {} bytes", median(times), bytes);

    let child = Command::new(std::env::current_exe().unwrap()).env("SELFIE_BENCH_CHILD", "1").output();
    match child.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()) {
        Ok(line) => {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if let [baseline, peak, captured, per_frame] = cols.as_slice() {
                println!(
                    "12 MP NV21 frame (4000x3000), 8 frames to capture: peak RSS (VmHWM) {:.1} MB (process before the frame: {:.1} MB), captured: {captured}, {per_frame} ms/frame",
                    peak.parse::<f64>().unwrap_or(0.0) / 1024.0,
                    baseline.parse::<f64>().unwrap_or(0.0) / 1024.0
                );
            } else {
                println!("12 MP child gave no result: {line}");
            }
        }
        Err(e) => println!("12 MP child failed: {e}"),
    }
}
