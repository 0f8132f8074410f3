//! The user's attendance in the reviewer's call, taken from what the service sees in the
//! call's media session (`call_media`), not from anyone's word: their media flowing is a join,
//! its stopping is a leave, under the rules of `domain::call`. The 15-second rule and the
//! reviewer's decision then read those times.
//!
//! The reviewer's own media is logged by the room and changes nothing here: the rules are
//! about the user.

use tokio::sync::mpsc;

use crate::call_media::{MediaEvent, MediaObservation};
use crate::domain::audit::AuditAction;
use crate::domain::call::{self, AttendanceChange};
use crate::domain::call_network::CallSide;
use crate::state::AppState;
use crate::store::{self, StoreError};

/// The audit log's actor for what the media session observed.
pub const MEDIA_SESSION_ACTOR: &str = "service:call-media";

/// Applies the rooms' observations, in order, until the service stops.
pub async fn apply_observations(state: AppState, mut observations: mpsc::UnboundedReceiver<MediaObservation>) {
    while let Some(observation) = observations.recv().await {
        match apply(&state, &observation) {
            Ok(Some(change)) => tracing::info!(call_id = %observation.call_id, ?change, "call attendance"),
            Ok(None) => {}
            Err(error) => tracing::warn!(call_id = %observation.call_id, %error, "call attendance not recorded"),
        }
    }
}

/// Records what `observation` means for its request, if anything.
fn apply(state: &AppState, observation: &MediaObservation) -> Result<Option<AttendanceChange>, StoreError> {
    if observation.side != CallSide::Device {
        return Ok(None);
    }
    let now = state.now();
    let change = state.db.transaction(|connection| {
        let Some(request) = store::requests::find_by_call_id(connection, &observation.call_id)? else { return Ok(None) };
        let Some(change) = call::attendance_change(&request, observation.event == MediaEvent::Flowing) else { return Ok(None) };
        let action = match change {
            AttendanceChange::Joined => {
                store::review::record_join(connection, &request.id, now, call::seconds_before_rejoin(&request))?;
                AuditAction::UserJoined
            }
            AttendanceChange::Left => {
                store::review::record_leave(connection, &request.id, now)?;
                AuditAction::UserLeft
            }
        };
        store::requests::bump_version(connection, &request.id)?;
        store::audit::record(connection, now, MEDIA_SESSION_ACTOR, action, Some(&request.id), None)?;
        Ok::<_, StoreError>(Some(change))
    })?;
    if change.is_some() {
        state.announce_change();
    }
    Ok(change)
}
