//! The reference partner's ID-check page in headless Chromium, used as a person uses it: the
//! phone hands the user off to the page, they type their mobile number, accept the terms,
//! choose a photo of their ID document and a selfie, and submit. The verdict goes from the
//! partner to the service; the device reads it there.

mod common;

use std::path::PathBuf;

use common::browser::{start_browser, wait_text};
use common::*;
use fantoccini::Locator;
use serde_json::json;

fn fixture_path(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures").join(name);
    path.canonicalize().expect("fixture exists").display().to_string()
}

#[tokio::test]
async fn a_person_passes_the_id_check_on_the_partners_page() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = h.api.post("/v1/requests", Some(&device), &dave_identity()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    h.api.post(&format!("/v1/requests/{id}/consent"), Some(&device), &consent_body()).await.ok(200);
    let session = h.api.post(&format!("/v1/requests/{id}/government-id/session"), Some(&device), &json!({})).await.ok(200);
    let handoff = session["handoff_url"].as_str().expect("hand-off");

    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, client) = start_browser(profile.path()).await;
    client.goto(handoff).await.expect("page opens");
    wait_text(&client, "h1", |t| t == "Verify your identity").await;
    let field = |css: &'static str| {
        let client = client.clone();
        async move { client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")) }
    };

    // A mistyped number is the page's to correct; the session stays open.
    field("#phone").await.send_keys("425 555 0123").await.expect("type");
    field("#terms").await.click().await.expect("terms");
    field("#document").await.send_keys(&fixture_path("id_document_856x540.jpg")).await.expect("choose the document");
    field("#selfie").await.send_keys(&fixture_path("face_selfie_640x480.jpg")).await.expect("choose the selfie");
    field("#submit").await.click().await.expect("submit");
    wait_text(&client, "#result", |t| t.contains("PHONE_NUMBER_INVALID")).await;
    assert_eq!(h.api.get(&format!("/v1/requests/{id}/government-id"), Some(&device)).await.ok(200)["status"], "pending");

    let phone = field("#phone").await;
    phone.clear().await.expect("clear");
    phone.send_keys("+1 425 555 0123").await.expect("type");
    field("#submit").await.click().await.expect("submit");
    wait_text(&client, "#result", |t| t.contains("Your ID was checked")).await;
    let verdict = h.api.get(&format!("/v1/requests/{id}/government-id"), Some(&device)).await.ok(200);
    assert_eq!(verdict["status"], "verified", "the partner told the service, not the phone");
    assert_eq!(h.service.count_rows("verified_ids").expect("count"), 1, "the passkey path's Verified ID followed");
    client.close().await.expect("close");
}
