//! Text message and voice call (seed 004): `POST …/security-info/phone` checks the number(s),
//! then sends a 6-digit code through the [`SmsProvider`](crate::telephony::SmsProvider) or has
//! the [`TelephonyProvider`](crate::telephony::TelephonyProvider) call and ask for the PIN
//! followed by #; resending is limited; a texted code is checked here, a call's keypad entry
//! where the provider reports it (`http::dev_providers` for the development provider). Either
//! success registers the number as a method. The rules are `domain::account_security::phone`'s.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::account_security::phone::{self, CODE_DIGITS, CODE_LIFETIME_SECONDS, Delivery, MAX_ATTEMPTS, RESEND_INTERVAL_SECONDS};
use crate::domain::account_security::{Method, MethodKind};
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit, commit_keeping_refusals};
use crate::http::security_info::{live_session, security_info};
use crate::secrets::{new_id, random_string, secrets_equal};
use crate::state::AppState;
use crate::store::phone_verifications::PhoneVerification;
use crate::store::{self, Connection};

/// What the call says before listening to the keypad.
pub const CALL_PROMPT: &str = "This is Identity Pass verifying your phone number. Enter your PIN, followed by the pound key.";

/// Body of `POST …/security-info/phone`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPhone {
    /// `sms` or `voice`.
    #[serde(default)]
    pub delivery: String,
    /// The number as typed.
    #[serde(default)]
    pub phone_number: String,
    /// Voice only: extension digits.
    #[serde(default)]
    pub extension: Option<String>,
    /// Voice only: a backup number.
    #[serde(default)]
    pub backup_phone_number: Option<String>,
}

/// PhoneVerification: where a number's verification stands.
#[derive(Debug, Serialize)]
pub struct PhoneVerificationView {
    /// Its id.
    pub verification_id: String,
    /// `sms` or `voice`.
    pub delivery: &'static str,
    /// E.164.
    pub phone_number: String,
    /// `pending`, `verified` or `failed`.
    pub status: String,
    /// When the current code (or call) stops counting.
    pub expires_at: String,
    /// When sending again is allowed.
    pub resend_available_at: String,
    /// Wrong codes (or PINs) still allowed.
    pub attempts_left: u32,
    /// Server time, RFC 3339 (the phone keeps its deadlines on the service's clock).
    pub server_time: String,
}

impl PhoneVerificationView {
    /// The view of `v` at `now`.
    fn at(v: &PhoneVerification, now: i64) -> Self {
        Self {
            verification_id: v.id.clone(),
            delivery: v.delivery.as_str(),
            phone_number: v.phone_number.clone(),
            status: v.status.clone(),
            expires_at: to_rfc3339(v.expires_at),
            resend_available_at: to_rfc3339(v.last_sent_at + RESEND_INTERVAL_SECONDS),
            attempts_left: MAX_ATTEMPTS.saturating_sub(v.failures),
            server_time: to_rfc3339(now),
        }
    }
}

/// A code to check. No `Debug`: it is a one-time secret.
#[derive(Deserialize)]
pub struct CodeBody {
    /// The code as typed.
    #[serde(default)]
    pub code: String,
}

fn code_mac(state: &AppState, verification_id: &str, code: &str) -> Vec<u8> {
    state.data_key.mac(format!("{verification_id}:{}", code.trim()).as_bytes())
}

/// Sends the verification: a fresh code by text message, or a call. Returns what to store:
/// the code's digest or the call's id.
fn send(state: &AppState, v: &PhoneVerification, now: i64) -> ApiResult<(Option<Vec<u8>>, Option<String>)> {
    match v.delivery {
        Delivery::Sms => {
            let provider = state.sms.as_ref().ok_or(DomainError::MethodNotInPolicy)?;
            let code = random_string(b"0123456789", CODE_DIGITS)?;
            let text = format!("Identity Pass: your verification code is {}. It expires in 5 minutes.", code.expose());
            provider.send(&v.phone_number, &text, now).map_err(ApiError::internal)?;
            Ok((Some(code_mac(state, &v.id, code.expose())), None))
        }
        Delivery::Voice => {
            let provider = state.telephony.as_ref().ok_or(DomainError::MethodNotInPolicy)?;
            let call = provider.place_call(&v.phone_number, v.extension.as_deref(), CALL_PROMPT, now).map_err(ApiError::internal)?;
            Ok((None, Some(call)))
        }
    }
}

fn find(connection: &Connection, upn: &str, id: &str) -> ApiResult<PhoneVerification> {
    Ok(store::phone_verifications::find(connection, upn, id)?.ok_or(DomainError::VerificationNotFound)?)
}

/// `POST /v1/requests/{id}/security-info/phone`: checks the number(s) and sends.
pub async fn start(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewPhone>,
) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        let delivery =
            Delivery::parse(&body.delivery).ok_or_else(|| ApiError::bad_request("INVALID_JSON", "delivery must be sms or voice"))?;
        let kind = if delivery == Delivery::Sms { MethodKind::Sms } else { MethodKind::Voice };
        if !state.security_policy.allows(kind) {
            return Err(DomainError::MethodNotInPolicy.into());
        }
        let (number, extension, backup) =
            phone::check_numbers(delivery, &body.phone_number, body.extension.as_deref(), body.backup_phone_number.as_deref())?;
        if delivery == Delivery::Voice && store::account_secrets::pin_hash(connection, &session.upn)?.is_none() {
            return Err(DomainError::PinRequiredFirst.into());
        }
        let mut verification = PhoneVerification {
            id: new_id("pv")?,
            upn: session.upn.clone(),
            device_id: device.device_id.clone(),
            delivery,
            phone_number: number,
            extension,
            backup_phone_number: backup,
            code_mac: None,
            call_id: None,
            sends: 1,
            last_sent_at: now,
            expires_at: now + CODE_LIFETIME_SECONDS,
            failures: 0,
            status: "pending".to_owned(),
        };
        (verification.code_mac, verification.call_id) = send(&state, &verification, now)?;
        store::phone_verifications::insert(connection, &verification)?;
        Ok(((), Answer::json(StatusCode::OK, &PhoneVerificationView::at(&verification, now))?))
    })?;
    Ok(answer)
}

/// `POST …/phone/{verification_id}/resend`: a new code (or call), 30 s after the last, at
/// most 3 sends in all.
pub async fn resend(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path((id, verification_id)): Path<(String, String)>,
) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        let v = find(connection, &session.upn, &verification_id)?;
        if v.status == "verified" {
            return Ok(((), Answer::json(StatusCode::OK, &PhoneVerificationView::at(&v, now))?));
        }
        if v.delivery == Delivery::Sms && v.failures >= MAX_ATTEMPTS {
            return Err(DomainError::VerificationAttemptsExceeded.into());
        }
        phone::check_resend(v.sends, v.last_sent_at, now)?;
        let (mac, call) = send(&state, &v, now)?;
        store::phone_verifications::resent(connection, &v.id, mac.as_deref(), call.as_deref(), now, now + CODE_LIFETIME_SECONDS)?;
        let v = find(connection, &session.upn, &verification_id)?;
        Ok(((), Answer::json(StatusCode::OK, &PhoneVerificationView::at(&v, now))?))
    })?;
    Ok(answer)
}

/// Registers `v`'s number as a method.
pub fn register(connection: &Connection, v: &PhoneVerification, now: i64) -> ApiResult<()> {
    store::phone_verifications::mark_verified(connection, &v.id)?;
    let method = Method {
        id: new_id("mth")?,
        kind: if v.delivery == Delivery::Sms { MethodKind::Sms } else { MethodKind::Voice },
        phone_number: Some(v.phone_number.clone()),
        extension: v.extension.clone(),
        backup_phone_number: v.backup_phone_number.clone(),
        registered_at: now,
    };
    store::auth_methods::insert(connection, &v.upn, &method, None)?;
    Ok(())
}

/// `POST …/phone/{verification_id}/verification` (text message): the code. Wrong codes are
/// counted and the count kept; the fifth fails the verification.
pub async fn verify(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path((id, verification_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit_keeping_refusals(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        let v = find(connection, &session.upn, &verification_id)?;
        if v.delivery != Delivery::Sms {
            return Err(DomainError::VerificationNotFound.into());
        }
        if v.status == "verified" {
            return Err(DomainError::VerificationCodeInvalid.into());
        }
        if v.failures >= MAX_ATTEMPTS {
            return Err(DomainError::VerificationAttemptsExceeded.into());
        }
        if now >= v.expires_at {
            return Err(DomainError::VerificationExpired.into());
        }
        let right = v.code_mac.as_deref().is_some_and(|mac| secrets_equal(mac, &code_mac(&state, &v.id, &body.code)));
        if !right {
            let dead = v.failures + 1 >= MAX_ATTEMPTS;
            store::phone_verifications::count_failure(connection, &v.id, if dead { "failed" } else { "pending" })?;
            let refusal = if dead { DomainError::VerificationAttemptsExceeded } else { DomainError::VerificationCodeInvalid };
            return Ok(Err(refusal.into()));
        }
        register(connection, &v, now)?;
        Ok(Ok(((), Answer::json(StatusCode::OK, &security_info(&state, connection, &session, now)?)?)))
    })?;
    Ok(answer)
}

/// `GET …/phone/{verification_id}`: the verification (a voice call's outcome shows here).
pub async fn get(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path((id, verification_id)): Path<(String, String)>,
) -> ApiResult<Json<PhoneVerificationView>> {
    let now = state.now();
    let connection = state.db.lock()?;
    let session = live_session(&connection, &id, &device, now)?;
    Ok(Json(PhoneVerificationView::at(&find(&connection, &session.upn, &verification_id)?, now)))
}
