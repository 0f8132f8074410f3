#!/usr/bin/env bash
# The README's test command: installs what is missing (idempotently, outside the repository),
# then runs every test — Rust, the phone-target checks, Kotlin on the desktop JVM and Swift on
# Linux — and ends with one line "all: N passed, N failed". Any failure fails the command.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
# A one-off run from a clean clone gains nothing from incremental caches, and they took 7 GB
# of a disk that CI once filled; developers' own cargo commands keep them.
export CARGO_INCREMENTAL=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
failures=0
passed_total=0
failed_total=0

section() { printf '\n=== %s ===\n' "$*"; }
count() { # adds "N passed, M failed" figures found in a file to the totals
  local p f
  p=$(grep -oE '[0-9]+ passed' "$1" | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  passed_total=$((passed_total + p)); failed_total=$((failed_total + f))
}

section "toolchains"
bash scripts/setup-toolchains.sh || { echo "setup failed"; exit 1; }

section "rust: what is declared is enforced (rustfmt.toml, clippy with -D warnings)"
if cargo fmt --all --check > "$log/fmt.txt" 2>&1; then
  echo "cargo fmt --check: 1 passed, 0 failed"; passed_total=$((passed_total + 1))
else
  head -n 40 "$log/fmt.txt"; echo "cargo fmt --check: 0 passed, 1 failed"
  failures=$((failures + 1)); failed_total=$((failed_total + 1))
fi
if cargo clippy --workspace --all-targets --features identity-pass-bindings/test-support -- -D warnings > "$log/clippy.txt" 2>&1; then
  echo "cargo clippy -D warnings: 1 passed, 0 failed"; passed_total=$((passed_total + 1))
else
  grep -E '^(error|warning)' -A 6 "$log/clippy.txt" | head -n 80; echo "cargo clippy -D warnings: 0 passed, 1 failed"
  failures=$((failures + 1)); failed_total=$((failed_total + 1))
fi

section "dependencies: Cargo.lock against the committed RustSec snapshot (offline)"
bash scripts/check-advisories.sh > "$log/advisories.txt" 2>&1
advisories_exit=$?
grep -vE '^ +(Loaded|Scanning) ' "$log/advisories.txt" | grep -v 'advisories: ' | head -n 60
tail -n 1 "$log/advisories.txt" > "$log/advisories-result.txt"; cat "$log/advisories-result.txt"
count "$log/advisories-result.txt"
[ "$advisories_exit" -eq 0 ] || failures=$((failures + 1))

section "fuzz: every target built and run, bounded (scripts/fuzz.sh; the long form is in the README)"
bash scripts/fuzz.sh > "$log/fuzz.txt" 2>&1
fuzz_exit=$?
grep -v 'fuzz: ' "$log/fuzz.txt" | head -n 60
tail -n 1 "$log/fuzz.txt" > "$log/fuzz-result.txt"; cat "$log/fuzz-result.txt"
count "$log/fuzz-result.txt"
[ "$fuzz_exit" -eq 0 ] || failures=$((failures + 1))

section "rust: cargo test --workspace"
cargo test --workspace --lib --bins --tests --examples 2>&1 | tee "$log/rust.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || failures=$((failures + 1))
grep -E '^test result:' "$log/rust.txt" > "$log/rust-results.txt" || true
count "$log/rust-results.txt"
# Doc-tests run separately (cheap). Benchmarks are not tests: they run on their own commands.
cargo test --workspace --doc 2>&1 | grep -E '^test result:|error' | tee "$log/doc.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || failures=$((failures + 1))
count "$log/doc.txt"

# The benchmarks must keep compiling (they run with `cargo bench`, see the README).
if cargo check -q --workspace --benches; then
  echo "benches compile: 1 passed, 0 failed"; passed_total=$((passed_total + 1))
else
  echo "benches compile: 0 passed, 1 failed"; failures=$((failures + 1)); failed_total=$((failed_total + 1))
fi

section "phone targets: cargo check (compile-only; see the script for the stand-ins)"
bash scripts/check-phone-targets.sh -p identity-pass-core -p identity-pass-bindings | tee "$log/phone.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || failures=$((failures + 1))
count "$log/phone.txt"

section "bindings: generate Kotlin and Swift from the built library"
gen="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/bindings"
if ! bash scripts/generate-bindings.sh "$gen" debug test-support; then
  echo "binding generation FAILED"; failures=$((failures + 1)); failed_total=$((failed_total + 1))
else
  bash tests/make-camera-frames.sh "$gen/resources/fixtures"
  section "apps: every Screen of the generated bindings has a renderer in both apps"
  python3 tests/check-screen-renderers.py "$gen/kotlin" "$gen/swift" | tee "$log/renderers.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || failures=$((failures + 1))
  count "$log/renderers.txt"
  # One real reference service (standalone, fresh database) for both languages' session tests.
  export IDENTITY_PASS_REVIEWER_PASSWORD="test-reviewer-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  if service_env=$(bash tests/start-service.sh "$log/service"); then
    eval "$(printf '%s\n' "$service_env" | sed 's/^/export /')"
    trap 'kill "${IDENTITY_PASS_SERVICE_PID:-}" 2>/dev/null; rm -rf "$log"' EXIT
  else
    echo "the reference service did not start"; failures=$((failures + 1)); failed_total=$((failed_total + 1))
  fi
  section "kotlin: binding tests on the desktop JVM"
  bash tests/run-kotlin-jvm.sh "$gen/lib" "$gen/kotlin" "$gen/resources" 2> "$log/kotlin-detail.txt" | tee "$log/kotlin.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { failures=$((failures + 1)); cat "$log/kotlin-detail.txt"; }
  grep -E '^\s+(└─|├─).*(✘|\[X\])' "$log/kotlin-detail.txt" || true
  count "$log/kotlin.txt"

  section "swift: binding tests on Linux (trixie chroot)"
  bash tests/run-swift-linux.sh "$gen/lib" "$gen/swift" "$gen/resources/fixtures" 2> "$log/swift-detail.txt" | tee "$log/swift.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || { failures=$((failures + 1)); tail -n 80 "$log/swift-detail.txt"; }
  grep -E "^Test Case .* (passed|failed)" "$log/swift-detail.txt" || true
  count "$log/swift.txt"
fi

section "summary"
echo "wall time: $(( $(date +%s) - start )) s"
echo "build output: $(du -sh "$(dirname "$gen")" 2>/dev/null | cut -f1), disk left: $(df -h --output=avail "$root" | tail -1 | tr -d ' ')"
[ "$failures" -eq 0 ] || echo "$failures step(s) failed"
echo "all: $passed_total passed, $failed_total failed"
[ "$failures" -eq 0 ]
