#!/usr/bin/env bash
# CI (android-emulator.yml), inside the running API 34 emulator: starts the reference service on
# the host and forwards the emulator's own 127.0.0.1:8080 to it (adb reverse), then runs the kit's instrumented binding tests
# and the app's Compose UI test ("Get TAP") against it. One script, because the emulator
# runner executes each line of its `script:` in a shell of its own.
# Needs: the service built (cargo build -p identity-pass-service), DEBUG_CERT_SHA256 (the debug
# keystore's SHA-256 fingerprint, AA:BB:…) and REVIEWER_PASSWORD in the environment.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${DEBUG_CERT_SHA256:?the debug certificate fingerprint}" "${REVIEWER_PASSWORD:?the reviewer password}"
work=${RUNNER_TEMP:-$(mktemp -d)}
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

# The app's package and debug certificate: the service then serves assetlinks.json and accepts
# the app's android:apk-key-hash: passkey origin. The reviewer's call: `adb reverse` carries
# TCP only, so the call's media (UDP) goes to the emulator's alias for the host's loopback,
# 10.0.2.2, which the service's answers name for its media side bound on 127.0.0.1.
"$target_dir/debug/identity-pass-service" --listen 0.0.0.0:8080 --db "$work/ci.sqlite3" \
  --reviewer-password "$REVIEWER_PASSWORD" --synthetic-people 4 --call-media-public-address 10.0.2.2 \
  --android-package com.identitypass.app --android-cert-sha256 "$DEBUG_CERT_SHA256" \
  > "$work/service.log" 2>&1 &
service=$!
trap 'kill "$service" 2>/dev/null || true; echo "--- service log"; tail -n 50 "$work/service.log"' EXIT
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/service.log" && break
  kill -0 "$service" || { echo "the service did not start" >&2; exit 1; }
  sleep 0.2
done

# The core accepts plain HTTP to loopback only (runtime/src/transport.rs), so the emulator's
# host alias http://10.0.2.2 would be refused as insecure: the emulator reaches the service on
# its own loopback instead.
adb reverse tcp:8080 tcp:8080

cd "$root/android"
# One Gradle run for both: the test authenticator feature (needed by the kit's passkey test)
# then builds the core's library once for both test APKs; it never reaches a release build.
gradle -PwithTestAuthenticator=true \
  -Pandroid.testInstrumentationRunnerArguments.IDENTITY_PASS_SERVICE_URL=http://127.0.0.1:8080 \
  -Pandroid.testInstrumentationRunnerArguments.IDENTITY_PASS_REVIEWER_PASSWORD="$REVIEWER_PASSWORD" \
  :kit:connectedAndroidTest :app:connectedGlobalDebugAndroidTest
