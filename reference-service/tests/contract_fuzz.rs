//! The contract under generated requests: every operation of `openapi.yaml` is called many times
//! with what its schemas allow and with what a broken or hostile client sends instead (bodies
//! with fields dropped, retyped, added or not JSON at all; junk ids, queries, signatures, key
//! bindings and idempotency keys; the right credential, the other kind, a wrong one, none). The
//! service must never answer 5xx, and every answer must be one the document declares for that
//! operation, with a body its schema allows.
//!
//! `CONTRACT_FUZZ_CASES` (per operation, default 40) and `CONTRACT_FUZZ_SEED` make longer or
//! other runs; a failure prints the seed and the case.

mod common;

use std::collections::BTreeMap;

use common::contract::Contract;
use common::generated::{Rng, broken, valid};
use common::*;
use serde_json::{Value, json};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Path ids: the caller's own request (most often, to reach the handlers' rules), and junk.
fn request_id(rng: &mut Rng, own: &str) -> String {
    let junk = ["req_missing", "req_", "%2e%2e%2f%2e%2e", "%F0%9F%92%A9", "%00", "' OR 1=1 --"];
    if rng.chance(75) { own.to_owned() } else { rng.pick(&junk).to_string() }
}

fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The media types the document declares for `status` of `method path` (empty: not declared).
fn declared_media(contract: &Contract, method: &str, path: &str, status: u16) -> Option<Vec<String>> {
    let operation = contract.operation(method, path)?;
    let response = contract.resolve(operation["responses"].get(status.to_string())?);
    Some(response.get("content").and_then(Value::as_object).map(|c| c.keys().cloned().collect()).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::print_stdout, reason = "the requests sent and the statuses seen are the figures the documented command reports")]
async fn generated_requests_get_declared_answers_and_never_a_5xx() {
    let contract = Contract::load();
    let cases = setting("CONTRACT_FUZZ_CASES", 40);
    let seed = setting("CONTRACT_FUZZ_SEED", 0x1D_5EED);
    let mut rng = Rng::new(seed);
    let h = start().await;
    let api = &h.api;

    // Two devices: one with a request far enough along (identity confirmed, consent given) for
    // the selfie, liveness and partner handlers to run their own checks; one with none.
    let owner = api.register_device().await;
    let stranger = api.register_device().await;
    let own = api.post("/v1/requests", Some(&owner), &alice()).await.ok(201)["request_id"].as_str().expect("id").to_owned();
    api.post(&format!("/v1/requests/{own}/consent"), Some(&owner), &consent_body()).await.ok(200);
    let bodies = [face_jpeg(), declaring_jpeg(9000, 9000), b"not a jpeg".to_vec(), Vec::new(), face_jpeg()[..400].to_vec()];

    let mut failures = Vec::new();
    let mut statuses: BTreeMap<u16, u32> = BTreeMap::new();
    let mut sent = 0;
    let mut previous = String::new();
    for (method, template) in contract.operations() {
        let schemes = contract.security_schemes(&method, &template);
        let parameters: Vec<Value> = contract.parameters(&method, &template).into_iter().cloned().collect();
        let body_schema = contract.request_schema(&method, &template).cloned();
        for case in 0..cases {
            let path = template.replace("{id}", &request_id(&mut rng, &own));
            let mut query = Vec::new();
            let mut request_headers = Vec::new();
            for parameter in &parameters {
                let name = parameter["name"].as_str().unwrap_or_default();
                let value = if rng.chance(70) { valid(&contract, &parameter["schema"], &mut rng, 0) } else { broken(json!(1), &mut rng) };
                let text = match value {
                    // A long-poll that waits its real seconds would only slow the run down.
                    _ if name == "wait" => rng.pick(&["0", "1", "-1", "soon", "99999999999999999999"]).to_string(),
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                match (parameter["in"].as_str(), name) {
                    (Some("query"), _) if rng.chance(80) => query.push((name.to_owned(), text)),
                    (Some("header"), "Idempotency-Key") => {
                        request_headers.push((name.to_owned(), if rng.chance(85) { fresh_key() } else { text }));
                    }
                    (Some("header"), _) if rng.chance(80) => request_headers.push((name.to_owned(), text)),
                    _ => {}
                }
            }
            let credential = match rng.below(10) {
                0 => None,
                1 => Some("dev_nobody.0000".to_owned()),
                2 => Some(if schemes.contains("reviewerAuth") { owner.clone() } else { api.reviewer_token.as_str().to_owned() }),
                3 => Some(stranger.clone()),
                _ if schemes.contains("reviewerAuth") => Some(api.reviewer_token.as_str().to_owned()),
                _ => Some(owner.clone()),
            };

            let encoded: Vec<String> = query.iter().map(|(name, value)| format!("{name}={}", percent_encoded(value))).collect();
            let url = if encoded.is_empty() { format!("{}{path}", api.base) } else { format!("{}{path}?{}", api.base, encoded.join("&")) };
            let mut request = if method == "GET" { api.http.get(&url) } else { api.http.post(&url) };
            for (name, value) in &request_headers {
                // A value no header can carry is not a request a client can send.
                if reqwest::header::HeaderValue::from_str(value).is_ok() {
                    request = request.header(name.as_str(), value.as_str());
                }
            }
            if let Some(credential) = &credential {
                request = request.bearer_auth(credential);
            }
            let sent_body: String;
            if method == "POST" && template.ends_with("/selfie") {
                let jpeg = rng.pick(&bodies).clone();
                sent_body = format!("{} bytes of image/jpeg", jpeg.len());
                request = request.header("Content-Type", if rng.chance(85) { "image/jpeg" } else { "image/png" }).body(jpeg);
            } else if let Some(schema) = &body_schema {
                let value = valid(&contract, schema, &mut rng, 0);
                let body = match rng.below(10) {
                    0..=3 => value.to_string(),
                    4..=7 => broken(value, &mut rng).to_string(),
                    8 => "{\"unterminated\": ".to_owned(),
                    _ => String::new(),
                };
                sent_body = body.chars().take(300).collect();
                request = request.header("Content-Type", "application/json").body(body);
            } else {
                sent_body = String::new();
            }

            sent += 1;
            let response = match request.send().await {
                Ok(response) => response,
                Err(error) => {
                    failures.push(format!("seed {seed:#x}, {method} {template} case {case}: {method} {path} body {sent_body:?}: no answer: {error:?} (after: {previous})"));
                    continue;
                }
            };
            let status = response.status().as_u16();
            *statuses.entry(status).or_default() += 1;
            let media = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            let bytes = response.bytes().await.expect("body");
            let case_line = format!(
                "seed {seed:#x}, {method} {template} case {case}: {method} {path} query {query:?} headers {:?} credential {} body {sent_body:?} → {status} {media}",
                request_headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                credential.as_deref().map_or("none", |c| if c == api.reviewer_token.as_str() { "reviewer" } else { "device" }),
            );
            previous = case_line.clone();
            if status >= 500 {
                failures.push(format!("{case_line}: a 5xx: {}", String::from_utf8_lossy(&bytes)));
                continue;
            }
            let Some(declared) = declared_media(&contract, &method, &template, status) else {
                failures.push(format!("{case_line}: status not declared for the operation"));
                continue;
            };
            if media.starts_with("application/json") {
                let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                let check = std::panic::catch_unwind(|| contract.check(&method, &template, status, &body));
                if check.is_err() {
                    failures.push(format!("{case_line}: the body breaks the schema: {body}"));
                }
            } else if !bytes.is_empty() && !declared.iter().any(|d| media.starts_with(d.as_str())) {
                failures.push(format!("{case_line}: {media} is not among {declared:?}"));
            }
        }
    }
    let operations = contract.operations().len() as u64;
    assert_eq!(sent, operations * cases, "every operation, {cases} times");
    assert!(failures.is_empty(), "{} of {sent} generated requests broke the contract:\n{}", failures.len(), failures.join("\n"));
    // The cases reached past the credential and key checks into the handlers' own answers.
    let answered_by_handlers: u32 = statuses.iter().filter(|(s, _)| **s < 400 || [404, 409, 410, 422].contains(*s)).map(|(_, n)| n).sum();
    assert!(answered_by_handlers as u64 > sent / 4, "statuses: {statuses:?}");
    println!("{sent} generated requests over {operations} operations, seed {seed:#x}: {statuses:?}");
}
