//! Turns a fixture photograph into the raw bytes a phone camera hands the app, for the Kotlin
//! and Swift binding tests (which cannot decode JPEG the same way on every platform: Linux
//! Swift has no image decoder at all). The runners call it before the tests; nothing it writes
//! is committed.
//!
//! `cargo run -p identity-pass-core --example camera_frame -- <in.jpg> <out.raw> nv21|bgra [zoom]`
//! writes NV21 (one plane, row stride = width) or BGRA (row stride = 4 × width); `zoom` (≥ 1)
//! crops about the face and scales back, as when the phone comes closer (the liveness step).

use std::process::ExitCode;

use identity_pass_core::selfie::convert::{rgb_to_bgra, rgb_to_nv21};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output, format, zoom) = match args.as_slice() {
        [input, output, format] => (input, output, format, 1.0),
        [input, output, format, zoom] => match zoom.parse::<f32>() {
            Ok(zoom) if zoom >= 1.0 => (input, output, format, zoom),
            _ => {
                eprintln!("zoom must be a number >= 1");
                return ExitCode::FAILURE;
            }
        },
        _ => {
            eprintln!("usage: camera_frame <in.jpg> <out.raw> nv21|bgra [zoom]");
            return ExitCode::FAILURE;
        }
    };
    let image = match image::open(input) {
        Ok(image) => zoomed(image.to_rgb8(), zoom),
        Err(e) => {
            eprintln!("cannot read {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (width, height) = image.dimensions();
    let raw = match format.as_str() {
        "nv21" => rgb_to_nv21(width, height, image.as_raw()),
        "bgra" => rgb_to_bgra(width, height, image.as_raw(), width * 4),
        other => {
            eprintln!("unknown format {other}");
            return ExitCode::FAILURE;
        }
    };
    let Some(raw) = raw else {
        eprintln!("{input}: {width}x{height} cannot be converted to {format}");
        return ExitCode::FAILURE;
    };
    if let Err(e) = std::fs::write(output, raw) {
        eprintln!("cannot write {output}: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The picture cropped by `zoom` about a point just above its centre (where the fixture's face
/// is) and scaled back to its size.
fn zoomed(source: image::RgbImage, zoom: f32) -> image::RgbImage {
    if zoom <= 1.0 {
        return source;
    }
    let (width, height) = source.dimensions();
    let (w, h) = (width as f32 / zoom, height as f32 / zoom);
    let x = (width as f32 / 2.0 - w / 2.0).max(0.0) as u32;
    let y = (height as f32 * 0.52 - h / 2.0).max(0.0) as u32;
    let crop = image::imageops::crop_imm(&source, x, y, w as u32, h as u32).to_image();
    image::imageops::resize(&crop, width, height, image::imageops::FilterType::Triangle)
}
