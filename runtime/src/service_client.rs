//! The device side of the Identity Pass service's API (reference-service/openapi.yaml), typed.
//!
//! One method per operation the app uses. Every state-changing call carries an idempotency key
//! chosen by the caller, who keeps it for every retry of the same intent (see `outbox.rs`).
//! Times arrive as RFC 3339 and leave this module as Unix milliseconds on the service's clock.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use identity_pass_core::SecretString;
use identity_pass_core::flow::credential::{TapGrant, TapUsability};
use identity_pass_core::flow::identity_entry::StaffKind;
use identity_pass_core::flow::path::{OnboardingPath, RolloutFlags};
use identity_pass_core::flow::review::ReviewStatus;
use identity_pass_core::flow::verification::GovernmentIdOutcome;
use identity_pass_core::selfie::CapturedSelfie;
use identity_pass_core::selfie::face_model::Action;

use crate::idempotency::IdempotencyKey;
use crate::transport::{HttpTransport, ServiceRequest, TransportError};

/// Unix milliseconds.
pub type Millis = i64;

mod call_session;
mod security_info;
pub use call_session::{CallIceServers, IceServer};
pub use security_info::read_security_info;

/// The reviewer's window (seed 000: the reviewer has 24 hours).
const REVIEW_WINDOW_MS: Millis = 24 * 3_600_000;

/// A device credential as the service issued it.
#[derive(Clone)]
pub struct DeviceAuth {
    /// Public id.
    pub device_id: String,
    /// `<device_id>.<device_secret>`, the bearer token.
    pub bearer: SecretString,
}

impl std::fmt::Debug for DeviceAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceAuth").field("device_id", &self.device_id).finish_non_exhaustive()
    }
}

/// Which build registers (the service keeps it for push routing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevicePlatform {
    /// Google Play build.
    Android,
    /// China build (no Google services: no FCM).
    AndroidChina,
    /// iOS.
    Ios,
}

/// Which push service delivers to this installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKind {
    /// Firebase Cloud Messaging (global Android builds; absent in China).
    Fcm,
    /// Apple Push Notification service.
    Apns,
}

/// The answer to identity entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The request.
    pub request_id: String,
    /// The path the service chose.
    pub path: OnboardingPath,
    /// Rollout flags for this user.
    pub flags: RolloutFlags,
    /// Whether the presented Verified ID makes this a 30-day fast-path request.
    pub fast_path: bool,
    /// When the Verified ID the service holds for this person was issued (service time).
    pub verified_id_issued_at: Option<Millis>,
    /// Service time of the answer.
    pub server_time: Millis,
}

/// The review status, as the flow understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    /// Monotonic version of the request; long-polls wait for a different one.
    pub version: i64,
    /// `None` while the request is still a draft (not submitted).
    pub status: Option<ReviewStatus>,
    /// Service time of the answer.
    pub server_time: Millis,
}

/// A Verified ID credential (compact JWS) and its dates.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedIdCredential {
    /// Compact JWS (EdDSA).
    pub jws: SecretString,
    /// Issued at, service time.
    pub issued_at: Millis,
    /// Expires at (issued + 30 days).
    pub expires_at: Millis,
}

impl std::fmt::Debug for VerifiedIdCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedIdCredential")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A government-ID partner session the service opened for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerSession {
    /// The service's id of the session (`ps_…`).
    pub session_id: String,
    /// The partner's page for this session, to hand the user off to.
    pub handoff_url: String,
    /// When the session ends (service time).
    pub expires_at: Millis,
    /// Service time of the answer.
    pub server_time: Millis,
}

/// The partner's verdict, as the service holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GovernmentIdVerdict {
    /// `None` while the partner has not reported.
    pub outcome: Option<GovernmentIdOutcome>,
    /// Service time of the answer.
    pub server_time: Millis,
}

/// A liveness challenge the service issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivenessChallenge {
    /// Its id, the nonce the upload names.
    pub challenge_id: String,
    /// The kind of challenge (`actions`: the only kind since "move closer" was retired).
    pub action: String,
    /// The actions to do, in order; never empty.
    pub actions: Vec<Action>,
    /// When the service stops accepting frames for it (service time).
    pub expires_at: Millis,
    /// Fewest frames the service judges.
    pub min_frames: u32,
    /// Most frames it accepts.
    pub max_frames: u32,
    /// Service time of the answer.
    pub server_time: Millis,
}

/// The service's verdict on the frames of a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivenessVerdict {
    /// The service's challenge passed on them.
    pub passed: bool,
    /// Why not (`INCOMPLETE`, `NO_FACE`, or the core's `LivenessFailure` code).
    pub reason: Option<String>,
    /// Service time of the answer.
    pub server_time: Millis,
}

/// The reason given for a rejection that came without one.
pub const UNSPECIFIED_REJECTION: &str = "UNSPECIFIED";

/// Parses an RFC 3339 time into Unix milliseconds.
pub fn parse_time(value: &str) -> Result<Millis, TransportError> {
    let parsed = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .map_err(|e| TransportError::UnexpectedBody { detail: format!("time {value:?}: {e}") })?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| TransportError::UnexpectedBody { detail: format!("time {value:?} out of range") })
}

/// Formats Unix milliseconds as RFC 3339 (UTC).
pub fn format_time(millis: Millis) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

#[derive(Deserialize)]
struct RegisteredBody {
    device_id: String,
    device_secret: Option<String>,
}

#[derive(Deserialize)]
struct NonceBody {
    nonce: String,
    audience: String,
    server_time: String,
}

/// A nonce the service issued for one presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentationNonce {
    /// The nonce.
    pub nonce: String,
    /// The audience the key binding names.
    pub audience: String,
    /// The service's time at issue (the key binding's `iat`).
    pub server_time: Millis,
}

/// `device_key` of the registration: the public half and its proof, base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKeyRegistration {
    /// The public key as the platform gave it.
    pub public_key: String,
    /// The signature over the registration statement.
    pub proof: String,
}

#[derive(Deserialize)]
struct CreatedBody {
    request_id: String,
    path: String,
    flags: FlagsBody,
    fast_path: String,
    #[serde(default)]
    verified_id_issued_at: Option<String>,
    server_time: String,
}

#[derive(Deserialize)]
struct FlagsBody {
    liveness_prompt: bool,
    verified_id: bool,
}

#[derive(Deserialize)]
struct DenialBody {
    reason_code: String,
    message: Option<String>,
}

#[derive(Deserialize)]
struct StatusBody {
    state: String,
    version: i64,
    #[serde(default)]
    submitted_at: Option<String>,
    #[serde(default)]
    deadline: Option<String>,
    #[serde(default)]
    call_id: Option<String>,
    #[serde(default)]
    joined_at: Option<String>,
    #[serde(default)]
    left_at: Option<String>,
    #[serde(default)]
    seconds_in_call: Option<i64>,
    #[serde(default)]
    denial: Option<DenialBody>,
    server_time: String,
}

#[derive(Deserialize)]
struct ServerTimeBody {
    server_time: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TapBody {
    id: String,
    temporary_access_pass: Option<String>,
    start_date_time: String,
    lifetime_in_minutes: u32,
    is_usable_once: bool,
    method_usability_reason: String,
}

#[derive(Deserialize)]
struct VerifiedIdBody {
    jws: String,
    issued_at: String,
    expires_at: String,
}

#[derive(Deserialize)]
struct LivenessChallengeBody {
    challenge_id: String,
    action: String,
    #[serde(default)]
    actions: Vec<String>,
    expires_at: String,
    min_frames: u32,
    max_frames: u32,
    server_time: String,
}

/// The liveness fields of the request the upload answers with.
#[derive(Deserialize)]
struct LivenessJudgedBody {
    liveness_result: Option<String>,
    #[serde(default)]
    liveness_reason: Option<String>,
    server_time: String,
}

fn liveness_verdict_from(body: LivenessJudgedBody) -> Result<LivenessVerdict, TransportError> {
    let passed = match body.liveness_result.as_deref() {
        Some("passed") => true,
        Some("failed") => false,
        other => return Err(TransportError::UnexpectedBody { detail: format!("liveness result {other:?} after judging the frames") }),
    };
    let reason = if passed { None } else { Some(body.liveness_reason.unwrap_or_else(|| UNSPECIFIED_REJECTION.to_owned())) };
    Ok(LivenessVerdict { passed, reason, server_time: parse_time(&body.server_time)? })
}

/// The body of `POST …/liveness`: `{"challenge_id": …, "frames": [{"timestamp_ms": …,
/// "jpeg_base64": …}, …]}`, written into one buffer of its final size, so no reallocation
/// leaves a copy of the faces behind in freed memory (the transport keeps the buffer for
/// retries and drops it after).
fn liveness_frames_body(challenge_id: &str, frames: &[CapturedSelfie]) -> Result<Vec<u8>, TransportError> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let id = serde_json::to_vec(challenge_id).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })?;
    // `{"timestamp_ms":<20 digits>,"jpeg_base64":"…"},` per frame, plus the frame's base64.
    let per_frame = 48 + 20;
    let capacity = 64 + id.len() + frames.iter().map(|f| per_frame + f.expose_jpeg().len().div_ceil(3) * 4).sum::<usize>();
    let mut body = Vec::with_capacity(capacity);
    body.extend_from_slice(b"{\"challenge_id\":");
    body.extend_from_slice(&id);
    body.extend_from_slice(b",\"frames\":[");
    for (index, frame) in frames.iter().enumerate() {
        if index > 0 {
            body.push(b',');
        }
        body.extend_from_slice(format!("{{\"timestamp_ms\":{},\"jpeg_base64\":\"", frame.captured_at_ms()).as_bytes());
        let start = body.len();
        let encoded = frame.expose_jpeg().len().div_ceil(3) * 4;
        body.resize(start + encoded, 0);
        let written = engine
            .encode_slice(frame.expose_jpeg(), &mut body[start..])
            .map_err(|e| TransportError::UnexpectedBody { detail: format!("frame encoding: {e}") })?;
        body.truncate(start + written);
        body.extend_from_slice(b"\"}");
    }
    body.extend_from_slice(b"]}");
    Ok(body)
}

#[derive(Deserialize)]
struct PartnerSessionBody {
    session_id: String,
    handoff_url: String,
    expires_at: String,
    server_time: String,
}

#[derive(Deserialize)]
struct GovernmentIdBody {
    status: String,
    #[serde(default)]
    reason: Option<String>,
    server_time: String,
}

/// Reads a success body of `GET …/government-id` as the client does (the fuzz target
/// `service_answer` feeds it anything).
pub fn read_government_id_verdict(body: &[u8]) -> Result<GovernmentIdVerdict, TransportError> {
    verdict_from(crate::transport::parse_body(body)?)
}

fn verdict_from(body: GovernmentIdBody) -> Result<GovernmentIdVerdict, TransportError> {
    let outcome = match body.status.as_str() {
        "pending" => None,
        "verified" => Some(GovernmentIdOutcome::Verified),
        "rejected" => Some(GovernmentIdOutcome::Rejected { reason: body.reason.unwrap_or_else(|| UNSPECIFIED_REJECTION.to_owned()) }),
        "expired" => Some(GovernmentIdOutcome::Expired),
        other => return Err(TransportError::UnexpectedBody { detail: format!("unknown government-ID status {other:?}") }),
    };
    Ok(GovernmentIdVerdict { outcome, server_time: parse_time(&body.server_time)? })
}

/// The shell opens the hand-off page in a browser, so only a web page is accepted: HTTPS, or
/// plain HTTP to this machine (the reference partner in tests), never another scheme a
/// browser or the OS would act on (`javascript:`, `intent:`, a custom app scheme).
fn handoff_url_from(value: String) -> Result<String, TransportError> {
    let url = reqwest::Url::parse(&value).map_err(|e| TransportError::UnexpectedBody { detail: format!("hand-off URL: {e}") })?;
    let loopback = url.host_str().is_some_and(crate::transport::is_loopback);
    match url.scheme() {
        "https" => Ok(value),
        "http" if loopback => Ok(value),
        other => {
            Err(TransportError::UnexpectedBody { detail: format!("hand-off URL with scheme {other:?} to a non-loopback host or scheme") })
        }
    }
}

fn path_from(value: &str) -> Result<OnboardingPath, TransportError> {
    match value {
        "get_tap" => Ok(OnboardingPath::GetTap),
        "get_passkey" => Ok(OnboardingPath::GetPasskey),
        "legacy_dob" => Ok(OnboardingPath::LegacyDob),
        other => Err(TransportError::UnexpectedBody { detail: format!("unknown path {other:?}") }),
    }
}

fn usability_from(value: &str) -> Result<TapUsability, TransportError> {
    Ok(match value {
        "EnabledByPolicy" => TapUsability::EnabledByPolicy,
        "DisabledByPolicy" => TapUsability::DisabledByPolicy,
        "Expired" => TapUsability::Expired,
        "NotYetValid" => TapUsability::NotYetValid,
        "OneTimeUsed" => TapUsability::OneTimeUsed,
        other => return Err(TransportError::UnexpectedBody { detail: format!("unknown usability {other:?}") }),
    })
}

/// Reads a success body of `POST …/submit` or `GET …/status` as the client does (the fuzz
/// target `service_answer` feeds it anything).
pub fn read_status_update(body: &[u8]) -> Result<StatusUpdate, TransportError> {
    status_from(crate::transport::parse_body(body)?)
}

fn status_from(body: StatusBody) -> Result<StatusUpdate, TransportError> {
    let time = |v: &Option<String>| v.as_deref().map(parse_time).transpose();
    let server_time = parse_time(&body.server_time)?;
    let status = match body.state.as_str() {
        "draft" => None,
        // The status answer carries the deadline (submission + 24 h), the request view both.
        "waiting_for_reviewer" => Some(ReviewStatus::WaitingForReviewer {
            submitted_at: match (time(&body.submitted_at)?, time(&body.deadline)?) {
                (Some(submitted), _) => submitted,
                (None, Some(deadline)) => deadline - REVIEW_WINDOW_MS,
                (None, None) => server_time,
            },
        }),
        "call_invited" => Some(ReviewStatus::CallInvited { call_id: body.call_id.unwrap_or_default() }),
        // The service keeps the request `in_call` after the user left (they may join again);
        // `left_at` says they are out, and `seconds_in_call` how long they were in.
        "in_call" => match time(&body.left_at)? {
            Some(left_at) => Some(ReviewStatus::LeftCall {
                call_id: body.call_id.unwrap_or_default(),
                left_at,
                seconds_in_call: body.seconds_in_call.unwrap_or(0).max(0),
            }),
            None => Some(ReviewStatus::InCall {
                call_id: body.call_id.unwrap_or_default(),
                joined_at: time(&body.joined_at)?.unwrap_or(server_time),
            }),
        },
        "approved" => Some(ReviewStatus::Approved),
        "denied" => {
            let denial = body.denial.unwrap_or(DenialBody { reason_code: "DENIED".into(), message: None });
            Some(ReviewStatus::Denied { reason_code: denial.reason_code, message: denial.message.unwrap_or_default() })
        }
        "expired" => Some(ReviewStatus::Expired),
        other => return Err(TransportError::UnexpectedBody { detail: format!("unknown state {other:?}") }),
    };
    Ok(StatusUpdate { version: body.version, status, server_time })
}

fn staff_kind_str(kind: StaffKind) -> &'static str {
    match kind {
        StaffKind::Employee => "employee",
        StaffKind::External => "external",
    }
}

/// The identity fields of `POST /v1/requests`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentityClaim {
    /// Work email.
    pub upn: String,
    /// Employee ID.
    pub employee_id: String,
    /// Optional personal email.
    pub personal_email: Option<String>,
    /// `employee` | `external`.
    pub staff_kind: StaffKind,
}

/// The typed API client.
#[derive(Clone)]
pub struct ServiceClient {
    transport: HttpTransport,
}

impl ServiceClient {
    /// A client over `transport`.
    pub fn new(transport: HttpTransport) -> Self {
        Self { transport }
    }

    /// The service's address (the call's media is reached by the same route).
    pub fn base_url(&self) -> &reqwest::Url {
        self.transport.base_url()
    }

    /// `POST /v1/devices` with the device's own secret (64 hex digits): the service never sends
    /// a secret back, so an answer lost on the network is simply asked for again.
    pub async fn register_device(
        &self,
        platform: DevicePlatform,
        device_secret: &SecretString,
        device_key: &DeviceKeyRegistration,
        key: &IdempotencyKey,
    ) -> Result<DeviceAuth, TransportError> {
        let platform = match platform {
            DevicePlatform::Android => "android",
            DevicePlatform::AndroidChina => "android_china",
            DevicePlatform::Ios => "ios",
        };
        let mut request = ServiceRequest::new(Method::POST, "v1/devices");
        request.idempotency_key = Some(key);
        request.json = Some(json!({
            "platform": platform,
            "device_secret": device_secret.expose_secret(),
            "device_key": { "public_key": device_key.public_key, "proof": device_key.proof },
        }));
        let body: RegisteredBody = self.transport.send_json(request).await?;
        if body.device_secret.is_some() {
            return Err(TransportError::UnexpectedBody { detail: "the service replaced the device's secret".into() });
        }
        let bearer = SecretString::new(format!("{}.{}", body.device_id, device_secret.expose_secret()));
        Ok(DeviceAuth { bearer, device_id: body.device_id })
    }

    fn authed<'a>(auth: &'a DeviceAuth, method: Method, path: &'a str, key: Option<&'a IdempotencyKey>) -> ServiceRequest<'a> {
        let mut request = ServiceRequest::new(method, path);
        request.bearer = Some(&auth.bearer);
        request.idempotency_key = key;
        request
    }

    /// `POST /v1/devices/push-token`.
    pub async fn register_push_token(
        &self,
        auth: &DeviceAuth,
        kind: PushKind,
        token: &SecretString,
        key: &IdempotencyKey,
    ) -> Result<(), TransportError> {
        let kind = match kind {
            PushKind::Fcm => "fcm",
            PushKind::Apns => "apns",
        };
        let mut request = Self::authed(auth, Method::POST, "v1/devices/push-token", Some(key));
        request.json = Some(json!({ "kind": kind, "token": token.expose_secret() }));
        self.transport.send(request).await.map(|_| ())
    }

    /// `POST /v1/requests`: identity entry with the consent given before it; the service
    /// picks the path.
    pub async fn create_request(
        &self,
        auth: &DeviceAuth,
        claim: &IdentityClaim,
        consent: (&str, Millis),
        verified_id: Option<(&SecretString, &str)>,
        key: &IdempotencyKey,
    ) -> Result<Created, TransportError> {
        let mut body = json!({
            "upn": claim.upn,
            "employee_id": claim.employee_id,
            "staff_kind": staff_kind_str(claim.staff_kind),
            "terms_version": consent.0,
            "consent_accepted_at": format_time(consent.1),
        });
        if let Some(email) = &claim.personal_email {
            body["personal_email"] = json!(email);
        }
        if let Some((jws, _)) = verified_id {
            body["verified_id"] = json!(jws.expose_secret());
        }
        let mut request = Self::authed(auth, Method::POST, "v1/requests", Some(key));
        request.json = Some(body);
        request.key_binding = verified_id.map(|(_, binding)| binding);
        let body: CreatedBody = self.transport.send_json(request).await?;
        Ok(Created {
            path: path_from(&body.path)?,
            flags: RolloutFlags { liveness_prompt: body.flags.liveness_prompt, verified_id: body.flags.verified_id },
            fast_path: body.fast_path == "eligible",
            verified_id_issued_at: body.verified_id_issued_at.as_deref().map(parse_time).transpose()?,
            server_time: parse_time(&body.server_time)?,
            request_id: body.request_id,
        })
    }

    async fn post_for_time(
        &self,
        auth: &DeviceAuth,
        path: &str,
        json: Option<serde_json::Value>,
        key: &IdempotencyKey,
    ) -> Result<Millis, TransportError> {
        let mut request = Self::authed(auth, Method::POST, path, Some(key));
        request.json = json;
        let body: ServerTimeBody = self.transport.send_json(request).await?;
        parse_time(&body.server_time)
    }

    /// `POST …/date-of-birth` (legacy path).
    pub async fn confirm_date_of_birth(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        date_of_birth: &str,
        key: &IdempotencyKey,
    ) -> Result<Millis, TransportError> {
        let path = format!("v1/requests/{request_id}/date-of-birth");
        self.post_for_time(auth, &path, Some(json!({ "date_of_birth": date_of_birth })), key).await
    }

    /// `POST …/government-id/session`: the service opens a session with the government-ID
    /// partner and answers with the page to hand the user off to. Resent with the same key, it
    /// answers the same session.
    pub async fn open_partner_session(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        key: &IdempotencyKey,
    ) -> Result<PartnerSession, TransportError> {
        let path = format!("v1/requests/{request_id}/government-id/session");
        let mut request = Self::authed(auth, Method::POST, &path, Some(key));
        request.json = Some(json!({}));
        let body: PartnerSessionBody = self.transport.send_json(request).await?;
        Ok(PartnerSession {
            session_id: body.session_id,
            handoff_url: handoff_url_from(body.handoff_url)?,
            expires_at: parse_time(&body.expires_at)?,
            server_time: parse_time(&body.server_time)?,
        })
    }

    /// `GET …/government-id`: the verdict the partner reported to the service, if it has.
    pub async fn government_id_verdict(&self, auth: &DeviceAuth, request_id: &str) -> Result<GovernmentIdVerdict, TransportError> {
        let path = format!("v1/requests/{request_id}/government-id");
        read_government_id_verdict(&self.transport.send(Self::authed(auth, Method::GET, &path, None)).await?)
    }

    /// `POST …/selfie` with the JPEG as the body.
    pub async fn upload_selfie(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        jpeg: &[u8],
        key: &IdempotencyKey,
    ) -> Result<Millis, TransportError> {
        let path = format!("v1/requests/{request_id}/selfie");
        let body = self.transport.send_bytes(Self::authed(auth, Method::POST, &path, Some(key)), "image/jpeg", jpeg.to_vec()).await?;
        let body: ServerTimeBody = serde_json::from_slice(&body).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })?;
        parse_time(&body.server_time)
    }

    /// `POST …/liveness/challenge`: a single-use challenge to capture the frames for.
    pub async fn liveness_challenge(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        key: &IdempotencyKey,
    ) -> Result<LivenessChallenge, TransportError> {
        let path = format!("v1/requests/{request_id}/liveness/challenge");
        let mut request = Self::authed(auth, Method::POST, &path, Some(key));
        // The service draws the sequence. `supports_actions` is for services from before "move
        // closer" was retired, which gave that lesser challenge to phones that did not say so.
        request.json = Some(json!({ "supports_actions": true }));
        let body: LivenessChallengeBody = self.transport.send_json(request).await?;
        let actions = body
            .actions
            .iter()
            .map(|code| {
                Action::from_code(code).ok_or_else(|| TransportError::UnexpectedBody { detail: format!("liveness action {code:?}") })
            })
            .collect::<Result<Vec<Action>, TransportError>>()?;
        // A challenge without actions is "move closer", which this phone no longer runs (a
        // photo passed it): an answer it cannot use, not a challenge passed by doing nothing.
        if actions.is_empty() {
            return Err(TransportError::UnexpectedBody { detail: format!("liveness challenge {:?} without actions", body.action) });
        }
        Ok(LivenessChallenge {
            challenge_id: body.challenge_id,
            action: body.action,
            actions,
            expires_at: parse_time(&body.expires_at)?,
            min_frames: body.min_frames,
            max_frames: body.max_frames,
            server_time: parse_time(&body.server_time)?,
        })
    }

    /// `POST …/liveness`: the frames captured for `challenge_id` (JPEGs with their camera
    /// timestamps, in order), for the service to judge. Its verdict is the answer; the phone's
    /// own result is not sent.
    pub async fn submit_liveness_frames(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        challenge_id: &str,
        frames: &[CapturedSelfie],
        key: &IdempotencyKey,
    ) -> Result<LivenessVerdict, TransportError> {
        let path = format!("v1/requests/{request_id}/liveness");
        let body = liveness_frames_body(challenge_id, frames)?;
        let answer = self.transport.send_bytes(Self::authed(auth, Method::POST, &path, Some(key)), "application/json", body).await?;
        let body: LivenessJudgedBody =
            serde_json::from_slice(&answer).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })?;
        liveness_verdict_from(body)
    }

    /// `POST …/verified-id/presentation`, with the presentation's key binding.
    pub async fn present_verified_id(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        jws: &SecretString,
        key_binding: &str,
        key: &IdempotencyKey,
    ) -> Result<Millis, TransportError> {
        let path = format!("v1/requests/{request_id}/verified-id/presentation");
        let mut request = Self::authed(auth, Method::POST, &path, Some(key));
        request.json = Some(json!({ "jws": jws.expose_secret() }));
        request.key_binding = Some(key_binding);
        let body: ServerTimeBody = self.transport.send_json(request).await?;
        parse_time(&body.server_time)
    }

    /// `POST /v1/verified-id/nonce`: a single-use nonce for the next presentation. Asking twice
    /// is harmless (an unspent nonce expires), so each ask has its own idempotency key.
    pub async fn presentation_nonce(&self, auth: &DeviceAuth) -> Result<PresentationNonce, TransportError> {
        let key = IdempotencyKey::generate().map_err(|_| TransportError::Network { detail: "no randomness for a key".into() })?;
        let request = Self::authed(auth, Method::POST, "v1/verified-id/nonce", Some(&key));
        let body: NonceBody = self.transport.send_json(request).await?;
        Ok(PresentationNonce { nonce: body.nonce, audience: body.audience, server_time: parse_time(&body.server_time)? })
    }

    /// `GET …/verified-id`; `None` when none was issued (404).
    pub async fn verified_id(&self, auth: &DeviceAuth, request_id: &str) -> Result<Option<VerifiedIdCredential>, TransportError> {
        let path = format!("v1/requests/{request_id}/verified-id");
        match self.transport.send_json::<VerifiedIdBody>(Self::authed(auth, Method::GET, &path, None)).await {
            Ok(body) => Ok(Some(VerifiedIdCredential {
                jws: SecretString::new(body.jws),
                issued_at: parse_time(&body.issued_at)?,
                expires_at: parse_time(&body.expires_at)?,
            })),
            Err(TransportError::Service { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST …/submit`: to the reviewer (or approved at once on the fast path).
    pub async fn submit(&self, auth: &DeviceAuth, request_id: &str, key: &IdempotencyKey) -> Result<StatusUpdate, TransportError> {
        let path = format!("v1/requests/{request_id}/submit");
        read_status_update(&self.transport.send(Self::authed(auth, Method::POST, &path, Some(key))).await?)
    }

    /// `GET …/status`, long-polling up to `wait_seconds` for a version other than `after`.
    pub async fn status(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        after: Option<i64>,
        wait_seconds: u32,
    ) -> Result<StatusUpdate, TransportError> {
        let mut path = format!("v1/requests/{request_id}/status?wait={wait_seconds}");
        if let Some(version) = after {
            path.push_str(&format!("&after_version={version}"));
        }
        let mut request = Self::authed(auth, Method::GET, &path, None);
        request.timeout = Some(std::time::Duration::from_secs(u64::from(wait_seconds) + 15));
        read_status_update(&self.transport.send(request).await?)
    }

    /// `POST …/tap`: the TAP, whose code is in this answer only. The service issues one per
    /// approval; `replace_lost` asks for a replacement of one whose code never reached the
    /// user (`{"replaceLost": true}`), which revokes it.
    pub async fn create_tap(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        replace_lost: bool,
        key: &IdempotencyKey,
    ) -> Result<(TapGrant, Millis), TransportError> {
        let path = format!("v1/requests/{request_id}/tap");
        let mut request = Self::authed(auth, Method::POST, &path, Some(key));
        request.json = Some(if replace_lost { json!({ "replaceLost": true }) } else { json!({}) });
        let body = self.transport.send(request).await?;
        let server_time = Self::header_free_now(&body)?;
        let body: TapBody = serde_json::from_slice(&body).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })?;
        let Some(code) = body.temporary_access_pass else {
            return Err(TransportError::UnexpectedBody { detail: "the TAP code was already delivered".into() });
        };
        let grant = TapGrant {
            id: body.id,
            code: SecretString::new(code),
            start_at: parse_time(&body.start_date_time)?,
            lifetime_minutes: body.lifetime_in_minutes,
            is_usable_once: body.is_usable_once,
            usability: usability_from(&body.method_usability_reason)?,
        };
        Ok((grant, server_time))
    }

    // The TAP answer has no server_time; its createdDateTime is the service's "now".
    fn header_free_now(body: &[u8]) -> Result<Millis, TransportError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Created {
            created_date_time: String,
        }
        let created: Created = serde_json::from_slice(body).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })?;
        parse_time(&created.created_date_time)
    }

    /// `POST …/passkey/options`: WebAuthn creation options (JSON text, passed through).
    pub async fn passkey_options(&self, auth: &DeviceAuth, request_id: &str, key: &IdempotencyKey) -> Result<String, TransportError> {
        let path = format!("v1/requests/{request_id}/passkey/options");
        let body = self.transport.send(Self::authed(auth, Method::POST, &path, Some(key))).await?;
        String::from_utf8(body).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })
    }

    /// `POST …/passkey/attestation`. The answer has no service time; callers that need one
    /// ask `status` next.
    pub async fn passkey_attestation(
        &self,
        auth: &DeviceAuth,
        request_id: &str,
        response_json: &str,
        key: &IdempotencyKey,
    ) -> Result<(), TransportError> {
        let path = format!("v1/requests/{request_id}/passkey/attestation");
        let value: serde_json::Value = serde_json::from_str(response_json)
            .map_err(|e| TransportError::UnexpectedBody { detail: format!("attestation is not JSON: {e}") })?;
        let mut request = Self::authed(auth, Method::POST, &path, Some(key));
        request.json = Some(value);
        self.transport.send(request).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(json: serde_json::Value) -> Result<GovernmentIdVerdict, TransportError> {
        let body: GovernmentIdBody = serde_json::from_value(json).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })?;
        verdict_from(body)
    }

    #[test]
    fn each_government_id_status_reads_as_the_flow_understands_it() {
        let at = "2026-11-20T00:00:05Z";
        let millis = parse_time(at).expect("time");
        let cases = [
            (json!({ "status": "pending", "reason": null, "server_time": at }), None),
            (json!({ "status": "verified", "reason": null, "server_time": at }), Some(GovernmentIdOutcome::Verified)),
            (
                json!({ "status": "rejected", "reason": "GLARE", "server_time": at }),
                Some(GovernmentIdOutcome::Rejected { reason: "GLARE".into() }),
            ),
            (
                json!({ "status": "rejected", "reason": null, "server_time": at }),
                Some(GovernmentIdOutcome::Rejected { reason: UNSPECIFIED_REJECTION.into() }),
            ),
            (json!({ "status": "expired", "server_time": at }), Some(GovernmentIdOutcome::Expired)),
        ];
        for (body, outcome) in cases {
            assert_eq!(verdict(body.clone()).ok(), Some(GovernmentIdVerdict { outcome, server_time: millis }), "{body}");
        }
        assert!(matches!(verdict(json!({ "status": "maybe", "server_time": at })), Err(TransportError::UnexpectedBody { .. })));
        assert!(matches!(verdict(json!({ "status": "verified" })), Err(TransportError::UnexpectedBody { .. })));
    }

    #[test]
    fn a_user_the_service_saw_leave_reads_as_out_of_the_call_with_the_services_count() {
        let at = "2026-11-20T00:00:30Z";
        let millis = |t: &str| parse_time(t).expect("time");
        let read = |json: serde_json::Value| read_status_update(json.to_string().as_bytes()).map(|update| update.status);
        let in_call = json!({ "state": "in_call", "version": 7, "call_id": "call_1", "joined_at": "2026-11-20T00:00:10Z",
                              "left_at": null, "seconds_in_call": 20, "server_time": at });
        assert_eq!(
            read(in_call).ok(),
            Some(Some(ReviewStatus::InCall { call_id: "call_1".into(), joined_at: millis("2026-11-20T00:00:10Z") }))
        );
        let left = json!({ "state": "in_call", "version": 8, "call_id": "call_1", "joined_at": "2026-11-20T00:00:10Z",
                           "left_at": "2026-11-20T00:00:15Z", "seconds_in_call": 5, "server_time": at });
        assert_eq!(
            read(left).ok(),
            Some(Some(ReviewStatus::LeftCall { call_id: "call_1".into(), left_at: millis("2026-11-20T00:00:15Z"), seconds_in_call: 5 }))
        );
        // A service from before the count: out of the call, nothing counted.
        let older = json!({ "state": "in_call", "version": 8, "call_id": "call_1", "left_at": "2026-11-20T00:00:15Z", "server_time": at });
        assert!(matches!(read(older), Ok(Some(ReviewStatus::LeftCall { seconds_in_call: 0, .. }))));
        let garbled = json!({ "state": "in_call", "version": 8, "left_at": "yesterday", "server_time": at });
        assert!(matches!(read(garbled), Err(TransportError::UnexpectedBody { .. })));
    }

    #[test]
    fn the_liveness_upload_is_the_contracts_json_with_every_frame_in_order() {
        use base64::Engine as _;
        use identity_pass_core::selfie::{Frame, PixelFormat, Plane};
        let pixels = vec![128u8; 320 * 240 * 3];
        let frame = Frame::new(320, 240, PixelFormat::Rgb, &[Plane { data: &pixels, row_stride: 960, pixel_stride: 3 }]).expect("frame");
        let frames: Vec<CapturedSelfie> = [1_000, 1_100, 1_234]
            .into_iter()
            .map(|t| identity_pass_core::selfie::capture::evidence_frame(&frame, t).expect("encoded"))
            .collect();
        let body = liveness_frames_body("lc_\"1", &frames).expect("a body");
        let parsed: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(parsed["challenge_id"], "lc_\"1");
        let sent = parsed["frames"].as_array().expect("frames");
        assert_eq!(sent.len(), 3);
        for (sent, frame) in sent.iter().zip(&frames) {
            assert_eq!(sent["timestamp_ms"], frame.captured_at_ms());
            let jpeg = base64::engine::general_purpose::STANDARD.decode(sent["jpeg_base64"].as_str().expect("base64")).expect("decodes");
            assert_eq!(jpeg, frame.expose_jpeg());
        }
        assert!(liveness_frames_body("lc", &[]).is_ok_and(|b| b == br#"{"challenge_id":"lc","frames":[]}"#));
    }

    #[test]
    fn the_services_liveness_verdict_reads_as_the_flow_understands_it() {
        let at = "2026-11-20T00:00:05Z";
        let millis = parse_time(at).expect("time");
        let read = |json: serde_json::Value| {
            serde_json::from_value::<LivenessJudgedBody>(json)
                .map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })
                .and_then(liveness_verdict_from)
        };
        let passed = read(json!({ "liveness_result": "passed", "liveness_reason": null, "server_time": at, "state": "draft" }));
        assert_eq!(passed.ok(), Some(LivenessVerdict { passed: true, reason: None, server_time: millis }));
        let failed = read(json!({ "liveness_result": "failed", "liveness_reason": "INCOMPLETE", "server_time": at }));
        assert_eq!(failed.ok(), Some(LivenessVerdict { passed: false, reason: Some("INCOMPLETE".into()), server_time: millis }));
        let bare = read(json!({ "liveness_result": "failed", "server_time": at }));
        assert_eq!(bare.ok().and_then(|v| v.reason).as_deref(), Some(UNSPECIFIED_REJECTION));
        for body in [json!({ "liveness_result": null, "server_time": at }), json!({ "liveness_result": "maybe", "server_time": at })] {
            assert!(matches!(read(body.clone()), Err(TransportError::UnexpectedBody { .. })), "{body}");
        }
    }

    #[test]
    fn only_a_web_page_is_accepted_as_the_hand_off() {
        for ok in ["https://partner.example/sessions/ps_1?token=t", "http://127.0.0.1:8123/sessions/ps_1?token=t", "http://localhost/s"] {
            assert_eq!(handoff_url_from(ok.to_owned()).ok().as_deref(), Some(ok));
        }
        for refused in ["http://partner.example/sessions/ps_1", "javascript:alert(1)", "intent://scan#Intent;end", "not a url"] {
            assert!(matches!(handoff_url_from(refused.to_owned()), Err(TransportError::UnexpectedBody { .. })), "{refused}");
        }
    }
}
