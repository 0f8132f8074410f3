//! The path the service decides after identity entry, and the steps each path takes.
//!
//! Seed 001: "After entering your employee ID and alias… select the correct instruction tab…
//! based on the button displayed in the app": **Get TAP** (seed 000) or **Get Passkey** (seed
//! 001); older deployments still use the legacy date-of-birth form. Two staged rollouts change
//! the TAP path: the liveness prompt and Verified ID. A user with a Verified ID from the last 30
//! days takes the fast path: liveness only, then a new TAP, with no reviewer call.

use super::identity_entry::StaffKind;

/// Which onboarding the service chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OnboardingPath {
    /// Seed 000: selfie (and liveness), reviewer call, Temporary Access Pass.
    GetTap,
    /// Seed 001: government ID via the partner, Verified ID, liveness, reviewer call, passkey.
    GetPasskey,
    /// The older form: employees give their date of birth; otherwise like `GetTap`.
    LegacyDob,
}

/// Staged-rollout switches the service sends with the path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RolloutFlags {
    /// Ask for a liveness check after the selfie.
    pub liveness_prompt: bool,
    /// Issue a Verified ID after approval (enables the 30-day fast path next time).
    pub verified_id: bool,
}

/// The service's decision, kept for the rest of the onboarding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PathDecision {
    /// The onboarding request the service opened.
    pub request_id: String,
    /// The path.
    pub path: OnboardingPath,
    /// The rollout flags.
    pub flags: RolloutFlags,
    /// The fast path applies (a Verified ID from the last 30 days exists).
    pub fast_path: bool,
}

/// A step that has just been completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    /// The service accepted the identity and chose the path.
    IdentityAccepted,
    /// The service accepted the date of birth.
    DateOfBirthAccepted,
    /// The partner verified the government ID and the Verified ID was issued.
    VerifiedIdIssued,
    /// The user added the Verified ID to Authenticator and came back.
    VerifiedIdAdded,
    /// The selfie reached the service.
    SelfieUploaded,
    /// The liveness check passed.
    LivenessPassed,
    /// The Verified ID was presented to the service.
    VerifiedIdPresented,
}

/// What comes after a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// The year-first date-of-birth form.
    DateOfBirth,
    /// The partner's government-ID check.
    GovernmentId,
    /// Add the new Verified ID to Authenticator.
    AddVerifiedId,
    /// Take a selfie.
    Selfie,
    /// The liveness check.
    Liveness,
    /// Present the Verified ID.
    PresentVerifiedId,
    /// Submit the request to the reviewer.
    SubmitForReview,
    /// Fetch a new TAP directly (fast path).
    FetchTap,
}

impl PathDecision {
    /// The step after `milestone` on this path, for a user of `staff_kind`.
    pub fn next_after(&self, milestone: Milestone, staff_kind: StaffKind) -> NextStep {
        use Milestone as M;
        use NextStep as N;
        if self.fast_path && self.path != OnboardingPath::GetPasskey {
            return match milestone {
                M::LivenessPassed => N::FetchTap,
                _ => N::Liveness,
            };
        }
        match (self.path, milestone) {
            (OnboardingPath::GetPasskey, M::IdentityAccepted) => N::GovernmentId,
            (OnboardingPath::GetPasskey, M::VerifiedIdIssued) => N::AddVerifiedId,
            (OnboardingPath::GetPasskey, M::VerifiedIdAdded) => N::Liveness,
            (OnboardingPath::GetPasskey, M::LivenessPassed) => N::PresentVerifiedId,
            (OnboardingPath::GetPasskey, M::VerifiedIdPresented) => N::SubmitForReview,
            // Milestones that do not belong to the passkey path restart it at the ID check.
            (OnboardingPath::GetPasskey, _) => N::GovernmentId,
            (OnboardingPath::LegacyDob, M::IdentityAccepted) if staff_kind == StaffKind::Employee => N::DateOfBirth,
            (_, M::SelfieUploaded) if self.flags.liveness_prompt => N::Liveness,
            (_, M::SelfieUploaded | M::LivenessPassed) => N::SubmitForReview,
            (_, _) => N::Selfie,
        }
    }

    /// Whether approval leads to a passkey rather than a TAP.
    pub fn ends_with_passkey(&self) -> bool {
        self.path == OnboardingPath::GetPasskey && !self.fast_path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(path: OnboardingPath, liveness_prompt: bool, fast_path: bool) -> PathDecision {
        PathDecision { request_id: "r".into(), path, flags: RolloutFlags { liveness_prompt, verified_id: false }, fast_path }
    }

    fn walk(d: &PathDecision, kind: StaffKind, milestones: &[Milestone]) -> Vec<NextStep> {
        milestones.iter().map(|m| d.next_after(*m, kind)).collect()
    }

    #[test]
    fn get_tap_with_and_without_the_liveness_rollout() {
        use Milestone::*;
        let with = decision(OnboardingPath::GetTap, true, false);
        assert_eq!(
            walk(&with, StaffKind::Employee, &[IdentityAccepted, SelfieUploaded, LivenessPassed]),
            vec![NextStep::Selfie, NextStep::Liveness, NextStep::SubmitForReview]
        );
        let without = decision(OnboardingPath::GetTap, false, false);
        assert_eq!(without.next_after(SelfieUploaded, StaffKind::External), NextStep::SubmitForReview);
    }

    #[test]
    fn get_passkey_follows_seed_001() {
        use Milestone::*;
        let d = decision(OnboardingPath::GetPasskey, false, false);
        assert_eq!(
            walk(&d, StaffKind::Employee, &[IdentityAccepted, VerifiedIdIssued, VerifiedIdAdded, LivenessPassed, VerifiedIdPresented]),
            vec![
                NextStep::GovernmentId,
                NextStep::AddVerifiedId,
                NextStep::Liveness,
                NextStep::PresentVerifiedId,
                NextStep::SubmitForReview
            ]
        );
        assert!(d.ends_with_passkey());
    }

    #[test]
    fn only_employees_give_a_date_of_birth_on_the_legacy_path() {
        let d = decision(OnboardingPath::LegacyDob, false, false);
        assert_eq!(d.next_after(Milestone::IdentityAccepted, StaffKind::Employee), NextStep::DateOfBirth);
        assert_eq!(d.next_after(Milestone::IdentityAccepted, StaffKind::External), NextStep::Selfie);
        assert_eq!(d.next_after(Milestone::DateOfBirthAccepted, StaffKind::Employee), NextStep::Selfie);
    }

    #[test]
    fn the_fast_path_is_liveness_then_a_tap() {
        let d = decision(OnboardingPath::GetTap, false, true);
        assert_eq!(d.next_after(Milestone::IdentityAccepted, StaffKind::Employee), NextStep::Liveness);
        assert_eq!(d.next_after(Milestone::LivenessPassed, StaffKind::Employee), NextStep::FetchTap);
    }
}
