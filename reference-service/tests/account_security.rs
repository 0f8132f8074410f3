//! After the TAP (issue 13): the user signs in with the TAP on the phone and secures the
//! account — the 10-minute window of a one-time pass on the manual clock, the policy served,
//! each refusal leaving the state as it was, and a database that never holds a secret in clear.

mod common;

use common::contract::Contract;
use common::*;
use identity_pass_service::Clock;
use serde_json::{Value, json};

fn checked(method: &str, path: &str, answer: &Answer) {
    Contract::load().check(method, path, answer.status.as_u16(), &answer.body);
}

#[tokio::test]
async fn signing_in_with_the_tap_opens_a_session_with_a_ten_minute_window() {
    let h = start().await;
    let api = &h.api;
    let (device, id, code) = alice_with_tap(&h).await;
    let info_path = format!("/v1/requests/{id}/security-info");
    let sign_in = format!("/v1/requests/{id}/tap/sign-in");

    // Nothing before the sign-in; a wrong or missing code is refused and spends nothing.
    let before = api.get(&info_path, Some(&device)).await;
    assert_eq!((before.status.as_u16(), before.code()), (409, "ACCOUNT_SIGN_IN_REQUIRED"));
    checked("GET", "/v1/requests/{id}/security-info", &before);
    for body in [json!({ "temporaryAccessPass": "WRONGONE" }), json!({})] {
        let wrong = api.post(&sign_in, Some(&device), &body).await;
        assert_eq!((wrong.status.as_u16(), wrong.code()), (401, "TAP_SIGN_IN_REFUSED"));
    }
    let tap = api.get(&format!("/v1/requests/{id}/tap"), Some(&device)).await.ok(200);
    assert_eq!((tap["isUsable"].clone(), tap["signedInAt"].clone()), (json!(true), Value::Null));
    assert_eq!(h.service.count_rows("account_sessions").expect("count"), 0);

    h.clock.advance(60);
    let signed_in = api.post(&sign_in, Some(&device), &json!({ "temporaryAccessPass": code })).await;
    checked("POST", "/v1/requests/{id}/tap/sign-in", &signed_in);
    let info = signed_in.ok(200);
    assert_eq!(info["upn"], "alice@contoso.example");
    assert_eq!(info["signed_in_at"], "2026-11-21T09:01:15Z");
    assert_eq!(info["registration_deadline"], "2026-11-21T09:11:15Z", "ten minutes after a one-time sign-in");
    assert_eq!(info["session_expires_at"], "2026-11-21T09:30:15Z", "the TAP's expiry (issued 09:00:15, 30 min)");
    assert_eq!((info["password_set"].clone(), info["complete"].clone()), (json!(false), json!(false)));
    assert_eq!(info["methods"], json!([]));
    assert_eq!(info["policy"]["methods"], json!(["authenticator_app", "sms", "voice"]));
    assert_eq!(info["policy"]["security_questions"]["count"], 4);
    let questions = info["policy"]["security_questions"]["questions"].as_array().expect("questions");
    assert!(questions.len() >= 8);
    assert!(
        questions
            .iter()
            .all(|q| !q["text"]["en"].as_str().unwrap_or("").is_empty() && !q["text"]["zh-Hans"].as_str().unwrap_or("").is_empty())
    );
    let tap = api.get(&format!("/v1/requests/{id}/tap"), Some(&device)).await.ok(200);
    assert_eq!((tap["methodUsabilityReason"].clone(), tap["signedInAt"].clone()), (json!("OneTimeUsed"), json!("2026-11-21T09:01:15Z")));
    let again = api.post(&sign_in, Some(&device), &json!({ "temporaryAccessPass": code })).await;
    assert_eq!((again.status.as_u16(), again.code()), (401, "TAP_SIGN_IN_REFUSED"), "a one-time pass signs in once");

    // Another device (or nobody's) sees no session of its own.
    let stranger = api.register_device().await;
    assert_eq!(api.get(&info_path, Some(&stranger)).await.code(), "REQUEST_NOT_FOUND");

    // The window: fine at 9:59, closed at 10:00 with no method, and it stays closed.
    h.clock.advance(599);
    api.get(&info_path, Some(&device)).await.ok(200);
    h.clock.advance(1);
    let closed = api.get(&info_path, Some(&device)).await;
    assert_eq!((closed.status.as_u16(), closed.code()), (409, "REGISTRATION_WINDOW_CLOSED"));
    checked("GET", "/v1/requests/{id}/security-info", &closed);
    h.clock.advance(600);
    assert_eq!(api.get(&info_path, Some(&device)).await.code(), "REGISTRATION_WINDOW_CLOSED");
}

#[tokio::test]
async fn a_sign_in_elsewhere_is_recorded_the_same_way_but_opens_no_session_on_the_phone() {
    let h = start().await;
    let api = &h.api;
    let (device, id, code) = alice_with_tap(&h).await;
    api.post("/v1/tap/sign-in", None, &json!({ "upn": "alice@contoso.example", "temporaryAccessPass": code })).await.ok(200);
    assert_eq!(h.service.count_rows("account_sessions").expect("count"), 1);
    let tap = api.get(&format!("/v1/requests/{id}/tap"), Some(&device)).await.ok(200);
    assert_eq!(tap["signedInAt"], "2026-11-21T09:00:15Z");
    let info = api.get(&format!("/v1/requests/{id}/security-info"), Some(&device)).await;
    assert_eq!((info.status.as_u16(), info.code()), (409, "ACCOUNT_SIGN_IN_REQUIRED"));
    let on_phone = api.post(&format!("/v1/requests/{id}/tap/sign-in"), Some(&device), &json!({ "temporaryAccessPass": code })).await;
    assert_eq!(on_phone.code(), "TAP_SIGN_IN_REFUSED", "the one-time pass was spent elsewhere");
}

#[tokio::test]
async fn a_resent_sign_in_is_answered_from_its_key_not_refused_as_a_second_use() {
    let h = start().await;
    let api = &h.api;
    let (device, id, code) = alice_with_tap(&h).await;
    let path = format!("/v1/requests/{id}/tap/sign-in");
    let key = fresh_key();
    let first = api.post_keyed(&path, Some(&device), &key, &json!({ "temporaryAccessPass": code })).await.ok(200);
    let resent = api.post_keyed(&path, Some(&device), &key, &json!({ "temporaryAccessPass": code })).await;
    assert!(resent.replayed);
    assert_eq!(resent.ok(200)["signed_in_at"], first["signed_in_at"]);
    assert_eq!(h.service.count_rows("account_sessions").expect("count"), 1);
}

/// Posts the password page's form as a browser does: (status, page).
async fn post_password_form(h: &Harness, fields: &[(&str, &str)]) -> (u16, String) {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let response = http_client()
        .post(format!("{}/account/password", h.api.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("sent");
    (response.status().as_u16(), response.text().await.expect("page"))
}

fn ticket_of(url: &str) -> String {
    url.split_once("ticket=").expect("a ticket").1.to_owned()
}

#[tokio::test]
async fn the_password_page_takes_the_password_once_and_the_app_sees_it_set() {
    let h = start().await;
    let api = &h.api;
    let (device, id, info_path) = alice_signed_in(&h).await;
    let path = format!("{info_path}/password-page");
    let key = fresh_key();
    let link = api.post_keyed(&path, Some(&device), &key, &json!({})).await;
    checked("POST", "/v1/requests/{id}/security-info/password-page", &link);
    let link = link.ok(200);
    let url = link["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with(&format!("{}/account/password?ticket=", api.base)), "{url}");
    assert_eq!(link["expires_at"], "2026-11-21T09:15:15Z");
    let replay = api.post_keyed(&path, Some(&device), &key, &json!({})).await;
    assert!(replay.replayed && replay.body["url"].is_null(), "the ticket is not kept for replays: {}", replay.body);

    let page = http_client().get(&url).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let csp = page.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    assert!(csp.starts_with("default-src 'none'") && csp.contains("form-action 'self'") && !csp.contains("script-src"), "{csp}");
    assert!(page.text().await.expect("html").contains("<form method=\"post\" action=\"/account/password\">"));
    let gone = http_client().get(format!("{}/account/password?ticket=nope", api.base)).send().await.expect("page");
    assert_eq!(gone.status().as_u16(), 410);

    let ticket = ticket_of(&url);
    for (password, confirmation, reason) in [
        ("correct horse battery", "correct horse batterY", "differ"),
        ("short", "short", "12–256"),
        ("alice in wonderland", "alice in wonderland", "your name"),
    ] {
        let (status, html) = post_password_form(&h, &[("ticket", &ticket), ("password", password), ("confirmation", confirmation)]).await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains(reason), "{html}");
        assert!(!html.contains(password), "the page does not echo the password");
        assert_eq!(api.get(&info_path, Some(&device)).await.ok(200)["password_set"], false, "a refusal changes nothing");
    }
    let fields = [("ticket", ticket.as_str()), ("password", "correct horse battery"), ("confirmation", "correct horse battery")];
    let (status, html) = post_password_form(&h, &fields).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(api.get(&info_path, Some(&device)).await.ok(200)["password_set"], true);
    let (again, _) = post_password_form(&h, &fields).await;
    assert_eq!(again, 410, "the ticket is spent");
    let _ = id;

    // Spent and expired tickets go a day after their end; the password stays.
    h.clock.advance(15 * 60 + 24 * 3600);
    let report = h.service.purge_now().expect("purge");
    assert_eq!(report.account_security_records, 1, "the one ticket (the replay made none)");
    assert_eq!(h.service.count_rows("password_tickets").expect("count"), 0);
    assert_eq!(h.service.count_rows("account_secrets").expect("count"), 1);
}

/// What a standard authenticator app shows for `uri` at `now` (RFC 6238 with the URI's
/// parameters), computed here independently of the service's code.
fn app_code(uri: &str, now: i64) -> String {
    let query = url::Url::parse(uri).expect("uri");
    let parameter = |name: &str| query.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()).expect(name);
    assert_eq!((parameter("algorithm"), parameter("digits"), parameter("period")), ("SHA1".into(), "6".into(), "30".into()));
    let secret = identity_pass_core::testing::base32_decode(&parameter("secret"));
    assert!(secret.len() >= 20, "at least 160 bits");
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &secret);
    let mac = ring::hmac::sign(&key, &(now / 30).to_be_bytes());
    let mac = mac.as_ref();
    let offset = (mac[19] & 0x0f) as usize;
    let word = u32::from_be_bytes([mac[offset] & 0x7f, mac[offset + 1], mac[offset + 2], mac[offset + 3]]);
    format!("{:06}", word % 1_000_000)
}

/// Starts an activation: (activation id, otpauth URI, activation code).
async fn start_app(h: &Harness, device: &str, info_path: &str) -> (String, String, String) {
    let answer = h.api.post(&format!("{info_path}/authenticator-app"), Some(device), &json!({})).await;
    checked("POST", "/v1/requests/{id}/security-info/authenticator-app", &answer);
    let body = answer.ok(200);
    let text = |name: &str| body[name].as_str().expect(name).to_owned();
    (text("activation_id"), text("otpauth_uri"), text("activation_code"))
}

async fn verify_app(h: &Harness, device: &str, info_path: &str, activation: &str, code: &str) -> Answer {
    let path = format!("{info_path}/authenticator-app/{activation}/verification");
    let answer = h.api.post(&path, Some(device), &json!({ "code": code })).await;
    checked("POST", "/v1/requests/{id}/security-info/authenticator-app/{activation_id}/verification", &answer);
    answer
}

#[tokio::test]
async fn the_authenticator_app_is_registered_with_a_current_code_that_works_only_once() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let (activation, uri, activation_code) = start_app(&h, &device, &info_path).await;
    assert!(uri.starts_with("otpauth://totp/Identity%20Pass:alice%40contoso.example?secret="), "{uri}");
    assert!(uri.contains("&issuer=Identity%20Pass&algorithm=SHA1&digits=6&period=30"), "{uri}");
    assert_eq!(activation_code.len(), 9);

    let right = app_code(&uri, h.clock.now());
    let wrong = if right == "000000" { "000001" } else { "000000" };
    let refused = verify_app(&h, &device, &info_path, &activation, wrong).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "VERIFICATION_CODE_INVALID"));
    assert_eq!(h.api.get(&info_path, Some(&device)).await.ok(200)["methods"], json!([]), "a wrong code registers nothing");
    let unknown = verify_app(&h, &device, &info_path, "act_nope", &right).await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (404, "VERIFICATION_NOT_FOUND"));

    // A code one step old still counts (typing takes time); it registers the app.
    h.clock.advance(30);
    let info = verify_app(&h, &device, &info_path, &activation, &right).await.ok(200);
    assert_eq!(info["methods"][0]["kind"], "authenticator_app");
    assert_eq!(info["registration_deadline"], Value::Null, "a method is registered: the window no longer applies");
    let replayed = verify_app(&h, &device, &info_path, &activation, &right).await;
    assert_eq!((replayed.status.as_u16(), replayed.code()), (422, "VERIFICATION_CODE_INVALID"), "an accepted code never counts twice");
    assert_eq!(h.service.count_rows("auth_methods").expect("count"), 1);

    // The window passes: with a method registered the session goes on.
    h.clock.advance(700);
    h.api.get(&info_path, Some(&device)).await.ok(200);
}

#[tokio::test]
async fn an_activation_dies_after_five_wrong_codes_or_ten_minutes_and_its_code_gives_the_uri_once() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let (activation, uri, activation_code) = start_app(&h, &device, &info_path).await;
    let right = app_code(&uri, h.clock.now());
    let wrong = if right == "123456" { "654321" } else { "123456" };
    for attempt in 1..=5 {
        let refused = verify_app(&h, &device, &info_path, &activation, wrong).await;
        let expected = if attempt < 5 { (422, "VERIFICATION_CODE_INVALID") } else { (429, "VERIFICATION_ATTEMPTS_EXCEEDED") };
        assert_eq!((refused.status.as_u16(), refused.code()), expected, "attempt {attempt}");
    }
    let dead = verify_app(&h, &device, &info_path, &activation, &right).await;
    assert_eq!((dead.status.as_u16(), dead.code()), (429, "VERIFICATION_ATTEMPTS_EXCEEDED"), "even the right code, once dead");

    // Another device's app trades the activation code for the same URI, once.
    let base = h.api.base.clone();
    let activate = |code: String| {
        let url = format!("{base}/mfa/activate");
        async move {
            let response = http_client().post(url).json(&json!({ "activation_code": code })).send().await;
            let response = response.expect("sent");
            (response.status().as_u16(), response.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (second, second_uri, second_code) = start_app(&h, &device, &info_path).await;
    let (status, body) = activate(second_code.clone()).await;
    assert_eq!((status, body["otpauth_uri"].as_str()), (200, Some(second_uri.as_str())));
    assert_eq!(activate(second_code).await.0, 404, "given once");
    assert_eq!(activate(activation_code).await.0, 404);

    // A third activation registers the app (so the one-time TAP's window no longer applies);
    // the second, left waiting, expires after its 10 minutes.
    let (third, third_uri, _) = start_app(&h, &device, &info_path).await;
    verify_app(&h, &device, &info_path, &third, &app_code(&third_uri, h.clock.now())).await.ok(200);
    h.clock.advance(600);
    let expired = verify_app(&h, &device, &info_path, &second, &app_code(&second_uri, h.clock.now())).await;
    assert_eq!((expired.status.as_u16(), expired.code()), (410, "VERIFICATION_EXPIRED"));
    assert_eq!(h.service.count_rows("auth_methods").expect("count"), 1);
}

#[tokio::test]
async fn a_pin_must_follow_the_policy_and_differ_from_the_previous_one() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let path = format!("{info_path}/pin");
    for (pin, confirmation, code) in [
        ("4826", "4827", "PIN_MISMATCH"),
        ("48a6", "48a6", "PIN_NOT_DIGITS"),
        ("482", "482", "PIN_POLICY_LENGTH"),
        ("482604826", "482604826", "PIN_POLICY_LENGTH"),
        ("7777", "7777", "PIN_REPEATED_DIGITS"),
        ("4000", "4000", "PIN_REPEATED_DIGITS"),
        ("1234", "1234", "PIN_SEQUENTIAL_DIGITS"),
        ("9876", "9876", "PIN_SEQUENTIAL_DIGITS"),
    ] {
        let refused = h.api.post(&path, Some(&device), &json!({ "pin": pin, "confirmation": confirmation })).await;
        checked("POST", "/v1/requests/{id}/security-info/pin", &refused);
        assert_eq!((refused.status.as_u16(), refused.code()), (422, code), "{pin}");
        assert_eq!(h.api.get(&info_path, Some(&device)).await.ok(200)["pin_set"], false, "{pin} changed nothing");
    }
    let set = h.api.post(&path, Some(&device), &json!({ "pin": "4826", "confirmation": "4826" })).await;
    checked("POST", "/v1/requests/{id}/security-info/pin", &set);
    assert_eq!(set.ok(200)["pin_set"], true);
    let same = h.api.post(&path, Some(&device), &json!({ "pin": "4826", "confirmation": "4826" })).await;
    assert_eq!((same.status.as_u16(), same.code()), (422, "PIN_PREVIOUS"));
    h.api.post(&path, Some(&device), &json!({ "pin": "5937", "confirmation": "5937" })).await.ok(200);
}

fn four_answers(answer: &str) -> Value {
    let ids = ["first_school", "first_pet", "birth_city", "first_job"];
    Value::Array(ids.iter().map(|id| json!({ "question_id": id, "answer": format!("{answer} {id}") })).collect())
}

#[tokio::test]
async fn exactly_four_distinct_known_questions_are_answered_and_can_be_answered_again() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let path = format!("{info_path}/security-questions");
    let mut duplicate = four_answers("Ada");
    duplicate[1]["question_id"] = json!("first_school");
    let mut unknown = four_answers("Ada");
    unknown[0]["question_id"] = json!("favourite_colour");
    let mut short = four_answers("Ada");
    short[2]["answer"] = json!("  X  ");
    let mut five = four_answers("Ada");
    five.as_array_mut().expect("array").push(json!({ "question_id": "first_street", "answer": "Elm Street" }));
    let three = Value::Array(four_answers("Ada").as_array().expect("array")[..3].to_vec());
    for (answers, code) in [
        (three, "SECURITY_QUESTIONS_TOO_FEW"),
        (five, "SECURITY_QUESTIONS_TOO_FEW"),
        (duplicate, "SECURITY_QUESTIONS_DUPLICATE"),
        (unknown, "SECURITY_QUESTION_UNKNOWN"),
        (short, "SECURITY_ANSWER_TOO_SHORT"),
    ] {
        let refused = h.api.post(&path, Some(&device), &json!({ "answers": answers })).await;
        checked("POST", "/v1/requests/{id}/security-info/security-questions", &refused);
        assert_eq!((refused.status.as_u16(), refused.code()), (422, code));
        assert_eq!(h.api.get(&info_path, Some(&device)).await.ok(200)["security_questions_set"], false);
    }
    assert_eq!(h.service.count_rows("security_answers").expect("count"), 0);
    let set = h.api.post(&path, Some(&device), &json!({ "answers": four_answers("Ada") })).await;
    checked("POST", "/v1/requests/{id}/security-info/security-questions", &set);
    assert_eq!(set.ok(200)["security_questions_set"], true);
    let mut others = four_answers("Grace");
    others[3]["question_id"] = json!("first_street");
    h.api.post(&path, Some(&device), &json!({ "answers": others })).await.ok(200);
    assert_eq!(h.service.count_rows("security_answers").expect("count"), 4, "setting again replaces all four");
}

/// Every text and blob in every column of every table of the service's database.
fn every_stored_value(db: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let connection = rusqlite::Connection::open(db).expect("open the database");
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("names");
    let mut values = Vec::new();
    for table in tables {
        let mut query = connection.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select");
        let columns: Vec<String> = query.column_names().map(str::to_owned).collect();
        let mut rows = query.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            for (index, column) in columns.iter().enumerate() {
                let bytes = match row.get_ref(index).expect("value") {
                    rusqlite::types::ValueRef::Text(text) | rusqlite::types::ValueRef::Blob(text) => text.to_vec(),
                    rusqlite::types::ValueRef::Integer(n) => n.to_string().into_bytes(),
                    _ => continue,
                };
                values.push((format!("{table}.{column}"), bytes));
            }
        }
    }
    values
}

#[tokio::test]
async fn the_whole_path_from_the_tap_to_a_secured_account_keeps_no_secret_in_clear() {
    let h = start().await;
    let api = &h.api;
    let (device, _, info_path) = alice_signed_in(&h).await;

    // The authenticator app, verified with the code a standard app computes from the URI.
    let (activation, uri, _) = start_app(&h, &device, &info_path).await;
    let info = verify_app(&h, &device, &info_path, &activation, &app_code(&uri, h.clock.now())).await.ok(200);
    assert_eq!(info["complete"], false, "the password and the questions are still to do");
    // The questions, the PIN, the password on its page.
    api.post(&format!("{info_path}/security-questions"), Some(&device), &json!({ "answers": four_answers("Zanzibar Lighthouse") }))
        .await
        .ok(200);
    api.post(&format!("{info_path}/pin"), Some(&device), &json!({ "pin": "48260513", "confirmation": "48260513" })).await.ok(200);
    let link = api.post(&format!("{info_path}/password-page"), Some(&device), &json!({})).await.ok(200);
    let ticket = ticket_of(link["url"].as_str().expect("url"));
    let password = "Quixotic Marmalade Orbit 42";
    let (status, _) = post_password_form(&h, &[("ticket", &ticket), ("password", password), ("confirmation", password)]).await;
    assert_eq!(status, 200);
    let info = api.get(&info_path, Some(&device)).await.ok(200);
    assert_eq!(
        (&info["password_set"], &info["pin_set"], &info["security_questions_set"], &info["complete"]),
        (&json!(true), &json!(true), &json!(true), &json!(true)),
        "{info}"
    );
    assert_eq!(info["methods"].as_array().map(Vec::len), Some(1));

    // Nothing typed or generated as a secret is in the database in clear.
    let query = url::Url::parse(&uri).expect("uri");
    let secret_base32 = query.query_pairs().find(|(k, _)| k == "secret").map(|(_, v)| v.into_owned()).expect("secret");
    let secret = identity_pass_core::testing::base32_decode(&secret_base32);
    let data_key = std::fs::read(identity_pass_service::data_key_path(&h.service.db_path)).expect("the data key file");
    assert_eq!(data_key.len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(identity_pass_service::data_key_path(&h.service.db_path)).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the data key is the owner's only");
    }
    let mut needles: Vec<(&str, Vec<u8>)> = vec![
        ("PIN", b"48260513".to_vec()),
        ("password", password.as_bytes().to_vec()),
        ("password, lower-cased", password.to_lowercase().into_bytes()),
        ("answer", b"zanzibar lighthouse".to_vec()),
        ("answer as typed", b"Zanzibar Lighthouse".to_vec()),
        ("TOTP secret", secret.clone()),
        ("TOTP secret, base32", secret_base32.clone().into_bytes()),
        ("TOTP secret, hex", secret.iter().map(|b| format!("{b:02x}")).collect::<String>().into_bytes()),
        ("data key", data_key.clone()),
        ("password ticket", ticket.clone().into_bytes()),
    ];
    needles.push(("otpauth URI", uri.clone().into_bytes()));
    let values = every_stored_value(&h.service.db_path);
    assert!(values.len() > 50, "the scan read the database: {} values", values.len());
    for (what, needle) in &needles {
        for (column, value) in &values {
            assert!(!value.windows(needle.len()).any(|w| w == needle.as_slice()), "{what} in clear in {column}");
        }
    }
    let hashes: Vec<&String> = values.iter().map(|(c, _)| c).filter(|c| c.ends_with("_hash")).collect();
    assert!(hashes.iter().any(|c| *c == "account_secrets.pin_hash") && hashes.iter().any(|c| *c == "security_answers.answer_hash"));
    let argon2 = |column: &str| values.iter().filter(|(c, _)| c == column).all(|(_, v)| v.starts_with(b"$argon2id$"));
    assert!(argon2("account_secrets.pin_hash") && argon2("account_secrets.password_hash") && argon2("security_answers.answer_hash"));
}

/// The development outbox's messages.
async fn outbox(h: &Harness) -> Vec<Value> {
    let answer = h.api.get("/v1/dev/outbox", None).await;
    checked("GET", "/v1/dev/outbox", &answer);
    answer.ok(200)["messages"].as_array().expect("messages").clone()
}

/// The code in the newest text message.
async fn last_texted_code(h: &Harness) -> String {
    let messages = outbox(h).await;
    let text = messages.iter().rev().find(|m| m["kind"] == "sms").expect("a text")["text"].as_str().expect("text").to_owned();
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a 6-digit code").to_owned()
}

async fn phone_post(h: &Harness, device: &str, path: &str, template: &str, body: &Value) -> Answer {
    let answer = h.api.post(path, Some(device), body).await;
    checked("POST", template, &answer);
    answer
}

#[tokio::test]
async fn a_text_message_code_registers_the_number_with_limited_attempts_resends_and_lifetime() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let start_path = format!("{info_path}/phone");
    let start_template = "/v1/requests/{id}/security-info/phone";
    for body in [
        json!({ "delivery": "sms", "phone_number": "0151 1234 5678" }),
        json!({ "delivery": "sms", "phone_number": "+49 151 CALL ME" }),
        json!({ "delivery": "sms", "phone_number": "+49 151 1234 5678", "extension": "12" }),
    ] {
        let refused = phone_post(&h, &device, &start_path, start_template, &body).await;
        assert_eq!((refused.status.as_u16(), refused.code()), (400, "PHONE_NUMBER_INVALID"), "{body}");
    }
    assert_eq!(h.service.count_rows("phone_verifications").expect("count"), 0, "refusals send nothing");
    assert!(outbox(&h).await.is_empty());

    let started = phone_post(&h, &device, &start_path, start_template, &json!({ "delivery": "sms", "phone_number": "+49 151 1234-5678" }))
        .await
        .ok(200);
    assert_eq!((started["phone_number"].clone(), started["status"].clone()), (json!("+4915112345678"), json!("pending")));
    assert_eq!((started["attempts_left"].clone(), started["expires_at"].clone()), (json!(5), json!("2026-11-21T09:05:15Z")));
    let vid = started["verification_id"].as_str().expect("id").to_owned();
    let path = |tail: &str| format!("{info_path}/phone/{vid}{tail}");
    let first_code = last_texted_code(&h).await;
    assert_eq!(outbox(&h).await[0]["to"], "+4915112345678");

    // Sending again: not within 30 s, then twice more, then no more.
    let resend_template = "/v1/requests/{id}/security-info/phone/{verification_id}/resend";
    let too_soon = phone_post(&h, &device, &path("/resend"), resend_template, &json!({})).await;
    assert_eq!((too_soon.status.as_u16(), too_soon.code()), (429, "VERIFICATION_RESEND_TOO_SOON"));
    for _ in 0..2 {
        h.clock.advance(30);
        phone_post(&h, &device, &path("/resend"), resend_template, &json!({})).await.ok(200);
    }
    h.clock.advance(30);
    let limit = phone_post(&h, &device, &path("/resend"), resend_template, &json!({})).await;
    assert_eq!((limit.status.as_u16(), limit.code()), (429, "VERIFICATION_RESEND_LIMIT"));
    assert_eq!(outbox(&h).await.len(), 3);
    let code = last_texted_code(&h).await;

    let verify_template = "/v1/requests/{id}/security-info/phone/{verification_id}/verification";
    if first_code != code {
        let stale = phone_post(&h, &device, &path("/verification"), verify_template, &json!({ "code": first_code })).await;
        assert_eq!((stale.status.as_u16(), stale.code()), (422, "VERIFICATION_CODE_INVALID"), "a resend replaces the code");
    }
    let info = phone_post(&h, &device, &path("/verification"), verify_template, &json!({ "code": code })).await.ok(200);
    assert_eq!(info["methods"][0]["kind"], "sms");
    assert_eq!(info["methods"][0]["phone_number"], "+4915112345678");
    let again = phone_post(&h, &device, &path("/verification"), verify_template, &json!({ "code": code })).await;
    assert_eq!(again.code(), "VERIFICATION_CODE_INVALID", "a code counts once");
    let read = h.api.get(&path(""), Some(&device)).await;
    checked("GET", "/v1/requests/{id}/security-info/phone/{verification_id}", &read);
    assert_eq!(read.ok(200)["status"], "verified");

    // Five wrong codes end a verification; a code lives five minutes.
    let second = phone_post(&h, &device, &start_path, start_template, &json!({ "delivery": "sms", "phone_number": "+44 20 7946 0958" }))
        .await
        .ok(200);
    let second_id = second["verification_id"].as_str().expect("id").to_owned();
    let right = last_texted_code(&h).await;
    let wrong = if right == "000000" { "000001" } else { "000000" };
    let second_path = format!("{info_path}/phone/{second_id}/verification");
    for attempt in 1..=5 {
        let refused = phone_post(&h, &device, &second_path, verify_template, &json!({ "code": wrong })).await;
        let expected = if attempt < 5 { (422, "VERIFICATION_CODE_INVALID") } else { (429, "VERIFICATION_ATTEMPTS_EXCEEDED") };
        assert_eq!((refused.status.as_u16(), refused.code()), expected, "attempt {attempt}");
    }
    let dead = phone_post(&h, &device, &second_path, verify_template, &json!({ "code": right })).await;
    assert_eq!(dead.code(), "VERIFICATION_ATTEMPTS_EXCEEDED");
    let failed = h.api.get(&format!("{info_path}/phone/{second_id}"), Some(&device)).await.ok(200);
    assert_eq!((failed["status"].clone(), failed["attempts_left"].clone()), (json!("failed"), json!(0)));

    let third = phone_post(&h, &device, &start_path, start_template, &json!({ "delivery": "sms", "phone_number": "+1 (425) 555-0123" }))
        .await
        .ok(200);
    let third_code = last_texted_code(&h).await;
    h.clock.advance(300);
    let third_path = format!("{info_path}/phone/{}/verification", third["verification_id"].as_str().expect("id"));
    let expired = phone_post(&h, &device, &third_path, verify_template, &json!({ "code": third_code })).await;
    assert_eq!((expired.status.as_u16(), expired.code()), (410, "VERIFICATION_EXPIRED"));
    assert_eq!(h.service.count_rows("auth_methods").expect("count"), 1);

    // No texted code is in the database in clear.
    let values = every_stored_value(&h.service.db_path);
    for code in [first_code, code, right, third_code] {
        for (column, value) in &values {
            let text = String::from_utf8_lossy(value);
            assert!(
                !(text.contains(&code) && !column.ends_with("_hash") && !column.ends_with("id")),
                "texted code {code} in {column}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn a_voice_call_asks_for_the_pin_and_the_keypad_decides() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let start_path = format!("{info_path}/phone");
    let template = "/v1/requests/{id}/security-info/phone";
    let body =
        json!({ "delivery": "voice", "phone_number": "+49 151 1234 5678", "extension": "12", "backup_phone_number": "+49 30 1234567" });
    let no_pin = phone_post(&h, &device, &start_path, template, &body).await;
    assert_eq!((no_pin.status.as_u16(), no_pin.code()), (409, "PIN_REQUIRED_FIRST"));
    let bad_extension = json!({ "delivery": "voice", "phone_number": "+49 151 1234 5678", "extension": "12a" });
    assert_eq!(phone_post(&h, &device, &start_path, template, &bad_extension).await.code(), "PHONE_NUMBER_INVALID");
    h.api.post(&format!("{info_path}/pin"), Some(&device), &json!({ "pin": "4826", "confirmation": "4826" })).await.ok(200);

    let started = phone_post(&h, &device, &start_path, template, &body).await.ok(200);
    let vid = started["verification_id"].as_str().expect("id").to_owned();
    let call = outbox(&h).await.into_iter().find(|m| m["kind"] == "voice_call").expect("a call");
    assert_eq!((call["to"].clone(), call["status"].clone()), (json!("+4915112345678;ext=12"), json!("waiting_for_keypad")));
    assert!(call["text"].as_str().expect("text").contains("PIN, followed by the pound key"));

    // A wrong PIN fails the call; the status shows it; a resend calls again.
    let keypad = |id: String, digits: &'static str| {
        let api = h.api.clone();
        async move {
            let answer = api.post(&format!("/v1/dev/calls/{id}/keypad"), None, &json!({ "digits": digits })).await;
            checked("POST", "/v1/dev/calls/{id}/keypad", &answer);
            answer
        }
    };
    let wrong = keypad(call["id"].as_str().expect("id").to_owned(), "1111#").await.ok(200);
    assert_eq!(wrong["verification_status"], "failed");
    let again = keypad(call["id"].as_str().expect("id").to_owned(), "4826#").await;
    assert_eq!((again.status.as_u16(), again.code()), (404, "CALL_NOT_FOUND"), "a call is answered once");
    assert_eq!(h.api.get(&format!("{info_path}/phone/{vid}"), Some(&device)).await.ok(200)["status"], "failed");
    assert_eq!(h.api.get(&info_path, Some(&device)).await.ok(200)["methods"], json!([]));
    h.clock.advance(30);
    phone_post(
        &h,
        &device,
        &format!("{info_path}/phone/{vid}/resend"),
        "/v1/requests/{id}/security-info/phone/{verification_id}/resend",
        &json!({}),
    )
    .await
    .ok(200);

    // The page shows the waiting call with a keypad form; typing the PIN and # there verifies.
    let page = http_client().get(format!("{}/console/dev", h.api.base)).send().await.expect("page");
    assert!(page.headers()["content-security-policy"].to_str().expect("csp").starts_with("default-src 'none'"));
    let html = page.text().await.expect("html");
    let second_call = outbox(&h).await.into_iter().rev().find(|m| m["kind"] == "voice_call").expect("a second call");
    assert!(html.contains(&format!("name=\"call_id\" value=\"{}\"", second_call["id"].as_str().expect("id"))), "{html}");
    let form = format!("call_id={}&digits=4826%23", second_call["id"].as_str().expect("id"));
    let posted = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/console/dev/keypad", h.api.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("posted");
    assert_eq!(posted.status().as_u16(), 303);
    assert_eq!(h.api.get(&format!("{info_path}/phone/{vid}"), Some(&device)).await.ok(200)["status"], "verified");
    let method = h.api.get(&info_path, Some(&device)).await.ok(200)["methods"][0].clone();
    assert_eq!(
        (method["kind"].clone(), method["phone_number"].clone(), method["extension"].clone(), method["backup_phone_number"].clone()),
        (json!("voice"), json!("+4915112345678"), json!("12"), json!("+49301234567"))
    );
}

#[tokio::test]
async fn a_method_can_be_removed_but_never_the_last_one() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let template = "/v1/requests/{id}/security-info/methods/{method_id}/removal";
    let removal = |method: &str| format!("{info_path}/methods/{method}/removal");
    let unknown = phone_post(&h, &device, &removal("mth_nope"), template, &json!({})).await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (404, "METHOD_NOT_FOUND"));

    let (activation, uri, _) = start_app(&h, &device, &info_path).await;
    let info = verify_app(&h, &device, &info_path, &activation, &app_code(&uri, h.clock.now())).await.ok(200);
    let app = info["methods"][0]["id"].as_str().expect("id").to_owned();
    let last = phone_post(&h, &device, &removal(&app), template, &json!({})).await;
    assert_eq!((last.status.as_u16(), last.code()), (409, "LAST_METHOD"));
    assert_eq!(h.api.get(&info_path, Some(&device)).await.ok(200)["methods"].as_array().map(Vec::len), Some(1), "refused: kept");

    // A number added, the app can go; then the number is the last one.
    let started = phone_post(
        &h,
        &device,
        &format!("{info_path}/phone"),
        "/v1/requests/{id}/security-info/phone",
        &json!({ "delivery": "sms", "phone_number": "+49 151 1234 5678" }),
    )
    .await
    .ok(200);
    let verification = format!("{info_path}/phone/{}/verification", started["verification_id"].as_str().expect("id"));
    let code = last_texted_code(&h).await;
    let info = phone_post(
        &h,
        &device,
        &verification,
        "/v1/requests/{id}/security-info/phone/{verification_id}/verification",
        &json!({ "code": code }),
    )
    .await
    .ok(200);
    let sms = info["methods"][1]["id"].as_str().expect("id").to_owned();
    let info = phone_post(&h, &device, &removal(&app), template, &json!({})).await.ok(200);
    assert_eq!(info["methods"].as_array().map(Vec::len), Some(1));
    assert_eq!(info["methods"][0]["kind"], "sms");
    assert_eq!(phone_post(&h, &device, &removal(&sms), template, &json!({})).await.code(), "LAST_METHOD");
}

#[tokio::test]
async fn a_call_answered_after_the_window_closed_registers_nothing() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    h.api.post(&format!("{info_path}/pin"), Some(&device), &json!({ "pin": "4826", "confirmation": "4826" })).await.ok(200);
    h.clock.advance(9 * 60);
    let body = json!({ "delivery": "voice", "phone_number": "+49 151 1234 5678" });
    phone_post(&h, &device, &format!("{info_path}/phone"), "/v1/requests/{id}/security-info/phone", &body).await.ok(200);
    let call = outbox(&h).await.into_iter().find(|m| m["kind"] == "voice_call").expect("a call");
    h.clock.advance(61);
    let late = h.api.post(&format!("/v1/dev/calls/{}/keypad", call["id"].as_str().expect("id")), None, &json!({ "digits": "4826#" })).await;
    assert_eq!(late.ok(200)["verification_status"], "failed", "the window closed a second before");
    assert_eq!(h.service.count_rows("auth_methods").expect("count"), 0);
    assert_eq!(h.api.get(&info_path, Some(&device)).await.code(), "REGISTRATION_WINDOW_CLOSED");
}

#[tokio::test]
async fn the_data_key_beside_the_database_opens_the_sealed_secrets_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("service.sqlite3");
    let clock = std::sync::Arc::new(identity_pass_service::ManualClock::new(START));
    let pushes = std::sync::Arc::new(identity_pass_service::RecordingPushSender::default());
    let first = start_with(config(clock.clone(), pushes.clone(), Some(db.clone())), clock.clone(), pushes.clone()).await;
    let (device, _, info_path) = alice_signed_in(&first).await;
    let (_, uri, activation_code) = start_app(&first, &device, &info_path).await;
    let key = std::fs::read(identity_pass_service::data_key_path(&db)).expect("key file");
    first.service.shutdown().await;

    let second = start_with(config(clock.clone(), pushes.clone(), Some(db.clone())), clock.clone(), pushes.clone()).await;
    assert_eq!(std::fs::read(identity_pass_service::data_key_path(&db)).expect("key file"), key, "the same key, not a new one");
    let activated = http_client()
        .post(format!("{}/mfa/activate", second.api.base))
        .json(&json!({ "activation_code": activation_code }))
        .send()
        .await
        .expect("sent");
    assert_eq!(activated.status().as_u16(), 200);
    assert_eq!(activated.json::<Value>().await.expect("json")["otpauth_uri"].as_str(), Some(uri.as_str()), "the sealed secret opened");
    second.service.shutdown().await;

    // A damaged key file stops the start rather than being replaced (which would lose every secret).
    std::fs::write(identity_pass_service::data_key_path(&db), b"short").expect("damage");
    let refused = identity_pass_service::spawn_embedded(config(clock.clone(), pushes.clone(), Some(db))).await;
    assert!(matches!(refused, Err(identity_pass_service::StartError::Config(_))));
}

#[tokio::test]
async fn guessing_activation_codes_is_stopped_after_thirty_a_minute() {
    let h = start().await;
    let (device, _, info_path) = alice_signed_in(&h).await;
    let (_, uri, code) = start_app(&h, &device, &info_path).await;
    let activate = |code: String| {
        let url = format!("{}/mfa/activate", h.api.base);
        async move {
            let response = http_client().post(url).json(&json!({ "activation_code": code })).send().await.expect("sent");
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            checked(
                "POST",
                "/mfa/activate",
                &Answer { status: reqwest::StatusCode::from_u16(status).expect("status"), body: body.clone(), replayed: false },
            );
            (status, body)
        }
    };
    for guess in 0..30 {
        assert_eq!(activate(format!("{guess:09}")).await.0, 404);
    }
    let (status, body) = activate(code.clone()).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("VERIFICATION_ATTEMPTS_EXCEEDED")), "even the right code, for a minute");
    h.clock.advance(60);
    let (status, body) = activate(code).await;
    assert_eq!((status, body["otpauth_uri"].as_str()), (200, Some(uri.as_str())));
}
