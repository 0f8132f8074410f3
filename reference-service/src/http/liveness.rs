//! Liveness, judged by the service: `POST /v1/requests/{id}/liveness/challenge` issues a
//! single-use challenge; `POST /v1/requests/{id}/liveness` takes the frames the phone captured
//! for it and answers the service's verdict (`domain::liveness_check`). There is no way to
//! state a result.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::liveness_check::{self, Asked, CHALLENGE_LIFETIME_SECONDS, LivenessChallenge, MAX_FRAMES, MIN_FRAMES, UploadedFrame};
use crate::http::auth::DeviceAuth;
use crate::http::draft::update_draft;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::secrets::{new_id, random_bytes, sha256};
use crate::state::AppState;
use crate::store;

/// Body of `POST /v1/requests/{id}/liveness/challenge`: nothing the service acts on. Phones
/// send `supports_actions: true` from when a lesser challenge ("move closer") was offered to
/// those that did not; it is accepted and ignored, since every phone is given actions.
#[derive(Debug, Deserialize)]
pub struct ChallengeRequest {}

/// Answer of `POST /v1/requests/{id}/liveness/challenge`.
#[derive(Debug, Serialize)]
pub struct ChallengeView {
    /// The challenge's id: the nonce the upload must name.
    pub challenge_id: String,
    /// The kind of challenge: always `actions` (do `actions` in order).
    pub action: &'static str,
    /// The actions, in the order they must be done (`turn_left`, `turn_right`, `blink`,
    /// `come_closer`).
    pub actions: Vec<&'static str>,
    /// Each action must be done within this many milliseconds of the previous one.
    pub per_action_ms: u64,
    /// When frames stop being accepted, RFC 3339.
    pub expires_at: String,
    /// Fewest frames the service judges.
    pub min_frames: usize,
    /// Most frames it accepts.
    pub max_frames: usize,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// `POST /v1/requests/{id}/liveness/challenge`.
pub async fn challenge(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(ChallengeRequest {}): ApiJson<ChallengeRequest>,
) -> ApiResult<Answer> {
    let now = state.now();
    // Drawn here, from the service's randomness: a recording made for one attempt does not fit
    // the next, and nothing the phone says lowers the bar.
    let asked = Asked::random_actions(random_bytes()?);
    let challenge = LivenessChallenge {
        id: new_id("lc")?,
        request_id: id.clone(),
        action: asked.stored(),
        issued_at: now,
        expires_at: now.saturating_add(CHALLENGE_LIFETIME_SECONDS),
        used_at: None,
    };
    let view = ChallengeView {
        challenge_id: challenge.id.clone(),
        action: liveness_check::ACTIONS,
        actions: asked.action_codes(),
        per_action_ms: identity_pass_core::selfie::face_model::ChallengeLimits::default().per_action_ms,
        expires_at: to_rfc3339(challenge.expires_at),
        min_frames: MIN_FRAMES,
        max_frames: MAX_FRAMES,
        server_time: to_rfc3339(now),
    };
    let ((), answer) = commit(&state, |connection| {
        let request = store::requests::load_owned(connection, &id, &device.device_id)?;
        request.require_draft()?;
        request.require_confirmed_identity()?;
        store::liveness_challenges::insert(connection, &challenge)?;
        Ok(((), Answer::json(StatusCode::OK, &view)?))
    })?;
    Ok(answer)
}

/// One frame of the upload. No `Debug`: it is a picture of the user's face.
#[derive(Deserialize)]
pub struct FrameUpload {
    /// The camera's timestamp, ms.
    pub timestamp_ms: u64,
    /// The frame, JPEG, base64.
    pub jpeg_base64: String,
}

/// Body of `POST /v1/requests/{id}/liveness`. No `Debug`: it carries face images.
#[derive(Deserialize)]
pub struct LivenessFrames {
    /// The challenge these frames were captured for.
    pub challenge_id: String,
    /// The frames, in capture order.
    pub frames: Vec<FrameUpload>,
}

/// `POST /v1/requests/{id}/liveness`: judges the challenge's frames and records the verdict
/// (and, for the reviewer, the last frame with a face, kept 48 h).
pub async fn submit(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LivenessFrames>,
) -> ApiResult<Answer> {
    let mut frames = Vec::with_capacity(body.frames.len().min(MAX_FRAMES));
    for frame in body.frames.into_iter().take(MAX_FRAMES.saturating_add(1)) {
        let jpeg = STANDARD
            .decode(frame.jpeg_base64)
            .map_err(|_| ApiError::bad_request("CAPTURE_INVALID", "each frame's jpeg_base64 must be base64"))?;
        frames.push(UploadedFrame { timestamp_ms: frame.timestamp_ms, jpeg });
    }
    liveness_check::check_upload(&frames)?;
    let digests: Vec<Vec<u8>> = frames.iter().map(|f| sha256(&f.jpeg)).collect();
    let now = state.now();
    // Every cheap refusal before any decoding: ownership, the challenge, frames seen before.
    let action = {
        let connection = state.db.lock()?;
        let request = store::requests::load_owned(&connection, &id, &device.device_id)?;
        request.require_draft()?;
        request.require_confirmed_identity()?;
        let challenge = store::liveness_challenges::load(&connection, &id, &body.challenge_id)?;
        challenge.check_usable(now)?;
        if store::liveness_challenges::any_judged_elsewhere(&connection, &challenge.id, &digests)? {
            return Err(DomainError::LivenessFramesReused.into());
        }
        challenge.action
    };
    // Decoding and the face search are CPU work: off the async workers, a bounded number at once.
    let (verdict, frames) = AppState::run_bounded(&state.image_analyses, move || (liveness_check::judge(&action, &frames), frames))
        .await
        .map_err(|e| ApiError::internal(format!("liveness judging stopped: {e}")))?;
    let verdict = verdict?;
    let capture = verdict.capture_index.and_then(|i| frames.get(i)).map(|f| f.jpeg.as_slice());
    let challenge_id = body.challenge_id;
    let (answer, ()) = update_draft(&state, &id, &device, |connection, request, now| {
        // Judged once: a concurrent upload for the same challenge lost the race.
        store::liveness_challenges::load(connection, &request.id, &challenge_id)?.check_usable(now)?;
        store::liveness_challenges::mark_judged(connection, &challenge_id, &digests, now)?;
        Ok(store::evidence::record_liveness(connection, &request.id, verdict.result, verdict.reason, capture, now)?)
    })?;
    Ok(answer)
}
