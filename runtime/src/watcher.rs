//! Following the review: long-poll by default (the China build has no push), plain polling as
//! a fallback and for comparison, and an immediate look when a push arrives.

use std::sync::Arc;
use std::time::Duration;

use identity_pass_core::flow::Event;
use identity_pass_core::flow::review::ReviewStatus;

use crate::actor::Command;
use crate::service_client::DeviceAuth;
use crate::session::Shared;

/// How review updates are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMode {
    /// The service holds each request up to `wait_seconds` until something changes.
    LongPoll {
        /// At most 30 (the service's cap).
        wait_seconds: u32,
    },
    /// Ask, then sleep `interval`, then ask again.
    Poll {
        /// Time between two questions.
        interval: Duration,
    },
}

fn is_final(status: &ReviewStatus) -> bool {
    matches!(status, ReviewStatus::Approved | ReviewStatus::Denied { .. } | ReviewStatus::Expired)
}

/// Follows `request_id` until its review ends, delivering every change to the actor. Network
/// failures are waited out with backoff (1 s doubling to 30 s): the watch never gives up on
/// its own; the actor stops it when the flow moves on.
pub(crate) async fn follow(shared: Arc<Shared>, auth: DeviceAuth, request_id: String) {
    let mut after: Option<i64> = None;
    let mut backoff = Duration::from_secs(1);
    loop {
        let wait = match shared.status_mode {
            // The first question answers at once with the current state; later ones wait.
            StatusMode::LongPoll { wait_seconds } if after.is_some() => wait_seconds.min(30),
            StatusMode::LongPoll { .. } => 0,
            StatusMode::Poll { .. } => 0,
        };
        match shared.client.status(&auth, &request_id, after, wait).await {
            Ok(update) => {
                backoff = Duration::from_secs(1);
                if after != Some(update.version) {
                    after = Some(update.version);
                    if let Some(status) = update.status {
                        let done = is_final(&status);
                        let event = Event::ReviewUpdated { status, server_time: update.server_time };
                        if shared.commands.send(Command::Apply(event)).is_err() || done {
                            return;
                        }
                    }
                }
                if let StatusMode::Poll { interval } = shared.status_mode {
                    tokio::time::sleep(interval).await;
                }
            }
            Err(error) => {
                tracing::debug!(%error, ?backoff, "status watch failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// One look at the status (after a push), delivered like any watch update.
pub(crate) async fn check_once(shared: Arc<Shared>, auth: DeviceAuth, request_id: String) {
    if let Ok(update) = shared.client.status(&auth, &request_id, None, 0).await
        && let Some(status) = update.status
    {
        let _ = shared.commands.send(Command::Apply(Event::ReviewUpdated { status, server_time: update.server_time }));
    }
}
