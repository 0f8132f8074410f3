//! After the TAP (issue 13): the user signs in with the TAP on the phone and secures the
//! account — the 10-minute window of a one-time pass on the manual clock, the policy served,
//! each refusal leaving the state as it was, and a database that never holds a secret in clear.

mod common;

use common::contract::Contract;
use common::*;
use serde_json::{Value, json};

/// Alice approved, her TAP issued: (device, request id, TAP code).
async fn alice_with_tap(h: &Harness) -> (String, String, String) {
    let device = h.api.register_device().await;
    let id = alice_submitted(&h.api, &device).await;
    approve(h, &id).await;
    let tap = h.api.post(&format!("/v1/requests/{id}/tap"), Some(&device), &json!({})).await.ok(201);
    (device, id, tap["temporaryAccessPass"].as_str().expect("code").to_owned())
}

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
