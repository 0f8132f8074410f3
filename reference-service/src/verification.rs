//! Identity evidence: the government-ID partner's result, the selfie, the liveness result — and
//! their retention. Selfies are JPEG only (magic bytes, must decode, size and dimension limits)
//! and must show exactly one face ([`FaceCheck`], by default the core's detector). Retention (seed 000, step 8): selfies are deleted 24 h
//! after upload and liveness captures 48 h after capture, by [`purge`], which takes the time as
//! an argument so tests can move it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::DeviceAuth;
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::face_check::FaceCheck;
use crate::requests::update_draft;
use crate::state::AppState;

/// Selfies are deleted this long after upload.
pub const SELFIE_RETENTION_SECONDS: i64 = 24 * 3600;
/// Liveness captures are deleted this long after capture.
pub const LIVENESS_RETENTION_SECONDS: i64 = 48 * 3600;
/// Smallest accepted JPEG.
pub const MIN_JPEG_BYTES: usize = 1024;
/// Largest accepted JPEG.
pub const MAX_JPEG_BYTES: usize = 5 * 1024 * 1024;
/// Smallest accepted width and height.
pub const MIN_DIMENSION: u32 = 240;
/// Largest accepted width and height.
pub const MAX_DIMENSION: u32 = 4096;

/// Checks that `bytes` are an acceptable JPEG showing exactly one face.
pub fn validate_jpeg(bytes: &[u8], face_check: &dyn FaceCheck) -> ApiResult<()> {
    if bytes.len() > MAX_JPEG_BYTES {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "IMAGE_TOO_LARGE", format!("at most {MAX_JPEG_BYTES} bytes")));
    }
    if bytes.len() < MIN_JPEG_BYTES {
        return Err(ApiError::bad_request("IMAGE_TOO_SMALL", format!("at least {MIN_JPEG_BYTES} bytes")));
    }
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "IMAGE_NOT_JPEG", "only JPEG images are accepted"));
    }
    // Decoders fill in a truncated scan silently, so the end-of-image marker is checked too.
    let end = bytes.iter().rposition(|&b| b != 0).unwrap_or(0);
    if end < 1 || bytes[end - 1..=end] != [0xFF, 0xD9] {
        return Err(ApiError::bad_request("IMAGE_UNREADABLE", "the JPEG is truncated"));
    }
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
        .map_err(|_| ApiError::bad_request("IMAGE_UNREADABLE", "the JPEG does not decode"))?;
    let (width, height) = (image.width(), image.height());
    let fits = |d: u32| (MIN_DIMENSION..=MAX_DIMENSION).contains(&d);
    if !fits(width) || !fits(height) {
        return Err(ApiError::unprocessable(
            "IMAGE_DIMENSIONS_INVALID",
            format!("width and height must be {MIN_DIMENSION}–{MAX_DIMENSION} pixels"),
        ));
    }
    match face_check.count_faces(&image).map_err(ApiError::internal)? {
        0 => Err(ApiError::unprocessable("NO_FACE_DETECTED", "no face found; face the camera in good light")),
        1 => Ok(()),
        _ => Err(ApiError::unprocessable("MULTIPLE_FACES_DETECTED", "more than one face; only the applicant may be in the picture")),
    }
}

/// Partner result body of `POST /v1/requests/{id}/government-id`.
#[derive(Debug, Deserialize)]
pub struct GovernmentIdResult {
    /// `verified`, `rejected` or `expired`.
    pub result: String,
    /// Why, when rejected.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /v1/requests/{id}/government-id`: records the partner's (AU10TIX) result.
pub async fn government_id(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<GovernmentIdResult>,
) -> ApiResult<axum::Json<Value>> {
    let reason = match (body.result.as_str(), body.reason.as_deref().map(str::trim)) {
        ("verified" | "expired", _) => None,
        ("rejected", Some(reason)) if !reason.is_empty() && reason.len() <= 200 => Some(reason.to_owned()),
        ("rejected", _) => return Err(ApiError::bad_request("REASON_REQUIRED", "a rejected result needs a reason")),
        _ => return Err(ApiError::bad_request("RESULT_INVALID", "result must be verified, rejected or expired")),
    };
    let view = update_draft(&state, &id, &device, |connection, record, now| {
        crate::verified_id::on_government_id_result(connection, &state.signer, record, &body.result, now)?;
        connection.execute(
            "UPDATE requests SET government_id_result = ?1, government_id_reason = ?2 WHERE id = ?3",
            rusqlite::params![body.result, reason, record.id],
        )?;
        Ok(())
    })?;
    Ok(axum::Json(view))
}

/// `POST /v1/requests/{id}/selfie` with `Content-Type: image/jpeg`.
pub async fn selfie(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<axum::Json<Value>> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type != "image/jpeg" {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "IMAGE_NOT_JPEG", "send Content-Type: image/jpeg"));
    }
    validate_jpeg(&body, state.face_check.as_ref())?;
    let view = update_draft(&state, &id, &device, |connection, record, now| {
        connection.execute(
            "INSERT OR REPLACE INTO selfies (request_id, jpeg, uploaded_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![record.id, body.as_ref(), now],
        )?;
        connection.execute("UPDATE requests SET selfie_uploaded_at = ?1 WHERE id = ?2", rusqlite::params![now, record.id])?;
        Ok(())
    })?;
    Ok(axum::Json(view))
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
) -> ApiResult<axum::Json<Value>> {
    let reason = match (body.result.as_str(), body.reason.as_deref().map(str::trim)) {
        ("passed", _) => None,
        ("failed", Some(reason)) if !reason.is_empty() && reason.len() <= 200 => Some(reason.to_owned()),
        ("failed", _) => return Err(ApiError::bad_request("REASON_REQUIRED", "a failed result needs a reason")),
        _ => return Err(ApiError::bad_request("RESULT_INVALID", "result must be passed or failed")),
    };
    let capture = match &body.capture_jpeg_base64 {
        Some(text) => {
            let bytes = STANDARD.decode(text).map_err(|_| ApiError::bad_request("CAPTURE_INVALID", "capture_jpeg_base64 is not base64"))?;
            validate_jpeg(&bytes, state.face_check.as_ref())?;
            Some(bytes)
        }
        None => None,
    };
    let view = update_draft(&state, &id, &device, |connection, record, now| {
        connection.execute(
            "UPDATE requests SET liveness_result = ?1, liveness_reason = ?2 WHERE id = ?3",
            rusqlite::params![body.result, reason, record.id],
        )?;
        if let Some(bytes) = &capture {
            connection.execute(
                "INSERT OR REPLACE INTO liveness_captures (request_id, jpeg, captured_at) VALUES (?1, ?2, ?3)",
                rusqlite::params![record.id, bytes, now],
            )?;
        }
        Ok(())
    })?;
    Ok(axum::Json(view))
}

/// What a purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Selfies older than 24 h.
    pub selfies: usize,
    /// Liveness captures older than 48 h.
    pub liveness_captures: usize,
    /// Requests whose reviewer window passed.
    pub expired_requests: usize,
    /// Stored idempotent answers older than 24 h.
    pub idempotency_records: usize,
}

/// Enforces retention at `now`.
pub fn purge(connection: &rusqlite::Connection, now: i64) -> rusqlite::Result<PurgeReport> {
    Ok(PurgeReport {
        selfies: connection.execute("DELETE FROM selfies WHERE uploaded_at <= ?1", [now - SELFIE_RETENTION_SECONDS])?,
        liveness_captures: connection
            .execute("DELETE FROM liveness_captures WHERE captured_at <= ?1", [now - LIVENESS_RETENTION_SECONDS])?,
        expired_requests: crate::review::expire_overdue(connection, now)?,
        idempotency_records: crate::idempotency::purge(connection, now)?,
    })
}
