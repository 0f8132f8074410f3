//! The model alone: median time of one run of the short-range BlazeFace, one thread.
//! `cargo bench -p identity-pass-model-interpreter` (the whole detector, beside MediaPipe's, is in
//! `bash scripts/bench-selfie.sh`).

#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use identity_pass_model_interpreter::Interpreter;

const MODEL: &[u8] = include_bytes!("../../core/models/face_detection_short_range.tflite");

fn main() {
    let mut model = Interpreter::load(MODEL).unwrap();
    for (i, value) in model.input_mut().iter_mut().enumerate() {
        *value = ((i * 7919) % 255) as f32 / 127.5 - 1.0;
    }
    let mut times: Vec<f64> = (0..300)
        .map(|_| {
            let start = Instant::now();
            model.run();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("BlazeFace short range, one run (128×128 input, one thread): median {:.3} ms, p10 {:.3} ms", times[150], times[30]);
}
