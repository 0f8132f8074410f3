//! The government-ID check, server to server (seed 001's partner, AU10TIX): the phone asks the
//! service to open a partner session and gets only the hand-off URL; the partner posts its
//! signed verdict to `POST /v1/partner/callback`; the phone reads the verdict back with
//! `GET /v1/requests/{id}/government-id`. No endpoint takes a verdict from the phone.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::partner::{PartnerSession, accept_verdict};
use crate::domain::verified_id::issue_on_government_id;
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{ApiBytes, ApiJson};
use crate::http::idempotency::{Answer, commit};
use crate::http::verified_id::issue_verified_id;
use crate::partner::CallbackRefused;
use crate::state::AppState;
use crate::store;

/// Answer of `POST /v1/requests/{id}/government-id/session`.
#[derive(Serialize)]
pub struct SessionView {
    /// The partner's session id.
    pub session_id: String,
    /// Where the app sends the user (the partner's page or SDK hand-off).
    pub handoff_url: String,
    /// When the session ends, RFC 3339.
    pub expires_at: String,
    /// Server time, RFC 3339.
    pub server_time: String,
}

impl SessionView {
    fn new(session: &PartnerSession, now: i64) -> Self {
        Self {
            session_id: session.id.clone(),
            handoff_url: session.handoff_url.clone(),
            expires_at: to_rfc3339(session.expires_at),
            server_time: to_rfc3339(now),
        }
    }
}

/// Body of `POST /v1/requests/{id}/government-id/session`: nothing yet (an object, so fields
/// can be added).
#[derive(Debug, Deserialize)]
pub struct OpenSession {}

/// `POST /v1/requests/{id}/government-id/session`: the request's open session, or a new one
/// the partner opens now.
pub async fn open_session(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(_body): ApiJson<OpenSession>,
) -> ApiResult<Answer> {
    let now = state.now();
    let open = {
        let connection = state.db.lock()?;
        let request = store::requests::load_owned(&connection, &id, &device.device_id)?;
        request.require_draft()?;
        request.require_confirmed_identity()?;
        if request.government_id_result.as_deref() == Some("verified") {
            return Err(DomainError::GovernmentIdAlreadyVerified.into());
        }
        store::partner_sessions::latest(&connection, &id)?.filter(|s| s.is_open(now))
    };
    let (session, opened_now) = match open {
        Some(open) => (open, false),
        None => {
            // The partner is called without the database lock held. A kill before the session
            // is stored leaves it unknown here; it expires at the partner, and the retry opens
            // another.
            let opened = state.partner.open_session(&id, &state.partner_callback_url).await.map_err(|unavailable| {
                tracing::warn!(%unavailable, "partner session not opened");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "PARTNER_UNAVAILABLE",
                    "the ID check partner cannot be reached; try again shortly",
                )
            })?;
            let session = PartnerSession {
                id: opened.session_id,
                request_id: id,
                handoff_url: opened.handoff_url,
                opened_at: now,
                expires_at: opened.expires_at,
                result: None,
                reason: None,
            };
            (session, true)
        }
    };
    let ((), answer) = commit(&state, |connection| {
        if opened_now {
            store::partner_sessions::insert(connection, &session)?;
        }
        Ok(((), Answer::json(StatusCode::OK, &SessionView::new(&session, now))?))
    })?;
    Ok(answer)
}

/// Answer of `GET /v1/requests/{id}/government-id`.
#[derive(Serialize)]
pub struct VerdictView {
    /// `pending`, `verified`, `rejected` or `expired`.
    pub status: &'static str,
    /// The partner's reason, for `rejected`.
    pub reason: Option<String>,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// `GET /v1/requests/{id}/government-id`: the verdict of the request's newest partner session.
pub async fn verdict(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Json<VerdictView>> {
    let now = state.now();
    let connection = state.db.lock()?;
    store::requests::load_owned(&connection, &id, &device.device_id)?;
    let session = store::partner_sessions::latest(&connection, &id)?.ok_or(DomainError::PartnerSessionNotOpened)?;
    let status = session.status(now);
    Ok(Json(VerdictView { status: status.as_str(), reason: session.reason, server_time: to_rfc3339(now) }))
}

/// The partner's callback body.
#[derive(Debug, Deserialize)]
pub struct Callback {
    /// Unique per verdict; a second delivery is refused.
    pub event_id: String,
    /// The partner's session.
    pub session_id: String,
    /// `verified`, `rejected` or `expired`.
    pub result: String,
    /// Why, for `rejected`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /v1/partner/callback`: the partner's signed verdict. The signature is checked on the
/// exact bytes before anything is parsed; then the event must be new, the session known and
/// still waiting, and the request a draft. Only then is anything written.
pub async fn callback(State(state): State<AppState>, headers: HeaderMap, ApiBytes(body): ApiBytes) -> ApiResult<StatusCode> {
    let now = state.now();
    let signature = headers.get(state.partner.signature_header()).and_then(|v| v.to_str().ok());
    state.partner.verify_callback(signature, &body, now).map_err(|refused| {
        let message = match refused {
            CallbackRefused::SignatureMissing => "sign the callback",
            CallbackRefused::SignatureInvalid => "the signature does not match",
            CallbackRefused::Stale => "the signature's time is outside the accepted window",
        };
        ApiError::new(StatusCode::UNAUTHORIZED, "PARTNER_SIGNATURE_INVALID", message)
    })?;
    let callback: Callback = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("CALLBACK_INVALID", "event_id, session_id and result are required"))?;
    // One transaction: the event is marked applied only with its verdict (a kill between the
    // two would refuse the partner's redelivery as a replay and lose the verdict for good).
    state.db.transaction(|connection| {
        if store::partner_sessions::event_seen(connection, &callback.event_id)? {
            return Err(ApiError::conflict("PARTNER_EVENT_REPLAYED", "this event was applied already"));
        }
        let session = store::partner_sessions::load(connection, &callback.session_id)?;
        let verdict = accept_verdict(&session, &callback.result, callback.reason.as_deref(), now)?;
        let request = store::requests::load(connection, &session.request_id)?;
        request.require_draft()?;
        let already_issued = store::verified_ids::issued_for_request(connection, &request.id)?;
        let issue = issue_on_government_id(&request, &verdict.result, already_issued)?;
        store::partner_sessions::record_event(connection, &callback.event_id, &session.id, now)?;
        store::partner_sessions::record_verdict(connection, &session.id, &verdict)?;
        store::evidence::record_government_id(connection, &request.id, &verdict.result, verdict.reason.as_deref())?;
        if issue {
            issue_verified_id(connection, &state.signer, &request, now)?;
        }
        Ok(store::requests::bump_version(connection, &request.id)?)
    })?;
    state.announce_change();
    Ok(StatusCode::NO_CONTENT)
}
