//! A side's media session in a reviewer's call (`call_media`): the side posts its WebRTC offer
//! and gets the service's answer, in the shape of the browser's `RTCSessionDescriptionInit`.
//! The request's own device and its assigned reviewer may, while the call is on; a second
//! offer from the same side replaces its session (how a side comes back after a cut).
//!
//! No trickle: the service is ICE-lite and its answer carries its one candidate, and a side's
//! own candidates are learnt from its connectivity checks, so one round trip is the signalling.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::domain::call;
use crate::domain::call_network::CallSide;
use crate::domain::request::OnboardingRequest;
use crate::http::auth::{DeviceAuth, ReviewerAuth};
use crate::http::call_access;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::state::AppState;

/// `SessionDescription` in openapi.yaml: WebRTC's `RTCSessionDescriptionInit`.
#[derive(Debug, Deserialize, Serialize)]
pub struct SessionDescription {
    /// `offer` from a side, `answer` from the service.
    #[serde(rename = "type")]
    pub kind: String,
    /// The SDP text.
    pub sdp: String,
}

/// Answers `side`'s offer for `request`'s call, which must be on.
async fn answer(state: &AppState, request: &OnboardingRequest, side: CallSide, offer: SessionDescription) -> ApiResult<Response> {
    let call_id = call::ongoing_call_id(request)?;
    if offer.kind != "offer" {
        return Err(ApiError::unprocessable("CALL_OFFER_INVALID", "the session description's type must be `offer`"));
    }
    let sdp = state.call_media.answer(call_id, side, &offer.sdp).await?;
    let answer = SessionDescription { kind: "answer".to_owned(), sdp };
    // The answer holds the session's ICE password and DTLS fingerprint: no cache keeps it.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response())
}

/// `POST /v1/requests/{id}/call/session`: the device's side.
pub async fn for_device(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(offer): ApiJson<SessionDescription>,
) -> ApiResult<Response> {
    let request = call_access::device_request(&state, &device, &id)?;
    answer(&state, &request, CallSide::Device, offer).await
}

/// `POST /v1/review/requests/{id}/call/session`: the assigned reviewer's side.
pub async fn for_reviewer(
    State(state): State<AppState>,
    reviewer: ReviewerAuth,
    Path(id): Path<String>,
    ApiJson(offer): ApiJson<SessionDescription>,
) -> ApiResult<Response> {
    let request = call_access::reviewer_request(&state, &reviewer, &id)?;
    answer(&state, &request, CallSide::Reviewer, offer).await
}
