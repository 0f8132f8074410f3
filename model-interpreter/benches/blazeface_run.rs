//! The models alone: median time of one run of each, one thread.
//! `cargo bench -p identity-pass-model-interpreter` (the whole detector, beside MediaPipe's, is in
//! `bash scripts/bench-selfie.sh`).

#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use identity_pass_model_interpreter::Interpreter;

const SHORT_RANGE: &[u8] = include_bytes!("../../core/models/face_detection_short_range.tflite");
const FULL_RANGE: &[u8] = include_bytes!("../../core/models/face_detection_full_range_sparse.tflite");
const FACE_MESH: &[u8] = include_bytes!("../../core/models/face_landmark.tflite");

fn main() {
    let models = [
        ("BlazeFace short range (128×128)", SHORT_RANGE),
        ("BlazeFace full range (192×192)", FULL_RANGE),
        ("face mesh (192×192)", FACE_MESH),
    ];
    for (name, model) in models {
        let start = Instant::now();
        let loaded = Interpreter::load(model).unwrap();
        let load_ms = start.elapsed().as_secs_f64() * 1000.0;
        let (median, p10, outputs) = time(loaded);
        println!("{name}, one run, one thread: median {median:.3} ms, p10 {p10:.3} ms (load {load_ms:.1} ms), outputs {outputs:016x}");
    }
}

/// A hash of every bit of the model's outputs (FNV-1a over the values' bits): a change to a
/// kernel that is meant to keep every output to the bit must keep this figure.
fn outputs_hash(model: &Interpreter) -> u64 {
    (0..)
        .map(|n| model.output(n))
        .take_while(|output| !output.is_empty())
        .flatten()
        .fold(0xcbf2_9ce4_8422_2325, |hash, value| (hash ^ u64::from(value.to_bits())).wrapping_mul(0x0100_0000_01b3))
}

fn time(mut model: Interpreter) -> (f64, f64, u64) {
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
    (times[150], times[30], outputs_hash(&model))
}
