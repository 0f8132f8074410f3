//! Every type of this crate that holds a secret (a TAP, a device secret, a Verified ID, a push
//! token, a hand-off token, a partner key, a picture, a reviewer's password, session token or
//! CSRF token; after the TAP a password-page ticket, a TOTP secret or activation code, a texted
//! code, a PIN, a security answer, the data key) prints none of it with `Debug`, or has no
//! `Debug` at all, so a `tracing` field or a failed assertion cannot leak it. None of them
//! implements `Display`.

use crate::domain::account_security::phone::Delivery;
use crate::domain::account_security::security_questions::NormalisedAnswer;
use crate::domain::directory::BadgePhoto;
use crate::domain::liveness_check::UploadedFrame;
use crate::domain::partner::PartnerSession;
use crate::domain::reviewer::ReviewerRole;
use crate::http::auth::ReviewerAuth;
use crate::http::authenticator_app::{AppActivation, CodeBody as AppCode};
use crate::http::dev_providers::Keypad;
use crate::http::devices::{DeviceRegistered, RegisterDevice};
use crate::http::password_page::PasswordPageLink;
use crate::http::phone::CodeBody as PhoneCode;
use crate::http::push_tokens::RegisterPushToken;
use crate::http::reviewer_session::{SessionView, SignIn as ReviewerSignIn, TokenView};
use crate::http::security_info::TapSignIn;
use crate::http::security_secrets::{AnswerBody, NewAnswers, NewPin};
use crate::http::tap::{SignIn, TapView};
use crate::http::verified_id::{Presentation, PresentationBody, VerifiedIdView};
use crate::partner::{OpenedSession, ReferencePartner};
use crate::push::PushToken;
use crate::secrets::{DataKey, Redacted};
use crate::store::phone_verifications::PhoneVerification;
use crate::store::totp_activations::Activation;
use crate::telephony::OutboxEntry;

const CANARY: &str = "canary-5f1d0c9e";

#[track_caller]
fn hidden(value: &impl std::fmt::Debug) -> String {
    identity_pass_core::testing::assert_debug_hides(value, CANARY.as_bytes())
}

#[test]
fn secret_bearing_types_print_no_secret() {
    assert_eq!(hidden(&Redacted::new(CANARY.to_owned())), "Redacted(***) Redacted(***)");
    let tap = TapView {
        id: "tap_1".into(),
        temporary_access_pass: Some(CANARY.into()),
        created_date_time: "2026-11-20T00:00:00Z".into(),
        start_date_time: "2026-11-20T00:00:00Z".into(),
        lifetime_in_minutes: 30,
        is_usable_once: true,
        is_usable: true,
        method_usability_reason: "EnabledByPolicy",
        signed_in_at: None,
    };
    assert!(hidden(&tap).contains("tap_1"), "the rest stays readable");
    let vid = VerifiedIdView { jws: CANARY.into(), issued_at: "2026-11-20T00:00:00Z".into(), expires_at: "2026-12-20T00:00:00Z".into() };
    hidden(&vid);
    let registration = RegisterDevice { platform: "ios".into(), device_secret: Some(CANARY.into()), device_key: None };
    assert!(hidden(&registration).contains("ios"));
    hidden(&PushToken { kind: "fcm".into(), token: CANARY.into() });
    let handoff_url = format!("http://127.0.0.1:9/sessions/ps_1?token={CANARY}");
    hidden(&OpenedSession { session_id: "ps_1".into(), handoff_url: handoff_url.clone(), expires_at: 0 });
    hidden(&PartnerSession {
        id: "ps_1".into(),
        request_id: "req_1".into(),
        handoff_url,
        opened_at: 0,
        expires_at: 0,
        result: None,
        reason: None,
    });
    assert_eq!(hidden(&BadgePhoto::from_jpeg(CANARY.as_bytes().to_vec())), "BadgePhoto(15 bytes) BadgePhoto(15 bytes)");
    let maria = "maria@contoso.example";
    assert!(hidden(&ReviewerSignIn { upn: maria.into(), password: CANARY.into() }).contains(maria), "the name stays readable");
    let session = SessionView { upn: maria.into(), role: "reviewer", csrf_token: Some(CANARY.into()), expires_at: String::new() };
    assert!(hidden(&session).contains(maria));
    hidden(&TokenView { token: CANARY.into(), upn: maria.into(), role: "reviewer", expires_at: String::new() });
    let reviewer = ReviewerAuth {
        upn: maria.into(),
        role: ReviewerRole::Reviewer,
        expires_at: 0,
        csrf_token: Some(CANARY.into()),
        session_hash: CANARY.as_bytes().to_vec(),
    };
    assert!(hidden(&reviewer).contains(maria));

    // After the TAP.
    let link = PasswordPageLink {
        url: Some(format!("http://127.0.0.1:9/account/password?ticket={CANARY}")),
        expires_at: String::new(),
        server_time: String::new(),
    };
    hidden(&link);
    let activation = AppActivation {
        activation_id: "act_1".into(),
        activation_code: Some(CANARY.into()),
        activation_url: String::new(),
        otpauth_uri: Some(format!("otpauth://totp/x?secret={CANARY}")),
        expires_at: String::new(),
        server_time: String::new(),
    };
    assert!(hidden(&activation).contains("act_1"));
    hidden(&Activation {
        id: "act_1".into(),
        upn: maria.into(),
        device_id: "dev_1".into(),
        secret_sealed: CANARY.as_bytes().to_vec(),
        expires_at: 0,
        failures: 0,
        accepted_step: None,
    });
    hidden(&PhoneVerification {
        id: "pv_1".into(),
        upn: maria.into(),
        device_id: "dev_1".into(),
        delivery: Delivery::Sms,
        phone_number: "+4915112345678".into(),
        extension: None,
        backup_phone_number: None,
        code_mac: Some(CANARY.as_bytes().to_vec()),
        call_id: None,
        sends: 1,
        last_sent_at: 0,
        expires_at: 0,
        failures: 0,
        status: "pending".into(),
    });
    hidden(&OutboxEntry {
        id: "msg_1".into(),
        kind: "sms",
        to: String::new(),
        text: format!("code {CANARY}"),
        status: "delivered",
        sent_at: 0,
    });
    hidden(&NormalisedAnswer { question_id: "first_pet".into(), answer: CANARY.into() });
    let mut key = [0u8; 32];
    key[..15].copy_from_slice(CANARY.as_bytes());
    hidden(&DataKey::new(key));
}

#[test]
fn types_carrying_a_secret_in_transit_have_no_debug() {
    identity_pass_core::assert_no_debug!(
        SignIn,
        Presentation<'static>,
        PresentationBody,
        RegisterPushToken,
        DeviceRegistered,
        ReferencePartner,
        UploadedFrame,
        TapSignIn,
        AppCode,
        PhoneCode,
        NewPin,
        AnswerBody,
        NewAnswers,
        Keypad,
    );
}
