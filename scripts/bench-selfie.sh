#!/usr/bin/env bash
# The selfie analysis benchmark with its OpenCV column: makes (once, outside the repository) a
# Python venv with OpenCV's Haar cascade, then runs `cargo bench --bench selfie_analysis`, which
# times our detector and OpenCV on the same frames (see core/benches/selfie_analysis.rs).
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

# The bench looks for $HOME/.cache/identity-pass/venv by default; name the venv explicitly so a
# custom IDENTITY_PASS_CACHE is honoured too.
export SELFIE_BENCH_PYTHON="$VENV_PYTHON"
exec cargo bench -p identity-pass-core --bench selfie_analysis "$@"
