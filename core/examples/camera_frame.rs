//! Turns a fixture photograph into the raw bytes a phone camera hands the app, for the Kotlin
//! and Swift binding tests (which cannot decode JPEG the same way on every platform: Linux
//! Swift has no image decoder at all). The runners call it before the tests; nothing it writes
//! is committed.
//!
//! `cargo run -p identity-pass-core --example camera_frame -- <in.jpg> <out.raw> nv21|bgra`
//! writes NV21 (one plane, row stride = width) or BGRA (row stride = 4 × width). The liveness
//! step's frames, a head doing actions, come from `action_frames`.

use std::process::ExitCode;

use identity_pass_core::selfie::convert::{rgb_to_bgra, rgb_to_nv21};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, format] = args.as_slice() else {
        eprintln!("usage: camera_frame <in.jpg> <out.raw> nv21|bgra");
        return ExitCode::FAILURE;
    };
    let image = match image::open(input) {
        Ok(image) => image.to_rgb8(),
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
