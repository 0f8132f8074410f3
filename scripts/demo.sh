#!/usr/bin/env bash
# The README's main job: the desktop shell, running the core in this terminal.
# Extra arguments go to the shell (`bash scripts/demo.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run -q --release -p identity-pass-desktop -- "$@"
