//! The steps before verification: device check, permissions, consent, identity entry, the
//! service's path decision and the legacy date of birth; and the helpers that move the flow
//! along a path.

use super::clock::Timestamp;
use super::consent::{CURRENT_TERMS_VERSION, ConsentRecord};
use super::date_of_birth::{CivilDate, DateOfBirthEntry};
use super::effect::Effect;
use super::event::Event;
use super::identity_entry::StaffKind;
use super::path::{Milestone, NextStep};
use super::permissions::{Permission, PermissionAction};
use super::service_call::ServiceCall;
use super::verification::SelfiePhase;
use super::{Notice, OnboardingFlow, Rejection, Step};
use crate::eligibility::{Platform, check_device};

impl OnboardingFlow {
    /// Device check, the permissions screen and consent.
    pub(super) fn on_start_event(&mut self, event: Event, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        match (&self.step, event) {
            (Step::DeviceCheck | Step::Ineligible { .. }, Event::DeviceChecked { profile }) => {
                let check = check_device(profile, self.platform == Platform::Desktop);
                self.step = if !check.is_eligible() {
                    Step::Ineligible { blockers: check.blockers }
                } else if self.permissions.all_granted() {
                    Step::Consent
                } else {
                    Step::Permissions
                };
            }
            (Step::Permissions, Event::Continue) => {
                if self.permissions.all_granted() {
                    self.step = Step::Consent;
                } else if let Some(action) = self.permissions.next_action(self.platform, true) {
                    out.push(permission_effect(action));
                }
            }
            (Step::Consent, Event::ConsentAnswered { accepted: true }) => {
                self.consent =
                    Some(ConsentRecord { terms_version: CURRENT_TERMS_VERSION.to_owned(), accepted_at: self.clock.server_now(now) });
                self.step = Step::IdentityEntry { problems: Vec::new() };
            }
            (Step::Consent, Event::ConsentAnswered { accepted: false }) => {
                self.notice = Some(Notice::ConsentRequired);
            }
            _ => return Err(Rejection::UnexpectedEvent),
        }
        Ok(())
    }

    /// A permission status from the shell, in any step.
    pub(super) fn on_permission_event(&mut self, event: Event, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let Event::PermissionReported { permission, status } = event else { return Err(Rejection::UnexpectedEvent) };
        self.permissions.record(permission, status);
        if self.step != Step::Permissions {
            return Ok(());
        }
        if self.permissions.all_granted() {
            self.step = Step::Consent;
            return Ok(());
        }
        match self.permissions.next_action(self.platform, false) {
            Some(action) => out.push(permission_effect(action)),
            None => {
                // A denial: explain, and let the user ask again (or go to the settings).
                let missing = self.permissions.missing().into_iter().next().unwrap_or(permission);
                self.notice = Some(Notice::PermissionNeeded { permission: missing });
            }
        }
        Ok(())
    }

    /// Identity form, the service's answer and the legacy date of birth.
    pub(super) fn on_identity_event(&mut self, event: Event, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        let today = CivilDate::from_timestamp(self.clock.server_now(now));
        let confirming = self.is_calling(|c| matches!(c, ServiceCall::ConfirmDateOfBirth { .. }));
        let request_failed = self.request_failed();
        match (&mut self.step, event) {
            (Step::IdentityEntry { .. }, Event::IdentitySubmitted { form }) => {
                let problems = form.validate();
                if problems.is_empty() {
                    self.consent.as_ref().ok_or(Rejection::UnexpectedEvent)?;
                    self.identity = Some(form.normalised());
                    self.step = Step::SubmittingIdentity;
                    let call = self.create_request_call().ok_or(Rejection::UnexpectedEvent)?;
                    self.call(call, out);
                } else {
                    // Keep what was typed so nothing is lost; the screen shows each problem.
                    self.identity = Some(form);
                    self.step = Step::IdentityEntry { problems };
                }
            }
            (Step::SubmittingIdentity, Event::EditIdentity) if request_failed => self.restart(),
            // A date that was refused, or whose call failed, can be changed, and the identity
            // edited: nothing is in flight.
            (Step::DateOfBirth { .. }, Event::EditIdentity) if !confirming => self.restart(),
            (Step::DateOfBirth { entry, submitting }, dob_event) if !confirming => {
                let submit = dob_event == Event::Continue;
                let result = match dob_event {
                    Event::DobYearSelected { year } => entry.select_year(year, today),
                    Event::DobMonthSelected { month } => entry.select_month(month),
                    Event::DobDaySelected { day } => entry.select_day(day),
                    Event::Continue => entry.complete(today).map(|_| ()),
                    _ => return Err(Rejection::UnexpectedEvent),
                };
                if let Err(error) = result {
                    self.notice = Some(Notice::DateOfBirth { error });
                    return Err(Rejection::InvalidInput);
                }
                *submitting = submit;
                let date = entry.complete(today).map(|d| d.iso());
                if !submit {
                    // A changed date is a new attempt: the failed one is not resent.
                    self.failed_call = None;
                } else if let Ok(date_of_birth) = date {
                    let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)?;
                    self.call(ServiceCall::ConfirmDateOfBirth { request_id, date_of_birth }, out);
                }
            }
            _ => return Err(Rejection::UnexpectedEvent),
        }
        Ok(())
    }

    /// Moves to the step after `milestone` on the decided path.
    pub(super) fn advance(&mut self, milestone: Milestone, out: &mut Vec<Effect>) {
        let Some(decision) = self.decision.as_ref() else { return };
        let staff_kind = self.identity.as_ref().map_or(StaffKind::External, |f| f.staff_kind);
        let request_id = decision.request_id.clone();
        self.step = match decision.next_after(milestone, staff_kind) {
            NextStep::DateOfBirth => Step::DateOfBirth { entry: DateOfBirthEntry::default(), submitting: false },
            NextStep::GovernmentId => Step::GovernmentId { completed: Vec::new(), started: false, awaiting_verdict: None },
            NextStep::AddVerifiedId => Step::AddVerifiedId { opened: false },
            NextStep::Selfie => Step::Selfie { phase: SelfiePhase::Ready },
            NextStep::Liveness => Step::Liveness { in_progress: false, attempts: 0, challenge: None },
            NextStep::PresentVerifiedId => Step::PresentVerifiedId { requested: false },
            NextStep::SubmitForReview => self.start_review(request_id, out),
            NextStep::FetchTap => {
                // The 30-day fast path: present the Verified ID, submit, then the TAP; the
                // service approves at once, with no reviewer call.
                self.call(ServiceCall::PresentVerifiedId { request_id }, out);
                Step::FetchingTap { fast_path: true, reissued: false }
            }
        };
    }

    /// True when every permission in `needed` is granted; otherwise asks for the first missing
    /// one (or sends the user to the settings) and explains why.
    pub(super) fn require_permissions(&mut self, needed: &[Permission], out: &mut Vec<Effect>) -> bool {
        let Some(missing) = needed.iter().copied().find(|p| !self.permissions.status(*p).is_sufficient()) else {
            return true;
        };
        let mut only_this = self.permissions.clone();
        for p in Permission::ALL.into_iter().filter(|p| *p != missing) {
            only_this.record(p, super::permissions::PermissionStatus::Granted);
        }
        if let Some(action) = only_this.next_action(self.platform, true) {
            out.push(permission_effect(action));
        }
        self.notice = Some(Notice::PermissionNeeded { permission: missing });
        false
    }
}

fn permission_effect(action: PermissionAction) -> Effect {
    match action {
        PermissionAction::Request(permission) => Effect::RequestPermission { permission },
        PermissionAction::RequestFullAccuracy => Effect::RequestFullAccuracyLocation,
        PermissionAction::OpenSettings(permission) => Effect::OpenAppSettings { permission },
    }
}
