#!/usr/bin/env bash
# The selfie analysis benchmark with its OpenCV column: makes (once, outside the repository) a
# Python venv with OpenCV's Haar cascade, then runs `cargo bench --bench selfie_analysis`, which
# times our detector and OpenCV on the same frames, and (a second venv) BlazeFace as our
# interpreter runs it beside MediaPipe's own detector (see core/benches/selfie_analysis.rs).
# Idempotent: an existing venv whose cv2 imports and is < 5 is reused untouched.
# Extra arguments go to `cargo bench` (e.g. `bash scripts/bench-selfie.sh --quiet`).
# Override the interpreter that creates the venv with PYTHON=/path/to/python3.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
VENV="$CACHE/venv"
VENV_PYTHON="$VENV/bin/python"
log() { printf '[bench-selfie] %s\n' "$*" >&2; }

opencv_ready() {
  # cv2 must import *and* be major version 4: a stray OpenCV 5 would change the Haar figures.
  [ -x "$VENV_PYTHON" ] &&
    "$VENV_PYTHON" -c 'import sys, cv2; sys.exit(0 if int(cv2.__version__.split(".")[0]) < 5 else 1)' 2>/dev/null
}

if ! opencv_ready; then
  mkdir -p "$CACHE"
  if [ ! -x "$VENV_PYTHON" ]; then
    log "python venv in $VENV"
    "${PYTHON:-python3}" -m venv "$VENV" ||
      { log "could not create the venv (Debian: apt-get install python3-venv)"; exit 1; }
  fi
  log "pip install 'opencv-python-headless<5' (log: $CACHE/pip.log)"
  "$VENV_PYTHON" -m pip install --quiet --disable-pip-version-check 'opencv-python-headless<5' \
    >>"$CACHE/pip.log" 2>&1 || { log "pip install failed; see $CACHE/pip.log"; exit 1; }
  opencv_ready || { log "cv2 still does not import from $VENV_PYTHON"; exit 1; }
fi
log "OpenCV $("$VENV_PYTHON" -c 'import cv2; print(cv2.__version__)') from $VENV"

# MediaPipe's own face detector, for the CNN detector's column, in a venv of its own: it needs
# numpy < 2 and protobuf < 5, which the OpenCV venv need not have.
MP_VENV="$CACHE/venv-mediapipe"
MP_PYTHON="$MP_VENV/bin/python"
mediapipe_ready() {
  [ -x "$MP_PYTHON" ] &&
    "$MP_PYTHON" -c 'import sys, mediapipe; sys.exit(0 if mediapipe.__version__ == "0.10.14" else 1)' 2>/dev/null
}
if ! mediapipe_ready; then
  [ -x "$MP_PYTHON" ] || "${PYTHON:-python3}" -m venv "$MP_VENV"
  log "pip install mediapipe==0.10.14 and what its face detector needs (log: $CACHE/pip-mediapipe.log)"
  { "$MP_PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps mediapipe==0.10.14 &&
    "$MP_PYTHON" -m pip install --quiet --disable-pip-version-check "numpy<2" "protobuf<5" absl-py attrs flatbuffers \
      "opencv-python-headless<5" matplotlib sounddevice; } >>"$CACHE/pip-mediapipe.log" 2>&1 ||
    { log "pip install failed; see $CACHE/pip-mediapipe.log"; exit 1; }
  mediapipe_ready || { log "mediapipe 0.10.14 does not import from $MP_PYTHON"; exit 1; }
fi
export SELFIE_BENCH_MEDIAPIPE_PYTHON="$MP_PYTHON"

# The bench looks for $HOME/.cache/identity-pass/venv by default; name the venv explicitly so a
# custom IDENTITY_PASS_CACHE is honoured too.
export SELFIE_BENCH_PYTHON="$VENV_PYTHON"
# Ours on the core MediaPipe is pinned to (taskset -c 0), so both sides run on the same core;
# built first, so the build itself is not held to one core.
cargo bench -p identity-pass-core --bench selfie_analysis --no-run "$@"
if command -v taskset >/dev/null; then
  exec taskset -c 0 cargo bench -p identity-pass-core --bench selfie_analysis "$@"
fi
exec cargo bench -p identity-pass-core --bench selfie_analysis "$@"
