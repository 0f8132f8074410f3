//! The "Get Passkey" path with a software authenticator (the `passkey` crate standing in for the
//! phone's platform authenticator), and the 30-day Verified ID fast path.

mod common;

use common::software_passkey::{attestation, web};
use common::*;
use serde_json::{Value, json};

async fn software_attestation(options: &Value) -> Value {
    attestation(web("https://id.contoso.example"), options).await
}

#[tokio::test]
async fn get_passkey_path_registers_a_passkey_verified_by_webauthn_rs() {
    let h = start().await;
    let keyed = h.api.register_keyed_device().await;
    let device = keyed.auth.clone();
    let auth = Some(device.as_str());
    let created = h
        .api
        .post("/v1/requests", auth, &json!({ "upn": "dave@contoso.example", "employee_id": "E1004", "staff_kind": "employee" }))
        .await
        .ok(201);
    assert_eq!(created["path"], "get_passkey");
    let id = created["request_id"].as_str().expect("id").to_owned();
    let p = |suffix: &str| format!("/v1/requests/{id}{suffix}");
    h.api.post(&p("/consent"), auth, &consent_body()).await.ok(200);
    pass_liveness(&h.api, &device, &id).await;
    let session = h.api.post(&p("/government-id/session"), auth, &json!({})).await.ok(200);
    let handoff = session["handoff_url"].as_str().expect("hand-off");
    let no_selfie = submit_partner_page(handoff, &fixture_jpeg("id_document_856x540"), &fixture_jpeg("no_face_cat_640x480")).await.ok(200);
    assert_eq!((&no_selfie["result"], &no_selfie["reason"]), (&json!("rejected"), &json!("SELFIE_NO_FACE")));
    let verdict = h.api.get(&p("/government-id"), auth).await.ok(200);
    assert_eq!((&verdict["status"], &verdict["reason"]), (&json!("rejected"), &json!("SELFIE_NO_FACE")));
    assert_eq!(h.api.get(&p(""), auth).await.ok(200)["government_id_result"], "rejected");
    assert_eq!(h.api.post(&p("/submit"), auth, &json!({})).await.code(), "GOVERNMENT_ID_NOT_VERIFIED");
    verify_government_id(&h.api, &device, &id).await;
    assert_eq!(h.api.post(&p("/submit"), auth, &json!({})).await.code(), "VERIFIED_ID_NOT_PRESENTED");
    let vid = h.api.get(&p("/verified-id"), auth).await.ok(200);
    h.api.present(&keyed, &id, vid["jws"].as_str().expect("jws")).await.ok(200);
    h.api.post(&p("/submit"), auth, &json!({})).await.ok(200);
    let early = h.api.post(&p("/passkey/options"), auth, &json!({})).await;
    assert_eq!(early.code(), "REQUEST_NOT_APPROVED");
    approve(&h, &id).await;

    let no_ceremony = h
        .api
        .post(
            &p("/passkey/attestation"),
            auth,
            &json!({ "id": "x", "rawId": "eA", "type": "public-key",
        "response": { "attestationObject": "", "clientDataJSON": "" } }),
        )
        .await;
    assert!(no_ceremony.status.is_client_error(), "{}", no_ceremony.body);

    // A credential made for an older challenge is refused once a new ceremony replaced it.
    let stale_options = h.api.post(&p("/passkey/options"), auth, &json!({})).await.ok(200);
    let stale = software_attestation(&stale_options).await;
    let options = h.api.post(&p("/passkey/options"), auth, &json!({})).await.ok(200);
    assert_eq!(options["publicKey"]["rp"]["id"], "id.contoso.example");
    assert_eq!(options["publicKey"]["user"]["name"], "dave@contoso.example");
    let refused = h.api.post(&p("/passkey/attestation"), auth, &stale).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "PASSKEY_ATTESTATION_REJECTED"));

    let attestation = software_attestation(&options).await;
    let registered = h.api.post(&p("/passkey/attestation"), auth, &attestation).await.ok(200);
    assert_eq!(registered["upn"], "dave@contoso.example");
    assert_eq!(h.service.count_rows("passkeys").expect("count"), 1);
    let again = h.api.post(&p("/passkey/attestation"), auth, &attestation).await;
    assert_eq!(again.code(), "PASSKEY_CEREMONY_NOT_STARTED", "the challenge is single-use");

    // The TAP path's request cannot register a passkey.
    let tap_id = alice_submitted(&h.api, &device).await;
    approve(&h, &tap_id).await;
    let wrong_path = h.api.post(&format!("/v1/requests/{tap_id}/passkey/options"), auth, &json!({})).await;
    assert_eq!(wrong_path.code(), "PATH_HAS_NO_PASSKEY");
}

#[tokio::test]
async fn a_recent_verified_id_skips_the_call_and_an_old_one_does_not() {
    let h = start().await;
    let phone = h.api.register_keyed_device().await;
    let auth = phone.auth();
    let first = alice_submitted(&h.api, &phone.auth).await;
    approve(&h, &first).await;
    let vid = h.api.get(&format!("/v1/requests/{first}/verified-id"), auth).await.ok(200);
    let jws = vid["jws"].as_str().expect("jws").to_owned();

    // Somebody else cannot use Alice's credential, a copy on another phone is refused, and a
    // forged one is refused.
    let other_phone = h.api.register_keyed_device().await;
    let frank = json!({ "upn": "v-frank@contoso.example", "employee_id": "X2002", "staff_kind": "external" });
    assert_eq!(h.api.create_presenting(&other_phone, &frank, &jws).await.code(), "VERIFIED_ID_INVALID");
    let copied = h.api.create_presenting(&other_phone, &alice(), &jws).await;
    assert_eq!((copied.status.as_u16(), copied.code()), (403, "VERIFIED_ID_OTHER_DEVICE"));
    let forged = format!("{}x", &jws[..jws.len() - 1]);
    assert_eq!(h.api.create_presenting(&phone, &alice(), &forged).await.code(), "VERIFIED_ID_INVALID");

    h.clock.advance(29 * 24 * 3600);
    let created = h.api.create_presenting(&phone, &alice(), &jws).await.ok(201);
    assert_eq!(created["fast_path"], "eligible");
    let id = created["request_id"].as_str().expect("id").to_owned();
    h.api.post(&format!("/v1/requests/{id}/consent"), auth, &consent_body()).await.ok(200);
    assert_eq!(h.api.post(&format!("/v1/requests/{id}/submit"), auth, &json!({})).await.code(), "LIVENESS_REQUIRED");
    pass_liveness(&h.api, &phone.auth, &id).await;
    let submitted = h.api.post(&format!("/v1/requests/{id}/submit"), auth, &json!({})).await.ok(200);
    assert_eq!(submitted["state"], "approved", "no reviewer call on the fast path");
    let tap = h.api.post(&format!("/v1/requests/{id}/tap"), auth, &json!({})).await.ok(201);
    assert_eq!(tap["lifetimeInMinutes"], 30);

    h.clock.advance(24 * 3600);
    let late = h.api.create_presenting(&phone, &alice(), &jws).await;
    assert_eq!((late.status.as_u16(), late.code()), (422, "VERIFIED_ID_EXPIRED"));
}
