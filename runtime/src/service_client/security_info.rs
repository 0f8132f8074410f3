//! The account-security endpoints after the TAP (contract: "After-TAP securing"): reading the
//! service's answers into the core's types, and nothing else. What an answer means is the
//! flow's business (`account_security.rs`).

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use identity_pass_core::SecretString;
use identity_pass_core::flow::account_security::{
    AccountSecurity, AppActivation, PhoneVerification, PhoneVerificationStatus, RegisteredMethod, SecurityAnswer, SecurityMethodKind,
    SecurityPolicy, SecurityQuestion,
};

use super::{Millis, ServiceClient, parse_time};
use crate::idempotency::IdempotencyKey;
use crate::service_client::DeviceAuth;
use crate::transport::TransportError;

fn unexpected(e: impl std::fmt::Display) -> TransportError {
    TransportError::UnexpectedBody { detail: e.to_string() }
}

#[derive(Deserialize)]
struct SecurityInfoBody {
    signed_in_at: String,
    session_expires_at: String,
    registration_deadline: Option<String>,
    password_set: bool,
    methods: Vec<MethodBody>,
    pin_set: bool,
    security_questions_set: bool,
    complete: bool,
    policy: PolicyBody,
    server_time: String,
}

#[derive(Deserialize)]
struct MethodBody {
    id: String,
    kind: String,
    phone_number: Option<String>,
    registered_at: String,
}

#[derive(Deserialize)]
struct PolicyBody {
    methods: Vec<String>,
    pin: PinPolicyBody,
    security_questions: QuestionPolicyBody,
}

#[derive(Deserialize)]
struct PinPolicyBody {
    required: bool,
    min_length: u32,
    max_length: u32,
}

#[derive(Deserialize)]
struct QuestionPolicyBody {
    required: bool,
    count: u32,
    questions: Vec<QuestionBody>,
}

#[derive(Deserialize)]
struct QuestionBody {
    id: String,
    text: QuestionText,
}

#[derive(Deserialize)]
struct QuestionText {
    en: String,
    #[serde(rename = "zh-Hans")]
    zh_hans: String,
}

/// No `Debug`: it carries the TOTP secret. The service's replay of this answer carries no
/// secret (`null`): the flow then asks for a new activation.
#[derive(Deserialize)]
struct ActivationBody {
    activation_id: String,
    activation_code: Option<String>,
    activation_url: String,
    otpauth_uri: Option<String>,
    expires_at: String,
    server_time: String,
}

/// An answer whose one-time secret was already delivered (a replay): unreadable for the phone.
fn already_delivered() -> TransportError {
    unexpected("the one-time secret of this answer was already delivered")
}

#[derive(Deserialize)]
struct PhoneVerificationBody {
    verification_id: String,
    delivery: String,
    phone_number: String,
    status: String,
    expires_at: String,
    resend_available_at: String,
    attempts_left: u32,
    server_time: String,
}

/// No `Debug`: the URL carries a one-time ticket (`null` in the service's replay).
#[derive(Deserialize)]
struct PasswordPageBody {
    url: Option<String>,
    server_time: String,
}

fn method_kind(value: &str) -> Result<SecurityMethodKind, TransportError> {
    match value {
        "authenticator_app" => Ok(SecurityMethodKind::AuthenticatorApp),
        "sms" => Ok(SecurityMethodKind::TextMessage),
        "voice" => Ok(SecurityMethodKind::VoiceCall),
        other => Err(unexpected(format!("unknown method kind {other:?}"))),
    }
}

fn delivery_str(kind: SecurityMethodKind) -> &'static str {
    match kind {
        SecurityMethodKind::TextMessage => "sms",
        SecurityMethodKind::VoiceCall => "voice",
        SecurityMethodKind::AuthenticatorApp => "authenticator_app",
    }
}

/// Reads `SecurityInfo` (and its `server_time`).
pub fn read_security_info(body: &[u8]) -> Result<(AccountSecurity, Millis), TransportError> {
    let body: SecurityInfoBody = serde_json::from_slice(body).map_err(unexpected)?;
    let methods = body
        .methods
        .into_iter()
        .map(|m| {
            Ok(RegisteredMethod {
                id: m.id,
                kind: method_kind(&m.kind)?,
                phone_number: m.phone_number,
                registered_at: parse_time(&m.registered_at)?,
            })
        })
        .collect::<Result<Vec<_>, TransportError>>()?;
    // A method this app does not know yet is left out of the offer, not an error.
    let offered = body.policy.methods.iter().filter_map(|m| method_kind(m).ok()).collect();
    let questions = body
        .policy
        .security_questions
        .questions
        .into_iter()
        .map(|q| SecurityQuestion { id: q.id, text_en: q.text.en, text_zh: q.text.zh_hans })
        .collect();
    let account = AccountSecurity {
        signed_in_at: parse_time(&body.signed_in_at)?,
        session_expires_at: parse_time(&body.session_expires_at)?,
        registration_deadline: body.registration_deadline.as_deref().map(parse_time).transpose()?,
        password_set: body.password_set,
        methods,
        pin_set: body.pin_set,
        security_questions_set: body.security_questions_set,
        complete: body.complete,
        policy: SecurityPolicy {
            methods: offered,
            pin_required: body.policy.pin.required,
            pin_min_length: body.policy.pin.min_length,
            pin_max_length: body.policy.pin.max_length,
            questions_required: body.policy.security_questions.required,
            question_count: body.policy.security_questions.count,
            questions,
        },
    };
    Ok((account, parse_time(&body.server_time)?))
}

fn read_phone_verification(body: &[u8]) -> Result<(PhoneVerification, Millis), TransportError> {
    let body: PhoneVerificationBody = serde_json::from_slice(body).map_err(unexpected)?;
    let status = match body.status.as_str() {
        "pending" => PhoneVerificationStatus::Pending,
        "verified" => PhoneVerificationStatus::Verified,
        "failed" => PhoneVerificationStatus::Failed,
        other => return Err(unexpected(format!("unknown verification status {other:?}"))),
    };
    let verification = PhoneVerification {
        verification_id: body.verification_id,
        delivery: method_kind(&body.delivery)?,
        phone_number: body.phone_number,
        status,
        expires_at: parse_time(&body.expires_at)?,
        resend_available_at: parse_time(&body.resend_available_at)?,
        attempts_left: body.attempts_left,
    };
    Ok((verification, parse_time(&body.server_time)?))
}

impl ServiceClient {
    async fn security_post(
        &self,
        auth: &DeviceAuth,
        path: &str,
        body: serde_json::Value,
        key: &IdempotencyKey,
    ) -> Result<Vec<u8>, TransportError> {
        let mut request = Self::authed(auth, Method::POST, path, Some(key));
        request.json = Some(body);
        self.transport.send(request).await
    }

    /// `POST …/tap/sign-in`: sign in with the TAP; the account's security.
    pub async fn sign_in_with_tap(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        code: &SecretString,
        key: &IdempotencyKey,
    ) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/tap/sign-in");
        read_security_info(&self.security_post(auth, &path, json!({ "temporaryAccessPass": code.expose_secret() }), key).await?)
    }

    /// `GET …/security-info`.
    pub async fn security_info(&self, auth: &DeviceAuth, request_id: &str) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info");
        read_security_info(&self.transport.send(Self::authed(auth, Method::GET, &path, None)).await?)
    }

    /// `POST …/security-info/password-page`: the one-time page's URL.
    pub async fn password_page(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        key: &IdempotencyKey,
    ) -> Result<(SecretString, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/password-page");
        let body: PasswordPageBody = serde_json::from_slice(&self.security_post(auth, &path, json!({}), key).await?).map_err(unexpected)?;
        let url = body.url.map(SecretString::new).ok_or_else(already_delivered)?;
        Ok((url, parse_time(&body.server_time)?))
    }

    /// `POST …/security-info/authenticator-app`: a new activation.
    pub async fn start_authenticator_app(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        key: &IdempotencyKey,
    ) -> Result<(AppActivation, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/authenticator-app");
        let body: ActivationBody = serde_json::from_slice(&self.security_post(auth, &path, json!({}), key).await?).map_err(unexpected)?;
        let (Some(activation_code), Some(otpauth_uri)) = (body.activation_code, body.otpauth_uri) else {
            return Err(already_delivered());
        };
        if !otpauth_uri.starts_with("otpauth://totp/") {
            return Err(unexpected("the activation is not an otpauth://totp/ URI"));
        }
        let activation = AppActivation {
            activation_id: body.activation_id,
            activation_code,
            activation_url: body.activation_url,
            otpauth_uri: Some(SecretString::new(otpauth_uri)),
            expires_at: parse_time(&body.expires_at)?,
        };
        Ok((activation, parse_time(&body.server_time)?))
    }

    /// `POST …/authenticator-app/{activation_id}/verification`.
    pub async fn verify_authenticator_app(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        activation_id: &str,
        code: &SecretString,
        key: &IdempotencyKey,
    ) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/authenticator-app/{activation_id}/verification");
        read_security_info(&self.security_post(auth, &path, json!({ "code": code.expose_secret() }), key).await?)
    }

    /// `POST …/security-info/phone`: a text or a call to a number.
    pub async fn start_phone_verification(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        number: (SecurityMethodKind, &str, Option<&str>, Option<&str>),
        key: &IdempotencyKey,
    ) -> Result<(PhoneVerification, Millis), TransportError> {
        let (delivery, phone_number, extension, backup_phone_number) = number;
        let path = format!("v1/requests/{request_id}/security-info/phone");
        let body = json!({
            "delivery": delivery_str(delivery),
            "phone_number": phone_number,
            "extension": extension,
            "backup_phone_number": backup_phone_number,
        });
        read_phone_verification(&self.security_post(auth, &path, body, key).await?)
    }

    /// `POST …/phone/{verification_id}/resend`.
    pub async fn resend_phone_code(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        verification_id: &str,
        key: &IdempotencyKey,
    ) -> Result<(PhoneVerification, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/phone/{verification_id}/resend");
        read_phone_verification(&self.security_post(auth, &path, json!({}), key).await?)
    }

    /// `GET …/phone/{verification_id}`.
    pub async fn phone_verification(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        verification_id: &str,
    ) -> Result<(PhoneVerification, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/phone/{verification_id}");
        read_phone_verification(&self.transport.send(Self::authed(auth, Method::GET, &path, None)).await?)
    }

    /// `POST …/phone/{verification_id}/verification`.
    pub async fn verify_phone_code(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        verification_id: &str,
        code: &SecretString,
        key: &IdempotencyKey,
    ) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/phone/{verification_id}/verification");
        read_security_info(&self.security_post(auth, &path, json!({ "code": code.expose_secret() }), key).await?)
    }

    /// `POST …/security-info/pin`.
    pub async fn set_pin(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        pin: &SecretString,
        confirmation: &SecretString,
        key: &IdempotencyKey,
    ) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/pin");
        let body = json!({ "pin": pin.expose_secret(), "confirmation": confirmation.expose_secret() });
        read_security_info(&self.security_post(auth, &path, body, key).await?)
    }

    /// `POST …/security-info/security-questions`.
    pub async fn set_security_answers(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        answers: &[SecurityAnswer],
        key: &IdempotencyKey,
    ) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/security-questions");
        let answers: Vec<_> = answers.iter().map(|a| json!({ "question_id": a.question_id, "answer": a.answer.expose_secret() })).collect();
        read_security_info(&self.security_post(auth, &path, json!({ "answers": answers }), key).await?)
    }

    /// `POST …/security-info/methods/{method_id}/removal`.
    pub async fn remove_security_method(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        method_id: &str,
        key: &IdempotencyKey,
    ) -> Result<(AccountSecurity, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/security-info/methods/{method_id}/removal");
        read_security_info(&self.security_post(auth, &path, json!({}), key).await?)
    }
}
