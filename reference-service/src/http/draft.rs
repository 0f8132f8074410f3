//! Changing a draft request: the one way evidence, consent, the Verified ID presentation and
//! submission write. Each loads the caller's own request, checks it is still a draft (and, for
//! evidence and submission, that its identity is confirmed), runs its change, bumps the version
//! and fixes the answer (the request's view) in one transaction ([`commit`]), then wakes the
//! long-polls.

use axum::http::StatusCode;

use crate::domain::request::OnboardingRequest;
use crate::http::auth::DeviceAuth;
use crate::http::error::ApiResult;
use crate::http::idempotency::{Answer, commit};
use crate::http::request_view::RequestView;
use crate::state::AppState;
use crate::store::{self, Connection};

/// Runs `change` on a draft request owned by `device` whose identity is confirmed; answers the
/// view after the change (`200`), and returns what `change` returned.
pub fn update_draft<T>(
    state: &AppState,
    id: &str,
    device: &DeviceAuth,
    change: impl FnOnce(&Connection, &OnboardingRequest, i64) -> ApiResult<T>,
) -> ApiResult<(Answer, T)> {
    update_draft_at_any_identity_check(state, id, device, |connection, request, now| {
        request.require_confirmed_identity()?;
        change(connection, request, now)
    })
}

/// The checks of [`update_draft`] without a change: for work too costly to do under the
/// database's lock or for a stranger (decoding an uploaded image), done before that work.
/// `update_draft` checks again when it writes, so nothing changes in between unnoticed.
pub fn check_draft(state: &AppState, id: &str, device: &DeviceAuth) -> ApiResult<()> {
    let connection = state.db.lock()?;
    let request = store::requests::load_owned(&connection, id, &device.device_id)?;
    request.require_draft()?;
    Ok(request.require_confirmed_identity()?)
}

/// Like [`update_draft`], but also for a request whose identity is not confirmed yet (consent,
/// a Verified ID presentation).
pub fn update_draft_at_any_identity_check<T>(
    state: &AppState,
    id: &str,
    device: &DeviceAuth,
    change: impl FnOnce(&Connection, &OnboardingRequest, i64) -> ApiResult<T>,
) -> ApiResult<(Answer, T)> {
    let now = state.now();
    let (outcome, answer) = commit(state, |connection| {
        let request = store::requests::load_owned(connection, id, &device.device_id)?;
        request.require_draft()?;
        let outcome = change(connection, &request, now)?;
        store::requests::bump_version(connection, id)?;
        let view = RequestView::new(&store::requests::load(connection, id)?, now);
        Ok((outcome, Answer::json(StatusCode::OK, &view)?))
    })?;
    state.announce_change();
    Ok((answer, outcome))
}
