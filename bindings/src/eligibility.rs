//! Exports the device check.

use identity_pass_core::eligibility::{self, Blocker, DeviceCheck, DeviceProfile, Distribution, Platform, RequiredApp};

#[uniffi::remote(Enum)]
enum Platform {
    Android,
    Ios,
    Desktop,
}

#[uniffi::remote(Enum)]
enum Distribution {
    Global,
    China,
}

#[uniffi::remote(Enum)]
enum RequiredApp {
    CompanyPortal,
    Authenticator,
}

#[uniffi::remote(Record)]
struct DeviceProfile {
    platform: Platform,
    os_major: u32,
    os_minor: u32,
    distribution: Distribution,
    has_front_camera: bool,
    notifications_supported: bool,
    network_available: bool,
    installed_apps: Vec<RequiredApp>,
}

#[uniffi::remote(Enum)]
enum Blocker {
    UnsupportedPlatform,
    OsTooOld { minimum: u32, found: u32 },
    NoCamera,
    NotificationsUnsupported,
    NoNetwork,
    MissingApp { app: RequiredApp },
}

#[uniffi::remote(Record)]
struct DeviceCheck {
    profile: DeviceProfile,
    blockers: Vec<Blocker>,
}

/// Checks a phone against the minimum requirements; every blocker is reported at once.
/// Phones only: a `Desktop` profile is itself a blocker here.
#[uniffi::export]
pub fn check_device(profile: DeviceProfile) -> DeviceCheck {
    eligibility::check_device(profile, false)
}
