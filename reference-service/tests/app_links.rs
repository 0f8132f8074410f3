//! What real passkeys and links need from the service, over HTTP: the association documents the
//! phones' operating systems fetch (`/.well-known/assetlinks.json`,
//! `/.well-known/apple-app-site-association`) exactly as configured, and 404 without an app;
//! no start with a malformed fingerprint; passkeys from the configured Android app's
//! `android:apk-key-hash:` origin and from `https://<RP id>` accepted, another app's refused.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use common::contract::Contract;
use common::software_passkey::{android_app, attestation, client_data_origin, web};
use common::standalone::Running;
use common::*;
use identity_pass_service::{ManualClock, RecordingPushSender, ServiceConfig, StartError, spawn_embedded};
use serde_json::{Value, json};

const RP_ID: &str = "login.fabrikam.example";
const PACKAGE: &str = "com.identitypass.app";
const CHINA_PACKAGE: &str = "com.identitypass.app.cn";
/// The app's upload key and Play's app-signing key: both sign builds people install.
const UPLOAD_CERT: &str = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";
const PLAY_CERT: &str = "C1:CB:57:7C:A0:4A:B6:8F:57:7B:A8:42:FC:76:BE:9F:F8:30:DD:80:C1:CD:E0:A9:FC:50:C7:21:3D:39:5E:5E";
/// Another app's signing certificate.
const OTHER_APPS_CERT: &str = "34:1B:43:ED:68:48:DB:CE:F8:11:E5:D4:BA:02:13:81:FA:31:9D:38:27:1F:51:1D:3C:DF:59:31:8B:68:08:38";
const APPLE_APP_ID: &str = "A1B2C3D4E5.com.identitypass.app";

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The test service, for `RP_ID`, vouching for the Android app (both flavors, both keys; the
/// upload key given in lower case, as some tools print it) and the iOS app.
fn with_apps(clock: Arc<ManualClock>, pushes: Arc<RecordingPushSender>) -> ServiceConfig {
    ServiceConfig {
        webauthn_rp_id: RP_ID.to_owned(),
        webauthn_origin: format!("https://{RP_ID}"),
        android_packages: strings(&[PACKAGE, CHINA_PACKAGE]),
        android_cert_sha256: vec![UPLOAD_CERT.to_lowercase(), PLAY_CERT.to_owned()],
        apple_app_ids: strings(&[APPLE_APP_ID]),
        ..config(clock, pushes, None)
    }
}

async fn start_with_apps() -> Harness {
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    start_with(with_apps(clock.clone(), pushes.clone()), clock, pushes).await
}

fn expected_asset_links() -> Value {
    let statement = |package: &str| {
        json!({
            "relation": ["delegate_permission/common.handle_all_urls", "delegate_permission/common.get_login_creds"],
            "target": { "namespace": "android_app", "package_name": package, "sha256_cert_fingerprints": [UPLOAD_CERT, PLAY_CERT] },
        })
    };
    json!([statement(PACKAGE), statement(CHINA_PACKAGE)])
}

fn expected_apple_association() -> Value {
    json!({
        "applinks": { "details": [{ "appIDs": [APPLE_APP_ID], "components": [{ "/": "/app/*" }] }] },
        "webcredentials": { "apps": [APPLE_APP_ID] },
    })
}

/// A well-known document as the verifiers fetch it: without credentials, and following no
/// redirect (neither Android's nor Apple's verifier does): (status, content type, cache
/// control, body).
async fn fetch(base: &str, path: &str) -> (u16, String, String, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let response = client.get(format!("{base}{path}")).send().await.expect("answered");
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (content_type, cache_control) = (header("content-type"), header("cache-control"));
    let status = response.status().as_u16();
    (status, content_type, cache_control, response.json().await.expect("JSON"))
}

const ASSET_LINKS: &str = "/.well-known/assetlinks.json";
const APPLE_ASSOCIATION: &str = "/.well-known/apple-app-site-association";

#[tokio::test]
async fn the_association_documents_name_exactly_the_configured_apps() {
    let contract = Contract::load();
    let h = start_with_apps().await;
    for (path, expected) in [(ASSET_LINKS, expected_asset_links()), (APPLE_ASSOCIATION, expected_apple_association())] {
        let (status, content_type, cache_control, body) = fetch(&h.service.base_url, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(content_type, "application/json", "{path}");
        assert_eq!(cache_control, "public, max-age=300", "{path}");
        assert_eq!(body, expected, "{path}");
        contract.check("GET", path, status, &body);
    }
}

#[tokio::test]
async fn without_apps_the_documents_answer_404() {
    let contract = Contract::load();
    let h = start().await;
    for path in [ASSET_LINKS, APPLE_ASSOCIATION] {
        let (status, _, _, body) = fetch(&h.service.base_url, path).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("ROUTE_NOT_FOUND")), "{path}: {body}");
        contract.check("GET", path, status, &body);
    }
}

#[tokio::test]
async fn a_malformed_fingerprint_package_or_app_id_refuses_to_start() {
    let sha1 = "DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09";
    let refusal = |config: ServiceConfig| async move {
        match spawn_embedded(config).await {
            Err(StartError::Config(message)) => message,
            Err(other) => panic!("not a configuration error: {other}"),
            Ok(_) => panic!("started"),
        }
    };
    let base = || with_apps(Arc::new(ManualClock::new(START)), Arc::new(RecordingPushSender::default()));
    let short = refusal(ServiceConfig { android_cert_sha256: strings(&[sha1]), ..base() }).await;
    assert!(short.contains(sha1) && short.contains("20 bytes, not 32"), "{short}");
    let unpaired = refusal(ServiceConfig { android_packages: Vec::new(), ..base() }).await;
    assert!(unpaired.contains("package name"), "{unpaired}");
    let package = refusal(ServiceConfig { android_packages: strings(&["identitypass"]), ..base() }).await;
    assert!(package.contains("identitypass"), "{package}");
    let app_id = refusal(ServiceConfig { apple_app_ids: strings(&["com.identitypass.app"]), ..base() }).await;
    assert!(app_id.contains("TEAMID.bundle.id"), "{app_id}");
}

const BINARY: &str = env!("CARGO_BIN_EXE_identity-pass-service");

#[tokio::test]
async fn the_command_line_configures_the_apps_and_refuses_a_malformed_fingerprint() {
    let dir = tempfile::tempdir().expect("dir");
    let standalone = || {
        let mut command = Command::new(BINARY);
        command.args(["--listen", "127.0.0.1:0", "--db"]).arg(dir.path().join("service.sqlite3"));
        command.env("IDENTITY_PASS_REVIEWER_PASSWORD", REVIEWER_PASSWORD).stdout(Stdio::null()).stderr(Stdio::piped());
        command
    };
    let refused = standalone().args(["--android-package", PACKAGE, "--android-cert-sha256", "14:6D:E9"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "started with a 3-byte fingerprint");
    assert!(stderr.contains("14:6D:E9") && stderr.contains("3 bytes, not 32"), "{stderr}");

    let mut child = standalone()
        .args(["--rp-id", RP_ID, "--apple-app-id", APPLE_APP_ID])
        .args(["--android-package", PACKAGE, "--android-package", CHINA_PACKAGE])
        .args(["--android-cert-sha256", UPLOAD_CERT, "--android-cert-sha256", PLAY_CERT])
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("stderr");
    let _running = Running(child);
    let base = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("listening on ").and_then(|rest| rest.split_whitespace().next()).map(str::to_owned))
        .expect("the binary reports its address");
    assert_eq!(fetch(&base, ASSET_LINKS).await.3, expected_asset_links());
    assert_eq!(fetch(&base, APPLE_ASSOCIATION).await.3, expected_apple_association());
}

/// Dave ("Get Passkey") approved on a phone: (device credential, request id).
async fn dave_approved(h: &Harness) -> (String, String) {
    let phone = h.api.register_keyed_device().await;
    let auth = phone.auth();
    let id = h.api.post("/v1/requests", auth, &dave_identity()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    pass_liveness(&h.api, &phone.auth, &id).await;
    verify_government_id(&h.api, &phone.auth, &id).await;
    let verified_id = h.api.get(&format!("/v1/requests/{id}/verified-id"), auth).await.ok(200);
    h.api.present(&phone, &id, verified_id["jws"].as_str().expect("jws")).await.ok(200);
    h.api.post(&format!("/v1/requests/{id}/submit"), auth, &json!({})).await.ok(200);
    approve(h, &id).await;
    (phone.auth.clone(), id)
}

#[tokio::test]
async fn passkeys_from_the_configured_apps_and_the_rp_id_are_accepted_and_another_apps_refused() {
    let h = start_with_apps().await;
    let (device, id) = dave_approved(&h).await;
    let auth = Some(device.as_str());
    let options_path = format!("/v1/requests/{id}/passkey/options");
    let attestation_path = format!("/v1/requests/{id}/passkey/attestation");
    let options = h.api.post(&options_path, auth, &json!({})).await.ok(200);
    assert_eq!(options["publicKey"]["rp"]["id"], RP_ID);

    // Another app asking for this domain's passkey: its origin names its own certificate.
    let other_app = attestation(android_app("com.example.other", OTHER_APPS_CERT, RP_ID), &options).await;
    assert_eq!(client_data_origin(&other_app), "android:apk-key-hash:NBtD7WhI2874EeXUugITgfoxnTgnH1EdPN9ZMYtoCDg");
    let refused = h.api.post(&attestation_path, auth, &other_app).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "PASSKEY_ORIGIN_NOT_ALLOWED"), "{}", refused.body);
    // A site under the RP id is not the RP id's origin either (webauthn-rs admits subdomains
    // only when told to).
    let subdomain = attestation(web(&format!("https://www.{RP_ID}")), &options).await;
    assert_eq!(h.api.post(&attestation_path, auth, &subdomain).await.code(), "PASSKEY_ORIGIN_NOT_ALLOWED");

    // The refusals left the ceremony open: the Identity Pass app, signed with the upload key,
    // registers on the same challenge.
    let app = attestation(android_app(PACKAGE, UPLOAD_CERT, RP_ID), &options).await;
    assert_eq!(client_data_origin(&app), "android:apk-key-hash:FG3pg8VzBlDY7rmVLzT8ZBagg0LmHb6oigSWsj_PROU");
    assert_eq!(h.api.post(&attestation_path, auth, &app).await.ok(200)["upn"], "dave@contoso.example");

    // The build Play signs (the china flavor here), and the iOS app or a browser on the RP id.
    let options = h.api.post(&options_path, auth, &json!({})).await.ok(200);
    let play_signed = attestation(android_app(CHINA_PACKAGE, PLAY_CERT, RP_ID), &options).await;
    assert_eq!(client_data_origin(&play_signed), "android:apk-key-hash:wctXfKBKto9Xe6hC_Ha-n_gw3YDBzeCp_FDHIT05Xl4");
    h.api.post(&attestation_path, auth, &play_signed).await.ok(200);
    let options = h.api.post(&options_path, auth, &json!({})).await.ok(200);
    let ios = attestation(web(&format!("https://{RP_ID}")), &options).await;
    assert_eq!(client_data_origin(&ios), format!("https://{RP_ID}"));
    h.api.post(&attestation_path, auth, &ios).await.ok(200);
    assert_eq!(h.service.count_rows("passkeys").expect("count"), 3);
}
