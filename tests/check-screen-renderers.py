#!/usr/bin/env python3
"""Fails when a `Screen` variant of the generated bindings has no renderer in either app.

The apps cannot be compiled on a machine without the Android SDK and Xcode, where Kotlin's
exhaustive `when` and Swift's exhaustive `switch` would catch a new screen. This check reads the
generated bindings (the core's truth) and the one file per app that dispatches on the screen:
  android/app/src/main/kotlin/com/identitypass/app/ui/ScreenContent.kt  (`is Screen.X ->`)
  ios/App/Sources/Screens/ScreenView.swift                              (`case .x`)
Every variant must have exactly one branch whose body is a real call (not `TODO`, not empty),
and no branch may name a variant the core no longer has.

Usage: check-screen-renderers.py <generated kotlin dir> <generated swift dir>
Prints "renderers: N passed, M failed" (one check per app, plus the self-test that proves a
missing renderer is caught) and exits non-zero on any failure.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ANDROID_RENDERER = ROOT / "android/app/src/main/kotlin/com/identitypass/app/ui/ScreenContent.kt"
IOS_RENDERER = ROOT / "ios/App/Sources/Screens/ScreenView.swift"


def block_after(text, opening):
    """The text of the brace block that starts at the first match of `opening`."""
    match = re.search(opening, text, re.MULTILINE)
    if not match:
        raise SystemExit(f"no match for {opening!r} in the generated bindings")
    depth, start = 0, text.index("{", match.start())
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1 : i]
    raise SystemExit(f"unbalanced block after {opening!r}")


def kotlin_variants(generated_dir):
    source = "\n".join(p.read_text() for p in pathlib.Path(generated_dir).rglob("*.kt"))
    body = block_after(source, r"^sealed class Screen\b")
    # Variants sit at the block's first indentation level; nested companions are deeper.
    return re.findall(r"^    (?:object|data class)\s+(\w+)", body, re.MULTILINE)


def swift_variants(generated_dir):
    source = "\n".join(p.read_text() for p in pathlib.Path(generated_dir).glob("*.swift"))
    body = block_after(source, r"^public enum Screen\b")
    return re.findall(r"^\s*case\s+(\w+)", body, re.MULTILINE)


def kotlin_branches(renderer_text):
    """Variant name -> branch bodies, from `is Screen.X -> body` / `Screen.X -> body` (a body on
    the next line counts too)."""
    branches = {}
    lines = renderer_text.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^\s*(?:is\s+)?Screen\.(\w+)\s*->\s*(.*)$", line)
        if match:
            body = match.group(2).strip() or next((l.strip() for l in lines[i + 1 :] if l.strip()), "")
            branches.setdefault(match.group(1), []).append(body)
    return branches


def swift_branches(renderer_text):
    """Variant name -> the first line of each `case .x` body."""
    branches = {}
    lines = renderer_text.splitlines()
    for i, line in enumerate(lines):
        for name in re.findall(r"\bcase\s+(?:let\s+)?\.(\w+)", line):
            after = line.split(":", 1)[1].strip() if ":" in line else ""
            body = after or next((l.strip() for l in lines[i + 1 :] if l.strip()), "")
            branches.setdefault(name, []).append(body)
    return branches


def is_real(body):
    return bool(body) and not re.match(r"^(TODO|\{\s*\}|Unit\b|EmptyView\(\)|break\b|fatalError)", body)


def problems(app, variants, branches):
    found = []
    for variant in variants:
        bodies = branches.get(variant, [])
        if not bodies:
            found.append(f"{app}: no renderer for Screen.{variant}")
        elif len(bodies) > 1:
            found.append(f"{app}: Screen.{variant} has {len(bodies)} branches")
        elif not is_real(bodies[0]):
            found.append(f"{app}: Screen.{variant} renders nothing ({bodies[0]!r})")
    for stale in sorted(set(branches) - set(variants)):
        found.append(f"{app}: renderer for Screen.{stale}, which the core does not have")
    return found


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    kotlin = kotlin_variants(sys.argv[1])
    swift = swift_variants(sys.argv[2])
    if len(kotlin) != len(swift) or len(kotlin) < 20:
        raise SystemExit(f"could not read the Screen variants: {len(kotlin)} in Kotlin, {len(swift)} in Swift")
    passed = failed = 0
    checks = [
        ("android", ANDROID_RENDERER, kotlin, kotlin_branches),
        ("ios", IOS_RENDERER, swift, swift_branches),
    ]
    for app, path, variants, read in checks:
        if not path.exists():
            print(f"{app}: {path.relative_to(ROOT)} is missing")
            failed += 1
            continue
        text = path.read_text()
        found = problems(app, variants, read(text))
        for problem in found:
            print(problem)
        if found:
            failed += 1
        else:
            print(f"{app}: {len(variants)} screens, each with its renderer ({path.relative_to(ROOT)})")
            passed += 1
        # The self-test: the same check on the file without its first variant's branch must
        # fail, or this check proves nothing.
        pattern = (
            rf"^\s*(?:is\s+)?Screen\.{variants[0]}\s*->.*$" if app == "android" else rf"^.*\bcase\s+(?:let\s+)?\.{variants[0]}\b.*$"
        )
        mutated = re.sub(pattern, "", text, count=1, flags=re.MULTILINE)
        if mutated != text and problems(app, variants, read(mutated)):
            passed += 1
        else:
            print(f"{app}: the self-test could not make the check fail")
            failed += 1
    print(f"renderers: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
