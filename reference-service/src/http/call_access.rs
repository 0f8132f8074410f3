//! Who takes part in a request's call: the request's own device and its assigned reviewer.
//! Everyone else is answered as if the request did not exist (`404 REQUEST_NOT_FOUND`), as
//! everywhere in the service. Whether the call is on is the caller's next question
//! (`domain::call::ongoing_call_id`).

use crate::domain::request::OnboardingRequest;
use crate::http::auth::{DeviceAuth, ReviewerAuth};
use crate::http::error::ApiResult;
use crate::state::AppState;
use crate::store;

/// Request `id`, if it is `device`'s (requests past their deadline expired first).
pub fn device_request(state: &AppState, device: &DeviceAuth, id: &str) -> ApiResult<OnboardingRequest> {
    let connection = state.db.lock()?;
    store::review::expire_overdue(&connection, state.now())?;
    Ok(store::requests::load_owned(&connection, id, &device.device_id)?)
}

/// Request `id`, if `reviewer` is assigned to it (requests past their deadline expired first).
pub fn reviewer_request(state: &AppState, reviewer: &ReviewerAuth, id: &str) -> ApiResult<OnboardingRequest> {
    let connection = state.db.lock()?;
    store::review::expire_overdue(&connection, state.now())?;
    let request = store::requests::load(&connection, id)?;
    reviewer.require_assigned(state, &connection, &request.upn)?;
    Ok(request)
}
