#!/usr/bin/env bash
# Writes the raw camera frames the Kotlin and Swift binding tests push through the bindings,
# made from core/tests/fixtures by the core's own converter. Usage: tests/make-camera-frames.sh <dir>
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/core/tests/fixtures"
mkdir -p "$out"
cargo build -q -p identity-pass-core --example camera_frame --example action_frames --manifest-path "$root/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
convert="$target_dir/debug/examples/camera_frame"
"$convert" "$fixtures/face_selfie_640x480.jpg" "$out/face_selfie_640x480.nv21" nv21
"$convert" "$fixtures/face_selfie_640x480.jpg" "$out/face_selfie_640x480.bgra" bgra
"$convert" "$fixtures/face_dark_640x480.jpg" "$out/face_dark_640x480.nv21" nv21
# The liveness step: the selfie's head doing each action the service can ask, which the kits'
# FixtureLivenessPerson plays when the screen asks for it (a photograph cannot turn or blink).
"$target_dir/debug/examples/action_frames" "$fixtures/face_selfie_640x480.jpg" "$out"
# The reference partner's page: the photos a user submits there (an ID document, a selfie).
cp "$fixtures/id_document_856x540.jpg" "$fixtures/face_selfie_640x480.jpg" "$out/"
