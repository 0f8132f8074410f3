//! The legacy path in the app's order (core flow: `SubmitIdentity`, then on `legacy_dob`
//! `SubmitDateOfBirth`): the request opens on UPN + employee ID, stays unconfirmed until the date
//! of birth matches, refuses evidence until then, limits wrong dates, and keeps all of it across
//! a restart and idempotent retries.

mod common;

use std::sync::Arc;

use common::*;
use identity_pass_service::{ManualClock, RecordingPushSender};
use serde_json::{Value, json};

async fn bob_request(api: &Api, device: &str) -> String {
    let created = api.post("/v1/requests", Some(device), &bob_identity()).await.ok(201);
    created["request_id"].as_str().expect("id").to_owned()
}

async fn send_date(api: &Api, device: &str, id: &str, date: &str) -> Answer {
    api.post(&format!("/v1/requests/{id}/date-of-birth"), Some(device), &json!({ "date_of_birth": date })).await
}

#[tokio::test]
async fn identity_first_then_the_date_of_birth_confirms_the_request() {
    let h = start().await;
    let device = h.api.register_device().await;
    let auth = Some(device.as_str());

    let created = h.api.post("/v1/requests", auth, &bob_identity()).await.ok(201);
    assert_eq!(created["path"], "legacy_dob");
    assert_eq!(created["state"], "draft");
    assert_eq!(created["identity_check"], "date_of_birth_required");
    assert!(created["verified_id_issued_at"].is_null());
    let id = created["request_id"].as_str().expect("id").to_owned();
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");
    let before = h.api.get(&p(""), auth).await.ok(200);
    assert_eq!(before["consent_terms_version"], "2026-01", "consent came with the identity");

    // Same uniform answer for a wrong employee ID and for somebody who does not exist.
    let mut wrong_id = bob_identity();
    wrong_id["employee_id"] = json!("E1001");
    let mut nobody = bob_identity();
    nobody["upn"] = json!("nobody@contoso.example");
    let wrong_id = h.api.post("/v1/requests", auth, &wrong_id).await;
    let nobody = h.api.post("/v1/requests", auth, &nobody).await;
    assert_eq!((wrong_id.status.as_u16(), wrong_id.code()), (422, "IDENTITY_NOT_MATCHED"));
    assert_eq!((wrong_id.status, &wrong_id.body), (nobody.status, &nobody.body));

    // Evidence and submission wait for the date.
    let selfie = h.api.post_bytes(&p("/selfie"), &device, "image/jpeg", face_jpeg()).await;
    assert_eq!((selfie.status.as_u16(), selfie.code()), (409, "DATE_OF_BIRTH_NOT_CONFIRMED"));
    let liveness = h.api.post(&p("/liveness/challenge"), auth, &json!({})).await;
    assert_eq!((liveness.status.as_u16(), liveness.code()), (409, "DATE_OF_BIRTH_NOT_CONFIRMED"));
    let submit = h.api.post(&p("/submit"), auth, &json!({})).await;
    assert_eq!((submit.status.as_u16(), submit.code()), (409, "DATE_OF_BIRTH_NOT_CONFIRMED"));
    assert_eq!(h.service.count_rows("selfies").expect("count"), 0);

    let malformed = send_date(&h.api, &device, &id, "30/11/1985").await;
    assert_eq!((malformed.status.as_u16(), malformed.code()), (400, "DATE_OF_BIRTH_INVALID"));
    let wrong = send_date(&h.api, &device, &id, "1985-11-29").await;
    assert_eq!((wrong.status.as_u16(), wrong.code()), (422, "IDENTITY_NOT_MATCHED"));
    assert_eq!(wrong.body, nobody.body, "a wrong date reads like any other mismatch");
    assert_eq!(h.api.get(&p(""), auth).await.ok(200)["identity_check"], "date_of_birth_required");

    // The right date, retried with its key, then resent with a new key: one confirmation.
    let key = fresh_key();
    let dob = json!({ "date_of_birth": "1985-11-30" });
    let confirmed = h.api.post_keyed(&p("/date-of-birth"), auth, &key, &dob).await;
    let replayed = h.api.post_keyed(&p("/date-of-birth"), auth, &key, &dob).await;
    assert_eq!(confirmed.status.as_u16(), 200, "{}", confirmed.body);
    assert!(replayed.replayed && replayed.body == confirmed.body);
    assert_eq!(confirmed.body["identity_check"], "confirmed");
    assert_eq!(confirmed.body["state"], "draft");
    assert!(confirmed.body["server_time"].is_string(), "DateOfBirthAccepted needs the server time");
    let resent = send_date(&h.api, &device, &id, "1985-11-30").await.ok(200);
    assert_eq!(resent["version"], confirmed.body["version"], "confirming twice changes nothing");

    h.api.post_bytes(&p("/selfie"), &device, "image/jpeg", face_jpeg()).await.ok(200);
    let submitted = h.api.post(&p("/submit"), auth, &json!({})).await.ok(200);
    assert_eq!(submitted["state"], "waiting_for_reviewer");
    let late = send_date(&h.api, &device, &id, "1985-11-30").await;
    assert_eq!(late.code(), "REQUEST_ALREADY_SUBMITTED");
}

#[tokio::test]
async fn who_is_asked_for_a_date_and_one_step_clients() {
    let h = start().await;
    let device = h.api.register_device().await;
    let auth = Some(device.as_str());

    // One step: the date with the identity confirms at once (no employee ID needed, as before).
    let one_step = json!({ "upn": "bob@contoso.example", "staff_kind": "employee", "date_of_birth": "1985-11-30" });
    let created = h.api.post("/v1/requests", auth, &one_step).await.ok(201);
    assert_eq!(created["identity_check"], "confirmed");

    // External staff on the legacy path are identified by the employee ID alone.
    let erin = json!({ "upn": "v-erin@contoso.example", "employee_id": "X2001", "staff_kind": "external" });
    let erin = h.api.post("/v1/requests", auth, &erin).await.ok(201);
    assert_eq!((erin["path"].as_str(), erin["identity_check"].as_str()), (Some("legacy_dob"), Some("confirmed")));
    let erin_id = erin["request_id"].as_str().expect("id");
    let not_asked = send_date(&h.api, &device, erin_id, "1990-01-01").await;
    assert_eq!((not_asked.status.as_u16(), not_asked.code()), (409, "DATE_OF_BIRTH_NOT_NEEDED"));

    // Other paths are not asked either, and a date alone does not identify their people.
    let alice = h.api.post("/v1/requests", auth, &alice()).await.ok(201);
    assert_eq!(alice["identity_check"], "confirmed");
    let alice_id = alice["request_id"].as_str().expect("id");
    assert_eq!(send_date(&h.api, &device, alice_id, "1990-04-12").await.code(), "DATE_OF_BIRTH_NOT_NEEDED");
    let alice_by_date = json!({ "upn": "alice@contoso.example", "staff_kind": "employee", "date_of_birth": "1990-04-12" });
    assert_eq!(h.api.post("/v1/requests", auth, &alice_by_date).await.code(), "IDENTITY_NOT_MATCHED");

    // Neither an employee ID nor a date: refused before any lookup, alike for everybody.
    let bare_bob = h.api.post("/v1/requests", auth, &json!({ "upn": "bob@contoso.example", "staff_kind": "employee" })).await;
    let bare_nobody = h.api.post("/v1/requests", auth, &json!({ "upn": "x@contoso.example", "staff_kind": "employee" })).await;
    assert_eq!((bare_bob.status.as_u16(), bare_bob.code()), (400, "EMPLOYEE_ID_REQUIRED"));
    assert_eq!(bare_bob.body, bare_nobody.body);

    let half_consent =
        json!({ "upn": "bob@contoso.example", "employee_id": "E1002", "staff_kind": "employee", "terms_version": "2026-01" });
    assert_eq!(h.api.post("/v1/requests", auth, &half_consent).await.code(), "CONSENT_INCOMPLETE");
}

#[tokio::test]
async fn five_wrong_dates_lock_the_request_and_pause_the_person_for_a_day() {
    let h = start().await;
    let device = h.api.register_device().await;
    let auth = Some(device.as_str());
    let id = bob_request(&h.api, &device).await;
    for attempt in 1..=4 {
        let wrong = send_date(&h.api, &device, &id, &format!("1985-11-{:02}", attempt)).await;
        assert_eq!((wrong.status.as_u16(), wrong.code()), (422, "IDENTITY_NOT_MATCHED"), "attempt {attempt}");
    }
    let fifth = send_date(&h.api, &device, &id, "1985-11-05").await;
    assert_eq!((fifth.status.as_u16(), fifth.code()), (409, "IDENTITY_LOCKED"));
    let view = h.api.get(&format!("/v1/requests/{id}"), auth).await.ok(200);
    assert_eq!(view["identity_check"], "locked");
    let right_too_late = send_date(&h.api, &device, &id, "1985-11-30").await;
    assert_eq!(right_too_late.code(), "IDENTITY_LOCKED", "a locked request stays locked");
    let selfie = h.api.post_bytes(&format!("/v1/requests/{id}/selfie"), &device, "image/jpeg", face_jpeg()).await;
    assert_eq!(selfie.code(), "IDENTITY_LOCKED");

    // A new request does not reset the count: refused while the person has five wrong dates in
    // 24 h — and a one-step guess reads exactly like one for an unknown person.
    let again = h.api.post("/v1/requests", auth, &bob_identity()).await;
    assert_eq!((again.status.as_u16(), again.code()), (409, "IDENTITY_LOCKED"));
    let one_step = json!({ "upn": "bob@contoso.example", "staff_kind": "employee", "date_of_birth": "1985-11-30" });
    let unknown = json!({ "upn": "nobody@contoso.example", "staff_kind": "employee", "date_of_birth": "1985-11-30" });
    let guessed = h.api.post("/v1/requests", auth, &one_step).await;
    let unknown = h.api.post("/v1/requests", auth, &unknown).await;
    assert_eq!((guessed.status.as_u16(), guessed.code()), (422, "IDENTITY_NOT_MATCHED"));
    assert_eq!(guessed.body, unknown.body);

    h.clock.advance(24 * 3600 + 1);
    let fresh = bob_request(&h.api, &device).await;
    assert_eq!(send_date(&h.api, &device, &fresh, "1985-11-30").await.ok(200)["identity_check"], "confirmed");
    let old = h.api.get(&format!("/v1/requests/{id}"), auth).await.ok(200);
    assert_eq!(old["identity_check"], "locked");
}

#[tokio::test]
async fn a_retried_wrong_date_counts_once() {
    let h = start().await;
    let device = h.api.register_device().await;
    let id = bob_request(&h.api, &device).await;
    // The same wrong date, retried with its key and resent with new keys (lost answers).
    let key = fresh_key();
    let wrong = json!({ "date_of_birth": "1985-01-01" });
    let path = format!("/v1/requests/{id}/date-of-birth");
    for _ in 0..3 {
        assert_eq!(h.api.post_keyed(&path, Some(&device), &key, &wrong).await.code(), "IDENTITY_NOT_MATCHED");
    }
    for _ in 0..3 {
        assert_eq!(send_date(&h.api, &device, &id, "1985-01-01").await.code(), "IDENTITY_NOT_MATCHED");
    }
    // Reusing a key does not hide new guesses. The refusal is stored with the count it wrote
    // (so a resend after a lost answer counts nothing twice): another date under the same key
    // is refused unread, a guess neither checked nor free; sent with its own key, it counts.
    // Four more dates are the fifth wrong one.
    for day in 2..=4 {
        let other = json!({ "date_of_birth": format!("1985-01-{day:02}") });
        assert_eq!(h.api.post_keyed(&path, Some(&device), &key, &other).await.code(), "IDEMPOTENCY_KEY_REUSED");
        assert_eq!(h.api.post(&path, Some(&device), &other).await.code(), "IDENTITY_NOT_MATCHED");
    }
    assert_eq!(send_date(&h.api, &device, &id, "1985-01-05").await.code(), "IDENTITY_LOCKED");
}

#[tokio::test]
async fn one_step_guesses_count_against_the_person_too() {
    let h = start().await;
    let device = h.api.register_device().await;
    for day in 1..=5 {
        let guess = json!({ "upn": "BOB@contoso.example", "staff_kind": "employee", "date_of_birth": format!("1985-10-{day:02}") });
        assert_eq!(h.api.post("/v1/requests", Some(&device), &guess).await.code(), "IDENTITY_NOT_MATCHED");
    }
    let id_step = h.api.post("/v1/requests", Some(&device), &bob_identity()).await;
    assert_eq!(id_step.code(), "IDENTITY_LOCKED");
    assert_eq!(h.service.count_rows("requests").expect("count"), 0);
}

#[tokio::test]
async fn attempts_confirmations_and_replays_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("service.sqlite3");
    let clock = Arc::new(ManualClock::new(START));
    let pushes = Arc::new(RecordingPushSender::default());
    let first = start_with(config(clock.clone(), pushes.clone(), Some(db.clone())), clock.clone(), pushes.clone()).await;
    let device = first.api.register_device().await;
    let confirmed_id = bob_request(&first.api, &device).await;
    let key = fresh_key();
    let dob = json!({ "date_of_birth": "1985-11-30" });
    let path = format!("/v1/requests/{confirmed_id}/date-of-birth");
    let answer: Value = first.api.post_keyed(&path, Some(&device), &key, &dob).await.ok(200);
    let guessed_id = bob_request(&first.api, &device).await;
    for day in 1..=3 {
        assert_eq!(send_date(&first.api, &device, &guessed_id, &format!("1985-12-{day:02}")).await.code(), "IDENTITY_NOT_MATCHED");
    }
    first.service.shutdown().await;

    let second = start_with(config(clock.clone(), pushes.clone(), Some(db)), clock, pushes).await;
    let replay = second.api.post_keyed(&path, Some(&device), &key, &dob).await;
    assert!(replay.replayed);
    assert_eq!(replay.body, answer);
    let view = second.api.get(&format!("/v1/requests/{confirmed_id}"), Some(&device)).await.ok(200);
    assert_eq!(view["identity_check"], "confirmed");
    assert_eq!(send_date(&second.api, &device, &guessed_id, "1985-12-04").await.code(), "IDENTITY_NOT_MATCHED");
    let fifth = send_date(&second.api, &device, &guessed_id, "1985-12-05").await;
    assert_eq!(fifth.code(), "IDENTITY_LOCKED", "the three wrong dates before the restart still count");
    second.service.shutdown().await;
}
