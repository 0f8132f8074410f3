#!/usr/bin/env bash
# Fuzz targets (fuzz/fuzz_targets, libFuzzer through cargo-fuzz, installed by setup-toolchains.sh).
#
#   bash scripts/fuzz.sh                      short and bounded (the test command): builds every
#                                             target, replays its seed corpus and its regressions,
#                                             then makes a bounded number of new runs
#   bash scripts/fuzz.sh --long [SECONDS]     the longer search: SECONDS per target (default 600)
#
# Prints per target the runs done and exec/s, then one line "fuzz: N passed, M failed" (N: targets
# that built and ran clean). New inputs the fuzzer finds go to a temporary directory, never into
# fuzz/corpus; a crash's input is kept under $CARGO_TARGET_DIR/fuzz-artifacts/<target>/ and its
# path printed: fix the code, then commit the input under fuzz/regressions/<target>/.
#
# Build choices: `--sanitizer none`, because every crate of this project forbids unsafe code and
# what the targets look for are panics, failed assertions, overflows and unbounded memory (which
# the targets count themselves); AddressSanitizer (not measured here) would instrument every
# crate for memory errors that safe code cannot make. Release with debug assertions (`-a`):
# overflow checks and debug_asserts stay on. (`--dev` built in a third of the time here but ran
# the JPEG and frame targets 25–100× slower, so not that.) With no sanitizer, cargo-fuzz 0.13 passes rustc only stable flags (-Cpasses=sancov-module, -Cllvm-args=…), so the
# stable toolchain builds it as it is: no RUSTC_BOOTSTRAP is needed (a sanitizer would need one,
# for -Zsanitizer; it would be set here only, never globally).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
cargo_fuzz="$CACHE/cargo-fuzz/bin/cargo-fuzz"
[ -x "$cargo_fuzz" ] || { echo "cargo-fuzz is missing: run scripts/setup-toolchains.sh"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

mode=short
seconds=600
if [ "${1:-}" = "--long" ]; then
  mode=long
  seconds="${2:-600}"
fi
# New runs per target in the short form, after the corpus and regressions are replayed: chosen so
# that all targets together run for 70–100 s on a 2-core machine (see the README). The time
# cap only guards against a much slower machine; reaching it is not a failure.
declare -A SHORT_RUNS=([snapshot_restore]=1000000 [outbox_restore]=1000000 [frame_intake]=30000
                       [still_decode]=15000 [identity_input]=1000000 [service_answer]=1000000)
SHORT_CAP_SECONDS=40

# Build output with the project's other build output (ignored by git), unless the caller chose.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/fuzz}"
triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="$CARGO_TARGET_DIR/$triple/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root/fuzz"
targets=$("$cargo_fuzz" list) || { echo "cargo fuzz list failed"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
start=$(date +%s)
if ! "$cargo_fuzz" build --sanitizer none --debug-assertions > "$work/build.txt" 2>&1; then
  grep -E '^(error|warning: unused)' -A 8 "$work/build.txt" | head -n 60
  echo "fuzz build failed"; echo "fuzz: 0 passed, $(echo "$targets" | grep -c .) failed"; exit 1
fi
echo "build: $(( $(date +%s) - start )) s ($(echo $targets))"

passed=0
failed=0
for target in $targets; do
  corpus="$root/fuzz/corpus/$target"
  regressions="$root/fuzz/regressions/$target"
  artifacts="$CARGO_TARGET_DIR/fuzz-artifacts/$target/"
  mkdir -p "$work/$target" "$artifacts"
  dirs=("$work/$target")
  [ -d "$corpus" ] && dirs+=("$corpus")
  [ -d "$regressions" ] && dirs+=("$regressions")
  if [ "$mode" = short ]; then
    bounds=(-runs="${SHORT_RUNS[$target]:-10000}" -max_total_time="$SHORT_CAP_SECONDS")
  else
    bounds=(-max_total_time="$seconds")
  fi
  # Inputs up to 64 KiB (a small JPEG, a large snapshot); 2 GB of memory at most, 10 s per input.
  began=$(date +%s%N)
  "$bin_dir/$target" "${dirs[@]}" "${bounds[@]}" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$artifacts" -print_final_stats=1 > "$work/$target.log" 2>&1
  code=$?
  ms=$(( ($(date +%s%N) - began) / 1000000 ))
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$work/$target.log" | grep -oE '[0-9]+$')
  # The rate over the whole run (libFuzzer's own figure is 0 for a run shorter than a second).
  rate=$([ -n "$runs" ] && echo $(( runs * 1000 / (ms > 0 ? ms : 1) )))
  seeds=$(find "${dirs[@]:1}" -type f 2>/dev/null | wc -l)
  if [ "$code" -eq 0 ]; then
    passed=$((passed + 1))
    echo "$target: ok, ${runs:-?} runs in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s, ${rate:-?} exec/s ($seeds seed and regression inputs replayed)"
  else
    failed=$((failed + 1))
    echo "$target: FAILED (exit $code) after ${runs:-?} runs"
    grep -E 'panicked at|assertion|ERROR: libFuzzer|SUMMARY|Test unit written to' -A 2 "$work/$target.log" | head -n 30
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
