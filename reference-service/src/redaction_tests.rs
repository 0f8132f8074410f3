//! Every type of this crate that holds a secret (a TAP, a device secret, a Verified ID, a push
//! token, a hand-off token, a partner key, a picture, a reviewer's password, session token or
//! CSRF token) prints none of it with `Debug`, or has no
//! `Debug` at all, so a `tracing` field or a failed assertion cannot leak it. None of them
//! implements `Display`.

use crate::domain::directory::BadgePhoto;
use crate::domain::liveness_check::UploadedFrame;
use crate::domain::partner::PartnerSession;
use crate::domain::reviewer::ReviewerRole;
use crate::http::auth::ReviewerAuth;
use crate::http::devices::{DeviceRegistered, RegisterDevice};
use crate::http::push_tokens::RegisterPushToken;
use crate::http::reviewer_session::{SessionView, SignIn as ReviewerSignIn, TokenView};
use crate::http::tap::{SignIn, TapView};
use crate::http::verified_id::{Presentation, PresentationBody, VerifiedIdView};
use crate::partner::{OpenedSession, ReferencePartner};
use crate::push::PushToken;
use crate::secrets::Redacted;

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
    );
}
