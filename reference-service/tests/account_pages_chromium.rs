//! The two pages a person uses after the TAP, in headless Chromium (Debian's `chromium` +
//! `chromedriver`) under their own strict Content-Security-Policies: the password page the app
//! hands off to (a mismatch is refused with the form kept, then the password is set and the app
//! sees it), and the development providers' console, where a developer answers a waiting
//! verification call on its keypad with the PIN and # (the number is then verified). Missing
//! browsers make this test fail, never skip.

mod common;

use common::browser::{start_browser, wait_text};
use common::*;
use fantoccini::{Client, Locator};
use serde_json::json;

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no {css}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn submit(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("no {css}")).click().await.expect("click");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_page_and_the_development_console_work_in_headless_chromium() {
    let h = start().await;
    let (device, _, info) = alice_signed_in(&h).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, client) = start_browser(profile.path()).await;

    // The password page, opened from the link the app was given.
    let page = h.api.post(&format!("{info}/password-page"), Some(&device), &json!({})).await.ok(200);
    let url = page["url"].as_str().expect("a link").to_owned();
    client.goto(&url).await.expect("open the page");
    wait_text(&client, "h1", |t| t.contains("Set your password")).await;
    type_into(&client, "input[name=password]", "correct horse battery staple 9").await;
    type_into(&client, "input[name=confirmation]", "correct horse battery staple 8").await;
    submit(&client, "button[type=submit]").await;
    // Refused, explained, and the form is there again with the same ticket (nothing lost).
    wait_text(&client, "p[role=alert]", |t| !t.is_empty()).await;
    type_into(&client, "input[name=password]", "correct horse battery staple 9").await;
    type_into(&client, "input[name=confirmation]", "correct horse battery staple 9").await;
    submit(&client, "button[type=submit]").await;
    wait_text(&client, "body", |t| t.contains("Your password is set")).await;
    assert_eq!(h.api.get(&info, Some(&device)).await.ok(200)["password_set"], json!(true), "the app sees it set");
    // The page ran no script and needs none: its policy allows none.
    let scripts = client.execute("return document.scripts.length", vec![]).await.expect("script");
    assert_eq!(scripts, json!(0));

    // A voice verification: the call waits on the development console's keypad.
    h.api.post(&format!("{info}/pin"), Some(&device), &json!({ "pin": "4826", "confirmation": "4826" })).await.ok(200);
    let call = h
        .api
        .post(&format!("{info}/phone"), Some(&device), &json!({ "delivery": "voice", "phone_number": "+1 425 555 0100", "extension": "7" }))
        .await
        .ok(200);
    let verification = call["verification_id"].as_str().expect("a verification").to_owned();
    client.goto(&format!("{}/console/dev", h.service.base_url)).await.expect("open the console");
    wait_text(&client, "table", |t| t.contains("+14255550100")).await;
    type_into(&client, "input[name=digits]", "4826#").await;
    submit(&client, "form button").await;
    wait_text(&client, "table", |t| t.contains("completed")).await;
    let after = h.api.get(&format!("{info}/phone/{verification}"), Some(&device)).await.ok(200);
    assert_eq!(after["status"], json!("verified"), "the keypad's PIN verified the number");
    let methods = h.api.get(&info, Some(&device)).await.ok(200)["methods"].clone();
    assert!(methods.as_array().is_some_and(|m| m.iter().any(|m| m["kind"] == json!("voice"))), "{methods}");
    // Ends the WebDriver session, which quits Chromium: stopping chromedriver alone leaves the
    // browser running after the test.
    client.close().await.expect("close browser");
}
