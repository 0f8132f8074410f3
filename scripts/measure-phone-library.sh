#!/usr/bin/env bash
# The stripped size of the Android library (`libidentity_pass.so`, release, aarch64), of the
# working tree or of a git revision: `scripts/measure-phone-library.sh [REV]`.
#
# This machine has no NDK, so the library is linked with the Rust toolchain's own lld and
# empty stand-ins for the NDK's libc, libm, libdl and liblog; their symbols stay undefined, as
# they would be resolved by the phone at load time. Everything the app ships of ours is in the
# file, so its size is the one the NDK's link gives, less a few dynamic-section entries naming
# those libraries. The C in `ring` is compiled with the same stand-in clang as
# `check-phone-targets.sh`. This proves nothing about running: the library is never loaded.
# iOS ships a static library that the app's linker strips with the app, so it has no size of
# its own to measure here.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
rev="${1:-}"
source_dir="$PWD"
if [ -n "$rev" ]; then
  source_dir="$(mktemp -d)/src"
  git worktree add --detach -q "$source_dir" "$rev"
  trap 'git worktree remove --force "$source_dir"' EXIT
fi
standins="$CACHE/android-link-standins"
mkdir -p "$standins"
# c++_shared: the C++ runtime that the call's H.264 encoder (OpenH264, C++) links to; the app
# ships the NDK's libc++_shared.so beside ours, so it is not part of this library's size.
for lib in c m dl log unwind c++_shared; do
  [ -f "$standins/lib$lib.a" ] || ar rc "$standins/lib$lib.a"
done
# The one NDK header that glibc's lack (the same stand-in as `check-phone-targets.sh`).
mkdir -p "$CACHE/android-standin/android"
printf '#pragma once\n/* Stand-in: clang defines __ANDROID_API__ from --target=aarch64-linux-android21. */\n' \
  > "$CACHE/android-standin/android/api-level.h"
lld="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld"
target_dir="${CARGO_TARGET_DIR:-$source_dir/target}"
# A revision gets a target directory of its own: cargo names a workspace crate's build by its
# path inside the workspace and trusts file times, so a build of another checkout in the same
# directory can be taken as fresh and the wrong library measured (seen on 2026-12-07).
[ -z "$rev" ] || target_dir="$target_dir/measure-$rev"
(
  cd "$source_dir"
  CC_aarch64_linux_android=clang CXX_aarch64_linux_android=clang++ AR_aarch64_linux_android=llvm-ar \
  CFLAGS_aarch64_linux_android="--target=aarch64-linux-android21 -isystem /usr/aarch64-linux-gnu/include" \
  CXXFLAGS_aarch64_linux_android="--target=aarch64-linux-android21 -isystem /usr/aarch64-linux-gnu/include -isystem $CACHE/android-standin" \
  CARGO_TARGET_AARCH64_LINUX_ANDROID_LINKER="$lld" \
  CARGO_TARGET_AARCH64_LINUX_ANDROID_RUSTFLAGS="-C linker-flavor=ld.lld -L $standins -C link-arg=--unresolved-symbols=ignore-all" \
  CARGO_TARGET_DIR="$target_dir" \
    cargo build -q --release --target aarch64-linux-android -p identity-pass-bindings
)
library="$target_dir/aarch64-linux-android/release/libidentity_pass.so"
stripped="$(mktemp)"
llvm-strip -o "$stripped" "$library"
bytes="$(stat -c %s "$stripped")"
rm -f "$stripped"
awk -v b="$bytes" -v r="${rev:-working tree}" 'BEGIN { printf "libidentity_pass.so, aarch64-linux-android, release, stripped (%s): %d bytes, %.2f MiB\n", r, b, b / 1048576 }'
