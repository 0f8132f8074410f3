//! Messages for the device check (seed 001, "Minimum Device Requirements").

use super::MessageCode;
use crate::eligibility::{Blocker, RequiredApp};

/// The desktop shell is not a phone.
pub const UNSUPPORTED_PLATFORM: MessageCode = MessageCode("ELIG_UNSUPPORTED_PLATFORM");
/// OS below minimum; placeholders `{minimum}`, `{found}`.
pub const OS_TOO_OLD: MessageCode = MessageCode("ELIG_OS_TOO_OLD");
/// No front camera.
pub const NO_CAMERA: MessageCode = MessageCode("ELIG_NO_CAMERA");
/// Notifications cannot be delivered.
pub const NOTIFICATIONS_UNSUPPORTED: MessageCode = MessageCode("ELIG_NOTIFICATIONS_UNSUPPORTED");
/// Offline.
pub const NO_NETWORK: MessageCode = MessageCode("ELIG_NO_NETWORK");
/// Company Portal missing.
pub const MISSING_COMPANY_PORTAL: MessageCode = MessageCode("ELIG_MISSING_COMPANY_PORTAL");
/// Authenticator missing.
pub const MISSING_AUTHENTICATOR: MessageCode = MessageCode("ELIG_MISSING_AUTHENTICATOR");

/// Every code this domain uses.
pub const ALL: &[MessageCode] =
    &[UNSUPPORTED_PLATFORM, OS_TOO_OLD, NO_CAMERA, NOTIFICATIONS_UNSUPPORTED, NO_NETWORK, MISSING_COMPANY_PORTAL, MISSING_AUTHENTICATOR];

/// The explanation of one blocker.
pub fn blocker_message(blocker: &Blocker, locale: super::Locale) -> super::LocalizedMessage {
    match blocker {
        Blocker::UnsupportedPlatform => UNSUPPORTED_PLATFORM.text(locale),
        Blocker::OsTooOld { minimum, found } => {
            OS_TOO_OLD.render(locale, &[("minimum", &minimum.to_string()), ("found", &found.to_string())])
        }
        Blocker::NoCamera => NO_CAMERA.text(locale),
        Blocker::NotificationsUnsupported => NOTIFICATIONS_UNSUPPORTED.text(locale),
        Blocker::NoNetwork => NO_NETWORK.text(locale),
        Blocker::MissingApp { app: RequiredApp::CompanyPortal } => MISSING_COMPANY_PORTAL.text(locale),
        Blocker::MissingApp { app: RequiredApp::Authenticator } => MISSING_AUTHENTICATOR.text(locale),
    }
}
