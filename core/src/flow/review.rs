//! The human review (seed 000 steps 9–11, seed 001 steps 25–28).
//!
//! submitted → waiting for the reviewer (who has 24 hours to call) → call invitation → in the
//! call (the user must stay at least 15 seconds) → decision. The reviewer's window is computed
//! from the service's `submitted_at`, on the service's clock.

use super::clock::{Deadline, HOUR_MS, Timestamp};
use super::effect::Effect;
use super::event::Event;
use super::permissions::Permission;
use super::{Notice, OnboardingFlow, Rejection, Step};
use crate::messages::flow as msg;
use crate::messages::untrusted::{display_code, display_text};

/// The reviewer has this long from submission to start the call.
pub const REVIEWER_WINDOW_MS: i64 = 24 * HOUR_MS;
/// The user must stay in the call at least this long.
pub const MIN_CALL_MS: i64 = 15_000;

/// The review status the service reports (contract: review).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReviewStatus {
    /// Received by the service.
    Submitted {
        /// Server time of submission.
        submitted_at: Timestamp,
    },
    /// Queued for a reviewer.
    WaitingForReviewer {
        /// Server time of submission (the window is `submitted_at + 24 h`).
        submitted_at: Timestamp,
    },
    /// The reviewer started a call and invites the user.
    CallInvited {
        /// The call.
        call_id: String,
    },
    /// The service saw the user join.
    InCall {
        /// The call.
        call_id: String,
        /// Server time of joining.
        joined_at: Timestamp,
    },
    /// The service saw the user's media stop at `left_at` (server time). `seconds_in_call` is
    /// their time in the call so far, every stay added up and time away not: what the service's
    /// 15-second rule reads.
    LeftCall {
        /// The call.
        call_id: String,
        /// Server time of leaving.
        left_at: Timestamp,
        /// Seconds in the call so far.
        seconds_in_call: i64,
    },
    /// Approved.
    Approved,
    /// Denied.
    Denied {
        /// Stable reason code (e.g. `BADGE_PHOTO_MISMATCH`).
        reason_code: String,
        /// The service's own message, shown when the code is unknown to this app.
        message: String,
    },
    /// The reviewer's window passed.
    Expired,
}

/// Where the review stands on the phone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReviewPhase {
    /// `SubmitForReview` sent, no answer yet.
    Submitting,
    /// Waiting for the reviewer's call.
    Waiting,
    /// Invited; the user can join.
    CallInvited {
        /// The call.
        call_id: String,
    },
    /// The user asked to join; the call's media is connecting.
    Joining {
        /// The call.
        call_id: String,
    },
    /// In the call since `joined_at` (server time).
    InCall {
        /// The call.
        call_id: String,
        /// Server time of joining.
        joined_at: Timestamp,
    },
    /// The call is over; the reviewer decides.
    AwaitingDecision,
}

/// The review step's state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Review {
    /// Server time of submission, once the service has confirmed it.
    pub submitted_at: Option<Timestamp>,
    /// The phase.
    pub phase: ReviewPhase,
}

impl Review {
    /// The reviewer's deadline, once submission is confirmed.
    pub fn deadline(&self) -> Option<Deadline> {
        self.submitted_at.map(|at| Deadline::after(at, REVIEWER_WINDOW_MS))
    }

    /// Whether a missed deadline still matters: once the call has started the reviewer has
    /// acted, and the decision is the service's to report.
    pub fn can_miss_window(&self) -> bool {
        matches!(self.phase, ReviewPhase::Submitting | ReviewPhase::Waiting | ReviewPhase::CallInvited { .. } | ReviewPhase::Joining { .. })
    }

    /// The call whose media must be open now: from the user's "join" until they leave, the
    /// service sees them leave, or the review moves on.
    pub fn call_media_wanted(&self) -> Option<&str> {
        match &self.phase {
            ReviewPhase::Joining { call_id } | ReviewPhase::InCall { call_id, .. } => Some(call_id),
            _ => None,
        }
    }
}

impl OnboardingFlow {
    /// Events of the review step.
    pub(super) fn on_review_event(&mut self, event: Event, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let Step::Review(review) = &mut self.step else { return Err(Rejection::UnexpectedEvent) };
        let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)?;
        match event {
            Event::ReviewUpdated { status, server_time } => {
                self.clock.observe(server_time, now);
                self.apply_review_status(status, request_id, out);
            }
            Event::Continue => match &review.phase {
                ReviewPhase::CallInvited { call_id } => {
                    let call_id = call_id.clone();
                    if self.require_permissions(&[Permission::Camera, Permission::Microphone], out) {
                        if let Step::Review(review) = &mut self.step {
                            review.phase = ReviewPhase::Joining { call_id: call_id.clone() };
                        }
                        out.push(Effect::JoinCall { call_id });
                    }
                }
                _ => return Err(Rejection::UnexpectedEvent),
            },
            Event::CallJoined => {
                let ReviewPhase::Joining { call_id } = &review.phase else { return Err(Rejection::UnexpectedEvent) };
                review.phase = ReviewPhase::InCall { call_id: call_id.clone(), joined_at: self.clock.to_server_time(now) };
            }
            // The user gave up before the call connected.
            Event::CallEnded if matches!(review.phase, ReviewPhase::Joining { .. }) => {
                if let ReviewPhase::Joining { call_id } = &review.phase {
                    review.phase = ReviewPhase::CallInvited { call_id: call_id.clone() };
                }
            }
            // The call's media could not connect, or its connection was lost and did not come
            // back: the user is told and joins again when they choose. The time they were in
            // is the service's to count (it reports the leave in the status).
            Event::CallConnectionFailed => {
                let (ReviewPhase::Joining { call_id } | ReviewPhase::InCall { call_id, .. }) = &review.phase else {
                    return Err(Rejection::UnexpectedEvent);
                };
                review.phase = ReviewPhase::CallInvited { call_id: call_id.clone() };
                self.notice = Some(Notice::CallConnectionFailed);
            }
            Event::CallEnded => {
                let ReviewPhase::InCall { call_id, joined_at } = &review.phase else { return Err(Rejection::UnexpectedEvent) };
                let stayed = self.clock.to_server_time(now).saturating_sub(*joined_at);
                if stayed < MIN_CALL_MS {
                    // Seed 000 step 10: "you must stay on the video call… for at least 15 seconds".
                    self.notice = Some(Notice::CallTooShort { seconds: stayed.max(0) / 1000 });
                    review.phase = ReviewPhase::CallInvited { call_id: call_id.clone() };
                } else {
                    review.phase = ReviewPhase::AwaitingDecision;
                }
            }
            _ => return Err(Rejection::UnexpectedEvent),
        }
        Ok(())
    }

    pub(super) fn apply_review_status(&mut self, status: ReviewStatus, request_id: String, out: &mut Vec<Effect>) {
        let Step::Review(review) = &mut self.step else { return };
        match status {
            ReviewStatus::Submitted { submitted_at } | ReviewStatus::WaitingForReviewer { submitted_at } => {
                let first_answer = review.submitted_at.is_none();
                review.submitted_at = Some(submitted_at);
                if review.phase == ReviewPhase::Submitting {
                    review.phase = ReviewPhase::Waiting;
                }
                if first_answer {
                    let wake = Deadline::after(submitted_at, REVIEWER_WINDOW_MS);
                    out.push(Effect::WatchStatus { request_id });
                    out.push(Effect::ScheduleWake { at: self.clock.to_phone_time(wake.at) });
                }
            }
            // Status answers can arrive late (a long-poll that was already on its way): the
            // call never goes backwards — not from "in the call" to "invited", nor from "waiting
            // for the decision" to either.
            ReviewStatus::CallInvited { call_id } => {
                if matches!(review.phase, ReviewPhase::Submitting | ReviewPhase::Waiting) {
                    review.phase = ReviewPhase::CallInvited { call_id };
                    out.push(Effect::ShowNotification { message: msg::NOTIFY_CALL_INVITATION.text(self.locale) });
                }
            }
            ReviewStatus::InCall { call_id, joined_at } => {
                // The phone's own join time, if it has one, is the one its 15-second rule uses.
                if matches!(
                    review.phase,
                    ReviewPhase::Submitting | ReviewPhase::Waiting | ReviewPhase::CallInvited { .. } | ReviewPhase::Joining { .. }
                ) {
                    review.phase = ReviewPhase::InCall { call_id, joined_at };
                }
            }
            // The service measures the call (it is in the media path); its count is the one the
            // reviewer's approval reads, so it is the one the user is told once they have left,
            // and it overrides the phone's own estimate. Statuses come in the service's order, so
            // the latest leave wins.
            //
            // A leave the service saw while the phone is still in the call (or joining again) is
            // a gap, not the user leaving: the connection was cut and the phone's media is
            // coming back by itself (a new offer; the service does not count the time away), or
            // it is an answer from before the current join that crossed it. Whether the user is
            // in the call is the phone's to say (they leave, or the connection fails for good).
            ReviewStatus::LeftCall { call_id, seconds_in_call, .. } => {
                if matches!(review.phase, ReviewPhase::InCall { .. } | ReviewPhase::Joining { .. }) {
                    return;
                }
                if seconds_in_call * 1000 < MIN_CALL_MS {
                    self.notice = Some(Notice::CallTooShort { seconds: seconds_in_call.max(0) });
                    review.phase = ReviewPhase::CallInvited { call_id };
                } else {
                    review.phase = ReviewPhase::AwaitingDecision;
                }
            }
            ReviewStatus::Approved => self.on_approved(request_id, out),
            // Bounded on arrival, not only when shown: the service's text is kept in the saved
            // state, which must not grow with whatever the service sent.
            ReviewStatus::Denied { reason_code, message } => {
                self.step = Step::Denied { reason_code: display_code(&reason_code), message: display_text(&message) }
            }
            ReviewStatus::Expired => self.step = Step::ReviewWindowMissed,
        }
    }

    /// Moves to "window missed" if the reviewer's deadline passed (called on every event).
    pub(super) fn check_review_deadline(&mut self, now: Timestamp) {
        if let Step::Review(review) = &self.step
            && review.can_miss_window()
            && review.deadline().is_some_and(|d| d.has_passed(&self.clock, now))
        {
            self.step = Step::ReviewWindowMissed;
        }
    }
}
