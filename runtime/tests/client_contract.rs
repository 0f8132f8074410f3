//! The client's half of the contract test. reference-service/tests/contract.rs holds the
//! service's answers against openapi.yaml; here the phone runs real onboardings (Get TAP with a
//! push token and the 30-day fast path, Get Passkey, the legacy date of birth) through a
//! recording proxy, and every request the runtime put on the wire is held against the same
//! document: path, query, required headers, credential, content type and JSON body.
//! Departures found and not yet settled in the document are listed in `KNOWN_DEPARTURES`.
//! The last test runs the checker on modified copies of the document (and modified requests)
//! to show that each of its checks can fail.

mod common;

use std::collections::BTreeSet;

use common::contract::openapi_requests::RequestContract;
use common::contract::recording_proxy::{RecordedRequest, RecordingProxy};
use common::*;
use identity_pass_core::SecretString;
use identity_pass_core::flow::credential::CredentialKind;
use identity_pass_core::flow::verification::PartnerStep;
use identity_pass_core::flow::view::{ReviewStage, Screen};
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_runtime::{PushKind, StatusMode};
use serde_json::{Value, json};

const LONG_POLL: StatusMode = StatusMode::LongPoll { wait_seconds: 3 };

/// Where the client departs from openapi.yaml today, found by this test and reported (the
/// document is the service's to change, not this test's). The passkey attestation is WebAuthn's
/// RegistrationResponseJSON exactly as the authenticator produced it, and two of its top-level
/// members (`authenticatorAttachment`: "platform", `clientExtensionResults`: `{credProps}`) are
/// not among PasskeyAttestation's properties; the service ignores them. Each entry must keep
/// occurring: once the document declares them, the passkey test fails until the entry goes.
const KNOWN_DEPARTURES: &[&str] = &[];

/// Every recorded request conforms (but for `KNOWN_DEPARTURES`, which are returned), and
/// together they exercised at least `expected` (`METHOD template` pairs), so a flow that
/// silently stopped calling the service cannot pass.
fn assert_conforms(requests: &[RecordedRequest], expected: &[&str]) -> BTreeSet<String> {
    let contract = RequestContract::load();
    let (known, violations): (Vec<String>, Vec<String>) =
        requests.iter().flat_map(|r| contract.violations(r)).partition(|v| KNOWN_DEPARTURES.contains(&v.as_str()));
    assert!(
        violations.is_empty(),
        "{} violations in {} requests to openapi.yaml:\n{}",
        violations.len(),
        requests.len(),
        violations.join("\n")
    );
    let exercised: BTreeSet<String> =
        requests.iter().filter_map(|r| contract.template_for(&r.path).map(|t| format!("{} {t}", r.method))).collect();
    for operation in expected {
        assert!(exercised.contains(*operation), "{operation} was never called; exercised: {exercised:?}");
    }
    known.into_iter().collect()
}

fn bodies_of(requests: &[RecordedRequest], method: &str, path: &str) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_tap_with_a_push_token_and_the_fast_path_sends_only_what_the_contract_declares() {
    let env = Env::start().await;
    let proxy = RecordingProxy::start(env.listen).await;
    let phone = env.phone_at(&format!("http://{}", proxy.address), LONG_POLL);
    let mut token_sent = false;
    let (phone, _, first_code) = walk_get_tap(&env, phone, |phone| {
        if !token_sent {
            phone.register_push_token(PushKind::Fcm, SecretString::new("fcm-token-of-this-phone".to_owned()));
            token_sent = true;
        }
        phone
    })
    .await;
    wait_until(|| proxy.saw("POST", "/v1/devices/push-token")).await;

    // The TAP expires; "Get a new TAP" goes through the fast path on the stored Verified ID.
    let code = new_tap_through_the_fast_path(&env, &phone).await;
    assert_ne!(code, first_code);

    let requests = proxy.recorded();
    assert_conforms(
        &requests,
        &[
            "POST /v1/devices",
            "POST /v1/devices/push-token",
            "POST /v1/requests",
            "POST /v1/requests/{id}/selfie",
            "POST /v1/requests/{id}/liveness/challenge",
            "POST /v1/requests/{id}/liveness",
            "POST /v1/requests/{id}/submit",
            "GET /v1/requests/{id}/status",
            "GET /v1/requests/{id}/verified-id",
            "POST /v1/requests/{id}/tap",
            "POST /v1/verified-id/nonce",
        ],
    );
    // The optional parts of the contract were on the wire too, so their checks really ran.
    let created = bodies_of(&requests, "POST", "/v1/requests");
    assert!(created.iter().any(|b| b.get("verified_id").is_some()), "the fast path presents the Verified ID on creation");
    // The device registered its key, and every presentation carried a key binding (a bearer
    // credential alone is refused).
    let registered = bodies_of(&requests, "POST", "/v1/devices");
    assert!(registered.iter().all(|b| b["device_key"]["public_key"].is_string() && b["device_key"]["proof"].is_string()), "{registered:?}");
    let presenting = requests
        .iter()
        .filter(|r| r.path == "/v1/requests" && serde_json::from_slice::<Value>(&r.body).is_ok_and(|b| b.get("verified_id").is_some()));
    for request in presenting {
        let binding = request.header("verified-id-key-binding").expect("a presentation carries its key binding");
        assert_eq!(binding.split('.').count(), 3, "a compact JWT");
    }
    assert!(requests.iter().any(|r| r.path.ends_with("/status") && r.query.iter().any(|(n, _)| n == "wait")));
    assert!(requests.iter().any(|r| r.header("content-type") == Some("image/jpeg")), "the selfie went up as JPEG");
    // The liveness frames went up for the challenge the service issued, and nothing else: no
    // result of the phone's own.
    let uploads = requests.iter().filter(|r| r.method == "POST" && r.path.ends_with("/liveness")).collect::<Vec<_>>();
    assert_eq!(uploads.len(), 2, "one per onboarding (the fast path has its own)");
    for upload in uploads {
        let body: Value = serde_json::from_slice(&upload.body).expect("JSON");
        let keys: BTreeSet<&str> = body.as_object().expect("an object").keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["challenge_id", "frames"]), "{keys:?}");
        let frames = body["frames"].as_array().expect("frames");
        assert!((6..=80).contains(&frames.len()), "{} frames", frames.len());
        let times: Vec<u64> = frames.iter().map(|f| f["timestamp_ms"].as_u64().expect("a timestamp")).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "in camera order: {times:?}");
    }
    // A TAP is asked for plainly; only a lost one would be asked for as a replacement.
    let taps: Vec<Value> = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/tap"))
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect();
    assert!(!taps.is_empty() && taps.iter().all(|b| *b == json!({})), "{taps:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_passkey_sends_only_what_the_contract_declares() {
    let env = Env::start().await;
    let proxy = RecordingProxy::start(env.listen).await;
    let phone = env.phone_at(&format!("http://{}", proxy.address), LONG_POLL);
    through_identity(&phone, person("dave@contoso.example", "E1004")).await;
    wait_screen(&phone, |s| matches!(s, Screen::GovernmentId { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| matches!(e, Effect::StartGovernmentIdCheck { .. }))).await;
    for step in PartnerStep::ALL {
        phone.send(ShellEvent::GovernmentIdProgress { step });
    }
    // The user on the partner's page the service handed out; the verdict goes to the service.
    assert_eq!(complete_reference_partner_check(&handoff_url(&env.shell)).await, "verified");
    back_from_the_partner(&env, &phone).await;
    wait_screen(&phone, |s| matches!(s, Screen::AddVerifiedId { .. })).await;
    phone.send(ShellEvent::Continue);
    wait_until(|| env.shell.saw(|e| *e == Effect::OpenAuthenticator)).await;
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Liveness { .. })).await;
    pass_liveness(&env, &phone, 1_000).await;
    wait_screen(&phone, |s| matches!(s, Screen::PresentVerifiedId { .. })).await;
    phone.send(ShellEvent::Continue);
    let waiting = wait_screen(&phone, |s| matches!(s, Screen::Review { stage: ReviewStage::Waiting })).await;
    let request_id = waiting.request_id.expect("request");
    env.reviewer_holds_the_call(&phone, &request_id).await;
    env.review(&request_id, "decision", json!({ "decision": "approve" })).await;
    wait_screen(&phone, |s| matches!(s, Screen::Done { credential: CredentialKind::Passkey })).await;

    let departures = assert_conforms(
        &proxy.recorded(),
        &[
            "POST /v1/devices",
            "POST /v1/requests",
            "POST /v1/requests/{id}/government-id/session",
            "GET /v1/requests/{id}/government-id",
            "GET /v1/requests/{id}/verified-id",
            "POST /v1/requests/{id}/liveness/challenge",
            "POST /v1/requests/{id}/liveness",
            "POST /v1/requests/{id}/verified-id/presentation",
            "POST /v1/requests/{id}/submit",
            "GET /v1/requests/{id}/status",
            "POST /v1/requests/{id}/passkey/options",
            "POST /v1/requests/{id}/passkey/attestation",
        ],
    );
    let known: BTreeSet<String> = KNOWN_DEPARTURES.iter().map(|d| d.to_string()).collect();
    assert_eq!(departures, known, "a known departure no longer occurs: remove it from KNOWN_DEPARTURES");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_date_of_birth_sends_only_what_the_contract_declares() {
    let env = Env::start().await;
    let proxy = RecordingProxy::start(env.listen).await;
    let phone = env.phone_at(&format!("http://{}", proxy.address), LONG_POLL);
    through_identity(&phone, person("bob@contoso.example", "E1002")).await;
    wait_screen(&phone, |s| matches!(s, Screen::DateOfBirth { .. })).await;
    phone.send(ShellEvent::DobYearSelected { year: 1985 });
    phone.send(ShellEvent::DobMonthSelected { month: 11 });
    phone.send(ShellEvent::DobDaySelected { day: 30 });
    phone.send(ShellEvent::Continue);
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    assert_conforms(&proxy.recorded(), &["POST /v1/devices", "POST /v1/requests", "POST /v1/requests/{id}/date-of-birth"]);
}

/// A checker over a copy of the document changed by `change`.
fn modified(change: impl FnOnce(&mut Value)) -> RequestContract {
    let mut doc = RequestContract::load().document().clone();
    change(&mut doc);
    RequestContract::from_document(doc)
}

#[track_caller]
fn assert_reports(contract: &RequestContract, request: &RecordedRequest, expected: &str) {
    let violations = contract.violations(request);
    assert!(violations.iter().any(|v| v.contains(expected)), "expected {expected:?} for {request:?}, got {violations:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checker_reports_every_kind_of_departure_from_the_document() {
    let env = Env::start().await;
    let proxy = RecordingProxy::start(env.listen).await;
    let phone = env.phone_at(&format!("http://{}", proxy.address), LONG_POLL);
    through_identity(&phone, alice()).await;
    wait_screen(&phone, |s| matches!(s, Screen::Selfie { .. })).await;
    let requests = proxy.recorded();
    let create = requests.iter().find(|r| r.method == "POST" && r.path == "/v1/requests").expect("the identity step").clone();
    let contract = RequestContract::load();
    assert_eq!(contract.violations(&create), Vec::<String>::new(), "the unmodified document accepts the real request");

    // The document changes under the client.
    let schema = "/components/schemas/CreateRequest";
    let renamed = modified(|doc| {
        let create = doc.pointer_mut(schema).expect("schema");
        let upn = create["properties"].as_object_mut().expect("properties").remove("upn").expect("upn");
        create["properties"]["user_principal_name"] = upn;
        create["required"] = json!(["user_principal_name", "staff_kind"]);
    });
    assert_reports(&renamed, &create, "body.upn is not a declared property");
    assert_reports(&renamed, &create, "body.user_principal_name is required");
    let retyped = modified(|doc| doc.pointer_mut(schema).expect("schema")["properties"]["terms_version"]["type"] = json!("integer"));
    assert_reports(&retyped, &create, "body.terms_version is string, declared integer");
    let narrowed = modified(|doc| doc["components"]["schemas"]["StaffKind"]["enum"] = json!(["staff", "contractor"]));
    assert_reports(&narrowed, &create, "body.staff_kind is not one of the declared values");
    let moved = modified(|doc| {
        let item = doc["paths"].as_object_mut().expect("paths").remove("/v1/requests").expect("path");
        doc["paths"]["/v1/onboarding-requests"] = item;
    });
    assert_reports(&moved, &create, "no path of openapi.yaml matches");
    let tenant_header = modified(|doc| {
        let parameters = doc["paths"]["/v1/requests"]["post"]["parameters"].as_array_mut().expect("parameters");
        parameters.push(json!({ "name": "X-Tenant", "in": "header", "required": true, "schema": { "type": "string" } }));
    });
    assert_reports(&tenant_header, &create, "required header X-Tenant is missing");
    let short_keys = modified(|doc| doc["components"]["parameters"]["IdempotencyKey"]["schema"]["maxLength"] = json!(4));
    assert_reports(&short_keys, &create, "header Idempotency-Key is");

    // The client changes under the document.
    let mut changed = create.clone();
    changed.headers.retain(|(name, _)| name != "idempotency-key" && name != "authorization");
    assert_reports(&contract, &changed, "required header Idempotency-Key is missing");
    assert_reports(&contract, &changed, "needs Authorization: Bearer");
    let mut changed = create.clone();
    changed.query.push(("debug".into(), "1".into()));
    assert_reports(&contract, &changed, "query parameter debug is not declared");
    let mut changed = create.clone();
    changed.headers.retain(|(name, _)| name != "content-type");
    changed.headers.push(("content-type".into(), "text/plain".into()));
    assert_reports(&contract, &changed, "content type \"text/plain\" is not declared");
    let mut changed = create.clone();
    changed.body = b"{\"upn\": true, \"staff_kind\": \"employee\"}".to_vec();
    assert_reports(&contract, &changed, "body.upn is boolean, declared string");
    changed.body.clear();
    assert_reports(&contract, &changed, "the request body is required");
    let mut status = create.clone();
    status.method = "GET".into();
    status.path = "/v1/requests/req_1/status".into();
    status.body.clear();
    status.query = vec![("wait".into(), "31".into())];
    assert_reports(&contract, &status, "query parameter wait: 31 is outside");
    status.query = vec![("after_version".into(), "soon".into())];
    assert_reports(&contract, &status, "query parameter after_version: \"soon\" is not an integer");
    let mut submit = create.clone();
    submit.path = "/v1/requests/req_1/submit".into();
    assert_reports(&contract, &submit, "body the operation does not take");
    let mut delete = create.clone();
    delete.method = "DELETE".into();
    assert_reports(&contract, &delete, "DELETE /v1/requests: openapi.yaml has no such operation");
}
