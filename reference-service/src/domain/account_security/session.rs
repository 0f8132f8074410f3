//! The account session a sign-in with the TAP opens (seed 003): it lasts as long as the TAP
//! does, and after a one-time TAP the user has 10 minutes to register a strong method, else the
//! session ends and the window is closed (a new TAP is needed). Times are the service's only.

use crate::domain::DomainError;
use crate::domain::error::SignInRefusal;
use crate::domain::tap::{self, Tap, TapPolicy};

/// How long after a sign-in with a one-time TAP a strong method must be registered.
pub const REGISTRATION_WINDOW_SECONDS: i64 = 10 * 60;

/// A sign-in with the TAP, bound to the device that made it (none for a sign-in elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSession {
    /// Its id.
    pub id: String,
    /// The account.
    pub upn: String,
    /// The device that signed in; `None` for a sign-in elsewhere (`POST /v1/tap/sign-in`).
    pub device_id: Option<String>,
    /// The TAP used.
    pub tap_id: String,
    /// When the user signed in.
    pub signed_in_at: i64,
    /// The TAP's expiry: the session cannot outlive the pass it came from.
    pub expires_at: i64,
    /// After a one-time TAP: the end of the 10-minute window to register a method.
    pub registration_deadline: Option<i64>,
}

/// Whether a sign-in with `tap` succeeds at `now`: the code matched and the pass is usable
/// (Entra's rules, `tap::check_sign_in`). A wrong code gets the same refusal as an unknown user,
/// so nothing is learnt from it.
pub fn check_sign_in(policy: &TapPolicy, in_scope: bool, tap: &Tap, code_matches: bool, now: i64) -> Result<(), DomainError> {
    if !code_matches {
        return Err(DomainError::TapSignInRefused(SignInRefusal::InvalidCode));
    }
    tap::check_sign_in(policy, in_scope, tap, now)
}

/// The session a sign-in with `tap` at `now` opens, once [`check_sign_in`] allowed it.
pub fn open(tap: &Tap, upn: &str, device_id: Option<&str>, id: String, now: i64) -> AccountSession {
    AccountSession {
        id,
        upn: upn.to_owned(),
        device_id: device_id.map(str::to_owned),
        tap_id: tap.id.clone(),
        signed_in_at: now,
        expires_at: tap.start_at + i64::from(tap.lifetime_minutes) * 60,
        registration_deadline: tap.usable_once.then_some(now + REGISTRATION_WINDOW_SECONDS),
    }
}

/// Whether `session` (the device's latest for the account) still allows changes at `now`:
/// after a one-time TAP, a window that passed with no method registered closed it for good;
/// otherwise it lives until the TAP's expiry.
pub fn check_live(session: Option<&AccountSession>, has_method: bool, now: i64) -> Result<(), DomainError> {
    let session = session.ok_or(DomainError::AccountSignInRequired)?;
    if session.registration_deadline.is_some_and(|deadline| now >= deadline) && !has_method {
        return Err(DomainError::RegistrationWindowClosed);
    }
    if now >= session.expires_at {
        return Err(DomainError::AccountSignInRequired);
    }
    Ok(())
}

/// The deadline to show: only while no method is registered yet.
pub fn shown_deadline(session: &AccountSession, has_method: bool) -> Option<i64> {
    if has_method { None } else { session.registration_deadline }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tap(usable_once: bool) -> Tap {
        Tap { id: "tap_1".into(), created_at: 0, start_at: 0, lifetime_minutes: 30, usable_once, used_at: None }
    }

    #[test]
    fn a_one_time_sign_in_opens_a_ten_minute_window_and_lasts_as_long_as_the_tap() {
        let policy = TapPolicy::default();
        check_sign_in(&policy, true, &tap(true), true, 60).expect("signed in");
        let session = open(&tap(true), "a@x", Some("dev_1"), "as_1".into(), 60);
        assert_eq!((session.expires_at, session.registration_deadline), (1800, Some(660)));
        assert_eq!(check_live(Some(&session), false, 659), Ok(()));
        assert_eq!(check_live(Some(&session), false, 660), Err(DomainError::RegistrationWindowClosed));
        assert_eq!(check_live(Some(&session), true, 660), Ok(()), "a method registered in time keeps the session");
        assert_eq!(check_live(Some(&session), true, 1800), Err(DomainError::AccountSignInRequired));
        assert_eq!(check_live(None, true, 0), Err(DomainError::AccountSignInRequired));
        assert_eq!((shown_deadline(&session, false), shown_deadline(&session, true)), (Some(660), None));
    }

    #[test]
    fn a_multi_use_tap_has_no_window_and_a_wrong_code_or_a_used_pass_is_refused() {
        let policy = TapPolicy { is_usable_once: false, ..TapPolicy::default() };
        check_sign_in(&policy, true, &tap(false), true, 0).expect("signed in");
        assert_eq!(open(&tap(false), "a@x", None, "as_1".into(), 0).registration_deadline, None);
        let wrong = check_sign_in(&policy, true, &tap(false), false, 0);
        assert_eq!(wrong, Err(DomainError::TapSignInRefused(SignInRefusal::InvalidCode)));
        let used = Tap { used_at: Some(1), ..tap(true) };
        assert!(matches!(check_sign_in(&policy, true, &used, true, 2), Err(DomainError::TapSignInRefused(_))));
    }
}
