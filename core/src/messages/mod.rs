//! Every user-visible text of the app, with a stable code, in English and Simplified Chinese.
//!
//! The shells never write user-facing strings of their own: the core hands them a
//! `LocalizedMessage` (code + text). Codes are stable API: analytics, support scripts and the
//! shells' tests key on them, so a code is never reused for another meaning.
//!
//! Texts live in `catalog.tsv` (code, English, Simplified Chinese; tab-separated) so that a
//! translator edits one file. Each domain module lists the codes it uses in an `ALL` slice; the
//! tests below fail when a listed code lacks a translation, or when the file has a code that no
//! domain uses. Placeholders are written `{name}` and filled by `MessageCode::render`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The languages the catalog carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Locale {
    /// English.
    English,
    /// Simplified Chinese (zh-Hans).
    SimplifiedChinese,
}

impl Locale {
    /// Picks the catalog language for a BCP-47 tag from the OS (`zh-CN`, `zh-Hans-HK`, `en-GB`…).
    /// Any Chinese tag that is not explicitly Traditional gets Simplified; all else English.
    pub fn from_language_tag(tag: &str) -> Locale {
        let lower = tag.to_ascii_lowercase().replace('_', "-");
        let traditional = ["zh-hant", "zh-tw", "zh-hk", "zh-mo"].iter().any(|t| lower.starts_with(t));
        if (lower == "zh" || lower.starts_with("zh-")) && !traditional { Locale::SimplifiedChinese } else { Locale::English }
    }
}

/// A stable message code, such as `ELIG_OS_TOO_OLD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageCode(pub &'static str);

/// A message ready to show: its code and its text in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalizedMessage {
    /// The stable code.
    pub code: String,
    /// The text, placeholders filled.
    pub text: String,
}

struct Entry {
    english: &'static str,
    chinese: &'static str,
}

const CATALOG_TSV: &str = include_str!("catalog.tsv");

fn catalog() -> &'static HashMap<&'static str, Entry> {
    static CATALOG: OnceLock<HashMap<&'static str, Entry>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        CATALOG_TSV
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let code = cols.next()?.trim();
                let english = cols.next().unwrap_or("").trim();
                let chinese = cols.next().unwrap_or("").trim();
                Some((code, Entry { english, chinese }))
            })
            .collect()
    })
}

/// `template` with each `{name}` of `args` replaced by its cleaned value; other braces kept.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value =
            after.find('}').and_then(|close| args.iter().find(|(name, _)| *name == &after[..close]).map(|(_, value)| (close, value)));
        match value {
            Some((close, value)) => {
                text.push_str(&untrusted::display_text(value));
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

impl MessageCode {
    /// The text for this code with `{name}` placeholders replaced by `args`.
    ///
    /// Every value is made fit for a sentence first (`untrusted::display_text`: one line, no
    /// control characters, bounded), so no caller can put a service's raw text on a screen, and
    /// the template is filled in one pass: a `{name}` inside a value stays as typed.
    ///
    /// A code missing from the catalog renders as the code itself (never a panic); the catalog
    /// test makes that impossible for listed codes.
    pub fn render(self, locale: Locale, args: &[(&str, &str)]) -> LocalizedMessage {
        let template = catalog()
            .get(self.0)
            .map(|e| match locale {
                Locale::English => e.english,
                Locale::SimplifiedChinese => e.chinese,
            })
            .filter(|t| !t.is_empty())
            .unwrap_or(self.0);
        LocalizedMessage { code: self.0.to_owned(), text: fill(template, args) }
    }

    /// The text without placeholders to fill.
    pub fn text(self, locale: Locale) -> LocalizedMessage {
        self.render(locale, &[])
    }
}

pub mod eligibility;
pub mod flow;
pub mod selfie;
pub mod service;
pub mod untrusted;

/// Every code any domain uses. Add a domain's `ALL` here when it gains messages.
pub fn all_codes() -> Vec<MessageCode> {
    [eligibility::ALL, flow::ALL, selfie::ALL, service::ALL].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_in_use_has_english_and_chinese_text() {
        let mut missing = Vec::new();
        for code in all_codes() {
            match catalog().get(code.0) {
                None => missing.push(format!("{}: not in catalog.tsv", code.0)),
                Some(e) if e.english.is_empty() => missing.push(format!("{}: no English", code.0)),
                Some(e) if e.chinese.is_empty() => missing.push(format!("{}: no Chinese", code.0)),
                Some(_) => {}
            }
        }
        assert!(missing.is_empty(), "untranslated messages: {missing:#?}");
    }

    #[test]
    fn the_catalog_has_no_orphans_and_no_duplicates() {
        let used: HashSet<_> = all_codes().into_iter().map(|c| c.0).collect();
        let mut seen = HashSet::new();
        for line in CATALOG_TSV.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let code = line.split('\t').next().unwrap_or("").trim();
            assert!(seen.insert(code), "{code} appears twice in catalog.tsv");
            assert!(used.contains(code), "{code} is in catalog.tsv but no domain lists it");
        }
    }

    #[test]
    fn placeholders_are_filled_in_both_languages() {
        for locale in [Locale::English, Locale::SimplifiedChinese] {
            let message = eligibility::OS_TOO_OLD.render(locale, &[("minimum", "14"), ("found", "13")]);
            assert!(message.text.contains("14") && message.text.contains("13"), "{message:?}");
            assert!(!message.text.contains('{'), "{message:?}");
        }
    }

    #[test]
    fn values_are_cleaned_and_never_filled_in_again() {
        let text = fill("{a} and {b} {unknown}", &[("a", "line\none {b}"), ("b", "x")]);
        assert_eq!(text, "line one {b} and x {unknown}");
        assert_eq!(fill("{a}", &[("a", &"y".repeat(100_000))]).chars().count(), untrusted::MAX_TEXT_CHARS);
    }

    #[test]
    fn language_tags_pick_the_right_catalog() {
        assert_eq!(Locale::from_language_tag("zh-CN"), Locale::SimplifiedChinese);
        assert_eq!(Locale::from_language_tag("zh_Hans_HK"), Locale::SimplifiedChinese);
        assert_eq!(Locale::from_language_tag("zh-TW"), Locale::English);
        assert_eq!(Locale::from_language_tag("en-GB"), Locale::English);
    }
}
