#!/usr/bin/env bash
# Builds a SwiftPM package from the generated Swift bindings and the shared Swift binding tests
# and runs it with `swift test` inside the Debian trixie chroot (bookworm has no Swift).
# Usage: tests/run-swift-linux.sh <dir with libidentity_pass.so> <dir with generated Swift>
#        <dir with the raw camera frames from tests/make-camera-frames.sh>
# Prints "swift: N passed, N failed" last; exits non-zero on any failure.
set -euo pipefail
lib_dir=$(cd "$1" && pwd) gen_dir=$(cd "$2" && pwd) frames_dir=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
ROOT="$CACHE/swift-trixie"
[ -f "$ROOT/.identity-pass-ready" ] || { echo "no Swift chroot at $ROOT: run scripts/setup-toolchains.sh" >&2; exit 1; }

# The package lives inside the chroot; it is rebuilt from scratch for every run except for
# SwiftPM's .build cache, which makes a re-run take seconds.
pkg="$ROOT/work/identity-pass-swift"
mkdir -p "$pkg/Sources/IdentityPassCoreFFI" "$pkg/Sources/IdentityPassCore" "$pkg/Sources/IdentityPassKit" "$pkg/Tests/IdentityPassCoreTests" "$pkg/lib"
rm -rf "$pkg"/Sources/*/* "$pkg"/Tests/IdentityPassCoreTests/* "$pkg"/lib/*
cp "$gen_dir/IdentityPassCoreFFI.h" "$gen_dir/module.modulemap" "$pkg/Sources/IdentityPassCoreFFI/"
cp "$gen_dir/IdentityPassCore.swift" "$pkg/Sources/IdentityPassCore/"
# The kit's Swift, as in the app (the Keychain store compiles out where Security is absent).
cp "$here"/../ios/Sources/IdentityPassKit/*.swift "$pkg/Sources/IdentityPassKit/"
cp "$here"/swift/*.swift "$pkg/Tests/IdentityPassCoreTests/"
cp -r "$frames_dir" "$pkg/Tests/IdentityPassCoreTests/fixtures"
cp "$lib_dir/libidentity_pass.so" "$pkg/lib/"
cat > "$pkg/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "IdentityPassCoreLinuxTests",
    targets: [
        .systemLibrary(name: "IdentityPassCoreFFI", path: "Sources/IdentityPassCoreFFI"),
        .target(
            name: "IdentityPassCore",
            dependencies: ["IdentityPassCoreFFI"],
            path: "Sources/IdentityPassCore",
            linkerSettings: [.unsafeFlags(["-L/work/identity-pass-swift/lib", "-lidentity_pass"])]),
        .target(name: "IdentityPassKit", dependencies: ["IdentityPassCore"], path: "Sources/IdentityPassKit"),
        .testTarget(
            name: "IdentityPassCoreTests",
            dependencies: ["IdentityPassCore", "IdentityPassKit"],
            path: "Tests/IdentityPassCoreTests",
            resources: [.copy("fixtures")]),
    ]
)
SWIFT

mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
set +e
# The chroot shares this machine's network, so the service on loopback is reachable from it.
chroot "$ROOT" /usr/bin/env \
  IDENTITY_PASS_SERVICE_URL="${IDENTITY_PASS_SERVICE_URL:-}" \
  IDENTITY_PASS_REVIEWER_PASSWORD="${IDENTITY_PASS_REVIEWER_PASSWORD:-}" \
  /bin/sh -c 'cd /work/identity-pass-swift && LD_LIBRARY_PATH=/work/identity-pass-swift/lib swift test 2>&1' > "$pkg/report.txt"
status=$?
set -e
cat "$pkg/report.txt" >&2
summary=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$pkg/report.txt" | tail -n1)
total=$(echo "$summary" | grep -oE 'Executed [0-9]+' | grep -oE '[0-9]+')
failed=$(echo "$summary" | grep -oE 'with [0-9]+' | grep -oE '[0-9]+')
total=${total:-0} failed=${failed:-0}
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "swift: $((total - failed)) passed, $failed failed"
[ "$status" -eq 0 ] && [ "$total" -gt 0 ]
