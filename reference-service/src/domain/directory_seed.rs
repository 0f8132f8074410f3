//! The seeded directory every embedded or standalone service starts with: a few employees and
//! external staff covering each path, with and without badge photos, in and out of the TAP
//! policy's scope. The README's demo walk-through uses these people.

use crate::domain::directory::{BadgePhoto, Directory, DirectoryEntry, GroupRollout, OnboardingPath, RolloutFlags, StaffKind};
use crate::domain::reviewer::{ReviewerRole, ReviewerSeed};

/// Stands in for the GSAM badge photo store: everyone seeded with a badge photo shows this one
/// portrait (a committed core fixture with exactly one face), so the reviewer has a real image
/// to compare the selfie with.
const SEED_BADGE_PHOTO_JPEG: &[u8] = include_bytes!("../../../core/tests/fixtures/face_portrait_512x512.jpg");

/// The manager of everyone seeded, so one reviewer account can review the demo's requests.
pub const SEED_MANAGER: &str = "maria@contoso.example";
/// A second reviewer who manages nobody seeded: the one a test or the demo delegates to.
pub const SEED_SECOND_REVIEWER: &str = "omar@contoso.example";
/// The seeded administrator: reads the audit log, reviews nobody.
pub const SEED_ADMIN: &str = "security-admin@contoso.example";

/// The reviewer accounts a development service creates at its first start (see
/// `ServiceConfig::reviewer_password`).
pub fn seeded_reviewers() -> Vec<ReviewerSeed> {
    vec![
        ReviewerSeed { upn: SEED_MANAGER.to_owned(), role: ReviewerRole::Reviewer },
        ReviewerSeed { upn: SEED_SECOND_REVIEWER.to_owned(), role: ReviewerRole::Reviewer },
        ReviewerSeed { upn: SEED_ADMIN.to_owned(), role: ReviewerRole::Admin },
    ]
}

/// Group every person in the TAP policy's scope belongs to.
pub const TAP_SCOPE_GROUP: &str = "all-staff";

fn person(
    upn: &str,
    employee_id: &str,
    staff_kind: StaffKind,
    date_of_birth: Option<&str>,
    badge_photo: Option<&BadgePhoto>,
    groups: &[&str],
) -> DirectoryEntry {
    DirectoryEntry {
        upn: upn.to_owned(),
        employee_id: employee_id.to_owned(),
        staff_kind,
        date_of_birth: date_of_birth.map(str::to_owned),
        badge_photo: badge_photo.cloned(),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        path_override: None,
        flags_override: None,
        manager: Some(SEED_MANAGER.to_owned()),
    }
}

/// The seeded directory.
pub fn seeded_directory() -> Directory {
    use StaffKind::{Employee, External};
    let photo = BadgePhoto::from_jpeg(SEED_BADGE_PHOTO_JPEG);
    let (badge, no_badge) = (Some(&photo), None);
    let mut frank = person("v-frank@contoso.example", "X2002", External, None, no_badge, &[TAP_SCOPE_GROUP]);
    frank.path_override = Some(OnboardingPath::GetTap);
    frank.flags_override = Some(RolloutFlags { liveness_prompt: true, verified_id: false });
    let mut henry = person("henry@contoso.example", "E1005", Employee, Some("1979-02-28"), badge, &[]);
    henry.path_override = Some(OnboardingPath::GetTap);
    Directory {
        entries: vec![
            // "Get TAP" with liveness and Verified ID rolled out to her groups.
            person(
                "alice@contoso.example",
                "E1001",
                Employee,
                Some("1990-04-12"),
                badge,
                &[TAP_SCOPE_GROUP, "rollout-tap", "rollout-liveness"],
            ),
            // No rollout group: the legacy date-of-birth flow.
            person("bob@contoso.example", "E1002", Employee, Some("1985-11-30"), badge, &[TAP_SCOPE_GROUP]),
            // An employee without a badge photo: cannot be verified.
            person("carol@contoso.example", "E1003", Employee, Some("1992-07-01"), no_badge, &[TAP_SCOPE_GROUP]),
            // "Get Passkey" through the government-ID partner.
            person("dave@contoso.example", "E1004", Employee, Some("1988-01-20"), badge, &[TAP_SCOPE_GROUP, "rollout-passkey"]),
            // External staff on the legacy flow: employee ID, no badge photo needed.
            person("v-erin@contoso.example", "X2001", External, None, no_badge, &[TAP_SCOPE_GROUP]),
            frank,
            // On "Get TAP" but outside the TAP policy's scope.
            henry,
        ],
        rollouts: vec![
            GroupRollout {
                group: "rollout-passkey".to_owned(),
                path: Some(OnboardingPath::GetPasskey),
                flags: RolloutFlags { liveness_prompt: true, verified_id: true },
            },
            GroupRollout {
                group: "rollout-tap".to_owned(),
                path: Some(OnboardingPath::GetTap),
                flags: RolloutFlags { liveness_prompt: false, verified_id: true },
            },
            GroupRollout {
                group: "rollout-liveness".to_owned(),
                path: None,
                flags: RolloutFlags { liveness_prompt: true, verified_id: false },
            },
        ],
        default_path: OnboardingPath::LegacyDob,
    }
}

/// Most synthetic people [`add_synthetic_people`] makes: enough for any load or kill test, few
/// enough that the directory's linear search stays cheap.
pub const MAX_SYNTHETIC_PEOPLE: usize = 10_000;

/// The work email of synthetic person `number` (1-based): `synthetic-00001@contoso.example`.
pub fn synthetic_upn(number: usize) -> String {
    format!("synthetic-{number:05}@contoso.example")
}

/// The employee ID of synthetic person `number`: `S00001`.
pub fn synthetic_employee_id(number: usize) -> String {
    format!("S{number:05}")
}

/// Development and tests only: adds `count` made-up employees (numbered from 1, at most
/// [`MAX_SYNTHETIC_PEOPLE`]) on "Get TAP", in the TAP policy's scope, with the seeded badge
/// photo, so that many onboardings can run at once against one service, each as its own person
/// (the seeded directory has one "Get TAP" employee, and a person has one TAP at a time). Odd
/// numbers are in the liveness rollout like Alice, even numbers are not, so both variants of the
/// path are exercised. Their manager, hence their reviewer, is [`SEED_MANAGER`]. They are not
/// people: a real deployment reads its directory instead.
pub fn add_synthetic_people(directory: &mut Directory, count: usize) {
    let photo = BadgePhoto::from_jpeg(SEED_BADGE_PHOTO_JPEG);
    for number in 1..=count.min(MAX_SYNTHETIC_PEOPLE) {
        let mut groups = vec![TAP_SCOPE_GROUP, "rollout-tap"];
        if number % 2 == 1 {
            groups.push("rollout-liveness");
        }
        let upn = synthetic_upn(number);
        let employee_id = synthetic_employee_id(number);
        directory.entries.push(person(&upn, &employee_id, StaffKind::Employee, Some("1990-01-01"), Some(&photo), &groups));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::IdentityClaim;

    #[test]
    fn synthetic_people_are_on_get_tap_and_every_other_one_is_asked_for_liveness() {
        let mut directory = seeded_directory();
        let seeded = directory.entries.len();
        add_synthetic_people(&mut directory, 3);
        assert_eq!(directory.entries.len(), seeded + 3);
        for (number, liveness) in [(1, true), (2, false), (3, true)] {
            let claim = IdentityClaim {
                upn: synthetic_upn(number),
                employee_id: Some(synthetic_employee_id(number)),
                staff_kind: StaffKind::Employee,
                date_of_birth: None,
            };
            let decision = directory.decide(&claim).expect("a synthetic person matches");
            assert_eq!(decision.path, OnboardingPath::GetTap);
            assert_eq!(decision.flags, RolloutFlags { liveness_prompt: liveness, verified_id: true });
        }
        assert!(directory.find(&synthetic_upn(4)).is_none(), "only as many as asked");
    }

    #[test]
    fn synthetic_people_are_capped() {
        let mut directory = Directory { entries: Vec::new(), rollouts: Vec::new(), default_path: OnboardingPath::LegacyDob };
        add_synthetic_people(&mut directory, usize::MAX);
        assert_eq!(directory.entries.len(), MAX_SYNTHETIC_PEOPLE);
    }
}
