#!/usr/bin/env bash
# Installs, once, everything the test command needs that a fresh machine of this kind lacks.
# Idempotent: every step checks first and does nothing when its tool is already there.
# Nothing is written into the repository: caches live under $IDENTITY_PASS_CACHE.
set -euo pipefail

CACHE="${IDENTITY_PASS_CACHE:-$HOME/.cache/identity-pass}"
KOTLIN_VERSION="2.4.20"
mkdir -p "$CACHE"

log() { printf '[setup] %s\n' "$*" >&2; }

# --- Debian packages --------------------------------------------------------------------------
# debootstrap: the Swift chroot. libjna-java/libjna-jni: JNA for the desktop Kotlin tests.
# junit5: the JUnit console launcher. clang + libc6-dev-arm64-cross: the compile-only stand-in
# C toolchain for `cargo check --target aarch64-*` (ring and SQLite compile C even in a check).
# coturn: the real TURN relay the call tests start on loopback. libssl-dev + pkg-config: the
# service's side of the call (str0m) does DTLS with the system's OpenSSL.
APT_PACKAGES=(debootstrap libjna-java libjna-jni junit5 clang llvm libc6-dev-arm64-cross
              chromium chromium-driver libclang-dev keyutils coturn libssl-dev pkg-config)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Where Debian's coturn package starts its own relay (a machine with systemd), stop it: the
# tests start theirs, and an open relay on port 3478 is nothing a test machine should serve.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet coturn 2>/dev/null; then
  log "systemctl disable --now coturn (the tests start their own relay)"
  systemctl disable --now coturn >/dev/null 2>&1 || true
fi

# --- Rust targets (check only: there is no NDK or Apple SDK here) -----------------------------
for t in aarch64-linux-android aarch64-apple-ios; do
  rustup target list --installed | grep -qx "$t" || { log "rustup target add $t"; rustup target add "$t"; }
done

# --- rustfmt and clippy: the test command enforces both ----------------------------------------
for c in rustfmt clippy; do
  rustup component list --installed | grep -q "^$c" || { log "rustup component add $c"; rustup component add "$c"; }
done

# --- Kotlin compiler from the npm package JetBrains publishes ---------------------------------
KOTLIN_HOME="$CACHE/kotlin-$KOTLIN_VERSION"
if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
  log "kotlin-compiler@$KOTLIN_VERSION from npm"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf kotlin-compiler-*.tgz)
  rm -rf "$KOTLIN_HOME" && mv "$tmp/package" "$KOTLIN_HOME" && rm -rf "$tmp"
  chmod +x "$KOTLIN_HOME"/bin/*
fi

# --- Swift 6 toolchain in a Debian trixie chroot (bookworm has none) --------------------------
SWIFT_ROOT="$CACHE/swift-trixie"
# The marker is written last, so a half-finished chroot is rebuilt rather than trusted.
if [ ! -f "$SWIFT_ROOT/.identity-pass-ready" ]; then
  # The mirror is whatever this machine's apt already uses; no host is named here.
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -n1)
  [ -n "$mirror" ] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -n1)
  [ -n "$mirror" ] || { log "no Debian mirror found in the apt sources"; exit 1; }
  log "debootstrap trixie into $SWIFT_ROOT (a few minutes, once)"
  rm -rf "$SWIFT_ROOT.partial"
  debootstrap --variant=minbase --include=ca-certificates trixie "$SWIFT_ROOT.partial" "$mirror" >/dev/null
  mountpoint -q "$SWIFT_ROOT.partial/proc" || mount -t proc proc "$SWIFT_ROOT.partial/proc"
  chroot "$SWIFT_ROOT.partial" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq swiftlang >/dev/null'
  umount "$SWIFT_ROOT.partial/proc" || true
  rm -rf "$SWIFT_ROOT" && mv "$SWIFT_ROOT.partial" "$SWIFT_ROOT"
  touch "$SWIFT_ROOT/.identity-pass-ready"
fi
# --- cargo-audit, pinned, for the offline advisory check (scripts/check-advisories.sh) ---------
# Built once from crates.io into the cache; --locked takes the versions its authors tested.
# No default features: binary scanning is not used, and it would build a second object parser.
CARGO_AUDIT_VERSION="0.22.2"
AUDIT_ROOT="$CACHE/cargo-audit"
if ! "$AUDIT_ROOT/bin/cargo-audit" --version 2>/dev/null | grep -qx "cargo-audit $CARGO_AUDIT_VERSION"; then
  log "cargo install cargo-audit@$CARGO_AUDIT_VERSION (a few minutes, once)"
  # Its own target dir, away from the project's build output, removed once the binary is in place.
  CARGO_TARGET_DIR="$CACHE/cargo-audit-build" cargo install --quiet --locked --no-default-features \
    --version "$CARGO_AUDIT_VERSION" --root "$AUDIT_ROOT" cargo-audit
  rm -rf "$CACHE/cargo-audit-build"
fi

# --- cargo-fuzz, pinned, for the fuzz targets (scripts/fuzz.sh) ------------------------------
# Same way as cargo-audit: built once into the cache, its own target dir removed afterwards.
CARGO_FUZZ_VERSION="0.13.2"
FUZZ_ROOT="$CACHE/cargo-fuzz"
if ! "$FUZZ_ROOT/bin/cargo-fuzz" --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  log "cargo install cargo-fuzz@$CARGO_FUZZ_VERSION (a minute or two, once)"
  CARGO_TARGET_DIR="$CACHE/cargo-fuzz-build" cargo install --quiet --locked \
    --version "$CARGO_FUZZ_VERSION" --root "$FUZZ_ROOT" cargo-fuzz
  rm -rf "$CACHE/cargo-fuzz-build"
fi

log "toolchains ready in $CACHE"
