//! What the reviewer's call costs and how late it is.
//!
//! `cargo bench -p identity-pass-runtime --bench call_media` — prints:
//! 1. the cost per frame on one thread, the same 150 frames for every row (the selfie
//!    photograph, the face drifting as in the call test): turning a camera frame into the
//!    call's picture (`CallPicture::from_camera`, 640×480 and 1280×720 landscape, 720×1280
//!    portrait from a sideways sensor), encoding it (OpenH264, 1 Mbit/s) and decoding it;
//!    Opus per 20 ms packet;
//! 2. glass-to-glass latency on loopback, app → service → reviewer's console: the bench's
//!    camera draws the wall-clock time (ms, 32 bits as black and white blocks) into each
//!    frame just before pushing it to the runtime; the console's page (headless Chromium)
//!    reads the blocks back from every frame its `<video>` presents
//!    (`requestVideoFrameCallback`, drawn to a canvas) and subtracts the time from its own
//!    clock. Same machine, same clock. Everything between is real: conversion, H.264
//!    encoding, RTP, SRTP, UDP, the service's forwarding, Chromium's jitter buffer, decoding
//!    and presentation.

// A bench binary prints its figures.
#![allow(clippy::print_stdout)]

#[path = "../../reference-service/tests/common/browser.rs"]
#[allow(dead_code)]
mod browser;
#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use browser::{FAKE_MEDIA, start_browser_with, wait_text};
use common::*;
use fantoccini::Locator;
use identity_pass_core::flow::ShellEvent;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::selfie::call_picture::CallPicture;
use identity_pass_core::selfie::rotation::Rotation;
use identity_pass_core::selfie::{Frame, PixelFormat, Plane};
use identity_pass_runtime::call_media::{AudioDecoder, AudioEncoder, SAMPLES_PER_PACKET, VideoDecoder, VideoEncoder};

const FRAMES: usize = 150;

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn row(name: &str, mut samples: Vec<f64>) {
    let median = percentile(&mut samples, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    println!("{name:<52} median {median:>7.2} ms   p95 {p95:>7.2} ms   (n = {})", samples.len());
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed().as_secs_f64() * 1_000.0)
}

/// The selfie photograph, the face drifting left and right, at `width`×`height`.
fn camera_frames(width: u32, height: u32) -> Vec<Vec<u8>> {
    (0..FRAMES)
        .map(|i| {
            let drift = [0, 4, 8, 12, 16, 12, 8, 4][i % 8];
            let rgb = image::RgbImage::from_raw(640, 480, selfie_rgb_at(1.0, drift)).expect("640×480");
            image::imageops::resize(&rgb, width, height, image::imageops::FilterType::Triangle).into_raw()
        })
        .collect()
}

fn codec_costs() {
    println!("cost per frame, one thread, {FRAMES} frames of the selfie photograph:");
    for (label, width, height, rotation) in [
        ("640×480 landscape", 640, 480, Rotation::Upright),
        ("1280×720 landscape", 1280, 720, Rotation::Upright),
        ("1280×720 sideways sensor → 360×640 portrait", 1280, 720, Rotation::Clockwise90),
    ] {
        let frames = camera_frames(width, height);
        let mut encoder = VideoEncoder::new().expect("encoder");
        let mut decoder = VideoDecoder::new().expect("decoder");
        let (mut convert, mut encode, mut decode, mut bytes) = (Vec::new(), Vec::new(), Vec::new(), 0usize);
        for rgb in &frames {
            let frame =
                Frame::new(width, height, PixelFormat::Rgb, &[Plane { data: rgb, row_stride: width * 3, pixel_stride: 3 }]).expect("frame");
            let (picture, ms) = time(|| CallPicture::from_camera(&frame, rotation));
            convert.push(ms);
            let (unit, ms) = time(|| encoder.encode(&picture).expect("encode"));
            encode.push(ms);
            if let Some(unit) = unit {
                bytes += unit.len();
                let (_, ms) = time(|| decoder.decode(&unit).expect("decode"));
                decode.push(ms);
            }
        }
        println!("  {label}:");
        row("    camera frame → call picture (upright, ≤ 640 px)", convert);
        row("    H.264 encode (OpenH264, 1 Mbit/s target)", encode);
        row("    H.264 decode", decode);
        println!("    {:.0} kbit/s at 15 frames a second", bytes as f64 * 8.0 * 15.0 / FRAMES as f64 / 1_000.0);
    }
    let tone: Vec<i16> = (0..SAMPLES_PER_PACKET * 250)
        .map(|i| (6_000.0 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / 48_000.0).sin()) as i16)
        .collect();
    let (mut encoder, mut decoder) = (AudioEncoder::new().expect("opus"), AudioDecoder::new().expect("opus"));
    let (mut encode, mut decode) = (Vec::new(), Vec::new());
    for chunk in tone.chunks(SAMPLES_PER_PACKET) {
        let (packets, ms) = time(|| encoder.encode(chunk).expect("encode"));
        encode.push(ms);
        for packet in packets {
            let (_, ms) = time(|| decoder.decode(&packet).expect("decode"));
            decode.push(ms);
        }
    }
    row("  Opus encode, 20 ms of 48 kHz mono", encode);
    row("  Opus decode, 20 ms", decode);
}

/// Draws `stamp` into the top of a 640×480 RGB frame: 32 blocks of 16×16, white for 1.
fn draw_stamp(rgb: &mut [u8], stamp: u32) {
    for bit in 0..32 {
        let on = (stamp >> (31 - bit)) & 1 == 1;
        let value = if on { 255 } else { 0 };
        for y in 0..16 {
            for x in 0..16 {
                let at = (y * 640 + 64 + bit * 16 + x) * 3;
                rgb[at..at + 3].copy_from_slice(&[value; 3]);
            }
        }
    }
}

fn wall_clock_ms() -> u32 {
    (SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() % (1u128 << 32)) as u32
}

/// The console's side of the measurement: every presented frame's stamp, subtracted from the
/// page's clock at presentation.
const READ_STAMPS: &str = r#"
    window.latencies = [];
    const video = document.getElementById('call-remote');
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 16;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const onFrame = (now, meta) => {
        if (video.videoWidth === 640) {
            context.drawImage(video, 0, 0, 640, 480, 0, 0, 640, 480);
            const pixels = context.getImageData(0, 0, 640, 16).data;
            let stamp = 0;
            for (let bit = 0; bit < 32; bit++) {
                const at = (8 * 640 + 64 + bit * 16 + 8) * 4;
                stamp = stamp * 2 + (pixels[at + 1] > 128 ? 1 : 0);
            }
            const shown = Math.floor(performance.timeOrigin + (meta.expectedDisplayTime || now)) % 4294967296;
            window.latencies.push((shown - stamp + 4294967296) % 4294967296);
        }
        video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    return true;
"#;

async fn glass_to_glass() {
    let env = Env::start().await;
    let (phone, id) = env.phone_in_review_joining_calls().await;
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, client) = start_browser_with(profile.path(), FAKE_MEDIA).await;
    client.goto(&format!("{}/console", env.base_url)).await.expect("console");
    let manager = identity_pass_service::domain::directory_seed::SEED_MANAGER;
    client.find(Locator::Css("#upn")).await.expect("upn").send_keys(manager).await.expect("type");
    client.find(Locator::Css("#password")).await.expect("password").send_keys(REVIEWER_PASSWORD).await.expect("type");
    client.find(Locator::Css("#sign-in")).await.expect("sign in").click().await.expect("click");
    let request_row = format!("#row-{id}");
    for action in [".act-call", ".act-evidence"] {
        wait_text(&client, &format!("{request_row} {action}"), |_| true).await;
        client.find(Locator::Css(&format!("{request_row} {action}"))).await.expect("button").click().await.expect("click");
    }
    wait_text(&client, "#evidence-request", |t| t == id).await;
    client.find(Locator::Css("#call-connect")).await.expect("connect").click().await.expect("click");
    wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::CallInvited })).await;

    let running = Arc::new(AtomicBool::new(true));
    let camera = {
        let (phone, running) = (phone.clone(), running.clone());
        let frames = camera_frames(640, 480);
        std::thread::spawn(move || {
            let mut n = 0usize;
            while running.load(Ordering::Relaxed) {
                let mut rgb = frames[n % frames.len()].clone();
                draw_stamp(&mut rgb, wall_clock_ms());
                let frame =
                    Frame::new(640, 480, PixelFormat::Rgb, &[Plane { data: &rgb, row_stride: 1920, pixel_stride: 3 }]).expect("frame");
                let _ = phone.push_frame(&frame, n as u64 * 66);
                n += 1;
                std::thread::sleep(Duration::from_millis(66));
            }
        })
    };
    phone.send(ShellEvent::Continue);
    wait_text(&client, "#call-timer", |t| t.contains("in the call for")).await;
    // Let the encoder's rate control and Chromium's jitter buffer settle, then measure.
    tokio::time::sleep(Duration::from_secs(3)).await;
    client.execute(READ_STAMPS, vec![]).await.expect("the page reads the stamps");
    tokio::time::sleep(Duration::from_secs(15)).await;
    let measured = client.execute("return window.latencies;", vec![]).await.expect("latencies");
    running.store(false, Ordering::Relaxed);
    let _ = camera.join();
    let latencies: Vec<f64> = measured.as_array().map(|a| a.iter().filter_map(|v| v.as_f64()).collect()).unwrap_or_default();
    // A misread stamp (a block blurred across the threshold) gives an absurd value: counted, not used.
    let (plausible, misread): (Vec<f64>, Vec<f64>) = latencies.into_iter().partition(|&ms| ms < 5_000.0);
    println!("glass to glass, app camera → service → console <video>, loopback, 15 frames a second:");
    row("  push_frame → presented in the console", plausible);
    println!("  misread stamps: {}", misread.len());
    let _ = client.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    codec_costs();
    glass_to_glass().await;
}
