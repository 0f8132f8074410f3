//! The contract: openapi.yaml and the router agree on every route, the document's examples
//! satisfy its own schemas, and real answers from a full flow validate against the schemas.

mod common;

use std::collections::BTreeSet;

use common::contract::Contract;
use common::*;
use identity_pass_service::http::idempotency::WITHOUT_KEY;
use serde_json::{Value, json};

#[test]
fn every_served_route_is_documented_and_every_documented_route_is_served() {
    let documented = Contract::load().operations();
    let served: BTreeSet<(String, String)> =
        identity_pass_service::routes::served().into_iter().map(|(method, path)| (method.to_string(), path.to_owned())).collect();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(undocumented.is_empty(), "served but missing from openapi.yaml: {undocumented:?}");
    assert!(unserved.is_empty(), "in openapi.yaml but not served: {unserved:?}");
}

#[test]
fn examples_in_the_document_satisfy_their_schemas() {
    let contract = Contract::load();
    let schemas = contract.doc()["components"]["schemas"].as_object().expect("schemas");
    let mut checked = 0;
    for (name, schema) in schemas {
        if let Some(example) = schema.get("example") {
            contract.validate(schema, example, name).unwrap_or_else(|e| panic!("example of {name}: {e}"));
            checked += 1;
        }
    }
    assert!(checked >= 3, "the document carries examples");
    // The checker itself must catch a broken answer, or the tests below prove nothing.
    let tap = &schemas["TemporaryAccessPass"];
    let mut broken = tap["example"].clone();
    broken["methodUsabilityReason"] = json!("Sometimes");
    assert!(contract.validate(tap, &broken, "$").is_err());
    broken = tap["example"].clone();
    broken["extra"] = json!(1);
    assert!(contract.validate(tap, &broken, "$").is_err());
}

#[tokio::test]
async fn answers_of_a_full_flow_validate_against_the_document() {
    let contract = Contract::load();
    let h = start().await;
    let api = &h.api;
    let check = |method: &str, path: &str, answer: &Answer| {
        contract.check(method, path, answer.status.as_u16(), &answer.body);
    };

    check("GET", "/healthz", &api.get("/healthz", None).await);
    let device_key = identity_pass_core::device_binding::SoftwareDeviceKey::generate().expect("key");
    let key_field = device_key_field(&device_key);
    let device_answer = api.post("/v1/devices", None, &json!({ "platform": "android_china", "device_key": key_field })).await;
    check("POST", "/v1/devices", &device_answer);
    check("POST", "/v1/devices", &api.post("/v1/devices", None, &json!({ "platform": "windows" })).await);
    let mut unproven = key_field.clone();
    unproven["proof"] = json!("AAAA");
    check("POST", "/v1/devices", &api.post("/v1/devices", None, &json!({ "platform": "ios", "device_key": unproven })).await);
    let device = format!(
        "{}.{}",
        device_answer.body["device_id"].as_str().expect("id"),
        device_answer.body["device_secret"].as_str().expect("secret")
    );
    let auth = Some(device.as_str());
    let keyed = KeyedDevice { auth: device.clone(), key: device_key };
    check("POST", "/v1/verified-id/nonce", &api.post("/v1/verified-id/nonce", auth, &json!({})).await);
    check("POST", "/v1/devices/push-token", &api.post("/v1/devices/push-token", auth, &json!({ "kind": "fcm", "token": "t1" })).await);

    let created = api.post("/v1/requests", auth, &alice()).await;
    check("POST", "/v1/requests", &created);
    check(
        "POST",
        "/v1/requests",
        &api.post("/v1/requests", auth, &json!({ "upn": "x@contoso.example", "employee_id": "1", "staff_kind": "employee" })).await,
    );
    let id = created.body["request_id"].as_str().expect("id").to_owned();
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");
    check("GET", "/v1/requests/{id}", &api.get(&p(""), auth).await);
    check("GET", "/v1/requests/{id}", &api.get("/v1/requests/req_missing", auth).await);
    check("POST", "/v1/requests/{id}/submit", &api.post(&p("/submit"), auth, &json!({})).await);
    check("POST", "/v1/requests/{id}/consent", &api.post(&p("/consent"), auth, &consent_body()).await);
    check("POST", "/v1/requests/{id}/selfie", &api.post_bytes(&p("/selfie"), &device, "image/png", vec![1, 2, 3]).await);
    check("POST", "/v1/requests/{id}/selfie", &api.post_bytes(&p("/selfie"), &device, "image/jpeg", face_jpeg()).await);
    check("POST", "/v1/requests/{id}/liveness", &api.post(&p("/liveness"), auth, &json!({ "result": "passed" })).await);
    let challenge = api.post(&p("/liveness/challenge"), auth, &json!({})).await;
    check("POST", "/v1/requests/{id}/liveness/challenge", &challenge);
    let frames = json!({ "challenge_id": challenge.body["challenge_id"], "frames": frames_doing(&drawn_actions(&challenge.body)) });
    check("POST", "/v1/requests/{id}/liveness", &api.post(&p("/liveness"), auth, &frames).await);
    check("POST", "/v1/requests/{id}/liveness", &api.post(&p("/liveness"), auth, &frames).await);
    check("GET", "/v1/requests/{id}/government-id", &api.get(&p("/government-id"), auth).await);
    let session = api.post(&p("/government-id/session"), auth, &json!({})).await;
    check("POST", "/v1/requests/{id}/government-id/session", &session);
    check("GET", "/v1/requests/{id}/government-id", &api.get(&p("/government-id"), auth).await);
    check(
        "POST",
        "/v1/requests/{id}/government-id/session",
        &api.post("/v1/requests/req_missing/government-id/session", auth, &json!({})).await,
    );
    let unsigned = api.http.post(format!("{}/v1/partner/callback", api.base)).json(&json!({ "event_id": "e" })).send().await.expect("sent");
    let status = unsigned.status().as_u16();
    check(
        "POST",
        "/v1/partner/callback",
        &Answer { status: unsigned.status(), body: unsigned.json().await.expect("json"), replayed: false },
    );
    assert_eq!(status, 401);
    check("POST", "/v1/requests/{id}/submit", &api.post(&p("/submit"), auth, &json!({})).await);
    check("GET", "/v1/requests/{id}/status", &api.get(&p("/status?wait=0"), auth).await);

    check("GET", "/v1/review/requests", &api.get("/v1/review/requests", api.reviewer()).await);
    check("GET", "/v1/review/requests", &api.get("/v1/review/requests", auth).await);
    let before_the_call = api.get(&p("/call/ice-servers"), auth).await;
    assert_eq!(before_the_call.code(), "CALL_NOT_STARTED");
    check("GET", "/v1/requests/{id}/call/ice-servers", &before_the_call);
    check("POST", "/v1/review/requests/{id}/call", &api.review(&id, "call", &json!({})).await);
    check("GET", "/v1/requests/{id}/call/ice-servers", &api.get(&p("/call/ice-servers"), auth).await);
    let reviewer_side = api.get(&format!("/v1/review/requests/{id}/call/ice-servers"), api.reviewer()).await;
    check("GET", "/v1/review/requests/{id}/call/ice-servers", &reviewer_side);
    assert_eq!(reviewer_side.status.as_u16(), 200, "{}", reviewer_side.body);
    check("POST", "/v1/review/requests/{id}/join", &api.review(&id, "join", &json!({})).await);
    check("POST", "/v1/review/requests/{id}/decision", &api.review(&id, "decision", &json!({ "decision": "approve" })).await);
    h.clock.advance(20);
    check("POST", "/v1/review/requests/{id}/leave", &api.review(&id, "leave", &json!({})).await);
    // Both sides' sessions, with offers made by str0m (a WebRTC stack unlike the service's
    // answering side: it offers here). After the clicks: once the device's session is open, the
    // service measures the call and the reviewer's buttons are refused.
    for (path, caller) in [(p("/call/session"), auth), (format!("/v1/review/requests/{id}/call/session"), api.reviewer())] {
        let offer = json!({ "type": "offer", "sdp": webrtc_offer() });
        let template = if caller == auth { "/v1/requests/{id}/call/session" } else { "/v1/review/requests/{id}/call/session" };
        contract.check_request("POST", template, &offer);
        let answer = api.post(&path, caller, &offer).await;
        assert_eq!(answer.status.as_u16(), 200, "{}", answer.body);
        check("POST", template, &answer);
    }
    let measured = api.review(&id, "join", &json!({})).await;
    assert_eq!(measured.code(), "CALL_MEASURED_BY_SERVICE");
    check("POST", "/v1/review/requests/{id}/join", &measured);
    // Optional fields sent as null mean "absent" to the service, and the document says they may be.
    let approval = json!({ "decision": "approve", "reason_code": null, "message": null });
    contract.check_request("POST", "/v1/review/requests/{id}/decision", &approval);
    let approved = api.review(&id, "decision", &approval).await;
    assert_eq!(approved.status.as_u16(), 200, "{}", approved.body);
    check("POST", "/v1/review/requests/{id}/decision", &approved);
    // The reviewer's evidence: the view as JSON, the images as JPEG (only their refusals are JSON).
    let r = |suffix: &str| format!("/v1/review/requests/{id}{suffix}");
    check("GET", "/v1/review/requests/{id}/evidence", &api.get(&r("/evidence"), api.reviewer()).await);
    check("GET", "/v1/review/requests/{id}/evidence", &api.get(&r("/evidence"), auth).await);
    check("GET", "/v1/review/requests/{id}/evidence", &api.get("/v1/review/requests/req_missing/evidence", api.reviewer()).await);
    for kind in ["selfie", "liveness-capture", "badge-photo"] {
        let template = format!("/v1/review/requests/{{id}}/{kind}");
        let declared = &contract.doc()["paths"][&template]["get"]["responses"]["200"]["$ref"];
        assert_eq!(declared, "#/components/responses/Jpeg", "{template}");
        let image = api
            .http
            .get(format!("{}{}", api.base, r(&format!("/{kind}"))))
            .bearer_auth(api.reviewer_token.as_str())
            .send()
            .await
            .expect("sent");
        let header = |name: &str| image.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let answer = (image.status().as_u16(), header("content-type"), header("cache-control"));
        assert_eq!(answer, (200, Some("image/jpeg".to_owned()), Some("no-store".to_owned())), "{kind}");
        check("GET", &template, &api.get(&r(&format!("/{kind}")), auth).await);
        check("GET", &template, &api.get(&format!("/v1/review/requests/req_missing/{kind}"), api.reviewer()).await);
    }
    check("GET", "/v1/requests/{id}/status", &api.get(&p("/status"), auth).await);
    check("GET", "/v1/requests/{id}/verified-id", &api.get(&p("/verified-id"), auth).await);
    check("GET", "/v1/.well-known/verified-id-key", &api.get("/v1/.well-known/verified-id-key", None).await);
    let alice_vid = api.get(&p("/verified-id"), auth).await.body["jws"].clone();

    // Legacy path in the app's order: identity first, then the date of birth.
    let bob = api.post("/v1/requests", auth, &bob_identity()).await;
    check("POST", "/v1/requests", &bob);
    let bob_id = bob.body["request_id"].as_str().expect("id").to_owned();
    let b = |suffix: &str| format!("/v1/requests/{bob_id}{suffix}");
    check("POST", "/v1/requests/{id}/selfie", &api.post_bytes(&b("/selfie"), &device, "image/jpeg", jpeg(320, 320)).await);
    check(
        "POST",
        "/v1/requests/{id}/date-of-birth",
        &api.post(&b("/date-of-birth"), auth, &json!({ "date_of_birth": "30.11.1985" })).await,
    );
    check(
        "POST",
        "/v1/requests/{id}/date-of-birth",
        &api.post(&b("/date-of-birth"), auth, &json!({ "date_of_birth": "1985-11-29" })).await,
    );
    check(
        "POST",
        "/v1/requests/{id}/date-of-birth",
        &api.post(&b("/date-of-birth"), auth, &json!({ "date_of_birth": "1985-11-30" })).await,
    );
    check(
        "POST",
        "/v1/requests/{id}/date-of-birth",
        &api.post(&p("/date-of-birth"), auth, &json!({ "date_of_birth": "1990-04-12" })).await,
    );
    check("GET", "/v1/requests/{id}", &api.get(&b(""), auth).await);

    // Passkey path: Verified ID after the government ID, presented before the review.
    let dave = api.post("/v1/requests", auth, &dave_identity()).await;
    check("POST", "/v1/requests", &dave);
    let dave_id = dave.body["request_id"].as_str().expect("id").to_owned();
    let d = |suffix: &str| format!("/v1/requests/{dave_id}{suffix}");
    let alice_jws = alice_vid.as_str().expect("jws").to_owned();
    check("POST", "/v1/requests/{id}/verified-id/presentation", &api.present(&keyed, &dave_id, &alice_jws).await);
    check(
        "POST",
        "/v1/requests/{id}/verified-id/presentation",
        &api.post(&d("/verified-id/presentation"), auth, &json!({ "jws": alice_jws })).await,
    );
    verify_government_id(api, &device, &dave_id).await;
    check("POST", "/v1/requests/{id}/government-id/session", &api.post(&d("/government-id/session"), auth, &json!({})).await);
    check("GET", "/v1/requests/{id}/government-id", &api.get(&d("/government-id"), auth).await);
    let dave_vid = api.get(&d("/verified-id"), auth).await;
    check("GET", "/v1/requests/{id}/verified-id", &dave_vid);
    check("POST", "/v1/requests/{id}/verified-id/presentation", &api.present(&keyed, &dave_id, &alice_jws).await);
    let dave_jws = dave_vid.body["jws"].as_str().expect("jws").to_owned();
    check("POST", "/v1/requests/{id}/verified-id/presentation", &api.present(&keyed, &dave_id, &dave_jws).await);
    check("POST", "/v1/requests/{id}/submit", &api.post(&d("/submit"), auth, &json!({})).await);
    check(
        "POST",
        "/v1/requests/{id}/liveness",
        &Answer { status: reqwest::StatusCode::OK, body: pass_liveness(api, &device, &dave_id).await, replayed: false },
    );
    check("POST", "/v1/requests/{id}/submit", &api.post(&d("/submit"), auth, &json!({})).await);
    check("GET", "/v1/requests/{id}/status", &api.get(&d("/status?wait=0"), auth).await);

    check("GET", "/v1/tap/policy", &api.get("/v1/tap/policy", None).await);
    check("GET", "/v1/requests/{id}/tap", &api.get(&p("/tap"), auth).await);
    check("POST", "/v1/requests/{id}/tap", &api.post(&p("/tap"), auth, &json!({ "lifetimeInMinutes": 5 })).await);
    // replaceLost is a plain boolean: null is refused, and the document does not allow it.
    let lost_null = json!({ "replaceLost": null });
    let tap_schema = contract.request_schema("POST", "/v1/requests/{id}/tap").expect("CreateTap");
    assert!(contract.validate(tap_schema, &lost_null, "$").is_err());
    let refused = api.post(&p("/tap"), auth, &lost_null).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (400, "INVALID_JSON"), "{}", refused.body);
    check("POST", "/v1/requests/{id}/tap", &refused);
    let defaults = json!({ "lifetimeInMinutes": null, "startDateTime": null, "isUsableOnce": null });
    contract.check_request("POST", "/v1/requests/{id}/tap", &defaults);
    let tap = api.post(&p("/tap"), auth, &defaults).await;
    assert_eq!(tap.status.as_u16(), 201, "{}", tap.body);
    check("POST", "/v1/requests/{id}/tap", &tap);
    check("POST", "/v1/requests/{id}/tap", &api.post(&p("/tap"), auth, &json!({})).await);
    check("POST", "/v1/requests/{id}/tap", &api.post(&p("/tap"), auth, &json!({ "replaceLost": true })).await);
    check("GET", "/v1/requests/{id}/tap", &api.get(&p("/tap"), auth).await);
    let code = tap.body["temporaryAccessPass"].clone();
    check(
        "POST",
        "/v1/tap/sign-in",
        &api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": code })).await,
    );
    check(
        "POST",
        "/v1/tap/sign-in",
        &api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": code })).await,
    );
    check("POST", "/v1/requests/{id}/passkey/options", &api.post(&p("/passkey/options"), auth, &json!({})).await);

    // Past both retention periods: the images' 410s (the reviewer signs in again next day).
    h.clock.advance(48 * 3600);
    let mut api = api.clone();
    api.sign_in_again().await;
    let api = &api;
    for kind in ["selfie", "liveness-capture"] {
        let gone = api.get(&r(&format!("/{kind}")), api.reviewer()).await;
        assert_eq!(gone.status.as_u16(), 410, "{kind}");
        check("GET", &format!("/v1/review/requests/{{id}}/{kind}"), &gone);
    }
    check("GET", "/v1/review/requests/{id}/evidence", &api.get(&r("/evidence"), api.reviewer()).await);

    let revocation = json!({ "upn": "dave@contoso.example", "reason": "phone replaced" });
    let revoke = |body: Value, token: String| async move { api.post("/v1/review/verified-ids/revocation", Some(&token), &body).await };
    check("POST", "/v1/review/verified-ids/revocation", &revoke(revocation.clone(), api.reviewer_token.clone()).await);
    check(
        "POST",
        "/v1/review/verified-ids/revocation",
        &revoke(json!({ "upn": "dave@contoso.example", "reason": " " }), api.reviewer_token.clone()).await,
    );
    check("POST", "/v1/review/verified-ids/revocation", &revoke(revocation, "not-a-reviewer".to_owned()).await);

    let page = api.http.get(format!("{}/console", api.base)).send().await.expect("console");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.headers()["content-type"].to_str().expect("ct").starts_with("text/html"));
    let script: Value = json!(api.http.get(format!("{}/console/app.js", api.base)).send().await.expect("js").status().as_u16());
    assert_eq!(script, json!(200));
}

/// The POST operations the document declares without credentials (except the partner's
/// callback, which is signed) are exactly those whose calls the idempotency layer treats as
/// anonymous: an answer kept under a header nobody checks could be replayed to anyone.
#[test]
fn posts_without_credentials_are_the_idempotency_layers_anonymous_routes() {
    let contract = Contract::load();
    let declared: std::collections::BTreeSet<String> = contract
        .operations()
        .into_iter()
        .filter(|(method, path)| method == "POST" && !WITHOUT_KEY.contains(&path.as_str()))
        .filter(|(method, path)| contract.security_schemes(method, path).is_empty())
        .map(|(_, path)| path)
        .collect();
    let anonymous = identity_pass_service::http::idempotency::WITHOUT_CALLER.iter().map(|p| (*p).to_owned()).collect();
    assert_eq!(declared, anonymous);
}

/// The refusals that come before any handler's own rules, read from the document itself so a
/// new or edited operation cannot drop them: credentials (401), the idempotency layer (400
/// IDEMPOTENCY_KEY_REQUIRED / _INVALID, 409 IDEMPOTENCY_KEY_IN_USE, 413 BODY_TOO_LARGE, 422
/// IDEMPOTENCY_KEY_REUSED on every POST but the partner's callback), a JSON body of another
/// content type (415), and somebody else's or an unknown request (404 REQUEST_NOT_FOUND).
#[test]
fn the_document_declares_the_refusals_every_operation_can_answer() {
    let contract = Contract::load();
    let mut missing = Vec::new();
    let mut applied = [0; 4];
    for (method, path) in contract.operations() {
        let declared = contract.statuses(&method, &path);
        let mut wanted: Vec<(u16, &str)> = Vec::new();
        let schemes = contract.security_schemes(&method, &path);
        if schemes.contains("deviceAuth") || schemes.contains("reviewerAuth") {
            wanted.push((401, "AUTH_REQUIRED, DEVICE_AUTH_INVALID / REVIEWER_AUTH_INVALID"));
            applied[0] += 1;
        }
        if method == "POST" && !WITHOUT_KEY.contains(&path.as_str()) {
            wanted.extend([
                (400, "IDEMPOTENCY_KEY_REQUIRED / IDEMPOTENCY_KEY_INVALID"),
                (409, "IDEMPOTENCY_KEY_IN_USE"),
                (413, "BODY_TOO_LARGE"),
                (422, "IDEMPOTENCY_KEY_REUSED"),
            ]);
            let keyed = contract
                .parameters(&method, &path)
                .iter()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header" && p["required"] == true);
            if !keyed {
                missing.push(format!("{method} {path}: the Idempotency-Key header parameter"));
            }
            applied[1] += 1;
        }
        if path.starts_with("/v1/requests/{id}") || path.starts_with("/v1/review/requests/{id}") {
            wanted.push((404, "REQUEST_NOT_FOUND"));
            applied[2] += 1;
        }
        let body = contract.operation(&method, &path).and_then(|o| o.get("requestBody"));
        if body.is_some_and(|b| b["required"] == true && b["content"].get("application/json").is_some()) && path != "/v1/partner/callback" {
            wanted.push((415, "UNSUPPORTED_MEDIA_TYPE"));
            applied[3] += 1;
        }
        for (status, why) in wanted {
            if !declared.contains(&status) {
                missing.push(format!("{method} {path}: {status} ({why})"));
            }
        }
    }
    assert!(missing.is_empty(), "undeclared answers:\n{}", missing.join("\n"));
    assert!(applied.iter().all(|n| *n >= 10), "the rules matched (auth, POST, {{id}}, JSON body): {applied:?}");
    // The selfie's own 415 IMAGE_NOT_JPEG; the callback takes no key (its signature stands in).
    assert!(contract.statuses("POST", "/v1/requests/{id}/selfie").contains(&415));
    assert!(!contract.parameters("POST", "/v1/partner/callback").iter().any(|p| p["name"] == "Idempotency-Key"));

    let key = &contract.doc()["components"]["parameters"]["IdempotencyKey"]["schema"];
    assert_eq!(key["pattern"], r"^[\x21-\x7E]{1,255}$", "what the layer accepts: 1–255 visible ASCII");
    assert_eq!((&key["minLength"], &key["maxLength"]), (&json!(1), &json!(255)));
    let status = contract.parameters("GET", "/v1/requests/{id}/status");
    let after = status.iter().find(|p| p["name"] == "after_version").expect("after_version");
    assert_eq!(
        (&after["schema"]["type"], &after["schema"]["format"], &after["schema"]["minimum"]),
        (&json!("integer"), &json!("int64"), &json!(0))
    );

    // `check` panics exactly when this is None: an answer with an undeclared status fails it.
    assert!(contract.response_schema("GET", "/healthz", 401).is_none());
    assert!(contract.response_schema("POST", "/v1/partner/callback", 415).is_none());
}

async fn answer_of(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("sent");
    let status = response.status();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let bytes = response.bytes().await.expect("body");
    Answer { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null), replayed }
}

/// The refusals of the previous test, answered by a started service and held against the
/// document: every operation behind a credential without one (and with the other kind), every
/// POST without an idempotency key (and with a malformed one), a key reused with another body,
/// a key still in use, an oversized body, JSON and the selfie under other content types, every
/// request operation on somebody else's request, every reviewer operation on an unknown one, a
/// malformed long-poll query; and optional request fields sent as `null`.
#[tokio::test]
async fn refusals_before_the_handlers_validate_against_the_document() {
    let contract = Contract::load();
    let h = start().await;
    let api = &h.api;
    let refused = |method: &str, path: &str, answer: &Answer, status: u16, code: &str| {
        assert_eq!((answer.status.as_u16(), answer.code()), (status, code), "{method} {path}: {}", answer.body);
        contract.check(method, path, status, &answer.body);
    };
    let owner = api.register_device().await;
    let stranger = api.register_device().await;
    let id = api.post("/v1/requests", Some(&owner), &alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    let url = |template: &str, id: &str| format!("{}{}", api.base, template.replace("{id}", id));
    let credential = |method: &str, template: &str| {
        let schemes = contract.security_schemes(method, template);
        if schemes.contains("reviewerAuth") {
            api.reviewer()
        } else if schemes.contains("deviceAuth") {
            Some(owner.as_str())
        } else {
            None
        }
    };
    let build = |method: &str, template: &str, id: &str, auth: Option<&str>| {
        let mut request = if method == "GET" { api.http.get(url(template, id)) } else { api.http.post(url(template, id)) };
        if let Some(auth) = auth {
            request = request.bearer_auth(auth);
        }
        request
    };

    // 401: no credential, then the other kind's.
    let mut guarded = 0;
    for (method, template) in contract.operations() {
        let Some(own) = credential(&method, &template) else { continue };
        let reviewer = own == api.reviewer_token.as_str();
        let (other, code) =
            if reviewer { (owner.as_str(), "REVIEWER_AUTH_INVALID") } else { (api.reviewer_token.as_str(), "DEVICE_AUTH_INVALID") };
        for (auth, code) in [(None, "AUTH_REQUIRED"), (Some(other), code)] {
            let request = build(&method, &template, &id, auth);
            let request = if method == "POST" { request.header("Idempotency-Key", fresh_key()).json(&json!({})) } else { request };
            refused(&method, &template, &answer_of(request).await, 401, code);
        }
        guarded += 1;
    }
    assert!(guarded >= 25, "{guarded} operations behind a credential");

    // 400: every POST but the callback, without an idempotency key and with malformed ones.
    for (method, template) in contract.operations().into_iter().filter(|(m, p)| m == "POST" && !WITHOUT_KEY.contains(&p.as_str())) {
        let auth = credential(&method, &template);
        let unkeyed = answer_of(build(&method, &template, &id, auth).json(&json!({}))).await;
        refused(&method, &template, &unkeyed, 400, "IDEMPOTENCY_KEY_REQUIRED");
        for key in ["two words".to_owned(), "k".repeat(256)] {
            let malformed = answer_of(build(&method, &template, &id, auth).header("Idempotency-Key", key).json(&json!({}))).await;
            refused(&method, &template, &malformed, 400, "IDEMPOTENCY_KEY_INVALID");
        }
    }

    // 422: a stored key with another body (the same body is replayed).
    let push = "/v1/devices/push-token";
    let key = fresh_key();
    let first = api.post_keyed(push, Some(&owner), &key, &json!({ "kind": "fcm", "token": "t1" })).await;
    contract.check("POST", push, first.status.as_u16(), &first.body);
    let again = api.post_keyed(push, Some(&owner), &key, &json!({ "kind": "fcm", "token": "t1" })).await;
    assert!(again.replayed && again.status.as_u16() == 200, "{}", again.body);
    let other = api.post_keyed(push, Some(&owner), &key, &json!({ "kind": "fcm", "token": "t2" })).await;
    refused("POST", push, &other, 422, "IDEMPOTENCY_KEY_REUSED");

    // 413: a body the layer will not buffer.
    let submit = "/v1/requests/{id}/submit";
    let oversized = answer_of(
        build("POST", submit, &id, Some(&owner))
            .header("Idempotency-Key", fresh_key())
            .header("Content-Type", "application/json")
            .body(vec![b' '; 8 * 1024 * 1024 + 1]),
    )
    .await;
    refused("POST", submit, &oversized, 413, "BODY_TOO_LARGE");
    // The partner's callback is not buffered by the idempotency layer; its limit answers in JSON too.
    let callback = "/v1/partner/callback";
    let flood = answer_of(
        api.http
            .post(format!("{}{callback}", api.base))
            .header("Partner-Signature", format!("t=0,v1={}", "0".repeat(64)))
            .header("Content-Type", "application/json")
            .body(vec![b' '; 8 * 1024 * 1024 + 1]),
    )
    .await;
    refused("POST", callback, &flood, 413, "BODY_TOO_LARGE");

    // 415: every JSON body as text/plain; the selfie as PNG.
    for (method, template) in contract.operations() {
        let Some(body) = contract.operation(&method, &template).and_then(|o| o.get("requestBody")) else { continue };
        if body["required"] != true || body["content"].get("application/json").is_none() || template == "/v1/partner/callback" {
            continue;
        }
        let request = build(&method, &template, &id, credential(&method, &template))
            .header("Idempotency-Key", fresh_key())
            .header("Content-Type", "text/plain")
            .body("{}");
        refused(&method, &template, &answer_of(request).await, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    let selfie = "/v1/requests/{id}/selfie";
    let png = api.post_bytes(&selfie.replace("{id}", &id), &owner, "image/png", face_jpeg()).await;
    refused("POST", selfie, &png, 415, "IMAGE_NOT_JPEG");

    // 404: each request operation on another device's request, with a body that passes every
    // check made before ownership; each reviewer operation on an unknown request.
    api.get(&format!("/v1/requests/{id}"), Some(&owner)).await.ok(200);
    let attestation = json!({ "id": "AAAA", "rawId": "AAAA", "type": "public-key",
                              "response": { "attestationObject": "AAAA", "clientDataJSON": "AAAA" } });
    let mut strangers = 0;
    for (method, template) in contract.operations().into_iter().filter(|(_, p)| p.starts_with("/v1/requests/{id}")) {
        let path = template.replace("{id}", &id);
        let body = match template.as_str() {
            "/v1/requests/{id}/date-of-birth" => json!({ "date_of_birth": "1985-11-30" }),
            "/v1/requests/{id}/consent" => consent_body(),
            "/v1/requests/{id}/liveness" => json!({ "challenge_id": "lc_unknown", "frames": approach_frames() }),
            "/v1/requests/{id}/verified-id/presentation" => json!({ "jws": "a.b.c" }),
            "/v1/requests/{id}/passkey/attestation" => attestation.clone(),
            "/v1/requests/{id}/call/session" => json!({ "type": "offer", "sdp": "v=0" }),
            _ => json!({}),
        };
        let answer = match (method.as_str(), template.as_str()) {
            ("GET", _) => api.get(&path, Some(&stranger)).await,
            (_, "/v1/requests/{id}/selfie") => api.post_bytes(&path, &stranger, "image/jpeg", face_jpeg()).await,
            (_, "/v1/requests/{id}/verified-id/presentation") => api.post_presenting(&path, &stranger, &fresh_key(), &body, "a.b.c").await,
            _ => api.post(&path, Some(&stranger), &body).await,
        };
        refused(&method, &template, &answer, 404, "REQUEST_NOT_FOUND");
        strangers += 1;
    }
    assert!(strangers >= 16, "{strangers} request operations");
    for (method, template) in contract.operations().into_iter().filter(|(_, p)| p.starts_with("/v1/review/requests/{id}")) {
        let body = if template.ends_with("/decision") {
            json!({ "decision": "approve" })
        } else if template.ends_with("/call/session") {
            json!({ "type": "offer", "sdp": "v=0" })
        } else {
            json!({})
        };
        let request = build(&method, &template, "req_missing", api.reviewer());
        let request = if method == "POST" { request.header("Idempotency-Key", fresh_key()).json(&body) } else { request };
        refused(&method, &template, &answer_of(request).await, 404, "REQUEST_NOT_FOUND");
    }

    // The long-poll's query: a malformed version is refused; 0 (none yet) answers at once.
    let status = "/v1/requests/{id}/status";
    let malformed = api.get(&format!("/v1/requests/{id}/status?after_version=soon"), Some(&owner)).await;
    refused("GET", status, &malformed, 400, "INVALID_QUERY");
    let negative = api.get(&format!("/v1/requests/{id}/status?wait=30&after_version=-1"), Some(&owner)).await;
    refused("GET", status, &negative, 400, "INVALID_QUERY");
    let fresh = api.get(&format!("/v1/requests/{id}/status?wait=30&after_version=0"), Some(&owner)).await;
    contract.check("GET", status, 200, &fresh.body);
    assert_eq!(fresh.status.as_u16(), 200);

    // 409: the same key again while the first call still runs (a selfie's face search takes a
    // while); the later one may instead find the first answer stored, and is then a replay.
    api.post(&format!("/v1/requests/{id}/consent"), Some(&owner), &consent_body()).await.ok(200);
    let key = fresh_key();
    let upload = || {
        build("POST", selfie, &id, Some(&owner))
            .header("Idempotency-Key", key.as_str())
            .header("Content-Type", "image/jpeg")
            .body(face_jpeg())
    };
    let (one, two) = tokio::join!(answer_of(upload()), answer_of(upload()));
    for answer in [&one, &two] {
        contract.check("POST", selfie, answer.status.as_u16(), &answer.body);
    }
    let statuses = [(one.status.as_u16(), one.code().to_owned()), (two.status.as_u16(), two.code().to_owned())];
    assert!(statuses.iter().any(|(s, _)| *s == 200), "{statuses:?}");
    assert!(statuses.iter().any(|(s, c)| *s == 409 && c == "IDEMPOTENCY_KEY_IN_USE") || one.replayed || two.replayed, "{statuses:?}");

    // Optional request fields sent as null mean "absent"; the document declares them nullable.
    // A required field sent as null is refused, and the document does not allow it either.
    let devices = json!({ "platform": "ios", "device_secret": null, "device_key": null });
    contract.check_request("POST", "/v1/devices", &devices);
    let registered = api.post("/v1/devices", None, &devices).await;
    assert_eq!(registered.status.as_u16(), 201, "{}", registered.body);
    contract.check("POST", "/v1/devices", 201, &registered.body);
    let identity = json!({ "upn": "alice@contoso.example", "employee_id": "E1001", "staff_kind": "employee", "personal_email": null,
                           "date_of_birth": null, "verified_id": null, "terms_version": null, "consent_accepted_at": null });
    contract.check_request("POST", "/v1/requests", &identity);
    let created = api.post("/v1/requests", Some(&stranger), &identity).await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.body);
    contract.check("POST", "/v1/requests", 201, &created.body);
    let no_platform = json!({ "platform": null });
    assert!(contract.validate(contract.request_schema("POST", "/v1/devices").expect("schema"), &no_platform, "$").is_err());
    refused("POST", "/v1/devices", &api.post("/v1/devices", None, &no_platform).await, 400, "INVALID_JSON");
}

/// A WebRTC offer with one audio and one video line, both ways.
fn webrtc_offer() -> String {
    use str0m::media::{Direction, MediaKind};
    let mut rtc = str0m::RtcConfig::new()
        .set_crypto_provider(std::sync::Arc::new(str0m::crypto::from_feature_flags()))
        .build(std::time::Instant::now());
    let candidate = str0m::Candidate::host("127.0.0.1:40000".parse().expect("address"), "udp").expect("candidate");
    rtc.add_local_candidate(candidate);
    let mut change = rtc.sdp_api();
    change.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None);
    change.add_media(MediaKind::Video, Direction::SendRecv, None, None, None);
    let (offer, _pending) = change.apply().expect("an offer");
    offer.to_sdp_string()
}
