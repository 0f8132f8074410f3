use super::*;

fn tap(start_at: i64, lifetime_minutes: u32, usable_once: bool, used_at: Option<i64>) -> Tap {
    Tap { id: "tap_1".into(), created_at: start_at, start_at, lifetime_minutes, usable_once, used_at }
}

#[test]
fn usability_follows_entra_reasons() {
    let policy = TapPolicy::default();
    let t = tap(1_000, 30, true, None);
    assert_eq!(usability(&policy, true, &t, 999), UsabilityReason::NotYetValid);
    assert_eq!(usability(&policy, true, &t, 1_000), UsabilityReason::EnabledByPolicy);
    assert_eq!(usability(&policy, true, &t, 1_000 + 30 * 60 - 1), UsabilityReason::EnabledByPolicy);
    assert_eq!(usability(&policy, true, &t, 1_000 + 30 * 60), UsabilityReason::Expired);
    assert_eq!(usability(&policy, false, &t, 1_000), UsabilityReason::DisabledByPolicy);
    let used = tap(1_000, 30, true, Some(1_010));
    assert_eq!(usability(&policy, true, &used, 1_020), UsabilityReason::OneTimeUsed);
    let multi = tap(1_000, 30, false, Some(1_010));
    assert_eq!(usability(&policy, true, &multi, 1_020), UsabilityReason::EnabledByPolicy);
    let off = TapPolicy { enabled: false, ..TapPolicy::default() };
    assert_eq!(usability(&off, true, &t, 1_000), UsabilityReason::DisabledByPolicy);
}

#[test]
fn plan_defaults_to_thirty_minutes_one_time_starting_now() {
    let planned = plan(&TapPolicy::default(), true, &TapOptions::default(), 5_000).expect("plan");
    assert_eq!(planned, TapPlan { start_at: 5_000, lifetime_minutes: 30, usable_once: true });
}

#[test]
fn plan_refuses_lifetimes_outside_the_policy() {
    let policy = TapPolicy::default();
    for lifetime in [9, 481, -5] {
        let options = TapOptions { lifetime_in_minutes: Some(lifetime), ..TapOptions::default() };
        let error = plan(&policy, true, &options, 0).expect_err("out of range");
        // The wire code and the "between 10 and 480" message: `http::error`'s tests.
        assert_eq!(error, DomainError::TapLifetimeOutOfRange { min: 10, max: 480 });
    }
    let options = TapOptions { lifetime_in_minutes: Some(480), ..TapOptions::default() };
    assert_eq!(plan(&policy, true, &options, 0).expect("max").lifetime_minutes, 480);
}

#[test]
fn plan_enforces_scope_state_one_time_and_start() {
    let policy = TapPolicy::default();
    let none = TapOptions::default();
    assert_eq!(plan(&policy, false, &none, 0).expect_err("scope"), DomainError::TapUserNotInScope);
    let off = TapPolicy { enabled: false, ..TapPolicy::default() };
    assert_eq!(plan(&off, true, &none, 0).expect_err("off"), DomainError::TapPolicyDisabled);
    let multi = TapOptions { is_usable_once: Some(false), ..TapOptions::default() };
    assert_eq!(plan(&policy, true, &multi, 0).expect_err("multi"), DomainError::TapMultiUseNotAllowed);
    let relaxed = TapPolicy { is_usable_once: false, ..TapPolicy::default() };
    assert!(!plan(&relaxed, true, &multi, 0).expect("multi allowed").usable_once);
    let later = TapOptions { start_date_time: Some("2026-01-01T00:10:00Z".into()), ..TapOptions::default() };
    let now = crate::clock::from_rfc3339("2026-01-01T00:00:00Z").expect("time");
    assert_eq!(plan(&policy, true, &later, now).expect("future").start_at, now + 600);
    let past = TapOptions { start_date_time: Some("2025-12-31T00:00:00Z".into()), ..TapOptions::default() };
    assert_eq!(plan(&policy, true, &past, now).expect_err("past"), DomainError::TapStartInPast);
    let garbage = TapOptions { start_date_time: Some("tomorrow".into()), ..TapOptions::default() };
    assert_eq!(plan(&policy, true, &garbage, now).expect_err("garbage"), DomainError::TapStartInvalid);
}

#[test]
fn policy_validation_matches_entra_limits() {
    assert!(TapPolicy::default().validate().is_ok());
    assert!(TapPolicy { default_length: 7, ..TapPolicy::default() }.validate().is_err());
    assert!(TapPolicy { default_length: 49, ..TapPolicy::default() }.validate().is_err());
    assert!(TapPolicy { default_lifetime_in_minutes: 5, ..TapPolicy::default() }.validate().is_err());
    assert!(TapPolicy { minimum_lifetime_in_minutes: 60, ..TapPolicy::default() }.validate().is_err());
}

#[test]
fn scope_follows_the_directory_groups_and_sign_in_needs_a_usable_pass() {
    let directory = crate::domain::directory_seed::seeded_directory();
    let policy = TapPolicy::default();
    assert!(policy.covers(&directory, "ALICE@contoso.example"));
    assert!(!policy.covers(&directory, "henry@contoso.example"), "henry is outside the policy's groups");
    assert!(!policy.covers(&directory, "nobody@contoso.example"));
    let used = tap(1_000, 30, true, Some(1_010));
    assert_eq!(
        check_sign_in(&policy, true, &used, 1_020),
        Err(DomainError::TapSignInRefused(SignInRefusal::NotUsable(UsabilityReason::OneTimeUsed)))
    );
    assert_eq!(check_sign_in(&policy, true, &tap(1_000, 30, true, None), 1_020), Ok(()));
    assert_eq!(SignInRefusal::NotUsable(UsabilityReason::Expired).as_str(), "Expired");
}
