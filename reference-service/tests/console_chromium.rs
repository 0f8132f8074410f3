//! The reviewer console in headless Chromium (Debian's `chromium` + `chromedriver`), driven over
//! WebDriver: a reviewer logs in, sees the pending requests with their 24-hour deadlines, starts
//! the call, records the join, is stopped by the 15-second rule, approves, and denies another
//! request with a reason. Missing browsers make this test fail, never skip.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WAIT: Duration = Duration::from_secs(20);

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

async fn start_browser(profile: &Path) -> (Driver, Client) {
    for binary in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(binary).exists(),
            "{binary} is missing: install Debian's `chromium` and `chromium-driver` (apt-get install chromium chromium-driver)"
        );
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", format!("--user-data-dir={}", profile.display())],
        }),
    );
    let started = Instant::now();
    loop {
        let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities.clone());
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => return (driver, client),
            Err(error) if started.elapsed() < WAIT => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("could not start headless Chromium through chromedriver: {error}"),
        }
    }
}

/// Polls the page until `condition` holds for the text of `css` (or gives up after WAIT).
async fn wait_text(client: &Client, css: &str, condition: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && condition(&text)
        {
            return text;
        }
        assert!(started.elapsed() < WAIT, "timed out waiting on {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_console_drives_a_review_in_headless_chromium() {
    let h = start().await;
    let alice_device = h.api.register_device().await;
    let approve_id = alice_submitted(&h.api, &alice_device).await;
    let deny_id = alice_submitted(&h.api, &alice_device).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, client) = start_browser(profile.path()).await;

    client.goto(&format!("{}/console", h.service.base_url)).await.expect("open console");
    let token_field = client.find(Locator::Id("token")).await.expect("token field");
    token_field.send_keys("not-the-token").await.expect("type");
    click(&client, "#connect").await;
    wait_text(&client, "#error", |t| t.contains("REVIEWER_AUTH_INVALID")).await;

    token_field.clear().await.expect("clear");
    token_field.send_keys(REVIEWER_TOKEN).await.expect("type");
    click(&client, "#connect").await;
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
    click(&client, &format!("{deny_row} .act-deny")).await;
    wait_gone(&client, &deny_row).await;
    let denied = h.api.get(&format!("/v1/requests/{deny_id}"), Some(&alice_device)).await.ok(200);
    assert_eq!(denied["state"], "denied");
    assert_eq!(denied["denial"], json!({ "reason_code": "BADGE_PHOTO_MISMATCH", "message": "Your badge photo needs updating." }));
    wait_text(&client, "#queue", |t| t.contains("No pending requests.")).await;
    client.close().await.expect("close browser");
}
