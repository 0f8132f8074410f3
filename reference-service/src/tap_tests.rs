use super::*;

fn tap(start_at: i64, lifetime_minutes: u32, usable_once: bool, used_at: Option<i64>) -> StoredTap {
    StoredTap { id: "tap_1".into(), created_at: start_at, start_at, lifetime_minutes, usable_once, used_at }
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
    let planned = plan(&TapPolicy::default(), true, &CreateTap::default(), 5_000).expect("plan");
    assert_eq!(planned, (5_000, 30, true));
}

#[test]
fn plan_refuses_lifetimes_outside_the_policy() {
    let policy = TapPolicy::default();
    for lifetime in [9, 481, -5] {
        let body = CreateTap { lifetime_in_minutes: Some(lifetime), ..CreateTap::default() };
        let error = plan(&policy, true, &body, 0).expect_err("out of range");
        assert_eq!(error.code, "TAP_LIFETIME_OUT_OF_RANGE");
        assert!(error.message.contains("between 10 and 480"));
    }
    let body = CreateTap { lifetime_in_minutes: Some(480), ..CreateTap::default() };
    assert_eq!(plan(&policy, true, &body, 0).expect("max").1, 480);
}

#[test]
fn plan_enforces_scope_state_one_time_and_start() {
    let policy = TapPolicy::default();
    let none = CreateTap::default();
    assert_eq!(plan(&policy, false, &none, 0).expect_err("scope").code, "TAP_USER_NOT_IN_SCOPE");
    let off = TapPolicy { enabled: false, ..TapPolicy::default() };
    assert_eq!(plan(&off, true, &none, 0).expect_err("off").code, "TAP_POLICY_DISABLED");
    let multi = CreateTap { is_usable_once: Some(false), ..CreateTap::default() };
    assert_eq!(plan(&policy, true, &multi, 0).expect_err("multi").code, "TAP_MULTI_USE_NOT_ALLOWED");
    let relaxed = TapPolicy { is_usable_once: false, ..TapPolicy::default() };
    assert!(!plan(&relaxed, true, &multi, 0).expect("multi allowed").2);
    let later = CreateTap { start_date_time: Some("2026-01-01T00:10:00Z".into()), ..CreateTap::default() };
    let now = crate::clock::from_rfc3339("2026-01-01T00:00:00Z").expect("time");
    assert_eq!(plan(&policy, true, &later, now).expect("future").0, now + 600);
    let past = CreateTap { start_date_time: Some("2025-12-31T00:00:00Z".into()), ..CreateTap::default() };
    assert_eq!(plan(&policy, true, &past, now).expect_err("past").code, "TAP_START_IN_PAST");
}

#[test]
fn policy_validation_matches_entra_limits() {
    assert!(TapPolicy::default().validate().is_ok());
    assert!(TapPolicy { default_length: 7, ..TapPolicy::default() }.validate().is_err());
    assert!(TapPolicy { default_length: 49, ..TapPolicy::default() }.validate().is_err());
    assert!(TapPolicy { default_lifetime_in_minutes: 5, ..TapPolicy::default() }.validate().is_err());
    assert!(TapPolicy { minimum_lifetime_in_minutes: 60, ..TapPolicy::default() }.validate().is_err());
}
