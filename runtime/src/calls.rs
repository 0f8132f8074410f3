//! Sends one `ServiceCall` the flow asked for and reports, without judging it, what came back.
//!
//! Nothing here decides what an answer means for the onboarding (that is the flow's
//! `service_calls.rs`): this file only speaks HTTP for each call and names the failure. The
//! single mapping from the runtime's errors to the flow's `CallFailure` is `CallError::failure`.

use std::sync::Arc;

use identity_pass_core::device_binding::key_binding::{self, KeyBinding};
use identity_pass_core::flow::{
    CallAnswer, CallFailure, NOT_SENT_DEVICE_KEY_UNAVAILABLE, NOT_SENT_INPUT_LOST, NOT_SENT_SECURE_STORAGE, NOT_SENT_VERIFIED_ID_MISSING,
    ServiceCall,
};
use identity_pass_core::selfie::CapturedSelfie;
use identity_pass_core::{SecretString, SecureStoreError};

use crate::idempotency::IdempotencyKey;
use crate::platform::{DeviceKey, DeviceKeyFailure};
use crate::service_client::{DeviceAuth, IdentityClaim, ServiceClient, VerifiedIdCredential};
use crate::transport::TransportError;

/// `NotSent` code: the OS had no randomness for a key or a device secret.
pub const NOT_SENT_NO_RANDOMNESS: &str = "NO_RANDOMNESS";
/// `NotSent` code: the service address or TLS set-up is unusable.
pub const NOT_SENT_CONFIGURATION: &str = "CONFIGURATION";

/// Why a call ended without an answer, as the runtime sees it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CallError {
    /// The service or the network.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// Secure storage failed (the device credential, a key, the Verified ID).
    #[error("secure storage: {0}")]
    Store(#[from] SecureStoreError),
    /// The device credential in secure storage is unreadable or could not be saved.
    #[error("device credential: {0}")]
    Vault(#[from] identity_pass_core::credential_vault::VaultError),
    /// No randomness for a key.
    #[error("no randomness")]
    NoRandomness,
    /// The selfie or the liveness frames lived in memory that a restart cleared.
    #[error("the in-memory input is gone")]
    InputLost,
    /// The Verified ID to present is not in secure storage.
    #[error("no Verified ID in secure storage")]
    VerifiedIdMissing,
    /// The device key could not sign (or its signature could not be read).
    #[error(transparent)]
    DeviceKey(#[from] DeviceKeyFailure),
}

impl CallError {
    /// The one mapping point from the runtime's errors to what the flow understands.
    ///
    /// A 4xx with the service's code is a refusal (the service did nothing; a retry is a new
    /// call), except 408 and 429, which say "not now". Everything that may have reached the
    /// service without a usable answer (network, timeout, 5xx, a body that breaks the
    /// contract) is `NoAnswer`, so a retry reuses the key. Local failures never reached it.
    pub(crate) fn failure(&self) -> CallFailure {
        match self {
            CallError::Transport(TransportError::Service { status, code, .. }) => match status {
                408 | 429 | 500.. => CallFailure::no_answer(code.clone()),
                _ => CallFailure::refused(code.clone()),
            },
            CallError::Transport(TransportError::Timeout) => CallFailure::no_answer("TIMEOUT"),
            CallError::Transport(TransportError::Network { .. }) => CallFailure::no_answer("NETWORK"),
            CallError::Transport(TransportError::UnexpectedBody { .. }) => {
                CallFailure::no_answer(identity_pass_core::flow::ANSWER_UNREADABLE)
            }
            CallError::Transport(
                TransportError::InsecureUrl { .. } | TransportError::InvalidUrl { .. } | TransportError::TlsSetup { .. },
            ) => CallFailure::not_sent(NOT_SENT_CONFIGURATION),
            CallError::Store(_) | CallError::Vault(_) => CallFailure::not_sent(NOT_SENT_SECURE_STORAGE),
            CallError::NoRandomness => CallFailure::not_sent(NOT_SENT_NO_RANDOMNESS),
            CallError::InputLost => CallFailure::not_sent(NOT_SENT_INPUT_LOST),
            CallError::VerifiedIdMissing => CallFailure::not_sent(NOT_SENT_VERIFIED_ID_MISSING),
            CallError::DeviceKey(_) => CallFailure::not_sent(NOT_SENT_DEVICE_KEY_UNAVAILABLE),
        }
    }
}

/// What a call produced: the flow's answer, and a Verified ID for secure storage.
#[derive(Debug)]
pub(crate) struct CallResult {
    pub answer: CallAnswer,
    pub verified_id: Option<VerifiedIdCredential>,
}

impl From<CallAnswer> for CallResult {
    fn from(answer: CallAnswer) -> Self {
        CallResult { answer, verified_id: None }
    }
}

/// Inputs that live in memory only, never in storage.
#[derive(Default)]
pub(crate) struct InMemoryInputs {
    /// The selfie to upload.
    pub selfie: Option<Arc<CapturedSelfie>>,
    /// The frames of the liveness check that passed on the phone, for the challenge named in
    /// the call (`None` when gone with a restart, or captured for another challenge).
    pub liveness_frames: Option<Arc<Vec<CapturedSelfie>>>,
    /// The stored Verified ID (for the fast path and the presentation).
    pub verified_id: Option<VerifiedIdCredential>,
}

/// The service's time now. Every answer the flow sees carries the time it was given at,
/// because the flow learns the phone's clock skew from it; the Verified ID answer carries only
/// its issue date, which can be minutes old.
async fn now_on_service(client: &ServiceClient, auth: &DeviceAuth, request_id: &str) -> Result<i64, TransportError> {
    Ok(client.status(auth, request_id, None, 0).await?.server_time)
}

/// Binds a presentation of `jws` to this phone: a fresh nonce from the service, the core's
/// key-binding JWT over it, signed by the device key (off the runtime's threads: hardware keys
/// take their time).
async fn key_binding(
    client: &ServiceClient,
    auth: &DeviceAuth,
    device_key: &Arc<dyn DeviceKey>,
    jws: &SecretString,
) -> Result<String, CallError> {
    let nonce = client.presentation_nonce(auth).await?;
    let binding = KeyBinding { nonce: nonce.nonce, audience: nonce.audience, issued_at: nonce.server_time.div_euclid(1000) };
    let input = key_binding::signing_input(jws.expose_secret(), &binding);
    let (signer, message) = (device_key.clone(), input.clone().into_bytes());
    let signed = tokio::task::spawn_blocking(move || signer.sign(&message)).await;
    let signature = signed.map_err(|_| DeviceKeyFailure::Unavailable { reason: "the signing task ended".into() })??;
    key_binding::assemble(&input, &signature).map_err(|e| DeviceKeyFailure::Unavailable { reason: e.to_string() }.into())
}

/// Whether a presentation was refused only for its nonce (it expired while the call waited for
/// the network, say): the service did nothing, so the same call goes again with a new one.
fn stale_nonce(result: &Result<impl Sized, TransportError>) -> bool {
    matches!(result, Err(TransportError::Service { code, .. }) if code == "PRESENTATION_NONCE_EXPIRED" || code == "PRESENTATION_NONCE_USED")
}

/// Sends `call` with `key` (the same on every resend of this call id).
pub(crate) async fn perform(
    client: &ServiceClient,
    auth: &DeviceAuth,
    device_key: &Arc<dyn DeviceKey>,
    call: &ServiceCall,
    key: &IdempotencyKey,
    inputs: InMemoryInputs,
) -> Result<CallResult, CallError> {
    let answer = match call {
        ServiceCall::CreateRequest {
            upn,
            employee_id,
            personal_email,
            staff_kind,
            terms_version,
            consent_accepted_at,
            present_verified_id,
        } => {
            let claim = IdentityClaim {
                upn: upn.clone(),
                employee_id: employee_id.clone(),
                personal_email: personal_email.clone(),
                staff_kind: *staff_kind,
            };
            let presented = inputs.verified_id.as_ref().filter(|_| *present_verified_id);
            let consent = (terms_version.as_str(), *consent_accepted_at);
            let mut fresh_nonce_asked = false;
            let created = loop {
                let binding = match presented {
                    Some(vid) => Some(key_binding(client, auth, device_key, &vid.jws).await?),
                    None => None,
                };
                let presentation = presented.zip(binding.as_deref()).map(|(vid, binding)| (&vid.jws, binding));
                let created = client.create_request(auth, &claim, consent, presentation, key).await;
                if fresh_nonce_asked || !stale_nonce(&created) {
                    break created?;
                }
                fresh_nonce_asked = true;
            };
            CallAnswer::RequestCreated {
                request_id: created.request_id,
                path: created.path,
                flags: created.flags,
                fast_path: created.fast_path,
                // What was presented, when the service does not repeat its date.
                verified_id_issued_at: created.verified_id_issued_at.or(presented.map(|v| v.issued_at)),
                server_time: created.server_time,
            }
        }
        ServiceCall::ConfirmDateOfBirth { request_id, date_of_birth } => {
            let server_time = client.confirm_date_of_birth(auth, request_id, date_of_birth, key).await?;
            CallAnswer::DateOfBirthConfirmed { server_time }
        }
        ServiceCall::OpenPartnerSession { request_id } => {
            let session = client.open_partner_session(auth, request_id, key).await?;
            CallAnswer::PartnerSessionOpened {
                handoff_url: session.handoff_url,
                expires_at: session.expires_at,
                server_time: session.server_time,
            }
        }
        ServiceCall::FetchGovernmentIdVerdict { request_id } => {
            let verdict = client.government_id_verdict(auth, request_id).await?;
            CallAnswer::GovernmentIdVerdict { outcome: verdict.outcome, server_time: verdict.server_time }
        }
        ServiceCall::FetchVerifiedId { request_id } => {
            let vid = client.verified_id(auth, request_id).await?;
            let server_time = now_on_service(client, auth, request_id).await?;
            let issued = vid.as_ref().map(|v| (v.issued_at, v.expires_at));
            return Ok(CallResult { answer: CallAnswer::VerifiedId { issued, server_time }, verified_id: vid });
        }
        ServiceCall::UploadSelfie { request_id } => {
            let selfie = inputs.selfie.ok_or(CallError::InputLost)?;
            let server_time = client.upload_selfie(auth, request_id, selfie.expose_jpeg(), key).await?;
            CallAnswer::SelfieUploaded { server_time }
        }
        ServiceCall::RequestLivenessChallenge { request_id } => {
            let challenge = client.liveness_challenge(auth, request_id, key).await?;
            CallAnswer::LivenessChallengeIssued {
                challenge_id: challenge.challenge_id,
                expires_at: challenge.expires_at,
                actions: challenge.actions,
                server_time: challenge.server_time,
            }
        }
        ServiceCall::SubmitLivenessFrames { request_id, challenge_id } => {
            let frames = inputs.liveness_frames.ok_or(CallError::InputLost)?;
            let verdict = client.submit_liveness_frames(auth, request_id, challenge_id, &frames, key).await?;
            CallAnswer::LivenessJudged { passed: verdict.passed, reason: verdict.reason, server_time: verdict.server_time }
        }
        ServiceCall::PresentVerifiedId { request_id } => {
            let vid = inputs.verified_id.ok_or(CallError::VerifiedIdMissing)?;
            let mut fresh_nonce_asked = false;
            let server_time = loop {
                let binding = key_binding(client, auth, device_key, &vid.jws).await?;
                let presented = client.present_verified_id(auth, request_id, &vid.jws, &binding, key).await;
                if fresh_nonce_asked || !stale_nonce(&presented) {
                    break presented?;
                }
                fresh_nonce_asked = true;
            };
            CallAnswer::VerifiedIdPresented { server_time }
        }
        ServiceCall::SubmitForReview { request_id } => {
            let update = client.submit(auth, request_id, key).await?;
            CallAnswer::Submitted { status: update.status, server_time: update.server_time }
        }
        ServiceCall::CreateTap { request_id, replace_lost } => {
            let (tap, server_time) = client.create_tap(auth, request_id, *replace_lost, key).await?;
            CallAnswer::TapCreated { tap, server_time }
        }
        ServiceCall::FetchPasskeyOptions { request_id } => {
            let options_json = client.passkey_options(auth, request_id, key).await?;
            CallAnswer::PasskeyOptions { options_json }
        }
        ServiceCall::SubmitPasskey { request_id, response_json } => {
            client.passkey_attestation(auth, request_id, response_json, key).await?;
            let server_time = now_on_service(client, auth, request_id).await?;
            CallAnswer::PasskeyRegistered { server_time }
        }
        // What the user typed lives only in the call (never saved): after a restart it is gone.
        ServiceCall::SignInWithTap { request_id, code } => {
            let code = code.as_ref().ok_or(CallError::InputLost)?;
            security_info(client.sign_in_with_tap(auth, request_id, code, key).await?)
        }
        ServiceCall::FetchSecurityInfo { request_id } => security_info(client.security_info(auth, request_id).await?),
        ServiceCall::OpenPasswordPage { request_id } => {
            let (url, server_time) = client.password_page(auth, request_id, key).await?;
            CallAnswer::PasswordPage { url, server_time }
        }
        ServiceCall::StartAuthenticatorApp { request_id } => {
            let (activation, server_time) = client.start_authenticator_app(auth, request_id, key).await?;
            CallAnswer::AuthenticatorAppActivation { activation, server_time }
        }
        ServiceCall::VerifyAuthenticatorApp { request_id, activation_id, code } => {
            let code = code.as_ref().ok_or(CallError::InputLost)?;
            security_info(client.verify_authenticator_app(auth, request_id, activation_id, code, key).await?)
        }
        ServiceCall::StartPhoneVerification { request_id, delivery, phone_number, extension, backup_phone_number } => {
            let number = (*delivery, phone_number.as_str(), extension.as_deref(), backup_phone_number.as_deref());
            let (verification, server_time) = client.start_phone_verification(auth, request_id, number, key).await?;
            CallAnswer::PhoneVerification { verification, server_time }
        }
        ServiceCall::ResendPhoneCode { request_id, verification_id } => {
            let (verification, server_time) = client.resend_phone_code(auth, request_id, verification_id, key).await?;
            CallAnswer::PhoneVerification { verification, server_time }
        }
        ServiceCall::FetchPhoneVerification { request_id, verification_id } => {
            let (verification, server_time) = client.phone_verification(auth, request_id, verification_id).await?;
            CallAnswer::PhoneVerification { verification, server_time }
        }
        ServiceCall::VerifyPhoneCode { request_id, verification_id, code } => {
            let code = code.as_ref().ok_or(CallError::InputLost)?;
            security_info(client.verify_phone_code(auth, request_id, verification_id, code, key).await?)
        }
        ServiceCall::SetPin { request_id, pin, confirmation } => {
            let (pin, confirmation) = pin.as_ref().zip(confirmation.as_ref()).ok_or(CallError::InputLost)?;
            security_info(client.set_pin(auth, request_id, pin, confirmation, key).await?)
        }
        ServiceCall::SetSecurityAnswers { request_id, answers } => {
            let answers = answers.as_deref().ok_or(CallError::InputLost)?;
            security_info(client.set_security_answers(auth, request_id, answers, key).await?)
        }
        ServiceCall::RemoveSecurityMethod { request_id, method_id } => {
            security_info(client.remove_security_method(auth, request_id, method_id, key).await?)
        }
    };
    Ok(answer.into())
}

fn security_info((account, server_time): (identity_pass_core::flow::account_security::AccountSecurity, i64)) -> CallAnswer {
    CallAnswer::SecurityInfo { account, server_time }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity_pass_core::flow::FailureKind;

    fn service(status: u16, code: &str) -> CallError {
        CallError::Transport(TransportError::Service { status, code: code.into(), message: String::new() })
    }

    #[test]
    fn each_runtime_error_maps_to_one_call_failure() {
        let cases: Vec<(CallError, FailureKind, &str)> = vec![
            (service(422, "IDENTITY_NOT_MATCHED"), FailureKind::Refused, "IDENTITY_NOT_MATCHED"),
            (service(409, "IDEMPOTENCY_KEY_IN_USE"), FailureKind::Refused, "IDEMPOTENCY_KEY_IN_USE"),
            (service(429, "RATE_LIMITED"), FailureKind::NoAnswer, "RATE_LIMITED"),
            (service(408, "HTTP_408"), FailureKind::NoAnswer, "HTTP_408"),
            (service(503, "HTTP_503"), FailureKind::NoAnswer, "HTTP_503"),
            (CallError::Transport(TransportError::Timeout), FailureKind::NoAnswer, "TIMEOUT"),
            (CallError::Transport(TransportError::Network { detail: "reset".into() }), FailureKind::NoAnswer, "NETWORK"),
            (CallError::Transport(TransportError::UnexpectedBody { detail: "x".into() }), FailureKind::NoAnswer, "UNEXPECTED_RESPONSE"),
            (CallError::Transport(TransportError::InvalidUrl { detail: "x".into() }), FailureKind::NotSent, NOT_SENT_CONFIGURATION),
            (CallError::Store(SecureStoreError::Unavailable { reason: "locked".into() }), FailureKind::NotSent, NOT_SENT_SECURE_STORAGE),
            (CallError::NoRandomness, FailureKind::NotSent, NOT_SENT_NO_RANDOMNESS),
            (CallError::InputLost, FailureKind::NotSent, NOT_SENT_INPUT_LOST),
            (CallError::VerifiedIdMissing, FailureKind::NotSent, NOT_SENT_VERIFIED_ID_MISSING),
            (
                CallError::DeviceKey(DeviceKeyFailure::Unavailable { reason: "key invalidated".into() }),
                FailureKind::NotSent,
                NOT_SENT_DEVICE_KEY_UNAVAILABLE,
            ),
        ];
        for (error, kind, code) in cases {
            let failure = error.failure();
            assert_eq!((failure.kind, failure.code.as_str()), (kind, code), "{error}");
        }
        // A key in use is this very call still running: the retry must keep the key.
        assert!(service(409, "IDEMPOTENCY_KEY_IN_USE").failure().retry_is_same_call());
        assert!(!service(422, "IDEMPOTENCY_KEY_REUSED").failure().retry_is_same_call());
        // A secure-storage failure is not a network failure (the user must unlock, not wait).
        assert_ne!(CallError::Store(SecureStoreError::Unavailable { reason: "locked".into() }).failure().code, "NETWORK");
    }
}
