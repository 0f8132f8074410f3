//! The reviewer console in headless Chromium (Debian's `chromium` + `chromedriver`), driven over
//! WebDriver: a reviewer signs in with their account (a wrong password first), sees the pending
//! requests with their 24-hour deadlines, starts the call, records the join, is stopped by the
//! 15-second rule, approves, and denies another request with a reason after comparing its
//! selfie with the badge photo in the evidence panel; a reload keeps the session, the page's
//! scripts cannot read the session cookie, signing out ends it, and the administrator then
//! reads every one of those actions in the audit log. All of it under the console's strict
//! Content-Security-Policy. Missing browsers make this test fail, never skip.

mod common;

use std::time::{Duration, Instant};

use common::browser::{WAIT, start_browser, wait_text};
use common::*;
use fantoccini::{Client, Locator};
use serde_json::json;

async fn wait_gone(client: &Client, css: &str) {
    let started = Instant::now();
    while client.find(Locator::Css(css)).await.is_ok() {
        assert!(started.elapsed() < WAIT, "timed out waiting for {css} to go away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(client: &Client, css: &str) {
    wait_text(client, css, |_| true).await;
    client.find(Locator::Css(css)).await.expect("element").click().await.expect("click");
}

/// Waits until the image in `css` has actually been decoded and laid out: a `blob:` URL the
/// page's Content-Security-Policy refused, or bytes that are not an image, never get a width.
async fn wait_rendered(client: &Client, css: &str) -> u64 {
    let script = format!(
        "const img = document.querySelector('{css}'); \
         return img && img.complete && img.src.startsWith('blob:') ? img.naturalWidth : 0;"
    );
    let started = Instant::now();
    loop {
        let width = client.execute(&script, vec![]).await.expect("script runs").as_u64().unwrap_or(0);
        if width > 0 {
            return width;
        }
        assert!(started.elapsed() < WAIT, "timed out waiting for {css} to render");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_console_drives_a_review_in_headless_chromium() {
    let h = start().await;
    let alice_device = h.api.register_device().await;
    let approve_id = alice_submitted(&h.api, &alice_device).await;
    let deny_id = alice_submitted(&h.api, &alice_device).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, client) = start_browser(profile.path()).await;

    client.goto(&format!("{}/console", h.service.base_url)).await.expect("open console");
    sign_in(&client, MANAGER, "not-the-password").await;
    wait_text(&client, "#error", |t| t.contains("REVIEWER_SIGN_IN_FAILED")).await;
    sign_in(&client, MANAGER, REVIEWER_PASSWORD).await;
    wait_text(&client, "#who", |t| t == MANAGER).await;
    // The session is in an HttpOnly cookie: no script on the page can read (or send away) it.
    let cookies = client.execute("return document.cookie", vec![]).await.expect("script runs");
    assert_eq!(cookies, json!(""), "the session cookie is HttpOnly");
    // A reload keeps the session: the page asks the service who is signed in.
    client.refresh().await.expect("reload");
    wait_text(&client, "#who", |t| t == MANAGER).await;
    let row = format!("#row-{approve_id}");
    let text = wait_text(&client, &row, |t| t.contains("waiting_for_reviewer")).await;
    assert!(text.contains("alice@contoso.example") && text.contains("2026-11-22T09:00:00Z"), "row: {text}");
    wait_text(&client, &format!("#row-{deny_id}"), |t| t.contains("waiting_for_reviewer")).await;

    click(&client, &format!("{row} .act-call")).await;
    wait_text(&client, &format!("{row} .state"), |t| t == "call_invited").await;
    click(&client, &format!("{row} .act-join")).await;
    wait_text(&client, &format!("{row} .state"), |t| t == "in_call").await;
    click(&client, &format!("{row} .act-approve")).await;
    wait_text(&client, "#error", |t| t.contains("CALL_TOO_SHORT")).await;
    let still = h.api.get(&format!("/v1/requests/{approve_id}"), Some(&alice_device)).await.ok(200);
    assert_eq!(still["state"], "in_call");

    h.clock.advance(15);
    click(&client, &format!("{row} .act-approve")).await;
    wait_gone(&client, &row).await;
    let approved = h.api.get(&format!("/v1/requests/{approve_id}"), Some(&alice_device)).await.ok(200);
    assert_eq!(approved["state"], "approved");

    let deny_row = format!("#row-{deny_id}");
    click(&client, &format!("{deny_row} .act-call")).await;
    wait_text(&client, &format!("{deny_row} .state"), |t| t == "call_invited").await;

    // The reviewer opens the request's evidence: the selfie beside the badge photo, the
    // liveness capture, the results, the requester and the deadlines.
    click(&client, &format!("{deny_row} .act-evidence")).await;
    wait_text(&client, "#evidence-request", |t| t == deny_id).await;
    wait_text(&client, "#evidence-details [data-field=upn]", |t| t == "alice@contoso.example").await;
    assert_eq!(wait_rendered(&client, "#evidence-selfie img").await, 640, "the selfie as uploaded");
    assert_eq!(wait_rendered(&client, "#evidence-badge-photo img").await, 512, "the seeded badge photo");
    assert!(wait_rendered(&client, "#evidence-liveness-capture img").await > 0, "the liveness capture");
    let details = wait_text(&client, "#evidence-details", |t| t.contains("Liveness")).await;
    for expected in ["E1001", "employee", "alice.home@example.net", "get_tap", "passed", "2026-11-22T09:00:00Z", "2026-11-23T09:00:00Z"] {
        assert!(details.contains(expected), "{expected} missing from the evidence panel: {details}");
    }
    let selected = client.execute(&format!("return document.querySelector('{deny_row}').classList.contains('selected')"), vec![]).await;
    assert_eq!(selected.expect("script runs"), json!(true), "the row shows which request the panel is about");
    client
        .find(Locator::Css(&format!("{deny_row} .message")))
        .await
        .expect("message field")
        .send_keys("Your badge photo needs updating.")
        .await
        .expect("type");
    // The console offers exactly the contract's reasons (which the app can explain), first the
    // seed's badge-photo one.
    let offered = client
        .execute(&format!("return Array.from(document.querySelectorAll('{deny_row} .reason option')).map(o => o.value)"), vec![])
        .await
        .expect("the reasons offered");
    let contract: serde_yaml::Value = serde_yaml::from_str(include_str!("../openapi.yaml")).expect("the contract");
    let listed: Vec<String> =
        serde_yaml::from_value(contract["components"]["schemas"]["DenialReasonCode"]["enum"].clone()).expect("the list");
    assert_eq!(offered, json!(listed));
    // Compared: the selfie does not match the badge photo.
    let reason = client.find(Locator::Css(&format!("{deny_row} .reason"))).await.expect("reason field");
    reason.select_by_value("BADGE_PHOTO_MISMATCH").await.expect("choose the reason");
    click(&client, &format!("{deny_row} .act-deny")).await;
    wait_gone(&client, &deny_row).await;
    wait_text(&client, "#evidence-details [data-field=state]", |t| t == "denied").await;
    let denied = h.api.get(&format!("/v1/requests/{deny_id}"), Some(&alice_device)).await.ok(200);
    assert_eq!(denied["state"], "denied");
    assert_eq!(denied["denial"], json!({ "reason_code": "BADGE_PHOTO_MISMATCH", "message": "Your badge photo needs updating." }));
    wait_text(&client, "#queue", |t| t.contains("No pending requests.")).await;

    // Maria hands her reviews to Omar while she is away, then takes them back.
    let delegate = client.find(Locator::Id("delegate-upn")).await.expect("delegate field");
    delegate.send_keys(identity_pass_service::domain::directory_seed::SEED_SECOND_REVIEWER).await.expect("type");
    click(&client, "#delegate-grant").await;
    wait_text(&client, "#delegates", |t| t == identity_pass_service::domain::directory_seed::SEED_SECOND_REVIEWER).await;
    click(&client, "#delegate-revoke").await;
    wait_text(&client, "#delegates", |t| t == "—").await;

    // Signing out ends the session on the service, not only on the page.
    click(&client, "#sign-out").await;
    wait_text(&client, "#sign-in", |_| true).await;
    let after = client
        .execute("return fetch('/v1/review/requests', { credentials: 'same-origin' }).then(r => r.status)", vec![])
        .await
        .expect("script runs");
    assert_eq!(after, json!(401), "the cookie no longer opens anything");

    // The administrator reads what the reviewer did, in order.
    sign_in(&client, identity_pass_service::domain::directory_seed::SEED_ADMIN, REVIEWER_PASSWORD).await;
    wait_text(&client, "#role", |t| t == "admin").await;
    click(&client, "#audit-load").await;
    let log = wait_text(&client, "#audit-entries", |t| t.contains("signed_out")).await;
    let actions: Vec<String> = serde_json::from_value(
        client
            .execute("return Array.from(document.querySelectorAll('#audit-entries tr')).map(r => r.dataset.action)", vec![])
            .await
            .expect("script runs"),
    )
    .expect("actions");
    let position = |action: &str| actions.iter().position(|a| a == action).unwrap_or_else(|| panic!("{action} missing: {actions:?}"));
    // (The test harness's own script sign-in comes first of all.)
    assert!(actions[position("sign_in_failed")..].iter().any(|a| a == "signed_in"), "the console's sign-in after the wrong password");
    assert!(position("call_started") < position("user_joined") && position("user_joined") < position("approved"));
    assert!(position("evidence_viewed") < position("denied") && position("selfie_viewed") < position("denied"));
    assert!(position("denied") < position("delegation_granted") && position("delegation_granted") < position("delegation_revoked"));
    assert!(position("delegation_revoked") < position("signed_out"));
    for id in [&approve_id, &deny_id] {
        assert!(log.contains(id.as_str()), "{id} missing from the audit log: {log}");
    }
    assert!(log.contains(MANAGER), "the actor is named: {log}");
    client.close().await.expect("close browser");
}

async fn sign_in(client: &Client, upn: &str, password: &str) {
    for (id, value) in [("upn", upn), ("password", password)] {
        let field = client.find(Locator::Id(id)).await.expect("sign-in field");
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }
    click(client, "#sign-in").await;
}
