//! The reviewer's video call: the reviewer starts it, then the user joins and leaves (as the
//! service sees their media, or as the reviewer records it); approval needs the user to have
//! been in the call at least 15 seconds (seed 000, step 10). A user whose call was cut may join
//! again: the time in the call adds up, and the time away is not counted.

use crate::domain::DomainError;
use crate::domain::request::OnboardingRequest;
use crate::domain::request_state::RequestState;

/// How long the user must stay in the call.
pub const MINIMUM_CALL_SECONDS: i64 = 15;

/// Whether the user has been in the call long enough, at `now`: `seconds_before` (their time
/// in the call before the latest join) plus the latest join to the leave, or to `now` while
/// still in the call.
pub fn call_long_enough(seconds_before: i64, joined_at: Option<i64>, left_at: Option<i64>, now: i64) -> bool {
    joined_at.is_some_and(|joined| seconds_before + (left_at.unwrap_or(now) - joined) >= MINIMUM_CALL_SECONDS)
}

/// The user's time in the call at `now`, in seconds: every stay added up, the time away not.
pub fn seconds_in_call(request: &OnboardingRequest, now: i64) -> i64 {
    let latest = request.joined_at.map_or(0, |joined| (request.left_at.unwrap_or(now) - joined).max(0));
    request.seconds_in_call_before + latest
}

/// What the user's time in the call before a (re)join is: everything up to their last leave.
pub fn seconds_before_rejoin(request: &OnboardingRequest) -> i64 {
    match (request.joined_at, request.left_at) {
        (Some(joined), Some(left)) => request.seconds_in_call_before + (left - joined).max(0),
        _ => request.seconds_in_call_before,
    }
}

/// The reviewer may start the call once, on a request waiting for a reviewer.
pub fn check_start(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.state == RequestState::WaitingForReviewer { Ok(()) } else { Err(DomainError::CallAlreadyStarted) }
}

/// The call's id while the call is on: started and not yet decided. Only then may either side
/// get the call's network configuration or open its media session.
pub fn ongoing_call_id(request: &OnboardingRequest) -> Result<&str, DomainError> {
    match (&request.call_id, request.state) {
        (Some(call_id), RequestState::CallInvited | RequestState::InCall) => Ok(call_id),
        _ => Err(DomainError::CallNotStarted),
    }
}

/// The user may join a started call they are not in (again, after leaving).
pub fn check_join(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.state == RequestState::WaitingForReviewer {
        return Err(DomainError::CallNotStarted);
    }
    if request.state == RequestState::InCall && request.left_at.is_none() {
        return Err(DomainError::UserAlreadyInCall);
    }
    Ok(())
}

/// The user may leave a call they are in.
pub fn check_leave(request: &OnboardingRequest) -> Result<(), DomainError> {
    if request.state != RequestState::InCall || request.left_at.is_some() {
        return Err(DomainError::UserNotInCall);
    }
    Ok(())
}

/// What a change in the user's media, as the service sees it in the call's media session,
/// means for their attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceChange {
    /// Their media started flowing while they were not in the call: they joined (again).
    Joined,
    /// Their media stopped while they were in the call: they left.
    Left,
}

/// The attendance change, if any, when the user's media starts (`flowing`) or stops. The
/// same rules as the reviewer's join and leave: nothing before the call starts or after it is
/// decided, no second join, no leave when not in.
pub fn attendance_change(request: &OnboardingRequest, flowing: bool) -> Option<AttendanceChange> {
    // The buttons' handlers refuse a decided request before these rules; media must too.
    ongoing_call_id(request).ok()?;
    if flowing {
        check_join(request).ok().map(|()| AttendanceChange::Joined)
    } else {
        check_leave(request).ok().map(|()| AttendanceChange::Left)
    }
}

/// The reviewer may record the user's join or leave by hand only in a call whose media the
/// user's device never opened: once it has, the service measures the call itself, and a click
/// must not contradict what it sees.
pub fn check_reviewer_may_record(device_media_opened: bool) -> Result<(), DomainError> {
    if device_media_opened { Err(DomainError::CallMeasuredByService) } else { Ok(()) }
}

/// `409 CALL_TOO_SHORT` unless the user stayed [`MINIMUM_CALL_SECONDS`].
pub fn check_long_enough(request: &OnboardingRequest, now: i64) -> Result<(), DomainError> {
    if call_long_enough(request.seconds_in_call_before, request.joined_at, request.left_at, now) {
        Ok(())
    } else {
        Err(DomainError::CallTooShort { minimum_seconds: MINIMUM_CALL_SECONDS })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::OnboardingPath;
    use crate::domain::request::fixtures::draft;

    #[test]
    fn fifteen_second_rule_counts_from_join_to_leave_or_now() {
        assert!(!call_long_enough(0, None, None, 100));
        assert!(!call_long_enough(0, Some(100), Some(114), 200));
        assert!(call_long_enough(0, Some(100), Some(115), 200));
        assert!(!call_long_enough(0, Some(100), None, 110));
        assert!(call_long_enough(0, Some(100), None, 115));
    }

    #[test]
    fn a_cut_call_adds_up_the_time_in_and_not_the_time_away() {
        let mut request = draft(OnboardingPath::GetTap);
        request.state = RequestState::InCall;
        request.joined_at = Some(100);
        request.left_at = Some(110);
        assert_eq!(seconds_in_call(&request, 500), 10, "left after 10 s; the time since is away");
        assert_eq!(check_long_enough(&request, 500), Err(DomainError::CallTooShort { minimum_seconds: 15 }));
        // Back at 400: 290 s away, not counted.
        request.seconds_in_call_before = seconds_before_rejoin(&request);
        assert_eq!(request.seconds_in_call_before, 10);
        request.joined_at = Some(400);
        request.left_at = None;
        assert_eq!(seconds_in_call(&request, 404), 14);
        assert_eq!(check_long_enough(&request, 404), Err(DomainError::CallTooShort { minimum_seconds: 15 }));
        assert_eq!(check_long_enough(&request, 405), Ok(()));
        assert!(!call_long_enough(10, Some(400), None, 404));
        assert!(call_long_enough(10, Some(400), None, 405));
        // Before any join, and a join without a leave, carry nothing new.
        assert_eq!(seconds_before_rejoin(&draft(OnboardingPath::GetTap)), 0);
        assert_eq!(seconds_before_rejoin(&request), 10);
        assert_eq!(seconds_in_call(&draft(OnboardingPath::GetTap), 500), 0);
    }

    #[test]
    fn approval_before_fifteen_seconds_names_the_minimum() {
        let mut request = draft(OnboardingPath::GetTap);
        request.joined_at = Some(100);
        assert_eq!(check_long_enough(&request, 114), Err(DomainError::CallTooShort { minimum_seconds: 15 }));
        assert_eq!(check_long_enough(&request, 115), Ok(()));
    }

    #[test]
    fn the_call_is_started_once_then_joined_and_left_in_turn() {
        let mut request = draft(OnboardingPath::GetTap);
        request.state = RequestState::WaitingForReviewer;
        assert_eq!(check_start(&request), Ok(()));
        assert_eq!(check_join(&request), Err(DomainError::CallNotStarted));
        assert_eq!(check_leave(&request), Err(DomainError::UserNotInCall));
        request.state = RequestState::CallInvited;
        assert_eq!(check_start(&request), Err(DomainError::CallAlreadyStarted));
        assert_eq!(check_join(&request), Ok(()));
        request.state = RequestState::InCall;
        assert_eq!(check_join(&request), Err(DomainError::UserAlreadyInCall));
        assert_eq!(check_leave(&request), Ok(()));
        request.left_at = Some(10);
        assert_eq!(check_leave(&request), Err(DomainError::UserNotInCall));
        assert_eq!(check_join(&request), Ok(()), "a user who left may join again");
    }

    #[test]
    fn the_users_media_joins_and_leaves_them_by_the_same_rules_as_the_buttons() {
        let mut request = draft(OnboardingPath::GetTap);
        request.state = RequestState::WaitingForReviewer;
        assert_eq!(attendance_change(&request, true), None, "no call yet");
        request.state = RequestState::CallInvited;
        request.call_id = Some("call_1".to_owned());
        assert_eq!(attendance_change(&request, false), None, "not in the call yet");
        assert_eq!(attendance_change(&request, true), Some(AttendanceChange::Joined));
        request.state = RequestState::InCall;
        assert_eq!(attendance_change(&request, true), None, "already in");
        assert_eq!(attendance_change(&request, false), Some(AttendanceChange::Left));
        request.left_at = Some(10);
        assert_eq!(attendance_change(&request, false), None, "already out");
        assert_eq!(attendance_change(&request, true), Some(AttendanceChange::Joined), "back after a cut");
        request.state = RequestState::Approved;
        assert_eq!(attendance_change(&request, true), None, "decided");
    }

    #[test]
    fn clicks_are_refused_once_the_service_measures_the_call() {
        assert_eq!(check_reviewer_may_record(false), Ok(()));
        assert_eq!(check_reviewer_may_record(true), Err(DomainError::CallMeasuredByService));
    }

    #[test]
    fn the_call_is_on_from_its_start_to_the_decision() {
        let mut request = draft(OnboardingPath::GetTap);
        request.state = RequestState::WaitingForReviewer;
        assert_eq!(ongoing_call_id(&request), Err(DomainError::CallNotStarted));
        request.call_id = Some("call_1".to_owned());
        for state in [RequestState::CallInvited, RequestState::InCall] {
            request.state = state;
            assert_eq!(ongoing_call_id(&request), Ok("call_1"), "{state:?}");
        }
        for state in [RequestState::WaitingForReviewer, RequestState::Approved, RequestState::Denied] {
            request.state = state;
            assert_eq!(ongoing_call_id(&request), Err(DomainError::CallNotStarted), "{state:?}");
        }
        request.state = RequestState::InCall;
        request.call_id = None;
        assert_eq!(ongoing_call_id(&request), Err(DomainError::CallNotStarted), "no call without its id");
    }
}
