//! Runtime permissions: camera, microphone, notifications and precise location.
//!
//! The shell reports what the OS says; the core decides what to ask next. Android lets a user
//! grant only approximate location (from API 31) or grant "only this time"; iOS has reduced
//! accuracy. Seed 001: "users must select 'Precise' location… If user selects 'Approximate'
//! location, you will be prompted to grant permissions again until 'Precise' location is
//! selected." A permanent denial can only be fixed in the system settings.

use crate::eligibility::Platform;

/// A permission the onboarding needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Permission {
    /// Selfie, liveness, the reviewer's video call.
    Camera,
    /// The reviewer's video call.
    Microphone,
    /// The reviewer's call invitation and the "TAP ready" notice.
    Notifications,
    /// Precise location (required to submit a request).
    Location,
}

impl Permission {
    /// Every permission, in the order they are requested (the seed's order).
    pub const ALL: [Permission; 4] = [Permission::Camera, Permission::Microphone, Permission::Notifications, Permission::Location];
}

/// What the OS reports for one permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PermissionStatus {
    /// Never asked.
    NotRequested,
    /// Granted for good.
    Granted,
    /// Android "Only this time": valid until the app goes to the background for a while.
    GrantedOnlyThisTime,
    /// Refused; asking again is allowed.
    Denied,
    /// Refused with "don't ask again" (or twice on Android 11+): only the settings can fix it.
    PermanentlyDenied,
    /// Android: location granted, but only approximate.
    Approximate,
    /// iOS: location granted with reduced accuracy.
    ReducedAccuracy,
}

impl PermissionStatus {
    /// Whether the onboarding can proceed with this status.
    pub fn is_sufficient(self) -> bool {
        matches!(self, PermissionStatus::Granted | PermissionStatus::GrantedOnlyThisTime)
    }
}

/// What the flow asks the shell to do about permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionAction {
    /// Show the system prompt (for location: fine and coarse together, asking for precise).
    Request(Permission),
    /// iOS: ask for temporary full accuracy (`requestTemporaryFullAccuracyAuthorization`).
    RequestFullAccuracy,
    /// Only the app's system settings page can change this.
    OpenSettings(Permission),
}

/// The last known status of every permission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PermissionSet {
    camera: PermissionStatus,
    microphone: PermissionStatus,
    notifications: PermissionStatus,
    location: PermissionStatus,
}

impl Default for PermissionSet {
    fn default() -> Self {
        PermissionSet {
            camera: PermissionStatus::NotRequested,
            microphone: PermissionStatus::NotRequested,
            notifications: PermissionStatus::NotRequested,
            location: PermissionStatus::NotRequested,
        }
    }
}

impl PermissionSet {
    /// The status of one permission.
    pub fn status(&self, permission: Permission) -> PermissionStatus {
        match permission {
            Permission::Camera => self.camera,
            Permission::Microphone => self.microphone,
            Permission::Notifications => self.notifications,
            Permission::Location => self.location,
        }
    }

    /// Records a status reported by the shell.
    pub fn record(&mut self, permission: Permission, status: PermissionStatus) {
        // Only location has an accuracy; a shell reporting "approximate" camera is confused and
        // the safe reading is "not granted".
        let status = match (permission, status) {
            (Permission::Location, s) => s,
            (_, PermissionStatus::Approximate | PermissionStatus::ReducedAccuracy) => PermissionStatus::Denied,
            (_, s) => s,
        };
        match permission {
            Permission::Camera => self.camera = status,
            Permission::Microphone => self.microphone = status,
            Permission::Notifications => self.notifications = status,
            Permission::Location => self.location = status,
        }
    }

    /// Whether every permission is sufficient.
    pub fn all_granted(&self) -> bool {
        Permission::ALL.iter().all(|p| self.status(*p).is_sufficient())
    }

    /// The permissions that are not sufficient, in request order.
    pub fn missing(&self) -> Vec<Permission> {
        Permission::ALL.into_iter().filter(|p| !self.status(*p).is_sufficient()).collect()
    }

    /// Whether a grant might have lapsed while the app was in the background.
    pub fn has_one_time_grants(&self) -> bool {
        Permission::ALL.iter().any(|p| self.status(*p) == PermissionStatus::GrantedOnlyThisTime)
    }

    /// What to do next, if anything is missing. `user_initiated` is false right after the shell
    /// reported a result: a plain denial is then explained rather than prompted again at once,
    /// whereas approximate location is re-prompted immediately, as the seed describes.
    pub fn next_action(&self, platform: Platform, user_initiated: bool) -> Option<PermissionAction> {
        let permission = self.missing().into_iter().next()?;
        match self.status(permission) {
            PermissionStatus::PermanentlyDenied => user_initiated.then_some(PermissionAction::OpenSettings(permission)),
            PermissionStatus::ReducedAccuracy if platform == Platform::Ios => Some(PermissionAction::RequestFullAccuracy),
            PermissionStatus::Approximate | PermissionStatus::ReducedAccuracy | PermissionStatus::NotRequested => {
                Some(PermissionAction::Request(permission))
            }
            PermissionStatus::Denied => user_initiated.then_some(PermissionAction::Request(permission)),
            PermissionStatus::Granted | PermissionStatus::GrantedOnlyThisTime => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(status: PermissionStatus) -> PermissionSet {
        let mut set = PermissionSet::default();
        for p in Permission::ALL {
            set.record(p, status);
        }
        set
    }

    #[test]
    fn permissions_are_asked_in_the_seed_order() {
        let mut set = PermissionSet::default();
        assert_eq!(set.next_action(Platform::Android, false), Some(PermissionAction::Request(Permission::Camera)));
        set.record(Permission::Camera, PermissionStatus::Granted);
        assert_eq!(set.next_action(Platform::Android, false), Some(PermissionAction::Request(Permission::Microphone)));
    }

    #[test]
    fn approximate_location_is_prompted_again_at_once() {
        let mut set = all(PermissionStatus::Granted);
        set.record(Permission::Location, PermissionStatus::Approximate);
        assert!(!set.all_granted());
        assert_eq!(set.next_action(Platform::Android, false), Some(PermissionAction::Request(Permission::Location)));
    }

    #[test]
    fn ios_reduced_accuracy_asks_for_temporary_full_accuracy() {
        let mut set = all(PermissionStatus::Granted);
        set.record(Permission::Location, PermissionStatus::ReducedAccuracy);
        assert_eq!(set.next_action(Platform::Ios, false), Some(PermissionAction::RequestFullAccuracy));
    }

    #[test]
    fn a_permanent_denial_leads_to_the_settings_only_when_the_user_asks() {
        let mut set = all(PermissionStatus::Granted);
        set.record(Permission::Microphone, PermissionStatus::PermanentlyDenied);
        assert_eq!(set.next_action(Platform::Android, false), None);
        assert_eq!(set.next_action(Platform::Android, true), Some(PermissionAction::OpenSettings(Permission::Microphone)));
    }

    #[test]
    fn a_plain_denial_is_explained_before_asking_again() {
        let mut set = all(PermissionStatus::Granted);
        set.record(Permission::Camera, PermissionStatus::Denied);
        assert_eq!(set.next_action(Platform::Android, false), None);
        assert_eq!(set.next_action(Platform::Android, true), Some(PermissionAction::Request(Permission::Camera)));
    }

    #[test]
    fn one_time_grants_count_but_are_remembered_for_a_recheck() {
        let mut set = all(PermissionStatus::Granted);
        set.record(Permission::Camera, PermissionStatus::GrantedOnlyThisTime);
        assert!(set.all_granted());
        assert!(set.has_one_time_grants());
    }

    #[test]
    fn accuracy_is_meaningless_outside_location() {
        let mut set = all(PermissionStatus::Granted);
        set.record(Permission::Camera, PermissionStatus::Approximate);
        assert_eq!(set.status(Permission::Camera), PermissionStatus::Denied);
    }
}
