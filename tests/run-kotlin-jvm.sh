#!/usr/bin/env bash
# Compiles the generated Kotlin bindings with the shared Kotlin binding tests and runs them on
# the desktop JVM (JNA jar + the host-built library), with JUnit 5's console launcher.
# Usage: tests/run-kotlin-jvm.sh <dir with libidentity_pass.so> <dir with generated Kotlin>
#        [<dir holding fixtures/, the raw camera frames from tests/make-camera-frames.sh>]
# Prints "kotlin: N passed, N failed" last; exits non-zero on any failure.
set -euo pipefail
lib_dir=$1 gen_dir=$2 resources=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
KOTLIN_HOME=$(ls -d "$CACHE"/kotlin-* | sort | tail -n1)
KLIB="$KOTLIN_HOME/lib"
JUNIT=/usr/share/java/junit-platform-console-standalone.jar
deps="/usr/share/java/jna.jar:$KLIB/kotlinx-coroutines-core-jvm.jar:$KLIB/kotlin-test.jar:$KLIB/kotlin-test-junit5.jar:$JUNIT"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The kit's platform-neutral Kotlin (every kit file that imports nothing of android.*: the
# coroutine streams, camera frames, permission and passkey mappings, push payloads, the effect
# dispatcher, make-or-load) is compiled with the tests, as in the app. The Keystore classes need
# the Android SDK and are built only by the Gradle job.
kit_dir="$here/../android/kit/src/main/kotlin/com/identitypass/kit"
mapfile -t kit < <(grep -L -E '^import androidx?\.' "$kit_dir"/*.kt)
# Two steps: the generated bindings are UniFFI's code, whose warnings are not ours to fix; our
# own Kotlin (the kit and the tests) must compile with no warning at all (-Werror).
"$KOTLIN_HOME/bin/kotlinc" -nowarn "$gen_dir" -cp "$deps" -d "$out/generated" 2>&1 >&2 \
  || { echo "kotlin: the generated bindings do not compile" >&2; echo "kotlin: 0 passed, 1 failed"; exit 1; }
"$KOTLIN_HOME/bin/kotlinc" -Werror "${kit[@]}" "$here/kotlin" -cp "$out/generated:$deps" -d "$out/classes" >&2 \
  || { echo "kotlin: our code does not compile without warnings" >&2; echo "kotlin: 0 passed, 1 failed"; exit 1; }
cp -r "$out/generated/." "$out/classes/"

set +e
java -Djna.library.path="$lib_dir" -jar "$JUNIT" \
  -cp "$out/classes:$deps:$KLIB/kotlin-stdlib.jar${resources:+:$resources}" \
  --scan-classpath "$out/classes" --details=tree --disable-banner --disable-ansi-colors > "$out/report.txt" 2>&1
status=$?
set -e
cat "$out/report.txt" >&2
passed=$(grep -E '^\[ +[0-9]+ tests successful' "$out/report.txt" | grep -oE '[0-9]+' | head -n1)
failed=$(grep -E '^\[ +[0-9]+ tests failed' "$out/report.txt" | grep -oE '[0-9]+' | head -n1)
echo "kotlin: ${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
