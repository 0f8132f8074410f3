//! Reviewers are people (issue 14, item 6): each signs in with their own account, whose password
//! is stored as an argon2id hash; the console's session is an `HttpOnly`, `SameSite=Strict`
//! cookie (`Secure` off loopback) whose every state change needs the session's CSRF token; a
//! reviewer sees and acts on only the requests of the people they manage or of managers who
//! delegated to them; every action is in an audit log only an administrator reads; console pages
//! send a strict Content-Security-Policy. All over real HTTP against a started service.

mod common;

use common::contract::Contract;
use common::*;
use identity_pass_service::domain::directory_seed::{SEED_ADMIN, SEED_SECOND_REVIEWER};
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde_json::{Value, json};

/// A console session: the cookie the browser would hold and the CSRF token the page keeps.
struct CookieSession {
    cookie: String,
    csrf: String,
    set_cookie: String,
}

async fn console_sign_in(h: &Harness, upn: &str, password: &str) -> Result<CookieSession, Answer> {
    let response = h
        .api
        .http
        .post(format!("{}/v1/review/session", h.api.base))
        .header("Idempotency-Key", fresh_key())
        .json(&json!({ "upn": upn, "password": password }))
        .send()
        .await
        .expect("sent");
    let headers = response.headers().clone();
    let answer = answer_of_response(response).await;
    Contract::load().check("POST", "/v1/review/session", answer.status.as_u16(), &answer.body);
    if answer.status.as_u16() != 200 {
        return Err(answer);
    }
    let set_cookie = set_cookie(&headers);
    let cookie = set_cookie.split(';').next().expect("name=value").trim().to_owned();
    let csrf = answer.body["csrf_token"].as_str().expect("csrf token").to_owned();
    Ok(CookieSession { cookie, csrf, set_cookie })
}

fn set_cookie(headers: &HeaderMap) -> String {
    headers.get(SET_COOKIE).and_then(|v| v.to_str().ok()).expect("Set-Cookie").to_owned()
}

async fn answer_of_response(response: reqwest::Response) -> Answer {
    let status = response.status();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    Answer { status, body, replayed }
}

/// A call with the console's cookie, and with `csrf` / `origin` headers when given.
async fn with_cookie(h: &Harness, method: &str, path: &str, session: &CookieSession, csrf: Option<&str>, origin: Option<&str>) -> Answer {
    let url = format!("{}{path}", h.api.base);
    let mut request =
        if method == "GET" { h.api.http.get(url) } else { h.api.http.post(url).header("Idempotency-Key", fresh_key()).json(&json!({})) };
    request = request.header("Cookie", &session.cookie);
    if let Some(csrf) = csrf {
        request = request.header("X-CSRF-Token", csrf);
    }
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    answer_of_response(request.send().await.expect("sent")).await
}

fn refused(answer: &Answer, status: u16, code: &str) {
    assert_eq!((answer.status.as_u16(), answer.code()), (status, code), "{}", answer.body);
}

fn stored_password_hashes(h: &Harness) -> Vec<String> {
    let connection = rusqlite::Connection::open(&h.service.db_path).expect("the service's database");
    let mut statement = connection.prepare("SELECT password_hash FROM reviewer_accounts ORDER BY upn").expect("query");
    statement.query_map([], |r| r.get(0)).expect("rows").collect::<Result<_, _>>().expect("hashes")
}

#[tokio::test]
async fn a_reviewer_signs_in_with_an_argon2id_password_and_gets_a_strict_cookie() {
    let h = start().await;
    let session = console_sign_in(&h, MANAGER, REVIEWER_PASSWORD).await.unwrap_or_else(|a| panic!("signs in: {}", a.body));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(session.set_cookie.contains(attribute), "{attribute} missing: {}", session.set_cookie);
    }
    assert!(!session.set_cookie.contains("Secure"), "plain HTTP on loopback cannot carry a Secure cookie: {}", session.set_cookie);
    assert!(session.csrf.len() == 64 && session.csrf.bytes().all(|b| b.is_ascii_hexdigit()), "{}", session.csrf);
    let me = with_cookie(&h, "GET", "/v1/review/session", &session, None, None).await.ok(200);
    assert_eq!(
        (me["upn"].as_str(), me["role"].as_str(), me["csrf_token"].as_str()),
        (Some(MANAGER), Some("reviewer"), Some(&*session.csrf))
    );

    // Stored as argon2id with a salt of its own per account, never as the password.
    let hashes = stored_password_hashes(&h);
    assert_eq!(hashes.len(), 3, "the seeded reviewers");
    for hash in &hashes {
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(!hash.contains(REVIEWER_PASSWORD));
    }
    assert!(hashes[0] != hashes[1] && hashes[1] != hashes[2] && hashes[0] != hashes[2], "one salt per account");

    // A wrong password and an unknown name get the same answer.
    let wrong = console_sign_in(&h, MANAGER, "not the password").await.err().expect("refused");
    refused(&wrong, 401, "REVIEWER_SIGN_IN_FAILED");
    let unknown = console_sign_in(&h, "nobody@contoso.example", REVIEWER_PASSWORD).await.err().expect("refused");
    refused(&unknown, 401, "REVIEWER_SIGN_IN_FAILED");
    assert_eq!(wrong.body, unknown.body);
    // The name is matched the way the directory matches it.
    let token = h.api.reviewer_sign_in(" MARIA@contoso.example ", REVIEWER_PASSWORD).await;
    assert_eq!(h.api.get("/v1/review/session", Some(&token)).await.ok(200)["upn"], MANAGER);
}

#[tokio::test]
async fn off_loopback_the_cookie_is_secure() {
    let clock = std::sync::Arc::new(identity_pass_service::ManualClock::new(START));
    let pushes = std::sync::Arc::new(identity_pass_service::RecordingPushSender::default());
    let mut config = config(clock.clone(), pushes.clone(), None);
    config.listen = std::net::SocketAddr::from(([0, 0, 0, 0], 0));
    let h = start_with(config, clock, pushes).await;
    let session = console_sign_in(&h, MANAGER, REVIEWER_PASSWORD).await.unwrap_or_else(|a| panic!("signs in: {}", a.body));
    assert!(session.set_cookie.contains("; Secure"), "{}", session.set_cookie);
}

#[tokio::test]
async fn five_wrong_passwords_lock_a_name_for_fifteen_minutes_whether_or_not_it_has_an_account() {
    let h = start().await;
    for name in [MANAGER, "nobody@contoso.example"] {
        for _ in 0..5 {
            refused(&console_sign_in(&h, name, "guess").await.err().expect("refused"), 401, "REVIEWER_SIGN_IN_FAILED");
        }
        // Locked: even the right password is refused, and the answer is the same for both names.
        let locked = console_sign_in(&h, name, REVIEWER_PASSWORD).await.err().expect("locked");
        refused(&locked, 429, "REVIEWER_SIGN_IN_LOCKED");
        assert!(locked.body["message"].as_str().unwrap_or("").contains("15 minutes"), "{}", locked.body);
    }
    // A script's sign-in is the same check and the same lock.
    let script = h.api.post("/v1/review/tokens", None, &json!({ "upn": MANAGER, "password": REVIEWER_PASSWORD })).await;
    refused(&script, 429, "REVIEWER_SIGN_IN_LOCKED");
    Contract::load().check("POST", "/v1/review/tokens", 429, &script.body);
    h.clock.advance(15 * 60 - 1);
    refused(&console_sign_in(&h, MANAGER, REVIEWER_PASSWORD).await.err().expect("still locked"), 429, "REVIEWER_SIGN_IN_LOCKED");
    h.clock.advance(1);
    assert!(console_sign_in(&h, MANAGER, REVIEWER_PASSWORD).await.is_ok(), "the lock ends after 15 minutes");
    // The other reviewer was never locked by the guesses at these names.
    assert!(console_sign_in(&h, SEED_SECOND_REVIEWER, REVIEWER_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn a_cookie_session_changes_nothing_without_its_csrf_token() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    let session = console_sign_in(&h, MANAGER, REVIEWER_PASSWORD).await.unwrap_or_else(|a| panic!("signs in: {}", a.body));
    let queue = with_cookie(&h, "GET", "/v1/review/requests", &session, None, None).await.ok(200);
    assert_eq!(queue["requests"][0]["request_id"], id.as_str(), "reading needs no token");
    let call = format!("/v1/review/requests/{id}/call");
    let before = h.api.get(&format!("/v1/requests/{id}"), Some(&device)).await.ok(200);
    let contract = Contract::load();
    for (csrf, origin) in [
        (None, None),
        (Some("0".repeat(64)), None),
        (Some(session.csrf.clone()), Some("http://evil.example")),
        (Some(session.csrf.clone()), Some("null")),
    ] {
        let answer = with_cookie(&h, "POST", &call, &session, csrf.as_deref(), origin).await;
        refused(&answer, 403, "CSRF_TOKEN_INVALID");
        contract.check("POST", "/v1/review/requests/{id}/call", 403, &answer.body);
    }
    let after = h.api.get(&format!("/v1/requests/{id}"), Some(&device)).await.ok(200);
    assert_eq!((after["state"].clone(), after["version"].clone()), (before["state"].clone(), before["version"].clone()), "nothing changed");
    let own_origin = h.api.base.clone();
    let started = with_cookie(&h, "POST", &call, &session, Some(&session.csrf), Some(&own_origin)).await.ok(200);
    assert_eq!(started["state"], "call_invited");

    // A cookie is not a bearer token and a bearer token is not a cookie: each works only the
    // way it was issued, so a script's token cannot skip the CSRF check from a page, nor a
    // cookie value be replayed outside the browser's SameSite rules.
    let token = h.api.reviewer_sign_in(MANAGER, REVIEWER_PASSWORD).await;
    let cookie_value = session.cookie.split_once('=').expect("name=value").1;
    refused(&h.api.get("/v1/review/requests", Some(cookie_value)).await, 401, "REVIEWER_AUTH_INVALID");
    let as_cookie = CookieSession { cookie: format!("identity_pass_reviewer={token}"), csrf: String::new(), set_cookie: String::new() };
    refused(&with_cookie(&h, "GET", "/v1/review/requests", &as_cookie, None, None).await, 401, "REVIEWER_AUTH_INVALID");
}

#[tokio::test]
async fn a_reviewer_sees_and_acts_on_only_their_reports_and_their_delegators_reports() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    let omar = h.api.reviewer_sign_in(SEED_SECOND_REVIEWER, REVIEWER_PASSWORD).await;
    let admin = h.api.reviewer_sign_in(SEED_ADMIN, REVIEWER_PASSWORD).await;
    let contract = Contract::load();
    let not_theirs = |token: String| {
        let h = &h;
        let id = id.clone();
        async move {
            assert_eq!(h.api.get("/v1/review/requests", Some(&token)).await.ok(200)["requests"], json!([]), "an empty queue");
            for kind in ["evidence", "selfie", "badge-photo", "liveness-capture"] {
                refused(&h.api.get(&format!("/v1/review/requests/{id}/{kind}"), Some(&token)).await, 404, "REQUEST_NOT_FOUND");
            }
            refused(&h.api.post(&format!("/v1/review/requests/{id}/call"), Some(&token), &json!({})).await, 404, "REQUEST_NOT_FOUND");
        }
    };
    // Omar manages nobody seeded; the administrator reviews nobody.
    not_theirs(omar.clone()).await;
    not_theirs(admin.clone()).await;
    let queue = h.api.get("/v1/review/requests", h.api.reviewer()).await.ok(200);
    assert_eq!(queue["requests"][0]["request_id"], id.as_str(), "Maria is Alice's manager");

    // Maria hands her reviews to Omar: he now sees Alice's request and can act on it.
    let granted = h.api.post("/v1/review/delegations", h.api.reviewer(), &json!({ "delegate_upn": "Omar@contoso.example" })).await;
    contract.check("POST", "/v1/review/delegations", 200, &granted.body);
    assert_eq!(granted.ok(200), json!({ "delegates": [SEED_SECOND_REVIEWER], "delegated_by": [] }));
    let his = h.api.get("/v1/review/delegations", Some(&omar)).await.ok(200);
    assert_eq!(his, json!({ "delegates": [], "delegated_by": [MANAGER] }));
    assert_eq!(h.api.get("/v1/review/requests", Some(&omar)).await.ok(200)["requests"][0]["request_id"], id.as_str());
    h.api.get(&format!("/v1/review/requests/{id}/evidence"), Some(&omar)).await.ok(200);
    let called = h.api.post(&format!("/v1/review/requests/{id}/call"), Some(&omar), &json!({})).await.ok(200);
    assert_eq!(called["state"], "call_invited");

    // She takes it back: he is out again; she still reviews.
    let revoked = h.api.post("/v1/review/delegations/revocation", h.api.reviewer(), &json!({ "delegate_upn": SEED_SECOND_REVIEWER })).await;
    assert_eq!(revoked.ok(200), json!({ "delegates": [], "delegated_by": [] }));
    not_theirs(omar.clone()).await;
    h.api.review(&id, "join", &json!({})).await.ok(200);

    // Delegating to nobody, to oneself or to an administrator is refused.
    for (delegate, code) in [("ghost@contoso.example", "DELEGATE_UNKNOWN"), (MANAGER, "DELEGATE_IS_SELF"), (SEED_ADMIN, "DELEGATE_UNKNOWN")]
    {
        let answer = h.api.post("/v1/review/delegations", h.api.reviewer(), &json!({ "delegate_upn": delegate })).await;
        refused(&answer, 422, code);
        contract.check("POST", "/v1/review/delegations", 422, &answer.body);
    }

    // Revoking Verified IDs: the person's reviewer or an administrator, nobody else.
    let revocation = json!({ "upn": "alice@contoso.example", "reason": "phone lost" });
    let stranger = h.api.post("/v1/review/verified-ids/revocation", Some(&omar), &revocation).await;
    refused(&stranger, 403, "PERSON_NOT_ASSIGNED");
    contract.check("POST", "/v1/review/verified-ids/revocation", 403, &stranger.body);
    h.api.post("/v1/review/verified-ids/revocation", h.api.reviewer(), &revocation).await.ok(200);
    h.api.post("/v1/review/verified-ids/revocation", Some(&admin), &revocation).await.ok(200);
}

#[tokio::test]
async fn every_reviewer_action_is_in_the_audit_log_that_only_an_administrator_reads() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    let omar = h.api.reviewer_sign_in(SEED_SECOND_REVIEWER, REVIEWER_PASSWORD).await;
    // A refused action by somebody else is not an action.
    h.api.post(&format!("/v1/review/requests/{id}/call"), Some(&omar), &json!({})).await;
    refused(
        &h.api.post("/v1/review/tokens", None, &json!({ "upn": "Mallory@contoso.example", "password": "guess" })).await,
        401,
        "REVIEWER_SIGN_IN_FAILED",
    );
    h.api.get(&format!("/v1/review/requests/{id}/evidence"), h.api.reviewer()).await.ok(200);
    h.api.get(&format!("/v1/review/requests/{id}/selfie"), h.api.reviewer()).await;
    h.api.review(&id, "call", &json!({})).await.ok(200);
    h.api.review(&id, "join", &json!({})).await.ok(200);
    h.clock.advance(15);
    h.api.review(&id, "leave", &json!({})).await.ok(200);
    h.api.review(&id, "decision", &json!({ "decision": "approve" })).await.ok(200);

    let contract = Contract::load();
    let not_admin = h.api.get("/v1/admin/audit-log", h.api.reviewer()).await;
    refused(&not_admin, 403, "ADMIN_REQUIRED");
    contract.check("GET", "/v1/admin/audit-log", 403, &not_admin.body);
    let admin = h.api.reviewer_sign_in(SEED_ADMIN, REVIEWER_PASSWORD).await;
    let page = h.api.get("/v1/admin/audit-log", Some(&admin)).await;
    contract.check("GET", "/v1/admin/audit-log", 200, &page.body);
    let page = page.ok(200);
    let entries: Vec<(String, String, Option<String>)> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or("").to_owned(),
                e["action"].as_str().unwrap_or("").to_owned(),
                e["request_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let on_request = |action: &str| (MANAGER.to_owned(), action.to_owned(), Some(id.clone()));
    let expected = vec![
        (MANAGER.to_owned(), "signed_in".to_owned(), None),
        (SEED_SECOND_REVIEWER.to_owned(), "signed_in".to_owned(), None),
        ("mallory@contoso.example".to_owned(), "sign_in_failed".to_owned(), None),
        on_request("evidence_viewed"),
        on_request("selfie_viewed"),
        on_request("call_started"),
        on_request("user_joined"),
        on_request("user_left"),
        on_request("approved"),
        (SEED_ADMIN.to_owned(), "signed_in".to_owned(), None),
    ];
    assert_eq!(entries, expected);
    let times: Vec<&str> = page["entries"].as_array().expect("entries").iter().filter_map(|e| e["at"].as_str()).collect();
    assert_eq!(times[8], "2026-11-21T09:00:15Z", "the approval is dated in service time");

    // Read on from where the page ended: the read itself was audited.
    let next = h.api.get(&format!("/v1/admin/audit-log?after={}&limit=1", page["next_after"]), Some(&admin)).await.ok(200);
    assert_eq!(next["entries"].as_array().map(Vec::len), Some(1));
    assert_eq!((next["entries"][0]["actor"].as_str(), next["entries"][0]["action"].as_str()), (Some(SEED_ADMIN), Some("audit_log_read")));
    refused(&h.api.get("/v1/admin/audit-log?after=-1", Some(&admin)).await, 400, "INVALID_QUERY");
}

#[tokio::test]
async fn signing_out_or_the_end_of_the_day_ends_a_session() {
    let h = start().await;
    let session = console_sign_in(&h, MANAGER, REVIEWER_PASSWORD).await.unwrap_or_else(|a| panic!("signs in: {}", a.body));
    let response = h
        .api
        .http
        .post(format!("{}/v1/review/session/sign-out", h.api.base))
        .header("Idempotency-Key", fresh_key())
        .header("Cookie", &session.cookie)
        .header("X-CSRF-Token", &session.csrf)
        .send()
        .await
        .expect("sent");
    let cleared = set_cookie(response.headers());
    let answer = answer_of_response(response).await;
    Contract::load().check("POST", "/v1/review/session/sign-out", answer.status.as_u16(), &answer.body);
    assert_eq!(answer.ok(200), json!({ "signed_out": true }));
    assert!(cleared.starts_with("identity_pass_reviewer=;") && cleared.contains("Max-Age=0"), "{cleared}");
    refused(&with_cookie(&h, "GET", "/v1/review/requests", &session, None, None).await, 401, "REVIEWER_AUTH_INVALID");

    // A bearer token lasts a working day, then the purge forgets it.
    let token = h.api.reviewer_sign_in(MANAGER, REVIEWER_PASSWORD).await;
    h.clock.advance(8 * 60 * 60 - 1);
    h.api.get("/v1/review/requests", Some(&token)).await.ok(200);
    h.clock.advance(1);
    refused(&h.api.get("/v1/review/requests", Some(&token)).await, 401, "REVIEWER_AUTH_INVALID");
    assert!(h.service.purge_now().expect("purge").reviewer_sessions >= 2, "the harness's session and this one");
    assert_eq!(h.service.count_rows("reviewer_sessions").expect("count"), 0);
}

#[tokio::test]
async fn console_pages_send_a_strict_content_security_policy_and_nothing_inline() {
    let h = start().await;
    for (path, content_type) in [("/console", "text/html"), ("/console/app.js", "text/javascript"), ("/console/app.css", "text/css")] {
        let response = h.api.http.get(format!("{}{path}", h.api.base)).send().await.expect("sent");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(header("content-type").starts_with(content_type), "{path}");
        let policy = header("content-security-policy");
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ] {
            assert!(policy.contains(directive), "{path}: {directive} missing from {policy}");
        }
        assert!(!policy.contains("unsafe"), "{path}: {policy}");
        assert_eq!((header("x-frame-options"), header("x-content-type-options")), ("DENY".to_owned(), "nosniff".to_owned()), "{path}");
        let text = response.text().await.expect("body");
        if path == "/console" {
            // Everything the page runs or styles comes from the two files the policy allows.
            assert!(!text.contains("<style") && !text.contains(" style=") && !text.contains(" on"), "inline style or handler in the page");
            assert_eq!(text.matches("<script").count(), text.matches("<script src=").count(), "inline script in the page");
        }
        assert!(!text.contains("Bearer"), "{path}: the console holds no bearer token");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_sent_at_once_cannot_outrun_the_lock() {
    let h = start().await;
    let guesses = (0..20).map(|i| {
        let api = h.api.clone();
        async move { api.post("/v1/review/tokens", None, &json!({ "upn": MANAGER, "password": format!("guess {i}") })).await }
    });
    let answers = all_at_once(guesses).await;
    let failed = answers.iter().filter(|a| a.code() == "REVIEWER_SIGN_IN_FAILED").count();
    let locked = answers.iter().filter(|a| a.code() == "REVIEWER_SIGN_IN_LOCKED").count();
    assert_eq!((failed, locked), (5, 15), "each attempt is counted before its password is hashed");
}
