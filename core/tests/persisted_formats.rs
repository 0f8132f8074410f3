//! What installed phones have saved must keep loading. Each committed fixture under
//! `tests/fixtures/persisted/` is a document an earlier build wrote (the flow snapshot at
//! several steps, the device-credential vault envelope). This test loads every one: renaming a
//! `Step` variant, a field or a `ServiceCall` breaks it here, not on a phone that can then no
//! longer resume. A format change that is meant is a new snapshot version with a migration,
//! and new fixtures next to the old ones (never edited in place).
//!
//! `IDENTITY_PASS_WRITE_FIXTURES=1 cargo test --test persisted_formats` writes the fixtures of
//! this build, for a new format version only.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::*;
use identity_pass_core::credential_vault::{CredentialVault, DeviceCredential};
use identity_pass_core::flow::clock::DAY_MS;
use identity_pass_core::flow::credential::TapInfo;
use identity_pass_core::flow::date_of_birth::DateOfBirthEntry;
use identity_pass_core::flow::identity_entry::StaffKind;
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::review::{ReviewPhase, ReviewStatus};
use identity_pass_core::flow::{CallAnswer, CallFailure, Event, OnboardingFlow, ServiceCall, Step};
use identity_pass_core::testing::MemorySecureStore;
use identity_pass_core::{SecretString, StoreKey};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/persisted").join(name)
}

fn writing() -> bool {
    std::env::var("IDENTITY_PASS_WRITE_FIXTURES").is_ok_and(|v| v == "1")
}

/// Writes `document` (in writing mode) or reads the committed one.
fn committed(name: &str, document: String) -> String {
    let path = fixture(name);
    if writing() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("fixture folder");
        std::fs::write(&path, &document).expect("fixture written");
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn flags() -> RolloutFlags {
    RolloutFlags { liveness_prompt: true, verified_id: true }
}

/// A snapshot loads, shows the step it was saved at, and saves back to the same document.
fn loads(name: &str, document: String, step: impl Fn(&Step) -> bool) -> OnboardingFlow {
    let saved = committed(name, document);
    let flow = OnboardingFlow::restore(&saved).unwrap_or_else(|e| panic!("{name} no longer loads: {e}"));
    assert!(step(flow.step()), "{name} resumes at {:?}", flow.step());
    assert_eq!(flow.snapshot(), saved.trim_end(), "{name}: this build saves it back unchanged");
    flow
}

#[test]
fn a_snapshot_with_a_call_in_flight_still_loads_and_resends_it() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    let mut flow = loads("flow-v1-identity-call-in-flight.json", d.flow.snapshot(), |s| *s == Step::SubmittingIdentity);
    let resent = flow.handle(Event::SessionStarted, d.now + 1_000).effects;
    assert!(
        resent.iter().any(|e| matches!(e, identity_pass_core::flow::Effect::Call { call: ServiceCall::CreateRequest { .. }, .. })),
        "{resent:?}"
    );
}

#[test]
fn a_snapshot_with_a_refused_date_of_birth_still_loads() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    accept_identity(&mut d, OnboardingPath::LegacyDob, flags(), None);
    d.send(Event::DobYearSelected { year: 1985 });
    d.send(Event::DobMonthSelected { month: 11 });
    d.send(Event::DobDaySelected { day: 29 });
    d.send(Event::Continue);
    d.fail("ConfirmDateOfBirth", CallFailure::refused("IDENTITY_NOT_MATCHED"));
    loads("flow-v1-date-of-birth-refused.json", d.flow.snapshot(), |s| {
        matches!(s, Step::DateOfBirth { submitting: false, entry: DateOfBirthEntry { .. } })
    });
}

#[test]
fn a_snapshot_waiting_for_the_reviewer_still_loads() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    accept_identity(&mut d, OnboardingPath::GetTap, flags(), None);
    d.send(Event::Continue);
    d.send(Event::SelfieCaptured);
    let t = d.server_time();
    d.answer(CallAnswer::SelfieUploaded { server_time: t });
    pass_liveness(&mut d);
    let t = d.server_time();
    d.answer(CallAnswer::Submitted { status: Some(ReviewStatus::WaitingForReviewer { submitted_at: t }), server_time: t });
    loads("flow-v1-review-waiting.json", d.flow.snapshot(), |s| matches!(s, Step::Review(review) if review.phase == ReviewPhase::Waiting));
}

#[test]
fn a_snapshot_on_the_tap_screen_still_loads_without_its_code() {
    let mut d = Driver::new(identity_pass_core::Platform::Android);
    drive_to_submitted_identity(&mut d, StaffKind::Employee);
    let t = d.server_time();
    accept_identity(&mut d, OnboardingPath::GetTap, flags(), Some(t - 3 * DAY_MS));
    pass_liveness(&mut d);
    let t = d.server_time();
    d.answer(CallAnswer::VerifiedIdPresented { server_time: t });
    d.answer(CallAnswer::Submitted { status: None, server_time: t });
    d.answer(CallAnswer::TapCreated { tap: tap(t), server_time: t });
    let flow = loads("flow-v1-tap-ready.json", d.flow.snapshot(), |s| matches!(s, Step::TapReady(TapInfo { code: None, .. })));
    assert!(flow.verified_id().is_some(), "the Verified ID's dates survive");
}

#[test]
fn the_device_credential_envelope_still_loads() {
    let store = Arc::new(MemorySecureStore::default());
    let vault = CredentialVault::new(store.clone());
    let credential = DeviceCredential {
        device_id: "dev_0123456789abcdef0123456789abcdef".into(),
        device_secret: SecretString::new("fixture-secret-not-a-real-one".into()),
    };
    let written = if writing() {
        vault.store_credential(&credential).expect("stored");
        String::from_utf8(store.raw(StoreKey::DeviceCredential).expect("written")).expect("text")
    } else {
        String::new()
    };
    let saved = committed("vault-envelope-v1.json", written);
    let store = Arc::new(MemorySecureStore::default());
    store.put_raw(StoreKey::DeviceCredential, saved.into_bytes());
    let loaded = CredentialVault::new(store).device_credential().expect("loads").expect("present");
    assert_eq!(loaded.device_id, credential.device_id);
    assert_eq!(loaded.device_secret.expose_secret(), credential.device_secret.expose_secret());
}
