//! The service's codes against the reference service's source, and the lookups.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::*;

/// Upper-snake string literals in the service's source that are not error codes.
const NOT_ERROR_CODES: &[&str] = &[
    // Environment variables: the reviewer password (main.rs), `env!` in tests.
    "IDENTITY_PASS_REVIEWER_PASSWORD",
    "CARGO_MANIFEST_DIR",
    // SQLite pragma values (store/mod.rs).
    "WAL",
    "FULL",
    "ON",
    // JOSE header and JWK values (domain/verified_id.rs).
    "JWT",
    "OKP",
    // Command-line value names: `--synthetic-people N`, `--rp-id DOMAIN`, `--android-package NAME`,
    // `--stun-url URL`, `--turn-secret-file PATH`, `--call-media-address IP` (main.rs).
    "N",
    "DOMAIN",
    "NAME",
    "URL",
    "PATH",
    "IP",
    // A response header value: X-Frame-Options on the console's pages (http/console/mod.rs).
    "DENY",
    // An alphabet in a unit test (secrets.rs).
    "AB",
    // Base32 of "f" in a unit test of the TOTP secret's encoding (domain/account_security/totp.rs).
    "MY",
    // A partner's rejection reason, stored and read back in a unit test (store/partner_sessions.rs):
    // reasons are shown as the partner's code inside FLOW_NOTICE_GOV_ID_REJECTED.
    "SELFIE_NO_FACE",
];

/// Upper-snake literals that are the service's liveness verdict reasons (`liveness_reason` in
/// a 200 answer, domain/liveness_check.rs), not error codes. Each has the user's own words
/// (`messages::selfie::liveness_reason_code`), checked below.
const LIVENESS_REASONS: &[&str] = &["NO_FACE", "ACTIONS_INCOMPLETE"];

/// The phone's own codes for a call that never left it (`flow::service_call` `NOT_SENT_*`, and
/// the runtime's `NOT_SENT_CONFIGURATION`). They share `SERVICE_ALIASES` with the service's
/// codes, so they get a user text, but the service never returns them.
const PHONE_CODES: &[&str] = &[
    crate::flow::NOT_SENT_SECURE_STORAGE,
    crate::flow::NOT_SENT_VERIFIED_ID_MISSING,
    crate::flow::NOT_SENT_DEVICE_KEY_UNAVAILABLE,
    "CONFIGURATION",
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `INTERNAL`, `NO_FACE_DETECTED`: upper-case words joined by `_`, the first all letters.
fn is_code_shaped(text: &str) -> bool {
    let mut words = text.split('_');
    let first = words.next().unwrap_or("");
    !first.is_empty()
        && first.chars().all(|c| c.is_ascii_uppercase())
        && words.all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

/// Every UPPER_SNAKE string literal in `reference-service/src` outside comments and the
/// service's unit-test files, with the file it was first seen in. Deliberately wider than
/// "the first argument of `ApiError::…`": a code passed through a helper closure is still found,
/// and a literal that is not a code must be named in `NOT_ERROR_CODES`.
fn service_codes() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference-service/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 10, "reference-service/src not found at {}", src.display());
    let mut codes = BTreeMap::new();
    for file in files.iter().filter(|f| !f.to_string_lossy().ends_with("_tests.rs")) {
        let text = std::fs::read_to_string(file).expect("service source");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            // Segments between quotes; odd ones are inside a string literal.
            for literal in line.split('"').skip(1).step_by(2) {
                if is_code_shaped(literal) && !NOT_ERROR_CODES.contains(&literal) && !LIVENESS_REASONS.contains(&literal) {
                    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    codes.entry(literal.to_owned()).or_insert(name);
                }
            }
        }
    }
    codes
}

/// Each code's class; a code in two classes appears twice.
fn classified() -> Vec<(String, &'static str)> {
    let own = ALL.iter().filter_map(|c| c.0.strip_prefix("SERVICE_")).map(|c| (c.to_owned(), "translated"));
    let aliases = SERVICE_ALIASES.iter().map(|(c, _)| ((*c).to_owned(), "alias"));
    let reviewer = REVIEWER_ONLY.iter().map(|c| ((*c).to_owned(), "reviewer-only"));
    let partner = PARTNER_ONLY.iter().map(|c| ((*c).to_owned(), "partner-only"));
    let faults = CLIENT_FAULTS.iter().map(|c| ((*c).to_owned(), "client fault"));
    own.chain(aliases).chain(reviewer).chain(partner).chain(faults).collect()
}

#[test]
fn every_code_the_service_can_return_is_translated_or_explicitly_not_for_users() {
    let found = service_codes();
    let known: BTreeSet<String> = classified().into_iter().map(|(code, _)| code).collect();
    let unclassified: Vec<String> =
        found.iter().filter(|(code, _)| !known.contains(*code)).map(|(code, file)| format!("{code} ({file})")).collect();
    assert!(
        unclassified.is_empty(),
        "service codes without a user text: {unclassified:#?}\nAdd a SERVICE_<code> row to catalog.tsv and messages/service.rs \
         (or an alias, or list it in REVIEWER_ONLY / PARTNER_ONLY / CLIENT_FAULTS with its reason)."
    );
}

#[test]
fn every_listed_code_still_exists_in_the_service_and_is_listed_once() {
    let found = service_codes();
    let mut seen = BTreeMap::new();
    for (code, class) in classified() {
        assert!(
            found.contains_key(&code) || PHONE_CODES.contains(&code.as_str()),
            "{code} ({class}) is no longer returned by reference-service/src"
        );
        if let Some(first) = seen.insert(code.clone(), class) {
            panic!("{code} is both {first} and {class}");
        }
    }
    assert!(found.contains_key("NO_FACE_DETECTED") && found.contains_key("INTERNAL"), "the scan found too little: {found:?}");
}

#[test]
fn the_services_liveness_reasons_have_words_in_both_languages() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference-service/src/domain/liveness_check.rs");
    let source = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let reasons = LIVENESS_REASONS.iter().chain(super::super::selfie::SERVICE_LIVENESS_REASONS);
    let failures = crate::selfie::LivenessFailure::ALL.map(|f| f.code());
    for reason in reasons.chain(failures.iter()) {
        let code = super::super::selfie::liveness_reason_code(reason).unwrap_or_else(|| panic!("{reason} has no words"));
        let english = code.text(Locale::English);
        let chinese = code.text(Locale::SimplifiedChinese);
        assert!(!english.text.is_empty() && english.text != chinese.text, "{reason}: {english:?} / {chinese:?}");
    }
    for reason in LIVENESS_REASONS.iter().chain(super::super::selfie::SERVICE_LIVENESS_REASONS) {
        assert!(source.contains(&format!("\"{reason}\"")), "{reason} is no longer a reason of the service");
    }
}

#[test]
fn the_phones_own_codes_have_words_and_are_not_the_services() {
    let found = service_codes();
    for code in PHONE_CODES {
        assert!(!found.contains_key(*code), "{code} is returned by the service too: classify it as a service code");
        for locale in [Locale::English, Locale::SimplifiedChinese] {
            let message = service_error_message(code, locale).unwrap_or_else(|| panic!("{code} has no text"));
            assert!(message.code.starts_with("FLOW_NOTICE_") && !message.text.is_empty(), "{code}: {message:?}");
        }
    }
}

#[test]
fn device_codes_have_their_own_words_in_both_languages() {
    for own in ALL {
        let service_code = own.0.strip_prefix("SERVICE_").expect("SERVICE_ prefix");
        for locale in [Locale::English, Locale::SimplifiedChinese] {
            let message = service_error_message(service_code, locale).expect("a text");
            assert_eq!(message.code, own.0);
            assert!(!message.text.is_empty() && message.text != own.0, "{service_code}: {message:?}");
            assert!(!message.text.contains('{'), "{service_code} has an unfilled placeholder: {}", message.text);
        }
        let english = service_error_message(service_code, Locale::English).expect("English");
        let chinese = service_error_message(service_code, Locale::SimplifiedChinese).expect("Chinese");
        assert_ne!(english.text, chinese.text, "{service_code} is not translated");
    }
}

#[test]
fn aliases_reuse_the_flows_words_and_other_codes_have_none() {
    let consent = service_error_message("CONSENT_REQUIRED", Locale::English).expect("alias");
    assert_eq!(consent, super::super::flow::NOTICE_CONSENT_REQUIRED.text(Locale::English));
    assert_eq!(service_error_message("EMPLOYEE_ID_REQUIRED", Locale::SimplifiedChinese).expect("alias").code, "FLOW_EMPLOYEE_ID_MISSING");

    let no_face = service_error_message("NO_FACE_DETECTED", Locale::English).expect("text");
    assert_eq!(no_face.code, "SERVICE_NO_FACE_DETECTED");
    assert!(no_face.text.to_lowercase().contains("face"), "{no_face:?}");

    for code in ["CALL_TOO_SHORT", "INVALID_JSON", "SOMETHING_NEW", "", "SERVICE_INTERNAL", "no_face_detected"] {
        assert_eq!(service_error_message(code, Locale::English), None, "{code}");
    }
}

#[test]
fn a_failed_request_in_the_flow_shows_the_services_own_explanation() {
    use crate::eligibility::{DeviceProfile, Distribution, Platform, RequiredApp};
    use crate::flow::identity_entry::{IdentityForm, StaffKind};
    use crate::flow::permissions::{Permission, PermissionStatus};
    use crate::flow::{CallFailure, CallOutcome, Event, OnboardingFlow};

    let mut flow = OnboardingFlow::new(Locale::SimplifiedChinese, Platform::Android, Distribution::Global);
    let profile = DeviceProfile {
        platform: Platform::Android,
        os_major: 14,
        os_minor: 0,
        distribution: Distribution::Global,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: RequiredApp::ALL.to_vec(),
    };
    let now = 1_795_219_200_000;
    let send = |flow: &mut OnboardingFlow, event: Event| flow.handle(event, now);
    send(&mut flow, Event::DeviceChecked { profile });
    for permission in Permission::ALL {
        send(&mut flow, Event::PermissionReported { permission, status: PermissionStatus::Granted });
    }
    send(&mut flow, Event::ConsentAnswered { accepted: true });
    let form = IdentityForm {
        upn: "bob@contoso.example".into(),
        employee_id: "E1002".into(),
        personal_email: None,
        staff_kind: StaffKind::Employee,
    };
    send(&mut flow, Event::IdentitySubmitted { form });
    // The call in flight (the identity) fails with `failure`.
    let fail = |flow: &mut OnboardingFlow, failure: CallFailure| {
        let id = flow.pending_calls().first().expect("a call in flight").id;
        let transition = flow.handle(Event::Answered { id, outcome: CallOutcome::Failed(failure) }, now);
        assert_eq!(transition.rejection, None);
    };
    fail(&mut flow, CallFailure::refused("IDENTITY_LOCKED"));
    let notice = flow.view(now).notice.expect("explained");
    assert_eq!(notice.code, "SERVICE_IDENTITY_LOCKED");
    send(&mut flow, Event::Continue); // "Try again": the identity goes out again
    fail(&mut flow, CallFailure::no_answer("NETWORK"));
    let notice = flow.view(now).notice.expect("explained");
    assert_eq!(notice.code, "FLOW_NOTICE_REQUEST_FAILED");
    assert!(notice.text.contains("NETWORK"));
}

/// The reviewer console offers exactly the contract's `DenialReasonCode`s (the service reads
/// them from `openapi.yaml`); every one must have this app's own words in both languages, or a
/// reviewer could deny with a reason the user is never told.
#[test]
fn every_denial_reason_the_console_can_send_is_explained_in_both_languages() {
    let contract = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference-service/openapi.yaml"))
        .expect("the service's contract");
    let schema = contract.find("    DenialReasonCode:").expect("the contract lists the denial reasons");
    let listed: Vec<&str> = contract[schema..]
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("      "))
        .find_map(|line| line.trim().strip_prefix("enum:"))
        .expect("an enum")
        .trim()
        .trim_matches(['[', ']'])
        .split(',')
        .map(str::trim)
        .collect();
    assert!(!listed.is_empty());
    for code in &listed {
        let english = crate::flow::notice::denial_message(code, "the service's words", Locale::English);
        let chinese = crate::flow::notice::denial_message(code, "the service's words", Locale::SimplifiedChinese);
        assert_ne!(english.code, "FLOW_DENIED_OTHER", "{code}: the console can send it, the app has no words for it");
        assert!(!english.text.contains("the service's words") && !chinese.text.contains("the service's words"), "{code}");
        assert_ne!(english.text, chinese.text, "{code}: translated");
        assert!(chinese.text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{code}: {}", chinese.text);
    }
    let known: Vec<&str> = crate::flow::notice::DENIAL_REASONS.iter().map(|(code, _)| *code).collect();
    assert_eq!(known, listed, "the app's list and the contract's are the same, in the same order");
}
