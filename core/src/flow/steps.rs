//! The steps before verification: device check, permissions, consent, identity entry, the
//! service's path decision and the legacy date of birth; and the helpers that move the flow
//! along a path.

use super::clock::Timestamp;
use super::consent::{ConsentRecord, CURRENT_TERMS_VERSION};
use super::date_of_birth::{CivilDate, DateOfBirthEntry};
use super::effect::Effect;
use super::event::Event;
use super::identity_entry::StaffKind;
use super::path::{Milestone, NextStep, OnboardingPath, PathDecision};
use super::permissions::{Permission, PermissionAction};
use super::review::{Review, ReviewPhase};
use super::verification::{SelfiePhase, VerifiedIdRecord, FAST_PATH_WINDOW_MS};
use super::{Notice, OnboardingFlow, Rejection, Step};
use crate::eligibility::{check_device, Platform};

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
                self.consent = Some(ConsentRecord {
                    terms_version: CURRENT_TERMS_VERSION.to_owned(),
                    accepted_at: self.clock.server_now(now),
                });
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
        match (&mut self.step, event) {
            (Step::IdentityEntry { .. }, Event::IdentitySubmitted { form }) => {
                let problems = form.validate();
                if problems.is_empty() {
                    let form = form.normalised();
                    let consent = self.consent.clone().ok_or(Rejection::UnexpectedEvent)?;
                    out.push(Effect::SubmitIdentity {
                        upn: form.upn.clone(),
                        employee_id: form.employee_id.clone(),
                        personal_email: form.personal_email.clone(),
                        staff_kind: form.staff_kind,
                        terms_version: consent.terms_version,
                        consent_accepted_at: consent.accepted_at,
                    });
                    self.identity = Some(form);
                    self.step = Step::SubmittingIdentity;
                } else {
                    // Keep what was typed so nothing is lost; the screen shows each problem.
                    self.identity = Some(form);
                    self.step = Step::IdentityEntry { problems };
                }
            }
            (Step::SubmittingIdentity, Event::Continue) if self.request_failed => {
                let form = self.identity.clone().ok_or(Rejection::UnexpectedEvent)?;
                self.step = Step::IdentityEntry { problems: Vec::new() };
                return self.on_identity_event(Event::IdentitySubmitted { form }, now, out);
            }
            (Step::SubmittingIdentity, Event::IdentityAccepted { request_id, path, flags, verified_id_issued_at, server_time }) => {
                self.clock.observe(server_time, now);
                if let Some(issued_at) = verified_id_issued_at {
                    let known = VerifiedIdRecord { issued_at, expires_at: issued_at.saturating_add(FAST_PATH_WINDOW_MS) };
                    self.verified_id = Some(known);
                }
                // The fast path yields a TAP; the passkey path always goes through the ID check.
                let fast_path = path != OnboardingPath::GetPasskey
                    && self.verified_id.is_some_and(|v| v.allows_fast_path(server_time));
                self.decision = Some(PathDecision { request_id, path, flags, fast_path });
                self.advance(Milestone::IdentityAccepted, out);
            }
            (Step::SubmittingIdentity, Event::EditIdentity) if self.request_failed => self.restart(),
            (Step::DateOfBirth { submitting: false, .. }, Event::EditIdentity) => self.restart(),
            (Step::DateOfBirth { entry, submitting: false }, dob_event) => {
                let result = match dob_event {
                    Event::DobYearSelected { year } => entry.select_year(year, today),
                    Event::DobMonthSelected { month } => entry.select_month(month),
                    Event::DobDaySelected { day } => entry.select_day(day),
                    Event::Continue => entry.complete(today).map(|date| {
                        let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).unwrap_or_default();
                        out.push(Effect::SubmitDateOfBirth { request_id, date_of_birth: date.iso() });
                    }),
                    _ => return Err(Rejection::UnexpectedEvent),
                };
                match result {
                    Ok(()) => {
                        if !out.is_empty() {
                            self.step = Step::DateOfBirth { entry: entry.clone(), submitting: true };
                        }
                    }
                    Err(error) => {
                        self.notice = Some(Notice::DateOfBirth { error });
                        return Err(Rejection::InvalidInput);
                    }
                }
            }
            (Step::DateOfBirth { entry, submitting: true }, Event::Continue) if self.request_failed => {
                let date = entry.complete(today).map_err(|_| Rejection::InvalidInput)?;
                let request_id = self.decision.as_ref().map(|d| d.request_id.clone()).unwrap_or_default();
                out.push(Effect::SubmitDateOfBirth { request_id, date_of_birth: date.iso() });
            }
            (Step::DateOfBirth { submitting: true, .. }, Event::DateOfBirthAccepted { server_time }) => {
                self.clock.observe(server_time, now);
                self.advance(Milestone::DateOfBirthAccepted, out);
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
            NextStep::GovernmentId => Step::GovernmentId { completed: Vec::new(), started: false },
            NextStep::AddVerifiedId => Step::AddVerifiedId { opened: false },
            NextStep::Selfie => Step::Selfie { phase: SelfiePhase::Ready },
            NextStep::Liveness => Step::Liveness { in_progress: false, attempts: 0 },
            NextStep::PresentVerifiedId => Step::PresentVerifiedId { requested: false },
            NextStep::SubmitForReview => {
                out.push(Effect::SubmitForReview { request_id });
                Step::Review(Review { submitted_at: None, phase: ReviewPhase::Submitting })
            }
            NextStep::FetchTap => {
                out.push(Effect::FetchTap { request_id, fast_path: true });
                Step::FetchingTap { fast_path: true }
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
