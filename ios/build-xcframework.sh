#!/usr/bin/env bash
# Builds IdentityPassCoreFFI.xcframework and the generated Swift sources for Package.swift.
# Needs macOS with Xcode and the Rust targets aarch64-apple-ios, aarch64-apple-ios-sim and
# x86_64-apple-ios. Output goes to ios/build/ (ignored by git).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/build"
# Every cargo build, C dependencies included (cc reads it), targets iOS 17.
export IPHONEOS_DEPLOYMENT_TARGET=17.0

cd "$root"
# IDENTITY_PASS_TEST_AUTHENTICATOR=1 adds the test-support feature (software passkey, runtime events) the shared
# tests use; it must never be set for an app build.
# Written for macOS's bash 3.2: an empty array expanded as "${a[@]}" is an "unbound variable"
# there under `set -u`, so the features go in through ${a[@]+...}, which expands to nothing
# when the array is empty (and no mapfile, no ${var,,}: both are bash 4).
features=()
if [ "${IDENTITY_PASS_TEST_AUTHENTICATOR:-}" = 1 ]; then
  features=(--features identity-pass-bindings/test-support)
fi
for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo build --release --target "$target" -p identity-pass-bindings ${features[@]+"${features[@]}"}
done

rm -rf "$out" && mkdir -p "$out/sim" "$out/Sources/IdentityPassCore" "$out/Tests/IdentityPassCoreTests" "$out/gen"
# xcodebuild refuses two simulator slices for one platform: merge them with lipo first.
lipo -create \
  target/aarch64-apple-ios-sim/release/libidentity_pass.a \
  target/x86_64-apple-ios/release/libidentity_pass.a \
  -output "$out/sim/libidentity_pass.a"

# Library mode, from the device library itself.
cargo run -q -p uniffi-bindgen -- generate \
  --library target/aarch64-apple-ios/release/libidentity_pass.a \
  --config uniffi.toml --language swift --no-format --out-dir "$out/gen"

# Headers under Headers/<Module>/ with a file named module.modulemap, so two Rust XCFrameworks
# in one app do not collide on include/module.modulemap.
headers="$out/headers/IdentityPassCoreFFI"
mkdir -p "$headers"
cp "$out/gen/IdentityPassCoreFFI.h" "$headers/"
cp "$out/gen/IdentityPassCoreFFI.modulemap" "$headers/module.modulemap"
cp "$out/gen/IdentityPassCore.swift" "$out/Sources/IdentityPassCore/"
cp "$root"/tests/swift/*.swift "$out/Tests/IdentityPassCoreTests/"
bash "$root/tests/make-camera-frames.sh" "$out/Tests/IdentityPassCoreTests/fixtures"

xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release/libidentity_pass.a -headers "$out/headers" \
  -library "$out/sim/libidentity_pass.a" -headers "$out/headers" \
  -output "$out/IdentityPassCoreFFI.xcframework"
echo "built $out/IdentityPassCoreFFI.xcframework"
