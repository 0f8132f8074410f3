//! The desktop shell: runs the core in a terminal, as the README's main job.
//!
//! It plays the phone's part, reporting a device profile and providing a secure store, and
//! prints every screen the core produces, in English and Simplified Chinese.

use std::sync::Arc;

use identity_pass_core::eligibility::{check_device, DeviceProfile, Distribution, Platform, RequiredApp};
use identity_pass_core::messages::{eligibility::blocker_message, Locale};
use identity_pass_core::{core_version, CredentialVault};

mod ephemeral_store;
mod keyring_store;

fn main() {
    let mut out = std::io::stdout().lock();
    if let Err(error) = run(&mut out) {
        eprintln!("identity-pass-desktop: {error}");
        std::process::exit(1);
    }
}

fn run(out: &mut impl std::io::Write) -> Result<(), Box<dyn std::error::Error>> {
    writeln!(out, "Identity Pass core {}", core_version())?;

    writeln!(out, "\n== Device check: an Android 13 phone without Authenticator ==")?;
    let old_phone = DeviceProfile {
        platform: Platform::Android,
        os_major: 13,
        os_minor: 0,
        distribution: Distribution::China,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: vec![RequiredApp::CompanyPortal],
    };
    let verdict = check_device(old_phone, false);
    for blocker in &verdict.blockers {
        for locale in [Locale::English, Locale::SimplifiedChinese] {
            let message = blocker_message(blocker, locale);
            writeln!(out, "  [{}] {}", message.code, message.text)?;
        }
    }

    writeln!(out, "\n== Device check: this desktop, playing an eligible phone ==")?;
    let desktop = DeviceProfile {
        platform: Platform::Desktop,
        os_major: 1,
        os_minor: 0,
        distribution: Distribution::Global,
        has_front_camera: true,
        notifications_supported: true,
        network_available: true,
        installed_apps: RequiredApp::ALL.to_vec(),
    };
    let verdict = check_device(desktop, true);
    writeln!(out, "  eligible: {}", verdict.is_eligible())?;

    writeln!(out, "\n== Device credential (store: in-memory, this demo only) ==")?;
    let vault = CredentialVault::new(Arc::new(ephemeral_store::EphemeralDemoStore::default()));
    let credential = vault.enroll_device()?;
    writeln!(out, "  device id {} ; secret {:?}", credential.device_id, credential.device_secret)?;
    let again = vault.enroll_device()?;
    writeln!(out, "  enrolling again keeps the same device: {}", again.device_id == credential.device_id)?;
    Ok(())
}
