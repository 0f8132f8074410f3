#!/usr/bin/env bash
# `cargo check` of the crates that ship in the apps, for aarch64-linux-android and
# aarch64-apple-ios. Compile-only: this machine has no NDK and no Apple SDK, so crates that
# compile C or C++ during a check (ring, SQLite, OpenH264) get a stand-in toolchain:
#   Android: Debian's clang targeting android21 with glibc's arm64 headers (and a stand-in
#            <android/api-level.h>: clang already defines the API level from the target);
#   iOS:     clang targeting arm64-apple-ios17.0 with a minimal stand-in SDK (an `xcrun` that
#            prints its path, the handful of libc headers ring's C sources include, and
#            <sys/sysctl.h>'s two calls OpenH264 makes on Apple systems); C++ falls back to
#            glibc's arm64 headers after the SDK's, with the Apple compiler's nullability
#            macros `__nonnull`/`__nullable` undefined because glibc uses those names.
# This proves the sources build for the phones; it proves nothing about linking or running.
# Usage: scripts/check-phone-targets.sh <cargo -p args…>
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
standin="$CACHE/ios-standin"
mkdir -p "$standin/bin" "$standin/sdk/usr/include"
cat > "$standin/bin/xcrun" <<XCRUN
#!/bin/sh
# Stand-in for Xcode's xcrun: answers the SDK queries cc-rs makes, nothing else.
for arg in "\$@"; do
  case "\$arg" in
    --show-sdk-path) echo "$standin/sdk"; exit 0 ;;
    --show-sdk-version) echo 17.0; exit 0 ;;
  esac
done
echo "xcrun stand-in cannot run: \$*" >&2; exit 1
XCRUN
chmod +x "$standin/bin/xcrun"
printf '#pragma once\n#define TARGET_OS_IPHONE 1\n#define TARGET_OS_IOS 1\n#define TARGET_OS_OSX 0\n#define TARGET_OS_MAC 1\n#define TARGET_OS_SIMULATOR 0\n' \
  > "$standin/sdk/usr/include/TargetConditionals.h"
# ring's C needs these five; C++ (OpenH264) has glibc's full <string.h> after the SDK.
printf '#pragma once\n#if __has_include_next(<string.h>)\n#include_next <string.h>\n#else\n#include <stddef.h>\nvoid *memcpy(void *, const void *, size_t);\nvoid *memmove(void *, const void *, size_t);\nvoid *memset(void *, int, size_t);\nint memcmp(const void *, const void *, size_t);\nsize_t strlen(const char *);\n#endif\n' \
  > "$standin/sdk/usr/include/string.h"
mkdir -p "$standin/sdk/usr/include/sys" "$CACHE/android-standin/android"
printf '#pragma once\n#include <stddef.h>\n#define CTL_HW 6\n#define HW_NCPU 3\nint sysctl(int *, unsigned int, void *, size_t *, void *, size_t);\nint sysctlbyname(const char *, void *, size_t *, void *, size_t);\n' \
  > "$standin/sdk/usr/include/sys/sysctl.h"
printf '#pragma once\n/* Stand-in: clang defines __ANDROID_API__ from --target=aarch64-linux-android21. */\n' \
  > "$CACHE/android-standin/android/api-level.h"
printf '#pragma once\n#define assert(x) ((void)0)\n' > "$standin/sdk/usr/include/assert.h"

status=0
if CC_aarch64_linux_android=clang CXX_aarch64_linux_android=clang++ AR_aarch64_linux_android=llvm-ar \
   CFLAGS_aarch64_linux_android="--target=aarch64-linux-android21 -isystem /usr/aarch64-linux-gnu/include" \
   CXXFLAGS_aarch64_linux_android="--target=aarch64-linux-android21 -isystem /usr/aarch64-linux-gnu/include -isystem $CACHE/android-standin" \
   cargo check -q --target aarch64-linux-android "$@"; then
  echo "check aarch64-linux-android: 1 passed, 0 failed"
else
  echo "check aarch64-linux-android: 0 passed, 1 failed"; status=1
fi
if PATH="$standin/bin:$PATH" CC_aarch64_apple_ios=clang CXX_aarch64_apple_ios=clang++ AR_aarch64_apple_ios=llvm-ar \
   CXXFLAGS_aarch64_apple_ios="-U__nonnull -U__nullable -idirafter /usr/aarch64-linux-gnu/include" \
   IPHONEOS_DEPLOYMENT_TARGET=17.0 cargo check -q --target aarch64-apple-ios "$@"; then
  echo "check aarch64-apple-ios: 1 passed, 0 failed"
else
  echo "check aarch64-apple-ios: 0 passed, 1 failed"; status=1
fi
exit $status
