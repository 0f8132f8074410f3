//! What the reviewer decides with (seeds 000 and 001): the evidence view of a submitted request
//! — the requester, the partner's verdict, the liveness result, which images can be shown and
//! until when — and the images themselves, the selfie, the liveness capture and the badge photo.
//!
//! Reviewer only. Any submitted request can be looked at (pending, decided or expired), a draft
//! cannot; retention applies on every read (`domain::review_evidence`), so an image past its
//! period answers 410 even when the purge has not run. Images are never cached: they are faces,
//! and a shared or browser cache would outlive the retention period.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::audit::AuditAction;
use crate::domain::directory::BadgePhoto;
use crate::domain::review_evidence::{self, EvidenceRecord};
use crate::http::auth::ReviewerAuth;
use crate::http::error::ApiResult;
use crate::state::AppState;
use crate::store;

/// Answer of `GET /v1/review/requests/{id}/evidence` (`ReviewEvidence` in openapi.yaml).
#[derive(Debug, Serialize)]
pub struct EvidenceView {
    /// Id.
    pub request_id: String,
    /// Request state.
    pub state: &'static str,
    /// Work email.
    pub upn: String,
    /// The directory's employee ID.
    pub employee_id: String,
    /// `employee` or `external`.
    pub staff_kind: &'static str,
    /// The personal email given in the identity step.
    pub personal_email: Option<String>,
    /// `get_tap`, `get_passkey` or `legacy_dob`.
    pub path: &'static str,
    /// The partner's verdict: `verified`, `rejected` or `expired`.
    pub government_id_result: Option<String>,
    /// The partner's reason, when rejected.
    pub government_id_reason: Option<String>,
    /// `passed` or `failed`.
    pub liveness_result: Option<String>,
    /// Why the liveness check failed.
    pub liveness_reason: Option<String>,
    /// Whether `GET …/selfie` answers the image now.
    pub selfie_available: bool,
    /// Whether `GET …/liveness-capture` answers the image now.
    pub liveness_capture_available: bool,
    /// Whether `GET …/badge-photo` answers the image now.
    pub badge_photo_available: bool,
    /// The reviewer's deadline, RFC 3339.
    pub deadline_at: Option<String>,
    /// Upload plus 24 h, RFC 3339 (in the past once expired).
    pub selfie_available_until: Option<String>,
    /// Capture plus 48 h, RFC 3339; null when no capture is stored.
    pub liveness_capture_available_until: Option<String>,
    /// Server time, RFC 3339.
    pub server_time: String,
}

impl EvidenceView {
    fn new(record: EvidenceRecord, badge_photo_on_file: bool, now: i64) -> Self {
        let request = record.request;
        let selfie = review_evidence::selfie(&request, now);
        let capture = review_evidence::liveness_capture(record.liveness_captured_at, now);
        Self {
            request_id: request.id,
            state: request.state.as_str(),
            upn: request.upn,
            employee_id: record.employee_id,
            staff_kind: record.staff_kind.as_str(),
            personal_email: record.personal_email,
            path: request.path.as_str(),
            government_id_result: request.government_id_result,
            government_id_reason: record.government_id_reason,
            liveness_result: request.liveness_result,
            liveness_reason: record.liveness_reason,
            selfie_available: selfie.is_available(),
            liveness_capture_available: capture.is_available(),
            badge_photo_available: review_evidence::badge_photo(badge_photo_on_file).is_available(),
            deadline_at: request.deadline_at.map(to_rfc3339),
            selfie_available_until: selfie.until().map(to_rfc3339),
            liveness_capture_available_until: capture.until().map(to_rfc3339),
            server_time: to_rfc3339(now),
        }
    }
}

/// The badge photo of the request's requester, from the directory.
fn badge_photo_of<'a>(state: &'a AppState, record: &EvidenceRecord) -> Option<&'a BadgePhoto> {
    state.directory.find(&record.request.upn).and_then(|entry| entry.badge_photo.as_ref())
}

/// Loads submitted request `id` for a reviewer, expiring overdue requests first so the state
/// shown is the current one.
fn load_submitted(
    state: &AppState,
    connection: &store::Connection,
    reviewer: &ReviewerAuth,
    id: &str,
    now: i64,
) -> ApiResult<EvidenceRecord> {
    if store::review::expire_overdue(connection, now)? > 0 {
        state.announce_change();
    }
    let record = store::review_evidence::load(connection, id)?;
    reviewer.require_assigned(state, connection, &record.request.upn)?;
    review_evidence::require_submitted(&record.request)?;
    Ok(record)
}

/// `GET /v1/review/requests/{id}/evidence`.
pub async fn evidence(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let now = state.now();
    let connection = state.db.lock()?;
    let record = load_submitted(&state, &connection, &reviewer, &id, now)?;
    reviewer.audit(&connection, now, AuditAction::EvidenceViewed, Some(&id), None)?;
    drop(connection);
    let badge_photo_on_file = badge_photo_of(&state, &record).is_some();
    // Personal data: no cache keeps it.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(EvidenceView::new(record, badge_photo_on_file, now))).into_response())
}

/// A JPEG answer nothing may cache or sniff.
fn jpeg(bytes: Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /v1/review/requests/{id}/selfie`: 410 from 24 h after the upload.
pub async fn selfie(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let now = state.now();
    let connection = state.db.lock()?;
    let record = load_submitted(&state, &connection, &reviewer, &id, now)?;
    review_evidence::selfie(&record.request, now).require()?;
    let bytes = store::review_evidence::selfie_jpeg(&connection, &id)?.ok_or(DomainError::EvidenceNotFound)?;
    reviewer.audit(&connection, now, AuditAction::SelfieViewed, Some(&id), None)?;
    Ok(jpeg(Bytes::from(bytes)))
}

/// `GET /v1/review/requests/{id}/liveness-capture`: 410 from 48 h after the capture.
pub async fn liveness_capture(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let now = state.now();
    let connection = state.db.lock()?;
    let record = load_submitted(&state, &connection, &reviewer, &id, now)?;
    review_evidence::liveness_capture(record.liveness_captured_at, now).require()?;
    let bytes = store::review_evidence::liveness_capture_jpeg(&connection, &id)?.ok_or(DomainError::EvidenceNotFound)?;
    reviewer.audit(&connection, now, AuditAction::LivenessCaptureViewed, Some(&id), None)?;
    Ok(jpeg(Bytes::from(bytes)))
}

/// `GET /v1/review/requests/{id}/badge-photo`: the requester's badge photo from the directory.
pub async fn badge_photo(State(state): State<AppState>, reviewer: ReviewerAuth, Path(id): Path<String>) -> ApiResult<Response> {
    let now = state.now();
    let connection = state.db.lock()?;
    let record = load_submitted(&state, &connection, &reviewer, &id, now)?;
    let photo = badge_photo_of(&state, &record).ok_or(DomainError::EvidenceNotFound)?;
    reviewer.audit(&connection, now, AuditAction::BadgePhotoViewed, Some(&id), None)?;
    Ok(jpeg(Bytes::copy_from_slice(photo.jpeg())))
}
