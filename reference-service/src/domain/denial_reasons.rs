//! The reasons a reviewer may give for a denial: one list, `DenialReasonCode` in
//! `openapi.yaml`, which the service enforces, the console offers and the app translates.
//!
//! The list is read from the contract itself (compiled in), so there is no second copy to drift:
//! adding a reason is one line in `openapi.yaml`, and core's catalog test then fails until the
//! app can say it in every language.

use std::sync::LazyLock;

/// The contract, as compiled into this build.
const CONTRACT: &str = include_str!("../../openapi.yaml");

/// The schema whose `enum` is the list.
const SCHEMA: &str = "    DenialReasonCode:";

static CODES: LazyLock<Vec<String>> = LazyLock::new(|| codes_in(CONTRACT));

/// Every reason a denial may carry, in the contract's order.
pub fn denial_reason_codes() -> &'static [String] {
    &CODES
}

/// Whether `code` is one of them.
pub fn is_denial_reason(code: &str) -> bool {
    CODES.iter().any(|known| known == code)
}

/// The `enum: [...]` line of the `DenialReasonCode` schema (the contract writes it on one line;
/// the contract test validates the document, and a unit test here that the list is found).
fn codes_in(document: &str) -> Vec<String> {
    let Some(start) = document.find(SCHEMA) else { return Vec::new() };
    document[start + SCHEMA.len()..]
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("      "))
        .find_map(|line| line.trim().strip_prefix("enum:"))
        .map(|list| list.trim().trim_start_matches('[').trim_end_matches(']').split(',').map(|c| c.trim().to_owned()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_read_from_the_contract() {
        let codes = denial_reason_codes();
        assert!(codes.len() >= 2, "{codes:?}");
        assert!(codes.iter().all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')), "{codes:?}");
        assert!(is_denial_reason(&codes[0]));
        assert!(!is_denial_reason(&codes[0].to_ascii_lowercase()));
    }

    #[test]
    fn a_document_without_the_schema_gives_no_codes() {
        assert!(codes_in("openapi: 3.0.3\n").is_empty());
        // Lower case here: an upper-snake literal would read as a service error code.
        let one = format!("{SCHEMA}\n      type: string\n      enum: [a_b, c]\n    Other:\n      enum: [x]\n");
        assert_eq!(codes_in(&one), ["a_b", "c"]);
    }
}
