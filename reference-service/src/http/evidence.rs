//! Identity evidence: the government-ID partner's result, the selfie, the liveness result and
//! its capture. The images must pass `domain::face_image` (JPEG, size, dimensions, exactly one
//! face) before anything is stored; retention is `store::retention`'s.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::domain::evidence::{government_id_reason, liveness_reason};
use crate::domain::face_image::validate_jpeg;
use crate::domain::verified_id::issue_on_government_id;
use crate::http::auth::DeviceAuth;
use crate::http::draft::update_draft;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::request_view::RequestView;
use crate::http::verified_id::issue_verified_id;
use crate::state::AppState;
use crate::store;

/// Partner result body of `POST /v1/requests/{id}/government-id`.
#[derive(Debug, Deserialize)]
pub struct GovernmentIdResult {
    /// `verified`, `rejected` or `expired`.
    pub result: String,
    /// Why, when rejected.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /v1/requests/{id}/government-id`: records the partner's (AU10TIX) result; on the
/// passkey path `verified` issues the Verified ID.
pub async fn government_id(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GovernmentIdResult>,
) -> ApiResult<Json<RequestView>> {
    let reason = government_id_reason(&body.result, body.reason.as_deref())?;
    let (view, ()) = update_draft(&state, &id, &device, |connection, request, now| {
        let already_issued = store::verified_ids::issued_for_request(connection, &request.id)?;
        if issue_on_government_id(request, &body.result, already_issued)? {
            issue_verified_id(connection, &state.signer, request, now)?;
        }
        Ok(store::evidence::record_government_id(connection, &request.id, &body.result, reason.as_deref())?)
    })?;
    Ok(Json(view))
}

/// `POST /v1/requests/{id}/selfie` with `Content-Type: image/jpeg`.
pub async fn selfie(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<RequestView>> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type != "image/jpeg" {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "IMAGE_NOT_JPEG", "send Content-Type: image/jpeg"));
    }
    validate_jpeg(&body, state.face_check.as_ref())?;
    let (view, ()) = update_draft(&state, &id, &device, |connection, request, now| {
        Ok(store::evidence::save_selfie(connection, &request.id, &body, now)?)
    })?;
    Ok(Json(view))
}

/// Body of `POST /v1/requests/{id}/liveness`. No `Debug`: it may carry a face capture.
#[derive(Deserialize)]
pub struct LivenessResult {
    /// `passed` or `failed`.
    pub result: String,
    /// Why, when failed.
    #[serde(default)]
    pub reason: Option<String>,
    /// The capture (JPEG, base64), kept 48 h for comparison with the badge photo.
    #[serde(default)]
    pub capture_jpeg_base64: Option<String>,
}

/// `POST /v1/requests/{id}/liveness`.
pub async fn liveness(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LivenessResult>,
) -> ApiResult<Json<RequestView>> {
    let reason = liveness_reason(&body.result, body.reason.as_deref())?;
    let capture = match &body.capture_jpeg_base64 {
        Some(text) => {
            let bytes = STANDARD.decode(text).map_err(|_| ApiError::bad_request("CAPTURE_INVALID", "capture_jpeg_base64 is not base64"))?;
            validate_jpeg(&bytes, state.face_check.as_ref())?;
            Some(bytes)
        }
        None => None,
    };
    let (view, ()) = update_draft(&state, &id, &device, |connection, request, now| {
        Ok(store::evidence::record_liveness(connection, &request.id, &body.result, reason.as_deref(), capture.as_deref(), now)?)
    })?;
    Ok(Json(view))
}
