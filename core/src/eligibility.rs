//! Can this phone run the onboarding at all? (Seed 001, "Minimum Device Requirements".)
//!
//! The shell reports what it sees; the core decides. Every failure is its own blocker so the
//! app can explain each one and the user can fix them all in one go instead of one per retry.

/// Minimum Android major version (seed 001: "Android: Version 14 or later").
pub const MIN_ANDROID_MAJOR: u32 = 14;
/// Minimum iOS major version (seed 001: "iOS: Version 17 or later").
pub const MIN_IOS_MAJOR: u32 = 17;

/// The operating system family of the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Platform {
    /// Android, any distribution.
    Android,
    /// iOS / iPadOS.
    Ios,
    /// The desktop shell (development and demos only).
    Desktop,
}

/// Which build of the app is running: the China build has no Google services (no FCM push,
/// no Play Store), which changes how status updates arrive and where apps are installed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Distribution {
    /// Google Play / App Store builds.
    Global,
    /// The Android build for mainland China (no Google Mobile Services).
    China,
}

/// Apps the onboarding needs next to Identity Pass (seed 001, "Required Applications").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum RequiredApp {
    /// Microsoft Company Portal.
    CompanyPortal,
    /// Microsoft Authenticator.
    Authenticator,
}

impl RequiredApp {
    /// Every app the onboarding needs, in the order the seed lists them.
    pub const ALL: [RequiredApp; 2] = [RequiredApp::CompanyPortal, RequiredApp::Authenticator];
}

/// What the shell observed about the phone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceProfile {
    /// OS family.
    pub platform: Platform,
    /// OS major version (Android API-level releases: 14, 15…; iOS: 17, 18…).
    pub os_major: u32,
    /// OS minor version, for display.
    pub os_minor: u32,
    /// Build flavour.
    pub distribution: Distribution,
    /// A usable front camera exists.
    pub has_front_camera: bool,
    /// The OS can deliver notifications to this app (not whether permission is granted yet).
    pub notifications_supported: bool,
    /// The phone is online now.
    pub network_available: bool,
    /// Which required apps are installed.
    pub installed_apps: Vec<RequiredApp>,
}

/// One reason the onboarding cannot start on this phone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Blocker {
    /// The desktop shell is for development; a real onboarding needs a phone.
    UnsupportedPlatform,
    /// The OS is older than the minimum for its platform.
    OsTooOld {
        /// The minimum major version.
        minimum: u32,
        /// The version found.
        found: u32,
    },
    /// No front camera: the selfie and liveness steps are impossible.
    NoCamera,
    /// Notifications cannot be delivered: the reviewer's call invitation would be missed.
    NotificationsUnsupported,
    /// Offline.
    NoNetwork,
    /// A required app is not installed.
    MissingApp {
        /// Which one.
        app: RequiredApp,
    },
}

/// The verdict on a `DeviceProfile`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceCheck {
    /// The profile the verdict is about, as reported.
    pub profile: DeviceProfile,
    /// Every reason the onboarding cannot start; empty when it can.
    pub blockers: Vec<Blocker>,
}

impl DeviceCheck {
    /// True when nothing blocks the onboarding.
    pub fn is_eligible(&self) -> bool {
        self.blockers.is_empty()
    }
}

/// Checks a phone against the seed's minimum requirements. `allow_desktop` lets the desktop
/// shell run the flow for demos and tests.
pub fn check_device(profile: DeviceProfile, allow_desktop: bool) -> DeviceCheck {
    let mut blockers = Vec::new();
    match profile.platform {
        Platform::Android if profile.os_major < MIN_ANDROID_MAJOR => {
            blockers.push(Blocker::OsTooOld { minimum: MIN_ANDROID_MAJOR, found: profile.os_major })
        }
        Platform::Ios if profile.os_major < MIN_IOS_MAJOR => {
            blockers.push(Blocker::OsTooOld { minimum: MIN_IOS_MAJOR, found: profile.os_major })
        }
        Platform::Desktop if !allow_desktop => blockers.push(Blocker::UnsupportedPlatform),
        _ => {}
    }
    if !profile.has_front_camera {
        blockers.push(Blocker::NoCamera);
    }
    if !profile.notifications_supported {
        blockers.push(Blocker::NotificationsUnsupported);
    }
    if !profile.network_available {
        blockers.push(Blocker::NoNetwork);
    }
    for app in RequiredApp::ALL {
        if !profile.installed_apps.contains(&app) {
            blockers.push(Blocker::MissingApp { app });
        }
    }
    DeviceCheck { profile, blockers }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(platform: Platform, os_major: u32) -> DeviceProfile {
        DeviceProfile {
            platform,
            os_major,
            os_minor: 0,
            distribution: Distribution::Global,
            has_front_camera: true,
            notifications_supported: true,
            network_available: true,
            installed_apps: RequiredApp::ALL.to_vec(),
        }
    }

    #[test]
    fn minimum_versions_are_inclusive() {
        assert!(check_device(phone(Platform::Android, 14), false).is_eligible());
        assert!(check_device(phone(Platform::Ios, 17), false).is_eligible());
        assert_eq!(check_device(phone(Platform::Android, 13), false).blockers, vec![Blocker::OsTooOld { minimum: 14, found: 13 }]);
        assert_eq!(check_device(phone(Platform::Ios, 16), false).blockers, vec![Blocker::OsTooOld { minimum: 17, found: 16 }]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let profile = DeviceProfile {
            has_front_camera: false,
            notifications_supported: false,
            network_available: false,
            installed_apps: vec![RequiredApp::Authenticator],
            ..phone(Platform::Android, 12)
        };
        assert_eq!(
            check_device(profile, false).blockers,
            vec![
                Blocker::OsTooOld { minimum: 14, found: 12 },
                Blocker::NoCamera,
                Blocker::NotificationsUnsupported,
                Blocker::NoNetwork,
                Blocker::MissingApp { app: RequiredApp::CompanyPortal },
            ]
        );
    }

    #[test]
    fn the_desktop_runs_only_when_allowed() {
        assert_eq!(check_device(phone(Platform::Desktop, 1), false).blockers, vec![Blocker::UnsupportedPlatform]);
        assert!(check_device(phone(Platform::Desktop, 1), true).is_eligible());
    }
}
