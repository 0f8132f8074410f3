//! The onboarding flow of seeds 000 ("Get TAP") and 001 ("Get Passkey") as a pure, resumable
//! state machine.
//!
//! Events in; new state and effects out; the current time passed in. The flow performs no I/O:
//! a shell renders `view()` and performs the `Effect`s, and the service's answers come back as
//! `Event`s (Crux's Event → Model → Effect). Every state serializes (`snapshot.rs`), so a killed
//! app resumes exactly where it was. An event a step does not expect is rejected with a typed
//! `Rejection` and changes nothing.
//!
//! ```text
//! DeviceCheck → Permissions → Consent → IdentityEntry → SubmittingIdentity ─┬→ (DateOfBirth) → Selfie → (Liveness) ─┐
//!   (Ineligible)                                                            ├→ GovernmentId → AwaitingVerifiedId → AddVerifiedId
//!                                                                           │      → Liveness → PresentVerifiedId ─┤
//!                                                                           └→ fast path: Liveness → FetchingTap   │
//! Review (Submitting → Waiting → CallInvited ⇄ InCall → AwaitingDecision) ←────────────────────────────────────────┘
//!   ├→ FetchingTap → TapReady → Done            (TapExpired → fast path or a new request)
//!   ├→ Passkey (options → platform dialog → attestation) → Done
//!   ├→ Denied                                   (Continue starts a new request)
//!   └→ ReviewWindowMissed                       (Continue starts a new request)
//! ```

pub mod account_security;
pub mod account_security_view;
pub mod clock;
pub mod consent;
pub mod control_label;
pub mod credential;
pub mod date_of_birth;
pub mod effect;
pub mod event;
pub mod identity_entry;
mod invariants;
pub mod notice;
pub mod path;
pub mod permissions;
pub mod review;
pub mod service_call;
mod service_calls;
pub mod snapshot;
mod steps;
pub mod verification;
pub mod view;

pub use clock::{ServerClock, Timestamp};
pub use effect::Effect;
pub use event::{Event, ShellEvent};
pub use notice::Notice;
pub use service_call::{
    CallAnswer, CallFailure, CallId, CallOutcome, FailureKind, NOT_SENT_DEVICE_KEY_UNAVAILABLE, NOT_SENT_INPUT_LOST,
    NOT_SENT_SECURE_STORAGE, NOT_SENT_VERIFIED_ID_MISSING, PendingCall, ServiceCall,
};
pub use snapshot::SnapshotError;
pub use view::{Screen, ViewState};

use crate::eligibility::{Blocker, Distribution, Platform};
use crate::messages::Locale;
use consent::ConsentRecord;
use credential::{CredentialKind, PasskeyPhase, TapExpiryReason, TapInfo};
use date_of_birth::DateOfBirthEntry;
use identity_entry::{FieldProblem, IdentityForm};
use path::PathDecision;
use review::Review;
pub use service_calls::{ANSWER_UNREADABLE, BackgroundRetry, VERDICT_POLL_MS, VERIFIED_ID_NOT_ISSUED, VOICE_POLL_MS};
use verification::{LivenessChallenge, PartnerStep, SelfiePhase, VerifiedIdRecord};

/// The step the user is on. Exactly one at a time; each variant's data is only what that step
/// needs. The transitions are listed in the module diagram.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Step {
    /// Waiting for the shell's `DeviceChecked`.
    DeviceCheck,
    /// The phone cannot run the onboarding; a new `DeviceChecked` re-evaluates.
    Ineligible {
        /// Every reason.
        blockers: Vec<Blocker>,
    },
    /// Asking for camera, microphone, notifications and precise location.
    Permissions,
    /// The consent notice.
    Consent,
    /// The identity form.
    IdentityEntry {
        /// Problems of the last submission.
        problems: Vec<FieldProblem>,
    },
    /// `SubmitIdentity` sent.
    SubmittingIdentity,
    /// Legacy path, employees: the year-first date of birth.
    DateOfBirth {
        /// The picker.
        entry: DateOfBirthEntry,
        /// `SubmitDateOfBirth` sent.
        submitting: bool,
    },
    /// Passkey path: the partner's government-ID check.
    GovernmentId {
        /// Sub-steps done.
        completed: Vec<PartnerStep>,
        /// The partner was opened.
        started: bool,
        /// The service said the partner has not reported its verdict yet: it is asked again at
        /// this phone time. (Absent from snapshots written before the verdict came from the
        /// service.)
        #[serde(default)]
        awaiting_verdict: Option<Timestamp>,
    },
    /// The partner verified the ID; waiting for the Verified ID.
    AwaitingVerifiedId,
    /// Add the Verified ID to Authenticator, then come back.
    AddVerifiedId {
        /// Authenticator was opened.
        opened: bool,
    },
    /// The selfie.
    Selfie {
        /// Its phase.
        phase: SelfiePhase,
    },
    /// The liveness check, judged by the service on the frames the phone captured for its
    /// challenge.
    Liveness {
        /// The check is running: the camera is open for the challenge, or its frames are with
        /// the service.
        in_progress: bool,
        /// Failed attempts so far.
        attempts: u32,
        /// The service's challenge the running check captures frames for (single use). Absent
        /// from snapshots written before the service judged liveness.
        #[serde(default)]
        challenge: Option<LivenessChallenge>,
    },
    /// Present the Verified ID to the service.
    PresentVerifiedId {
        /// Authenticator was asked to present it.
        requested: bool,
    },
    /// The human review.
    Review(Review),
    /// Fetching the TAP (on the fast path: presenting the Verified ID and submitting first).
    FetchingTap {
        /// Through the fast path.
        fast_path: bool,
        /// A TAP whose answer was lost has been asked for again once.
        #[serde(default)]
        reissued: bool,
    },
    /// A TAP is issued and shown once; "Secure your account" signs in with it.
    TapReady(TapInfo),
    /// Signed in with the TAP: the user secures the account (password, a method, PIN and
    /// questions as the policy asks), with the service as the authority on what is done.
    SecureAccount {
        /// The service's last word on the account.
        account: account_security::AccountSecurity,
        /// What the user is doing.
        task: account_security::SecurityTask,
    },
    /// The TAP can no longer be used.
    TapExpired {
        /// Why.
        reason: TapExpiryReason,
    },
    /// Passkey registration.
    Passkey {
        /// Its phase.
        phase: PasskeyPhase,
    },
    /// The reviewer denied the request.
    Denied {
        /// Stable reason code.
        reason_code: String,
        /// The service's message.
        message: String,
    },
    /// The reviewer did not call within 24 hours.
    ReviewWindowMissed,
    /// Finished.
    Done {
        /// With what.
        credential: CredentialKind,
    },
}

/// Why an event was not applied. The state is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// This step does not expect this event (a stale answer, a double tap).
    UnexpectedEvent,
    /// The input is invalid; `ViewState::notice` or the screen's field errors explain why.
    InvalidInput,
}

/// The result of one `handle`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// What the shell must do, in order.
    pub effects: Vec<Effect>,
    /// Set when the event was not applied.
    pub rejection: Option<Rejection>,
}

/// The onboarding of one user on one phone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OnboardingFlow {
    locale: Locale,
    platform: Platform,
    distribution: Distribution,
    clock: ServerClock,
    permissions: permissions::PermissionSet,
    consent: Option<ConsentRecord>,
    identity: Option<IdentityForm>,
    decision: Option<PathDecision>,
    verified_id: Option<VerifiedIdRecord>,
    step: Step,
    notice: Option<Notice>,
    /// Calls made and not yet answered; an answer for any other id is stale.
    #[serde(default)]
    calls: Vec<service_call::PendingCall>,
    /// The step's call failed; `Continue` resends it.
    #[serde(default)]
    failed_call: Option<service_call::FailedCall>,
    /// The id the next new call gets.
    #[serde(default)]
    next_call_id: u64,
    /// The background fetch of the Verified ID after a TAP failed; retried at this phone time.
    #[serde(default)]
    verified_id_retry: Option<service_calls::BackgroundRetry>,
    /// A voice verification's call is under way; its result is asked for at this phone time.
    /// (Left out when unset, so snapshots written before it existed save back unchanged.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    voice_poll_at: Option<Timestamp>,
}

impl OnboardingFlow {
    /// A new onboarding, waiting for the device check.
    pub fn new(locale: Locale, platform: Platform, distribution: Distribution) -> Self {
        OnboardingFlow {
            locale,
            platform,
            distribution,
            clock: ServerClock::default(),
            permissions: permissions::PermissionSet::default(),
            consent: None,
            identity: None,
            decision: None,
            verified_id: None,
            step: Step::DeviceCheck,
            notice: None,
            calls: Vec::new(),
            failed_call: None,
            next_call_id: 0,
            verified_id_retry: None,
            voice_poll_at: None,
        }
    }

    /// The current step.
    pub fn step(&self) -> &Step {
        &self.step
    }

    /// The language of the view and notifications.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Changes the language (the OS language changed).
    pub fn set_locale(&mut self, locale: Locale) {
        self.locale = locale;
    }

    /// The server-clock offset.
    pub fn clock(&self) -> &ServerClock {
        &self.clock
    }

    /// The service's path decision, once made.
    pub fn decision(&self) -> Option<&PathDecision> {
        self.decision.as_ref()
    }

    /// The Verified ID the user holds, if known.
    pub fn verified_id(&self) -> Option<&VerifiedIdRecord> {
        self.verified_id.as_ref()
    }

    /// Applies one event at phone time `now` (Unix ms).
    pub fn handle(&mut self, event: Event, now: Timestamp) -> Transition {
        let before = self.clone();
        // What the user or the phone does replaces the explanation on screen. What the runtime
        // feeds (an answer, often to a background call; a resumed session; a review update) and
        // a wake-up leave it, unless they move the step on or bring their own.
        let from_the_user = !matches!(event, Event::Tick | Event::Answered { .. } | Event::SessionStarted | Event::ReviewUpdated { .. });
        if event != Event::Tick {
            self.notice = None;
        }
        let mut effects = Vec::new();
        let result = self.dispatch(event, now, &mut effects);
        self.check_review_deadline(now);
        self.check_tap_deadlines(now);
        let rejection = match result {
            Ok(()) => None,
            Err(rejection) => {
                // A rejected event leaves the state as it was, except for its explanation; the
                // deadlines still apply, because time moved on even if the event was refused.
                let notice = self.notice.take();
                *self = before.clone();
                self.notice = if from_the_user { notice } else { notice.or(before.notice.clone()) };
                self.check_review_deadline(now);
                self.check_tap_deadlines(now);
                effects.clear();
                Some(rejection)
            }
        };
        if !from_the_user && self.notice.is_none() && std::mem::discriminant(&self.step) == std::mem::discriminant(&before.step) {
            self.notice = before.notice.clone();
        }
        // Time-driven, like the deadlines: applies whether or not the event itself was.
        self.warn_before_tap_expiry(now, &mut effects);
        self.retry_background_calls(now, &mut effects);
        self.poll_government_id_verdict(now, &mut effects);
        self.poll_voice_verification(now, &mut effects);
        if self.persistent_part_differs(&before) {
            // First: the state that records a call must be saved before the call goes out, so
            // a killed app resends it instead of forgetting it.
            effects.insert(0, Effect::PersistState);
        }
        Transition { effects, rejection }
    }

    /// Whether a step from here on uses a permission: the selfie and liveness (camera), the
    /// reviewer's call (camera, microphone, and the notification that announces it). Once the
    /// review is decided, none does.
    fn permissions_still_needed(&self) -> bool {
        matches!(
            self.step,
            Step::Permissions
                | Step::Consent
                | Step::IdentityEntry { .. }
                | Step::SubmittingIdentity
                | Step::DateOfBirth { .. }
                | Step::GovernmentId { .. }
                | Step::AwaitingVerifiedId
                | Step::AddVerifiedId { .. }
                | Step::Selfie { .. }
                | Step::Liveness { .. }
                | Step::PresentVerifiedId { .. }
                | Step::Review(_)
        )
    }

    fn persistent_part_differs(&self, other: &OnboardingFlow) -> bool {
        let strip = |f: &OnboardingFlow| {
            let mut f = f.clone();
            f.notice = None;
            f
        };
        strip(self) != strip(other)
    }

    fn dispatch(&mut self, event: Event, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        match (&self.step, &event) {
            (_, Event::Tick) => Ok(()),
            (_, Event::AppResumed) => {
                // "Only this time" grants lapse in the background, and the user may have come
                // back from the settings page: re-read them. While a step ahead still needs the
                // camera, the microphone or the call's notification, always, not only while one
                // is missing or known to be one-time: Android offers no way to tell a one-time
                // grant from a lasting one, so a grant that lapsed after the permission step
                // would otherwise go unnoticed until the camera failed.
                if self.permissions.has_one_time_grants() || !self.permissions.all_granted() || self.permissions_still_needed() {
                    out.push(Effect::CheckPermissions);
                }
                // Back from the password page, the authenticator app or a call: the service
                // knows what happened there.
                if matches!(self.step, Step::SecureAccount { .. }) {
                    self.on_account_security_event(Event::AppResumed, out)?;
                }
                Ok(())
            }
            (_, Event::Answered { .. } | Event::SessionStarted) => self.on_call_event(event, now, out),
            (_, Event::Continue) if self.failed_call.is_some() => {
                self.resend_failed_call(out);
                Ok(())
            }
            (_, Event::PermissionReported { .. }) => self.on_permission_event(event, out),
            (Step::DeviceCheck | Step::Ineligible { .. } | Step::Permissions | Step::Consent, _) => self.on_start_event(event, now, out),
            (Step::IdentityEntry { .. } | Step::SubmittingIdentity | Step::DateOfBirth { .. }, _) => {
                self.on_identity_event(event, now, out)
            }
            (_, Event::EditIdentity) => Err(Rejection::UnexpectedEvent),
            (
                Step::GovernmentId { .. }
                | Step::AwaitingVerifiedId
                | Step::AddVerifiedId { .. }
                | Step::Selfie { .. }
                | Step::Liveness { .. }
                | Step::PresentVerifiedId { .. },
                _,
            ) => self.on_verification_event(event, out),
            (Step::Review(_), _) => self.on_review_event(event, now, out),
            (Step::Denied { .. } | Step::ReviewWindowMissed, Event::Continue) => {
                self.restart();
                Ok(())
            }
            (Step::FetchingTap { .. } | Step::TapReady(_) | Step::TapExpired { .. } | Step::Passkey { .. }, _) => {
                self.on_credential_event(event, now, out)
            }
            (Step::SecureAccount { .. }, _) => self.on_account_security_event(event, out),
            (Step::Denied { .. } | Step::ReviewWindowMissed | Step::Done { .. }, _) => Err(Rejection::UnexpectedEvent),
        }
    }

    /// A new request after a denial, a missed window or an expired TAP: permissions, consent
    /// and the typed form are kept; the service's decision is not.
    fn restart(&mut self) {
        self.decision = None;
        // Answers to the old request's calls are stale from now on.
        self.calls.clear();
        self.failed_call = None;
        self.verified_id_retry = None;
        self.step = Step::IdentityEntry { problems: Vec::new() };
    }
}

#[cfg(test)]
mod tests;
