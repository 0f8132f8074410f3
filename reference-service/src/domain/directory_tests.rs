use super::*;
use crate::domain::directory_seed::seeded_directory;

fn claim(upn: &str, employee_id: Option<&str>, kind: StaffKind, dob: Option<&str>) -> IdentityClaim {
    IdentityClaim {
        upn: upn.to_owned(),
        employee_id: employee_id.map(str::to_owned),
        staff_kind: kind,
        date_of_birth: dob.map(str::to_owned),
    }
}

#[test]
fn group_rollout_gives_get_tap_and_combines_flags() {
    let decision =
        seeded_directory().decide(&claim("ALICE@contoso.example", Some("E1001"), StaffKind::Employee, None)).expect("alice matches");
    assert_eq!(decision.path, OnboardingPath::GetTap);
    assert_eq!(decision.flags, RolloutFlags { liveness_prompt: true, verified_id: true });
}

#[test]
fn passkey_group_and_per_user_override_win() {
    let dir = seeded_directory();
    let dave = dir.decide(&claim("dave@contoso.example", Some("E1004"), StaffKind::Employee, None));
    assert_eq!(dave.expect("dave").path, OnboardingPath::GetPasskey);
    let frank = dir.decide(&claim("v-frank@contoso.example", Some("X2002"), StaffKind::External, None)).expect("frank");
    assert_eq!(frank.path, OnboardingPath::GetTap);
    assert_eq!(frank.flags, RolloutFlags { liveness_prompt: true, verified_id: false });
}

#[test]
fn legacy_employees_need_the_right_date_of_birth_now_or_later() {
    let dir = seeded_directory();
    let wrong = dir.decide(&claim("bob@contoso.example", None, StaffKind::Employee, Some("1985-11-29")));
    assert_eq!(wrong.expect_err("wrong dob"), DomainError::IdentityNotMatched);
    let garbage = dir.decide(&claim("bob@contoso.example", None, StaffKind::Employee, Some("30/11/1985")));
    assert_eq!(garbage.expect_err("bad format"), DomainError::DateOfBirthInvalid);
    let right = dir.decide(&claim("bob@contoso.example", None, StaffKind::Employee, Some("1985-11-30"))).expect("bob, one step");
    assert_eq!((right.path, right.date_of_birth), (OnboardingPath::LegacyDob, DateOfBirthCheck::Matched));
    assert_eq!(right.flags, RolloutFlags::default());
    // The app's order: UPN and employee ID first, the date of birth afterwards.
    let first_step = dir.decide(&claim("bob@contoso.example", Some("E1002"), StaffKind::Employee, None)).expect("bob, two steps");
    assert_eq!((first_step.path, first_step.date_of_birth), (OnboardingPath::LegacyDob, DateOfBirthCheck::Pending));
    let wrong_id = dir.decide(&claim("bob@contoso.example", Some("E1001"), StaffKind::Employee, None));
    assert_eq!(wrong_id.expect_err("wrong id"), DomainError::IdentityNotMatched);
    let both = dir.decide(&claim("bob@contoso.example", Some("E1002"), StaffKind::Employee, Some("1985-11-30"))).expect("both");
    assert_eq!(both.date_of_birth, DateOfBirthCheck::Matched);
}

#[test]
fn a_date_of_birth_alone_identifies_only_legacy_employees() {
    let dir = seeded_directory();
    let alice = dir.decide(&claim("alice@contoso.example", None, StaffKind::Employee, Some("1990-04-12")));
    assert_eq!(alice.expect_err("not asked of alice"), DomainError::IdentityNotMatched);
    let alice_with_id = dir.decide(&claim("alice@contoso.example", Some("E1001"), StaffKind::Employee, None)).expect("alice");
    assert_eq!(alice_with_id.date_of_birth, DateOfBirthCheck::NotNeeded);
}

#[test]
fn missing_identifiers_are_refused_alike_for_known_and_unknown_people() {
    let dir = seeded_directory();
    let known = dir.decide(&claim("bob@contoso.example", None, StaffKind::Employee, None));
    let unknown = dir.decide(&claim("nobody@contoso.example", None, StaffKind::Employee, None));
    let known = known.expect_err("nothing to check");
    assert_eq!(known, DomainError::EmployeeIdRequired);
    assert_eq!(known, unknown.expect_err("nothing to check"));
}

#[test]
fn external_staff_use_the_employee_id_and_need_no_badge_photo() {
    let dir = seeded_directory();
    let erin = dir.decide(&claim("v-erin@contoso.example", Some("X2001"), StaffKind::External, None));
    assert_eq!(erin.expect("erin").path, OnboardingPath::LegacyDob);
    let no_id = dir.decide(&claim("v-erin@contoso.example", None, StaffKind::External, None));
    assert_eq!(no_id.expect_err("no id"), DomainError::EmployeeIdRequired);
    let wrong_kind = dir.decide(&claim("v-erin@contoso.example", Some("X2001"), StaffKind::Employee, None));
    assert_eq!(wrong_kind.expect_err("kind"), DomainError::IdentityNotMatched);
}

#[test]
fn unknown_people_and_wrong_ids_get_the_same_answer() {
    let dir = seeded_directory();
    let unknown = dir.decide(&claim("nobody@contoso.example", Some("E9"), StaffKind::Employee, None));
    let wrong_id = dir.decide(&claim("alice@contoso.example", Some("E9"), StaffKind::Employee, None));
    assert_eq!(unknown.expect_err("unknown"), wrong_id.expect_err("wrong id"));
}

#[test]
fn employees_without_a_badge_photo_are_refused() {
    let carol = seeded_directory().decide(&claim("carol@contoso.example", None, StaffKind::Employee, Some("1992-07-01")));
    assert_eq!(carol.expect_err("no badge"), DomainError::BadgePhotoMissing);
}

#[test]
fn seeded_badge_photos_are_real_jpegs_the_matched_entry_carries() {
    let dir = seeded_directory();
    let alice = dir.decide(&claim("alice@contoso.example", Some("E1001"), StaffKind::Employee, None)).expect("alice");
    let photo = alice.entry.badge_photo.expect("alice has a badge photo");
    assert!(photo.jpeg().starts_with(&[0xFF, 0xD8]) && photo.jpeg().ends_with(&[0xFF, 0xD9]), "a whole JPEG");
    assert_eq!(format!("{photo:?}"), format!("BadgePhoto({} bytes)", photo.jpeg().len()), "Debug does not dump the bytes");
    for entry in &dir.entries {
        let expected = entry.upn != "carol@contoso.example" && entry.staff_kind == StaffKind::Employee;
        assert_eq!(entry.has_badge_photo(), expected, "{}", entry.upn);
    }
}
