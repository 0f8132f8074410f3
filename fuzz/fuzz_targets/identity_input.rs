//! What the user types and picks on the identity step: the UPN, employee ID and personal
//! email (`IdentityForm::validate`) and the year-first date of birth (`DateOfBirthEntry`, any
//! sequence of picks on any day). Never a panic, and the rules hold: a form without problems
//! has one `@` in each email and a short alphanumeric ID; validation sees the normalised form;
//! month and day stay unavailable until the year (and month) is chosen; a kept day exists;
//! a completed date is a real day, not after today, at a plausible age.
#![no_main]

use identity_pass_core::flow::date_of_birth::{CivilDate, DateOfBirthEntry, MAX_AGE_YEARS, MIN_AGE_YEARS, days_in_month};
use identity_pass_core::flow::identity_entry::{IdentityForm, MAX_EMPLOYEE_ID_LEN, StaffKind};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn identity(u: &mut Unstructured<'_>) -> Result<()> {
    let form = IdentityForm {
        upn: u.arbitrary()?,
        employee_id: u.arbitrary()?,
        personal_email: u.arbitrary()?,
        staff_kind: if u.arbitrary()? { StaffKind::Employee } else { StaffKind::External },
    };
    let problems = form.validate();
    let normal = form.normalised();
    assert_eq!(normal.validate(), problems, "validation must see the normalised form");
    if problems.is_empty() {
        assert_eq!(normal.upn.matches('@').count(), 1, "{:?}", normal.upn);
        assert!(!normal.employee_id.is_empty() && normal.employee_id.len() <= MAX_EMPLOYEE_ID_LEN);
        assert!(normal.employee_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if let Some(personal) = &normal.personal_email {
            assert_eq!(personal.matches('@').count(), 1);
            assert_ne!(*personal, normal.upn);
        }
    }
    Ok(())
}

fn date_of_birth(u: &mut Unstructured<'_>) -> Result<()> {
    let today = CivilDate::from_timestamp(u.arbitrary()?);
    assert!((1..=12).contains(&today.month) && today.day >= 1 && today.day <= days_in_month(today.year, today.month), "{today:?}");
    let mut entry = DateOfBirthEntry::default();
    for _ in 0..u.int_in_range(0..=12)? {
        let before = entry.clone();
        let result = match u.int_in_range(0..=2)? {
            0 => {
                let year = if u.arbitrary()? { u.arbitrary()? } else { today.year.saturating_sub(u.int_in_range(0..=110)?) };
                entry.select_year(year, today)
            }
            1 => entry.select_month(u.int_in_range(0..=13)?),
            _ => entry.select_day(u.int_in_range(0..=32)?),
        };
        if result.is_err() {
            assert_eq!(entry, before, "a refused pick changed the entry");
        }
        assert!(entry.month.is_none() || entry.year.is_some(), "month without year: {entry:?}");
        assert!(entry.day.is_none() || entry.month.is_some(), "day without month: {entry:?}");
        assert_eq!(entry.month_enabled(), entry.year.is_some());
        if let Some(day) = entry.day {
            assert!(day >= 1 && day <= entry.selectable_days(), "{entry:?}");
        }
        if let Ok(date) = entry.complete(today) {
            assert!(date <= today);
            assert!(date.day >= 1 && date.day <= days_in_month(date.year, date.month));
            let age = date.age_on(today);
            assert!((MIN_AGE_YEARS..=MAX_AGE_YEARS).contains(&age), "age {age}");
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = if u.arbitrary::<bool>().unwrap_or(false) { date_of_birth(&mut u) } else { identity(&mut u) };
});
