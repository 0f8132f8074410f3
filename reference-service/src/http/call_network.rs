//! The ICE configuration of a reviewer's call (`domain::call_network`): the STUN and TURN
//! servers, with this side's TURN credential. The request's own device and its assigned
//! reviewer may ask, and only while the call is on (started, not yet decided): a credential is
//! a key to a paid relay, so nobody else gets one and nobody gets one for a call that is over.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::clock::to_rfc3339;
use crate::domain::call;
use crate::domain::call_network::{CallSide, IceServer};
use crate::domain::request::OnboardingRequest;
use crate::http::auth::{DeviceAuth, ReviewerAuth};
use crate::http::call_access;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// `CallIceServers` in openapi.yaml.
#[derive(Debug, Serialize)]
pub struct CallIceServersView {
    /// In the shape of WebRTC's `RTCIceServer`, so a browser takes the list as it is.
    pub ice_servers: Vec<IceServerView>,
    /// WebRTC's `iceTransportPolicy`: `relay` when the deployment sends every call through
    /// its relays (the sides then offer relayed candidates only), else `all`.
    pub ice_transport_policy: &'static str,
    /// When the TURN credentials expire, RFC 3339.
    pub expires_at: String,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// One `RTCIceServer`.
#[derive(Debug, Serialize)]
pub struct IceServerView {
    /// The server's URLs.
    pub urls: Vec<String>,
    /// TURN only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// TURN only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

impl From<IceServer> for IceServerView {
    fn from(server: IceServer) -> Self {
        Self { urls: server.urls, username: server.username, credential: server.credential.map(|c| c.expose().to_owned()) }
    }
}

/// The configuration for `side` of `request`'s call, which must be on.
fn answer(state: &AppState, request: &OnboardingRequest, side: CallSide, now: i64) -> ApiResult<Response> {
    let call_id = call::ongoing_call_id(request)?;
    let (servers, expires_at) = state.call_network.ice_servers(call_id, side, now);
    let view = CallIceServersView {
        ice_servers: servers.into_iter().map(IceServerView::from).collect(),
        ice_transport_policy: if state.call_network.relay_only { "relay" } else { "all" },
        expires_at: to_rfc3339(expires_at),
        server_time: to_rfc3339(now),
    };
    // The answer carries a password: no cache keeps it.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}

/// `GET /v1/requests/{id}/call/ice-servers`: the device's side.
pub async fn for_device(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let request = call_access::device_request(&state, &device, &id)?;
    answer(&state, &request, CallSide::Device, state.now())
}

/// `GET /v1/review/requests/{id}/call/ice-servers`: the assigned reviewer's side.
pub async fn for_reviewer(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let request = call_access::reviewer_request(&state, &reviewer, &id)?;
    answer(&state, &request, CallSide::Reviewer, state.now())
}
