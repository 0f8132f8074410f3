//! The contract: openapi.yaml and the router agree on every route, the document's examples
//! satisfy its own schemas, and real answers from a full flow validate against the schemas.

mod common;

use std::collections::BTreeSet;

use common::contract::Contract;
use common::*;
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
    let frames = json!({ "challenge_id": challenge.body["challenge_id"], "frames": approach_frames() });
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

    check("GET", "/v1/review/requests", &api.get("/v1/review/requests", Some(REVIEWER_TOKEN)).await);
    check("GET", "/v1/review/requests", &api.get("/v1/review/requests", auth).await);
    check("POST", "/v1/review/requests/{id}/call", &api.review(&id, "call", &json!({})).await);
    check("POST", "/v1/review/requests/{id}/join", &api.review(&id, "join", &json!({})).await);
    check("POST", "/v1/review/requests/{id}/decision", &api.review(&id, "decision", &json!({ "decision": "approve" })).await);
    h.clock.advance(20);
    check("POST", "/v1/review/requests/{id}/leave", &api.review(&id, "leave", &json!({})).await);
    check("POST", "/v1/review/requests/{id}/decision", &api.review(&id, "decision", &json!({ "decision": "approve" })).await);
    // The reviewer's evidence: the view as JSON, the images as JPEG (only their refusals are JSON).
    let r = |suffix: &str| format!("/v1/review/requests/{id}{suffix}");
    check("GET", "/v1/review/requests/{id}/evidence", &api.get(&r("/evidence"), Some(REVIEWER_TOKEN)).await);
    check("GET", "/v1/review/requests/{id}/evidence", &api.get(&r("/evidence"), auth).await);
    check("GET", "/v1/review/requests/{id}/evidence", &api.get("/v1/review/requests/req_missing/evidence", Some(REVIEWER_TOKEN)).await);
    for kind in ["selfie", "liveness-capture", "badge-photo"] {
        let template = format!("/v1/review/requests/{{id}}/{kind}");
        let declared = &contract.doc()["paths"][&template]["get"]["responses"]["200"]["$ref"];
        assert_eq!(declared, "#/components/responses/Jpeg", "{template}");
        let image = api.http.get(format!("{}{}", api.base, r(&format!("/{kind}")))).bearer_auth(REVIEWER_TOKEN).send().await.expect("sent");
        let header = |name: &str| image.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let answer = (image.status().as_u16(), header("content-type"), header("cache-control"));
        assert_eq!(answer, (200, Some("image/jpeg".to_owned()), Some("no-store".to_owned())), "{kind}");
        check("GET", &template, &api.get(&r(&format!("/{kind}")), auth).await);
        check("GET", &template, &api.get(&format!("/v1/review/requests/req_missing/{kind}"), Some(REVIEWER_TOKEN)).await);
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
    let tap = api.post(&p("/tap"), auth, &json!({})).await;
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

    // Past both retention periods: the images' 410s.
    h.clock.advance(48 * 3600);
    for kind in ["selfie", "liveness-capture"] {
        let gone = api.get(&r(&format!("/{kind}")), Some(REVIEWER_TOKEN)).await;
        assert_eq!(gone.status.as_u16(), 410, "{kind}");
        check("GET", &format!("/v1/review/requests/{{id}}/{kind}"), &gone);
    }
    check("GET", "/v1/review/requests/{id}/evidence", &api.get(&r("/evidence"), Some(REVIEWER_TOKEN)).await);

    let revocation = json!({ "upn": "dave@contoso.example", "reason": "phone replaced" });
    let revoke = |body: Value, token: &'static str| async move { api.post("/v1/review/verified-ids/revocation", Some(token), &body).await };
    check("POST", "/v1/review/verified-ids/revocation", &revoke(revocation.clone(), REVIEWER_TOKEN).await);
    check(
        "POST",
        "/v1/review/verified-ids/revocation",
        &revoke(json!({ "upn": "dave@contoso.example", "reason": " " }), REVIEWER_TOKEN).await,
    );
    check("POST", "/v1/review/verified-ids/revocation", &revoke(revocation, "not-a-reviewer").await);

    let page = api.http.get(format!("{}/console", api.base)).send().await.expect("console");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.headers()["content-type"].to_str().expect("ct").starts_with("text/html"));
    let script: Value = json!(api.http.get(format!("{}/console/app.js", api.base)).send().await.expect("js").status().as_u16());
    assert_eq!(script, json!(200));
}
