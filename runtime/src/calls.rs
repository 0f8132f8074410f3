//! Performs one outbox `Call` against the service and turns the answer into the flow's events.

use std::sync::Arc;

use identity_pass_core::flow::verification::GovernmentIdOutcome;
use identity_pass_core::flow::Event;
use identity_pass_core::selfie::CapturedSelfie;

use crate::idempotency::IdempotencyKey;
use crate::outbox::Call;
use crate::service_client::{DeviceAuth, ServiceClient, VerifiedIdCredential};
use crate::transport::TransportError;

/// What a call produced, beyond its events.
#[derive(Debug, Default)]
pub struct CallOutput {
    /// Events for the flow, in order.
    pub events: Vec<Event>,
    /// A Verified ID to keep in secure storage.
    pub verified_id: Option<VerifiedIdCredential>,
}

/// Inputs that live in memory only (never in the outbox).
#[derive(Default)]
pub struct InMemoryInputs {
    /// The selfie to upload.
    pub selfie: Option<Arc<CapturedSelfie>>,
    /// The liveness evidence frame to upload.
    pub liveness_evidence: Option<Arc<CapturedSelfie>>,
    /// The stored Verified ID (for the fast path and the presentation).
    pub verified_id: Option<VerifiedIdCredential>,
}

/// The flow's failure code for a transport error: the service's own code when it answered,
/// `NETWORK` / `TIMEOUT` when it did not.
pub fn failure_code(error: &TransportError) -> String {
    match error {
        TransportError::Service { code, .. } => code.clone(),
        TransportError::Timeout => "TIMEOUT".to_owned(),
        TransportError::Network { .. } => "NETWORK".to_owned(),
        _ => "UNEXPECTED_RESPONSE".to_owned(),
    }
}

fn derived(key: &IdempotencyKey, step: &str) -> IdempotencyKey {
    IdempotencyKey::from_existing(format!("{}-{step}", key.as_str()))
}

/// The service's time now. Every answer the flow sees carries the time it was given at,
/// because the flow learns the phone's clock skew from it; the Verified ID answer carries only
/// its issue date, which can be minutes old.
async fn now_on_service(client: &ServiceClient, auth: &DeviceAuth, request_id: &str) -> Result<i64, TransportError> {
    Ok(client.status(auth, request_id, None, 0).await?.server_time)
}

/// Sends `call` (with `key`, the same on every resend) and returns the events it yields.
pub async fn perform(
    client: &ServiceClient,
    auth: &DeviceAuth,
    call: &Call,
    key: &IdempotencyKey,
    inputs: InMemoryInputs,
) -> Result<CallOutput, TransportError> {
    let mut out = CallOutput::default();
    match call {
        Call::CreateRequest { claim, terms_version, consent_accepted_at } => {
            let consent = (terms_version.as_str(), *consent_accepted_at);
            let created = client.create_request(auth, claim, consent, inputs.verified_id.as_ref().map(|v| &v.jws), key).await?;
            out.events.push(Event::IdentityAccepted {
                request_id: created.request_id,
                path: created.path,
                flags: created.flags,
                // Only a Verified ID this phone presented opens the fast path; that the
                // person has one somewhere else does not.
                verified_id_issued_at: if created.fast_path {
                    created.verified_id_issued_at.or(inputs.verified_id.as_ref().map(|v| v.issued_at))
                } else {
                    None
                },
                server_time: created.server_time,
            });
        }
        Call::ConfirmDateOfBirth { request_id, date_of_birth } => {
            let server_time = client.confirm_date_of_birth(auth, request_id, date_of_birth, key).await?;
            out.events.push(Event::DateOfBirthAccepted { server_time });
        }
        Call::RecordGovernmentId { request_id, outcome } => {
            let (result, reason) = match outcome {
                GovernmentIdOutcome::Verified => ("verified", None),
                GovernmentIdOutcome::Rejected { reason } => ("rejected", Some(reason.as_str())),
                GovernmentIdOutcome::Expired => ("expired", None),
            };
            client.record_government_id(auth, request_id, result, reason, key).await?;
            out.events.push(Event::GovernmentIdFinished { outcome: outcome.clone() });
            if *outcome == GovernmentIdOutcome::Verified {
                // Seed 001: the Verified ID follows the government-ID check.
                if let Some(vid) = client.verified_id(auth, request_id).await? {
                    let server_time = now_on_service(client, auth, request_id).await?;
                    out.events.push(Event::VerifiedIdIssued { issued_at: vid.issued_at, expires_at: vid.expires_at, server_time });
                    out.verified_id = Some(vid);
                }
            }
        }
        Call::UploadSelfie { request_id } => {
            let Some(selfie) = inputs.selfie else {
                // The capture lived only in memory and the app was restarted: take it again.
                return Err(TransportError::Service {
                    status: 0,
                    code: identity_pass_core::flow::SELFIE_RETAKE_NEEDED.into(),
                    message: String::new(),
                });
            };
            let server_time = client.upload_selfie(auth, request_id, selfie.expose_jpeg(), key).await?;
            out.events.push(Event::SelfieUploaded { server_time });
        }
        Call::RecordLiveness { request_id, passed, reason } => {
            let evidence = inputs.liveness_evidence.as_ref().map(|c| c.expose_jpeg());
            client.record_liveness(auth, request_id, *passed, reason.as_deref(), evidence, key).await?;
            out.events.push(if *passed {
                Event::LivenessPassed
            } else {
                Event::LivenessFailed { reason: reason.clone().unwrap_or_default() }
            });
        }
        Call::FetchVerifiedId { request_id } => {
            if let Some(vid) = client.verified_id(auth, request_id).await? {
                let server_time = now_on_service(client, auth, request_id).await?;
                out.events.push(Event::VerifiedIdIssued { issued_at: vid.issued_at, expires_at: vid.expires_at, server_time });
                out.verified_id = Some(vid);
            }
        }
        Call::PresentVerifiedId { request_id } => {
            let Some(vid) = inputs.verified_id else {
                return Err(TransportError::Service { status: 0, code: "VERIFIED_ID_MISSING".into(), message: String::new() });
            };
            let server_time = client.present_verified_id(auth, request_id, &vid.jws, key).await?;
            out.events.push(Event::VerifiedIdPresented { server_time });
        }
        Call::Submit { request_id } => {
            let update = client.submit(auth, request_id, key).await?;
            if let Some(status) = update.status {
                out.events.push(Event::ReviewUpdated { status, server_time: update.server_time });
            }
        }
        Call::CreateTap { request_id, fast_path } => {
            if *fast_path {
                // The 30-day fast path: liveness passed, so present the Verified ID (kept in
                // secure storage since the earlier approval); the service then approves the
                // request at once, with no reviewer call.
                let Some(vid) = inputs.verified_id.as_ref() else {
                    return Err(TransportError::Service { status: 0, code: "VERIFIED_ID_MISSING".into(), message: String::new() });
                };
                client.present_verified_id(auth, request_id, &vid.jws, &derived(key, "present")).await?;
                client.submit(auth, request_id, &derived(key, "submit")).await?;
            }
            let (tap, server_time) = match client.create_tap(auth, request_id, key).await {
                // The service made the TAP but its answer was lost, and it never shows a code
                // twice. The user has not seen that one: ask for a new TAP, which replaces it.
                Err(TransportError::UnexpectedBody { .. }) => client.create_tap(auth, request_id, &derived(key, "reissue")).await?,
                other => other?,
            };
            out.events.push(Event::TapIssued { tap, server_time });
        }
        Call::PasskeyOptions { request_id } => {
            let options_json = client.passkey_options(auth, request_id, key).await?;
            out.events.push(Event::PasskeyOptionsReceived { options_json });
        }
        Call::PasskeyAttestation { request_id, response_json } => {
            client.passkey_attestation(auth, request_id, response_json, key).await?;
            let status = client.status(auth, request_id, None, 0).await?;
            out.events.push(Event::PasskeyRegistered { server_time: status.server_time });
        }
    }
    Ok(out)
}
