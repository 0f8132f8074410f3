//! The layers of `src/` depend one way: `http` → `state` → `store` → `domain`, with the leaf
//! modules (`clock`, `secrets`, `push`) usable by all and depending on nothing of the crate.
//! This test reads the sources and fails when a file reaches up or sideways: the domain must
//! stay pure (no HTTP, no SQL, no runtime), the store must not know HTTP, handlers must go
//! through the store for SQL, and the shared state must not know handlers. Beside them, the
//! reviewer's call: `call_media` (the WebRTC rooms, over the domain only) and
//! `call_attendance` (their observations, applied through the state and the store).

use std::path::{Path, PathBuf};

/// What the files of one part of `src/` must not mention.
struct Rule {
    /// A directory (`domain`) or a file (`state.rs`) under `src/`.
    part: &'static str,
    /// Crate modules it must not import (`crate::x`, `super::x`, `crate::{x, …}`).
    modules: &'static [&'static str],
    /// Identifiers (crates, types) it must not name, outside comments.
    words: &'static [&'static str],
}

const EVERY_MODULE: &[&str] =
    &["call_attendance", "call_media", "clock", "domain", "http", "push", "secrets", "state", "store", "telephony"];

const RULES: &[Rule] = &[
    Rule {
        part: "domain",
        modules: &["store", "http", "state", "push", "telephony", "call_media", "call_attendance"],
        words: &["axum", "rusqlite", "tokio", "webauthn_rs", "StatusCode", "ApiError", "StoreError", "str0m"],
    },
    Rule {
        part: "store",
        modules: &["http", "state", "call_media", "call_attendance"],
        words: &["axum", "StatusCode", "webauthn_rs", "ApiError", "str0m"],
    },
    // The media rooms know WebRTC and sockets, and only the domain's names for the sides.
    Rule {
        part: "call_media",
        modules: &["http", "state", "store", "call_attendance", "push", "telephony"],
        words: &["axum", "rusqlite", "StatusCode", "ApiError"],
    },
    // What the rooms observe, applied through the store: no handlers, no WebRTC.
    Rule { part: "call_attendance.rs", modules: &["http"], words: &["axum", "rusqlite", "str0m", "ApiError"] },
    Rule { part: "http", modules: &[], words: &["rusqlite", "str0m"] },
    Rule { part: "state.rs", modules: &["http", "call_attendance"], words: &["axum", "rusqlite", "ApiError", "str0m"] },
    Rule { part: "clock.rs", modules: EVERY_MODULE, words: &[] },
    Rule { part: "secrets.rs", modules: EVERY_MODULE, words: &[] },
    Rule { part: "push.rs", modules: EVERY_MODULE, words: &[] },
    Rule { part: "telephony.rs", modules: EVERY_MODULE, words: &[] },
];

/// The source without comments (line, doc and block comments), strings kept.
fn without_comments(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let rest = &source[i..];
        if in_string {
            if rest.starts_with("\\\"") || rest.starts_with("\\\\") {
                out.push_str(&rest[..2]);
                i += 2;
                continue;
            }
            if rest.starts_with('"') {
                in_string = false;
            }
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
            continue;
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
            continue;
        } else if rest.starts_with("'\"'") {
            out.push_str("'\"'");
            i += 3;
            continue;
        } else if rest.starts_with('"') {
            in_string = true;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every crate module a source names through `crate::` or `super::` paths, including each
/// top-level name of a `crate::{a, b::c}` group.
fn crate_modules_named(code: &str) -> Vec<String> {
    let mut named = Vec::new();
    for anchor in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(anchor) {
            let start = from + found;
            from = start + anchor.len();
            // Inside a longer path (`x::super::`, or the second `super::` of a chain).
            if code[..start].chars().next_back().is_some_and(is_ident) || code[..start].ends_with("::") {
                continue;
            }
            let mut rest = &code[from..];
            while let Some(stripped) = rest.strip_prefix("super::") {
                rest = stripped;
            }
            if let Some(group) = rest.strip_prefix('{') {
                named.extend(top_level_items(group).iter().map(|item| leading_ident(item)).filter(|n| !n.is_empty()));
            } else {
                let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() {
                    named.push(name);
                }
            }
        }
    }
    named
}

/// The items of a `{a, b::{c, d}, e}` group up to its closing brace, split at top-level commas.
fn top_level_items(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut item_start) = (Vec::new(), 0usize, 0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[item_start..at]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[item_start..at]);
                item_start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&group[item_start..]);
    items
}

fn leading_ident(item: &str) -> String {
    item.trim_start().chars().take_while(|&c| is_ident(c)).collect()
}

fn names_word(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// What `source` (a file of `rule.part`) does wrong.
fn violations(rule: &Rule, source: &str) -> Vec<String> {
    let code = without_comments(source);
    let mut found = Vec::new();
    for module in crate_modules_named(&code) {
        if rule.modules.contains(&module.as_str()) {
            found.push(format!("imports crate::{module}"));
        }
    }
    for word in rule.words {
        if names_word(&code, word) {
            found.push(format!("names `{word}`"));
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(path: &Path, found: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path).expect("source directory").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, found);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        found.push(path.to_owned());
    }
}

#[test]
fn every_layer_depends_only_on_the_layers_below_it() {
    let mut problems = Vec::new();
    for rule in RULES {
        let mut files = Vec::new();
        rust_files(&src().join(rule.part), &mut files);
        assert!(!files.is_empty(), "src/{} has no Rust files: is the rule still about a real part?", rule.part);
        for file in files {
            let source = std::fs::read_to_string(&file).expect("source");
            for problem in violations(rule, &source) {
                problems.push(format!("{}: {problem}", file.strip_prefix(src()).unwrap_or(&file).display()));
            }
        }
    }
    assert!(problems.is_empty(), "layering broken (see tests/layers.rs for the rules):\n{}", problems.join("\n"));
}

#[test]
fn the_layers_are_where_the_rules_expect_them() {
    for module in EVERY_MODULE {
        let as_dir = src().join(module).join("mod.rs");
        let as_file = src().join(format!("{module}.rs"));
        assert!(as_dir.is_file() || as_file.is_file(), "src/{module} is gone: update the rules");
    }
    for part in ["domain", "store", "http"] {
        let mut files = Vec::new();
        rust_files(&src().join(part), &mut files);
        assert!(files.len() >= 5, "src/{part} holds only {} files", files.len());
    }
}

/// The checker itself must catch what it is for, or the test above proves nothing.
#[test]
fn the_checker_catches_upward_and_sideways_imports() {
    let rule = |part: &str| RULES.iter().find(|r| r.part == part).expect("rule");
    let domain = rule("domain");
    let store = rule("store");
    assert_eq!(violations(domain, "use crate::store::requests;"), ["imports crate::store"]);
    assert_eq!(violations(domain, "use crate::{clock, http::error::ApiError};").len(), 2, "group, and the type");
    assert_eq!(violations(domain, "fn f() { super::super::state::AppState::now(); }"), ["imports crate::state"]);
    assert_eq!(violations(domain, "use rusqlite::Connection;"), ["names `rusqlite`"]);
    assert_eq!(violations(domain, "use crate::domain::tap;\n/// Not axum, not rusqlite.\nfn f() {}"), Vec::<String>::new());
    assert_eq!(violations(domain, "let s = \"// not a comment\"; use crate::http::x;"), ["imports crate::http"]);
    assert_eq!(violations(store, "use axum::http::StatusCode;"), ["names `axum`", "names `StatusCode`"]);
    assert_eq!(violations(store, "fn f() -> crate::http::error::ApiResult<()> { Ok(()) }"), ["imports crate::http"]);
    assert!(violations(store, "use crate::domain::request::OnboardingRequest;").is_empty());
    assert_eq!(violations(rule("http"), "rusqlite::params![a]"), ["names `rusqlite`"]);
    assert_eq!(violations(rule("state.rs"), "use crate::http::routes;"), ["imports crate::http"]);
    assert_eq!(violations(rule("push.rs"), "use crate::domain::DomainError;"), ["imports crate::domain"]);
}
