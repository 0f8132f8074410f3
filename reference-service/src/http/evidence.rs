//! The selfie the phone uploads (the government-ID verdict is the partner's, `government_id.rs`;
//! liveness is judged by the service from frames, `liveness.rs`). The image must pass
//! `domain::face_image` (JPEG, size, dimensions, exactly one face) before it is stored;
//! retention is `store::retention`'s.

use crate::domain::face_image::validate_jpeg;
use crate::http::auth::DeviceAuth;
use crate::http::draft::{check_draft, update_draft};
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::Answer;
use crate::state::AppState;
use crate::store;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};

/// `POST /v1/requests/{id}/selfie` with `Content-Type: image/jpeg`.
pub async fn selfie(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Answer> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type != "image/jpeg" {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "IMAGE_NOT_JPEG", "send Content-Type: image/jpeg"));
    }
    // Whose request, first: a stranger's upload is refused before a byte of it is decoded. Then
    // the image checks, off the async workers (a face search takes tens of milliseconds).
    check_draft(&state, &id, &device)?;
    let (image, face_check) = (body.clone(), state.face_check.clone());
    AppState::run_bounded(&state.image_analyses, move || validate_jpeg(&image, face_check.as_ref()))
        .await
        .map_err(ApiError::internal)??;
    let (answer, ()) = update_draft(&state, &id, &device, |connection, request, now| {
        Ok(store::evidence::save_selfie(connection, &request.id, &body, now)?)
    })?;
    Ok(answer)
}
