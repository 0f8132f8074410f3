#!/usr/bin/env bash
# Checks Cargo.lock against the committed RustSec snapshot (supply-chain/advisory-db) with
# `cargo audit`, offline. Fails when any advisory applies that supply-chain/advisory-exceptions.toml
# does not accept with a reason, and when an accepted one no longer applies. Prints one line
# "advisories: N passed, M failed" for the test command's totals.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
audit="$CACHE/cargo-audit/bin/cargo-audit"
db="${IDENTITY_PASS_ADVISORY_DB:-$root/supply-chain/advisory-db}"
exceptions="$root/supply-chain/advisory-exceptions.toml"
[ -x "$audit" ] || { echo "cargo-audit is missing: run scripts/setup-toolchains.sh"; echo "advisories: 0 passed, 1 failed"; exit 1; }
echo "database: $(cat "$db/SNAPSHOT")"

problems=0
ids=$(grep -oE '^id = "RUSTSEC-[0-9]{4}-[0-9]{4}"' "$exceptions" | grep -oE 'RUSTSEC-[0-9]{4}-[0-9]{4}')
reasons=$(grep -cE '^reason = ' "$exceptions")
if [ "$(echo "$ids" | grep -c .)" -ne "$reasons" ]; then
  echo "every exception needs a reason: $(echo "$ids" | grep -c .) ids, $reasons reasons"; problems=$((problems + 1))
fi

# First, that the check can fail: a lockfile with a known-vulnerable crate must be refused.
fixture="$root/supply-chain/fixtures/known-vulnerable.Cargo.lock"
# (cargo audit exits 1 when it finds something, so the report is kept before it is searched.)
refused_fixture=$("$audit" audit --db "$db" --no-fetch --stale --file "$fixture" --json 2>/dev/null)
fixture_exit=$?
if [ "$fixture_exit" -ne 0 ] && grep -q '"id":"RUSTSEC-2021-0003"' <<<"$refused_fixture"; then
  echo "self-check: the known-vulnerable fixture is refused (RUSTSEC-2021-0003)"
else
  echo "self-check: the known-vulnerable fixture was not refused: the database or the tool is not working"
  problems=$((problems + 1))
fi

# What applies, with nothing ignored: every accepted id must still be in it.
# --no-fetch: read the snapshot as it is, never the network; --stale: its date is the point.
run() { "$audit" audit --db "$db" --no-fetch --stale --file Cargo.lock "$@"; }
everything=$(run --json 2>/dev/null)
[ -n "$everything" ] || { echo "cargo audit gave no report"; echo "advisories: 0 passed, 1 failed"; exit 1; }
for id in $ids; do
  if ! grep -q "\"id\":\"$id\"" <<<"$everything"; then
    echo "$id is accepted in $exceptions but no longer applies: remove it"; problems=$((problems + 1))
  fi
done

# The verdict: vulnerabilities and every kind of warning (unmaintained, unsound, yanked) fail.
ignores=()
for id in $ids; do ignores+=(--ignore "$id"); done
if run --deny warnings "${ignores[@]}"; then
  echo "applying: $(echo "$ids" | grep -c .) accepted ($(echo $ids)), none other"
else
  problems=$((problems + 1))
fi

if [ "$problems" -eq 0 ]; then echo "advisories: 1 passed, 0 failed"; else echo "advisories: 0 passed, 1 failed"; exit 1; fi
