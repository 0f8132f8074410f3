#!/usr/bin/env bash
# Builds the bindings library for the host and generates the Kotlin and Swift bindings from it
# (library mode, with the workspace's own bindgen). Output: <out>/{lib,kotlin,swift}.
# Usage: scripts/generate-bindings.sh <out dir> [cargo profile: debug|release] [cargo features]
# (the test runners pass `test-support`: a software passkey authenticator and the entry point
# by which the flow tests play the service; never in the phone builds)
set -euo pipefail
out=$1 profile=${2:-debug} features=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
flag=(); [ "$profile" = release ] && flag=(--release)
[ -n "$features" ] && flag+=(--features "identity-pass-bindings/$features")
cargo build -q "${flag[@]}" -p identity-pass-bindings -p uniffi-bindgen
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
lib="$target_dir/$profile/libidentity_pass.so"
rm -rf "$out" && mkdir -p "$out/lib" "$out/kotlin" "$out/swift"
cp "$lib" "$out/lib/"
bindgen="$target_dir/$profile/uniffi-bindgen"
"$bindgen" generate --library "$lib" --config uniffi.toml --language kotlin --no-format --out-dir "$out/kotlin" >/dev/null
"$bindgen" generate --library "$lib" --config uniffi.toml --language swift --no-format --out-dir "$out/swift" >/dev/null
# SwiftPM and swiftc look for a file named exactly module.modulemap.
mv "$out/swift/IdentityPassCoreFFI.modulemap" "$out/swift/module.modulemap"
