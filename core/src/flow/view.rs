//! What a shell renders: the screen, its texts in the user's language, the main button, an
//! explanation of the last problem, and the running deadline in both clocks.
//!
//! The view is derived from the state on every call; it holds no state of its own.

use super::account_security_view::SecureAccountView;
use super::clock::Timestamp;
use super::credential::{CredentialKind, PasskeyPhase, TapExpiryReason};
use super::date_of_birth::{CivilDate, DateOfBirthEntry};
use super::identity_entry::{IdentityField, IdentityForm};
use super::path::OnboardingPath;
use super::permissions::Permission;
use super::review::ReviewPhase;
use super::verification::{PartnerStep, SelfiePhase};
use super::{OnboardingFlow, Step};
use crate::eligibility::Platform;
use crate::messages::{self, LocalizedMessage, MessageCode, flow as msg};
use crate::secret::SecretString;

/// Review phase, without the data the shell does not render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStage {
    /// Being submitted.
    Submitting,
    /// Waiting for the reviewer.
    Waiting,
    /// Invited to the call.
    CallInvited,
    /// In the call.
    InCall,
    /// Waiting for the decision.
    AwaitingDecision,
}

/// Passkey phase, for rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyStage {
    /// Fetching options.
    FetchingOptions,
    /// The platform dialog.
    Registering,
    /// Sending the result.
    Submitting,
}

/// A field error under its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrorView {
    /// The field.
    pub field: IdentityField,
    /// The explanation.
    pub message: LocalizedMessage,
}

/// Which deadline is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// The reviewer's 24 hours.
    ReviewerCall,
    /// The TAP's lifetime.
    TapExpiry,
    /// The 10 minutes after signing in with a one-time TAP.
    OneTimeRegistration,
}

/// A deadline, in the service's and the phone's clocks (for a countdown, use `phone_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineView {
    /// Which one.
    pub kind: DeadlineKind,
    /// Server time (Unix time, so UTC): the instant to show the user, in any time zone.
    pub server_time: Timestamp,
    /// The same instant on the phone's clock (for alarms and countdowns, never for display).
    pub phone_time: Timestamp,
}

/// The screen and its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Checking the phone.
    DeviceCheck,
    /// The phone cannot run the onboarding.
    Ineligible {
        /// One explanation per blocker.
        reasons: Vec<LocalizedMessage>,
    },
    /// Permissions.
    Permissions {
        /// Not yet granted (or only approximate).
        missing: Vec<Permission>,
    },
    /// Consent.
    Consent {
        /// The terms version shown.
        terms_version: String,
    },
    /// The identity form.
    IdentityEntry {
        /// What was typed before (to prefill).
        form: Option<IdentityForm>,
        /// Problems per field.
        field_errors: Vec<FieldErrorView>,
    },
    /// Waiting for the service's path decision.
    SubmittingIdentity,
    /// The year-first date picker.
    DateOfBirth {
        /// Chosen year.
        year: Option<i32>,
        /// Chosen month.
        month: Option<u32>,
        /// Chosen day.
        day: Option<u32>,
        /// Oldest selectable year.
        first_year: i32,
        /// Newest selectable year.
        last_year: i32,
        /// The month picker is enabled.
        month_enabled: bool,
        /// The day picker is enabled.
        day_enabled: bool,
        /// Days the day picker offers.
        days_in_month: u32,
    },
    /// The partner's government-ID check.
    GovernmentId {
        /// Sub-steps done.
        completed_steps: Vec<PartnerStep>,
        /// The partner was opened.
        started: bool,
    },
    /// Waiting for the Verified ID.
    AwaitingVerifiedId,
    /// Add the Verified ID to Authenticator.
    AddVerifiedId {
        /// Authenticator was opened.
        authenticator_opened: bool,
    },
    /// The selfie.
    Selfie {
        /// Its phase.
        phase: SelfiePhase,
    },
    /// The liveness check.
    Liveness {
        /// Running.
        in_progress: bool,
        /// On the 30-day fast path.
        fast_path: bool,
    },
    /// Present the Verified ID.
    PresentVerifiedId {
        /// Requested.
        requested: bool,
    },
    /// The review.
    Review {
        /// Its stage.
        stage: ReviewStage,
    },
    /// Fetching the TAP.
    FetchingTap,
    /// The TAP, shown once; the primary action signs in with it to secure the account.
    Tap {
        /// The code; `None` after a restart (it is shown once).
        code: Option<SecretString>,
        /// One-time TAP.
        is_usable_once: bool,
    },
    /// Signed in with the TAP: securing the account, as the service reports it.
    SecureAccount {
        /// The checklist, the task and the links.
        view: SecureAccountView,
    },
    /// The TAP can no longer be used.
    TapExpired {
        /// Why.
        reason: TapExpiryReason,
        /// A new TAP is available through the fast path.
        fast_path_available: bool,
    },
    /// Passkey registration.
    Passkey {
        /// Its stage.
        stage: PasskeyStage,
    },
    /// Denied.
    Denied,
    /// The reviewer's window was missed.
    ReviewWindowMissed,
    /// Finished.
    Done {
        /// With what.
        credential: CredentialKind,
    },
}

/// Everything a shell needs to draw the current step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewState {
    /// The screen.
    pub screen: Screen,
    /// Its title.
    pub title: LocalizedMessage,
    /// Its explanation, when the screen has one.
    pub body: Option<LocalizedMessage>,
    /// The main button's label; `None` when there is nothing to press (waiting).
    pub primary_action: Option<LocalizedMessage>,
    /// Why the last event did not do what the user expected.
    pub notice: Option<LocalizedMessage>,
    /// A request or an external step is running: show progress.
    pub busy: bool,
    /// The deadline running now.
    pub deadline: Option<DeadlineView>,
}

impl OnboardingFlow {
    /// The view of the current state at phone time `now`.
    pub fn view(&self, now: Timestamp) -> ViewState {
        let l = self.locale;
        let t = |code: MessageCode| code.text(l);
        let retry_or = |label: MessageCode| if self.request_failed() { Some(t(msg::ACTION_RETRY)) } else { Some(t(label)) };
        let waiting = |failed: bool| if failed { Some(t(msg::ACTION_RETRY)) } else { None };
        let fast_path = self.decision.as_ref().is_some_and(|d| d.fast_path);
        let (screen, title, body, action, busy): (Screen, MessageCode, Option<LocalizedMessage>, Option<LocalizedMessage>, bool) =
            match &self.step {
                Step::DeviceCheck => (Screen::DeviceCheck, msg::DEVICE_CHECK_TITLE, None, None, true),
                Step::Ineligible { blockers } => (
                    Screen::Ineligible { reasons: blockers.iter().map(|b| messages::eligibility::blocker_message(b, l)).collect() },
                    msg::INELIGIBLE_TITLE,
                    Some(t(msg::INELIGIBLE_BODY)),
                    Some(t(msg::ACTION_CHECK_AGAIN)),
                    false,
                ),
                Step::Permissions => {
                    let missing = self.permissions.missing();
                    let settings = missing
                        .first()
                        .is_some_and(|p| self.permissions.status(*p) == super::permissions::PermissionStatus::PermanentlyDenied);
                    let action = if settings { msg::ACTION_OPEN_SETTINGS } else { msg::ACTION_ALLOW };
                    (Screen::Permissions { missing }, msg::PERMISSIONS_TITLE, Some(t(msg::PERMISSIONS_BODY)), Some(t(action)), false)
                }
                Step::Consent => (
                    Screen::Consent { terms_version: super::consent::CURRENT_TERMS_VERSION.to_owned() },
                    msg::CONSENT_TITLE,
                    Some(msg::CONSENT_BODY.render(l, &[("version", super::consent::CURRENT_TERMS_VERSION)])),
                    None,
                    false,
                ),
                Step::IdentityEntry { problems } => (
                    Screen::IdentityEntry {
                        form: self.identity.clone(),
                        field_errors: problems
                            .iter()
                            .map(|p| FieldErrorView { field: p.field, message: t(super::notice::field_error_code(p.error)) })
                            .collect(),
                    },
                    msg::IDENTITY_TITLE,
                    Some(t(msg::IDENTITY_BODY)),
                    Some(t(msg::ACTION_SUBMIT)),
                    false,
                ),
                Step::SubmittingIdentity => {
                    (Screen::SubmittingIdentity, msg::SUBMITTING_TITLE, None, waiting(self.request_failed()), !self.request_failed())
                }
                Step::DateOfBirth { entry, submitting } => {
                    let years = DateOfBirthEntry::selectable_years(self.today(now));
                    let action = if *submitting { waiting(self.request_failed()) } else { Some(t(msg::ACTION_SUBMIT)) };
                    (
                        Screen::DateOfBirth {
                            year: entry.year,
                            month: entry.month,
                            day: entry.day,
                            first_year: *years.start(),
                            last_year: *years.end(),
                            month_enabled: entry.month_enabled(),
                            day_enabled: entry.day_enabled(),
                            days_in_month: entry.selectable_days(),
                        },
                        msg::DOB_TITLE,
                        Some(t(msg::DOB_BODY)),
                        action,
                        *submitting && !self.request_failed(),
                    )
                }
                Step::GovernmentId { completed, started, awaiting_verdict } => {
                    use super::service_call::ServiceCall;
                    let opening = self.is_calling(|c| matches!(c, ServiceCall::OpenPartnerSession { .. }));
                    let fetching = self.is_calling(|c| matches!(c, ServiceCall::FetchGovernmentIdVerdict { .. }));
                    // Back from the partner, the verdict is the service's to give: say that the
                    // app is waiting for it, not "have your ID ready" again.
                    let waiting_for_verdict = awaiting_verdict.is_some() || fetching;
                    let body = if waiting_for_verdict { msg::GOV_ID_WAITING_BODY } else { msg::GOV_ID_BODY };
                    // Nothing to press while the service answers (another tap is refused);
                    // while the partner has not reported, "Check again" asks the service now.
                    let action = if self.request_failed() {
                        Some(t(msg::ACTION_RETRY))
                    } else if opening || fetching {
                        None
                    } else if awaiting_verdict.is_some() {
                        Some(t(msg::ACTION_CHECK_AGAIN))
                    } else {
                        Some(t(msg::ACTION_START_VERIFICATION))
                    };
                    (
                        Screen::GovernmentId { completed_steps: completed.clone(), started: *started },
                        msg::GOV_ID_TITLE,
                        Some(t(body)),
                        action,
                        (*started || opening) && !self.request_failed(),
                    )
                }
                Step::AwaitingVerifiedId => {
                    (Screen::AwaitingVerifiedId, msg::AWAITING_VID_TITLE, None, waiting(self.request_failed()), !self.request_failed())
                }
                Step::AddVerifiedId { opened } => (
                    Screen::AddVerifiedId { authenticator_opened: *opened },
                    msg::ADD_VID_TITLE,
                    Some(t(msg::ADD_VID_BODY)),
                    Some(t(if *opened { msg::ACTION_READY } else { msg::ACTION_OPEN_AUTHENTICATOR })),
                    false,
                ),
                Step::Selfie { phase } => (
                    Screen::Selfie { phase: *phase },
                    msg::SELFIE_TITLE,
                    Some(t(msg::SELFIE_BODY)),
                    if *phase == SelfiePhase::Uploading { waiting(self.request_failed()) } else { Some(t(msg::ACTION_TAKE_SELFIE)) },
                    *phase != SelfiePhase::Ready && !self.request_failed(),
                ),
                Step::Liveness { in_progress, .. } => {
                    use super::service_call::ServiceCall;
                    // Nothing to press while the service issues the challenge or judges the
                    // frames (another tap is refused).
                    let calling = self.is_calling(|c| {
                        matches!(c, ServiceCall::RequestLivenessChallenge { .. } | ServiceCall::SubmitLivenessFrames { .. })
                    });
                    (
                        Screen::Liveness { in_progress: *in_progress, fast_path },
                        msg::LIVENESS_TITLE,
                        Some(t(if fast_path { msg::FAST_PATH_BODY } else { msg::LIVENESS_BODY })),
                        if calling { None } else { retry_or(msg::ACTION_START_LIVENESS) },
                        (*in_progress || calling) && !self.request_failed(),
                    )
                }
                Step::PresentVerifiedId { requested } => (
                    Screen::PresentVerifiedId { requested: *requested },
                    msg::PRESENT_VID_TITLE,
                    Some(t(msg::PRESENT_VID_BODY)),
                    Some(t(msg::ACTION_PRESENT_VID)),
                    *requested && !self.request_failed(),
                ),
                Step::Review(review) => {
                    let (stage, title, body, action) = match &review.phase {
                        ReviewPhase::Submitting => {
                            (ReviewStage::Submitting, msg::REVIEW_SUBMITTING_TITLE, None, waiting(self.request_failed()))
                        }
                        ReviewPhase::Waiting => (ReviewStage::Waiting, msg::REVIEW_WAITING_TITLE, Some(t(msg::REVIEW_WAITING_BODY)), None),
                        ReviewPhase::CallInvited { .. } => (
                            ReviewStage::CallInvited,
                            msg::REVIEW_INVITED_TITLE,
                            Some(t(msg::REVIEW_INVITED_BODY)),
                            Some(t(msg::ACTION_JOIN_CALL)),
                        ),
                        ReviewPhase::Joining { .. } => {
                            (ReviewStage::InCall, msg::REVIEW_JOINING_TITLE, Some(t(msg::REVIEW_INVITED_BODY)), None)
                        }
                        ReviewPhase::InCall { .. } => {
                            (ReviewStage::InCall, msg::REVIEW_IN_CALL_TITLE, Some(t(msg::REVIEW_INVITED_BODY)), None)
                        }
                        ReviewPhase::AwaitingDecision => (ReviewStage::AwaitingDecision, msg::REVIEW_DECISION_TITLE, None, None),
                    };
                    let busy = action.is_none();
                    (Screen::Review { stage }, title, body, action, busy)
                }
                Step::FetchingTap { .. } => {
                    (Screen::FetchingTap, msg::FETCHING_TAP_TITLE, None, waiting(self.request_failed()), !self.request_failed())
                }
                Step::TapReady(info) => {
                    let fetching_tap = self.is_calling(|c| matches!(c, super::service_call::ServiceCall::CreateTap { .. }));
                    let signing_in = self.is_calling(|c| matches!(c, super::service_call::ServiceCall::SignInWithTap { .. }));
                    // The service's instant in UTC, as labelled (never the phone's clock, which may
                    // be off), and the lifetime the service granted (not a fixed "30 minutes").
                    let expires_at = format_utc(info.expires.at, self.clock.server_now(now));
                    let minutes = info.lifetime_minutes.to_string();
                    // After a restart the code is gone: say why it is not shown (it is shown once).
                    let body = if info.code.is_some() { msg::TAP_BODY } else { msg::TAP_SHOWN_ONCE_BODY };
                    let mut body = body.render(l, &[("minutes", &minutes), ("expires_at", &expires_at)]);
                    if info.is_usable_once {
                        body.text = format!("{} {}", body.text, msg::TAP_ONE_TIME_BODY.text(l).text);
                    }
                    (
                        Screen::Tap { code: info.code.clone(), is_usable_once: info.is_usable_once },
                        msg::TAP_TITLE,
                        Some(body),
                        // After a restart the code is no longer on this phone: offer a new one.
                        // With the code: sign in with it and secure the account.
                        match (&info.code, fetching_tap || signing_in) {
                            (_, true) => None,
                            (None, false) => retry_or(msg::ACTION_REPLACE_TAP),
                            (Some(_), false) => retry_or(msg::ACTION_SECURE_ACCOUNT),
                        },
                        fetching_tap || signing_in,
                    )
                }
                Step::SecureAccount { account, task } => {
                    let (view, title, body, action) = self.secure_account_view(account, task, now);
                    let busy = self.is_calling(|c| {
                        c.is_account_security_change() || matches!(c, super::service_call::ServiceCall::FetchSecurityInfo { .. })
                    });
                    let action = if self.request_failed() { Some(t(msg::ACTION_RETRY)) } else { action };
                    (Screen::SecureAccount { view }, title, body, action, busy)
                }
                Step::TapExpired { reason } => {
                    let available = self.fast_path_available(now);
                    let body = match (reason, available) {
                        (_, true) => msg::TAP_EXPIRED_FAST_BODY,
                        (TapExpiryReason::RegistrationWindow, false) => msg::TAP_WINDOW_MISSED_BODY,
                        _ => msg::TAP_EXPIRED_BODY,
                    };
                    let action = if available { msg::ACTION_NEW_TAP } else { msg::ACTION_NEW_REQUEST };
                    (
                        Screen::TapExpired { reason: *reason, fast_path_available: available },
                        msg::TAP_EXPIRED_TITLE,
                        Some(t(body)),
                        Some(t(action)),
                        false,
                    )
                }
                Step::Passkey { phase } => {
                    let (stage, action) = match phase {
                        PasskeyPhase::FetchingOptions => (PasskeyStage::FetchingOptions, waiting(self.request_failed())),
                        PasskeyPhase::Registering { .. } => (PasskeyStage::Registering, Some(t(msg::ACTION_ADD_PASSKEY))),
                        PasskeyPhase::Submitting { .. } => (PasskeyStage::Submitting, waiting(self.request_failed())),
                    };
                    let busy = action.is_none();
                    (Screen::Passkey { stage }, msg::PASSKEY_TITLE, Some(t(msg::PASSKEY_BODY)), action, busy)
                }
                Step::Denied { reason_code, message } => (
                    Screen::Denied,
                    msg::DENIED_TITLE,
                    Some(super::notice::denial_message(reason_code, message, l)),
                    Some(t(msg::ACTION_NEW_REQUEST)),
                    false,
                ),
                Step::ReviewWindowMissed => (
                    Screen::ReviewWindowMissed,
                    msg::WINDOW_MISSED_TITLE,
                    Some(t(msg::WINDOW_MISSED_BODY)),
                    Some(t(msg::ACTION_NEW_REQUEST)),
                    false,
                ),
                Step::Done { credential } => {
                    (Screen::Done { credential: *credential }, msg::DONE_TITLE, Some(t(msg::DONE_BODY)), None, false)
                }
            };
        // On the TAP path the identity form's button says "Get TAP" (seed 000 step 7).
        let action = match (&self.step, self.decision.as_ref().map(|d| d.path)) {
            (Step::IdentityEntry { .. }, Some(OnboardingPath::GetTap)) => retry_or(msg::ACTION_GET_TAP),
            _ => action,
        };
        ViewState {
            screen,
            title: t(title),
            body,
            primary_action: action,
            notice: self.notice.as_ref().map(|n| self.notice_message(n, now)),
            busy,
            deadline: self.running_deadline(),
        }
    }

    pub(super) fn today(&self, now: Timestamp) -> CivilDate {
        CivilDate::from_timestamp(self.clock.server_now(now))
    }

    fn running_deadline(&self) -> Option<DeadlineView> {
        let (kind, deadline) = match &self.step {
            Step::Review(review) if review.can_miss_window() => (DeadlineKind::ReviewerCall, review.deadline()?),
            Step::TapReady(info) => match info.registration_deadline() {
                Some(d) if d.at < info.expires.at => (DeadlineKind::OneTimeRegistration, d),
                _ => (DeadlineKind::TapExpiry, info.expires),
            },
            Step::SecureAccount { account, .. } => match account.open_registration_deadline() {
                Some(d) if d.at < account.session_expires_at => (DeadlineKind::OneTimeRegistration, d),
                _ => (DeadlineKind::TapExpiry, super::clock::Deadline { at: account.session_expires_at }),
            },
            _ => return None,
        };
        Some(DeadlineView { kind, server_time: deadline.at, phone_time: self.clock.to_phone_time(deadline.at) })
    }

    /// The platform this flow was created for.
    pub fn platform(&self) -> Platform {
        self.platform
    }
}

/// A server-time instant as `HH:MM UTC`, or `YYYY-MM-DD HH:MM UTC` when it is not on the UTC day
/// of `server_now`. Server time is Unix time, so this is the instant's true UTC time whatever
/// the phone's clock says. The core has no time-zone database: a shell that wants local time
/// formats `DeadlineView::server_time` in the phone's zone instead.
pub fn format_utc(at: Timestamp, server_now: Timestamp) -> String {
    let minutes_of_day = at.rem_euclid(super::clock::DAY_MS) / super::clock::MINUTE_MS;
    let time = format!("{:02}:{:02} UTC", minutes_of_day / 60, minutes_of_day % 60);
    let day = CivilDate::from_timestamp(at);
    if day == CivilDate::from_timestamp(server_now) { time } else { format!("{} {time}", day.iso()) }
}
