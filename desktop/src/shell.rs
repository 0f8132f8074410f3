//! The desktop's side of the session: what the runtime hands to the platform arrives here, in
//! order, and is queued for the driver; and what a desktop reports about itself.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use identity_pass_core::eligibility::{DeviceProfile, Distribution, Platform, RequiredApp};
use identity_pass_core::flow::Effect;
use identity_pass_core::flow::view::ViewState;
use identity_pass_core::selfie::call_picture::CallPicture;
use identity_pass_runtime::{PasskeyAuthenticator, PasskeyFailure, SessionListener};

use crate::call::ReviewerMedia;

/// What the runtime told the shell.
pub enum ShellMessage {
    /// A new view (every published view, so no screen is skipped).
    View(Box<ViewState>),
    /// Something only the platform can do.
    Effect(Effect),
}

/// Forwards the runtime's calls to the driver's queue, and counts the reviewer's side of the
/// call (30 pictures and 50 pieces of voice a second are not queued one by one).
pub struct DesktopShell {
    queue: Mutex<Sender<ShellMessage>>,
    reviewer_media: Arc<ReviewerMedia>,
}

impl DesktopShell {
    /// A shell feeding `queue` and `reviewer_media`.
    pub fn new(queue: Sender<ShellMessage>, reviewer_media: Arc<ReviewerMedia>) -> Self {
        Self { queue: Mutex::new(queue), reviewer_media }
    }

    fn send(&self, message: ShellMessage) {
        // The driver has gone (the shell is exiting): nothing left to show.
        let _ = self.queue.lock().unwrap_or_else(|p| p.into_inner()).send(message);
    }
}

impl SessionListener for DesktopShell {
    fn on_view(&self, view: ViewState) {
        self.send(ShellMessage::View(Box::new(view)));
    }

    fn on_platform_effect(&self, effect: Effect) {
        self.send(ShellMessage::Effect(effect));
    }

    fn on_call_video(&self, picture: &CallPicture) {
        self.reviewer_media.picture(picture);
    }

    fn on_call_audio(&self, samples: &[i16]) {
        self.reviewer_media.audio(samples);
    }
}

/// A desktop has no platform passkey API; the "Get Passkey" path is the phone app's.
pub struct NoPlatformPasskeys;

impl PasskeyAuthenticator for NoPlatformPasskeys {
    fn create_passkey(&self, _options_json: &str) -> Result<String, PasskeyFailure> {
        Err(PasskeyFailure::Failed { reason: "the desktop shell has no platform passkey API".into() })
    }
}

/// This computer, as the flow's device check sees it: a desktop (allowed for the desktop
/// shell), with a camera, notifications (printed) and the network; the phone-only apps
/// (Authenticator, Company Portal) count as present because the desktop never opens them.
pub fn desktop_profile() -> DeviceProfile {
    DeviceProfile {
        platform: Platform::Desktop,
        os_major: 1,
        os_minor: 0,
        distribution: Distribution::Global,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: RequiredApp::ALL.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity_pass_core::check_device;

    #[test]
    fn the_desktop_profile_passes_the_desktop_device_check() {
        let verdict = check_device(desktop_profile(), true);
        assert!(verdict.is_eligible(), "{:?}", verdict.blockers);
        assert!(!check_device(desktop_profile(), false).is_eligible(), "phones' check refuses a desktop");
    }
}
