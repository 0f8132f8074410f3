#!/usr/bin/env bash
# Starts the reference service (standalone binary, fresh SQLite database in <dir>) on a free
# loopback port for the Kotlin and Swift session tests, and prints two lines:
#   IDENTITY_PASS_SERVICE_URL=http://127.0.0.1:PORT
#   IDENTITY_PASS_SERVICE_PID=PID
# The seeded reviewer accounts' password is taken from IDENTITY_PASS_REVIEWER_PASSWORD. Stop it with `kill PID`.
# Four synthetic people (synthetic-0000N@contoso.example, employee ID S0000N; odd N on Alice's
# path) give the tests that change an account (after the TAP) a person of their own.
# Usage: tests/start-service.sh <dir>
set -euo pipefail
dir=$1
root=$(cd "$(dirname "$0")/.." && pwd)
: "${IDENTITY_PASS_REVIEWER_PASSWORD:?set the reviewer password (12 characters or more)}"
mkdir -p "$dir"
cargo build -q -p identity-pass-service --manifest-path "$root/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
"$target_dir/debug/identity-pass-service" --listen 127.0.0.1:0 --db "$dir/service.sqlite3" --synthetic-people 4 > "$dir/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  url=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$dir/service.log" | head -n1 | sed 's/listening on //') || true
  [ -n "${url:-}" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/service.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "the service did not start" >&2; kill "$pid"; exit 1; }
echo "IDENTITY_PASS_SERVICE_URL=$url"
echo "IDENTITY_PASS_SERVICE_PID=$pid"
