//! Text that comes from outside the app (the service, the ID partner, a shell) and ends up on a
//! screen: bounded and cleaned here, in one place.
//!
//! A failure code, a reviewer's denial message, the partner's rejection reason or a liveness
//! reason is rendered inside a catalog sentence. Taken verbatim, a 100 kB "message" fills the
//! screen and the snapshot's view, and control characters (newlines, escape sequences, bidi
//! overrides that reorder the sentence around them) change what the user reads. So:
//!
//! - every placeholder value goes through [`display_text`] in `MessageCode::render`: control and
//!   bidi-formatting characters become spaces, runs of white space one space, and the result
//!   keeps at most [`MAX_TEXT_CHARS`] characters (cut with "…");
//! - a value that is a code (a service failure code, a reason code) goes through
//!   [`display_code`] where the notice is built: only `A–Z`, `0–9` and `_` (lower case is raised),
//!   at most [`MAX_CODE_CHARS`].

/// The most characters of an outside message shown in a sentence.
pub const MAX_TEXT_CHARS: usize = 200;
/// The most characters of an outside code shown in a sentence.
pub const MAX_CODE_CHARS: usize = 64;

/// Characters that reorder or hide text without being control characters (Unicode bidi
/// embeddings, overrides and isolates, the Arabic letter mark, and the zero-width formatting
/// characters).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `raw` as it may appear inside a sentence: one line, no control or bidi characters, white
/// space collapsed and trimmed, at most [`MAX_TEXT_CHARS`] characters.
pub fn display_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(MAX_TEXT_CHARS * 4));
    let mut count = 0;
    let mut pending_space = false;
    let mut cut = false;
    for c in raw.chars() {
        if c.is_control() || c.is_whitespace() || is_invisible_format(c) {
            pending_space = count > 0;
            continue;
        }
        let needed = 1 + usize::from(pending_space);
        if count + needed > MAX_TEXT_CHARS {
            cut = true;
            break;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    if cut {
        // Room for the ellipsis: drop the last character (and a space before it).
        out.pop();
        if out.ends_with(' ') {
            out.pop();
        }
        out.push('…');
    }
    out
}

/// `raw` as a code: `A–Z`, `0–9` and `_` only (ASCII lower case raised), at most
/// [`MAX_CODE_CHARS`] characters.
pub fn display_code(raw: &str) -> String {
    raw.chars()
        .map(|c| c.to_ascii_uppercase())
        .filter(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
        .take(MAX_CODE_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_message_is_cut_to_the_limit_with_an_ellipsis() {
        let huge = "A notice. ".repeat(10_000);
        let shown = display_text(&huge);
        assert!((MAX_TEXT_CHARS - 2..=MAX_TEXT_CHARS).contains(&shown.chars().count()), "{shown}");
        assert!(shown.ends_with('…') && shown.starts_with("A notice. A notice."), "{shown}");
        let chinese = "审".repeat(100_000);
        assert_eq!(display_text(&chinese).chars().count(), MAX_TEXT_CHARS);
    }

    #[test]
    fn control_and_bidi_characters_do_not_reach_the_screen() {
        let shown = display_text("Badge\r\n\tphoto\u{1b}[31m red\u{0}\u{202E}txet\u{2066} \u{85}end  ");
        assert_eq!(shown, "Badge photo [31m red txet end");
        assert_eq!(display_text("\n\n  \u{200B} "), "");
    }

    #[test]
    fn short_clean_text_is_unchanged() {
        for text in ["Your manager did not confirm.", "经理未确认。", "12:30 UTC", "30"] {
            assert_eq!(display_text(text), text);
        }
    }

    #[test]
    fn codes_keep_only_upper_case_letters_digits_and_underscores() {
        assert_eq!(display_code("IDENTITY_LOCKED"), "IDENTITY_LOCKED");
        assert_eq!(display_code("doc-expired\n<b>x</b>"), "DOCEXPIREDBXB");
        assert_eq!(display_code(&"X".repeat(100_000)).len(), MAX_CODE_CHARS);
        assert_eq!(display_code("ÄÖ\u{202E}"), "");
    }
}
