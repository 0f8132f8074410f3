//! The phone apps this service vouches for, and what follows from them.
//!
//! A phone's operating system lets an app use this domain's passkeys and open its links only
//! when the domain names the app: Android reads a Digital Asset Links statement list
//! (`/.well-known/assetlinks.json`: package name and the SHA-256 fingerprints of its signing
//! certificates), iOS an `apple-app-site-association` document (Team ID + bundle id). An Android
//! app's WebAuthn ceremonies carry the origin `android:apk-key-hash:<fingerprint, base64url>`
//! instead of a web origin, so the fingerprints also decide which origins the service accepts.
//! The configuration is checked once, at start: a typo here would otherwise show up only as
//! passkeys that silently never work on the phones.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The SHA-256 fingerprint of an Android app's signing certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertFingerprint([u8; 32]);

impl CertFingerprint {
    /// Parses the colon-separated hex form `keytool -list -v` and the Play Console print
    /// (`AB:CD:…`, 32 pairs; either case).
    pub fn parse(text: &str) -> Result<Self, String> {
        let refuse = |why: &str| {
            Err(format!(
                "Android signing-certificate fingerprint {text:?}: {why}; expected the certificate's SHA-256 as 32 colon-separated hex pairs (AB:CD:…), as keytool -list -v prints it"
            ))
        };
        let mut bytes = Vec::with_capacity(32);
        for pair in text.split(':') {
            if pair.len() != 2 {
                return refuse(&format!("{pair:?} is not two hex digits"));
            }
            match u8::from_str_radix(pair, 16) {
                Ok(byte) if pair.bytes().all(|b| b.is_ascii_hexdigit()) => bytes.push(byte),
                _ => return refuse(&format!("{pair:?} is not two hex digits")),
            }
        }
        match <[u8; 32]>::try_from(bytes.as_slice()) {
            Ok(fingerprint) => Ok(Self(fingerprint)),
            Err(_) => refuse(&format!("{} bytes, not 32 (a SHA-1 fingerprint has 20)", bytes.len())),
        }
    }

    /// Upper-case colon-separated hex: Digital Asset Links compares the fingerprints it reads
    /// in this form, and Android's own verifier refuses lower case.
    pub fn colon_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
    }

    /// The WebAuthn origin Android's Credential Manager puts in `clientDataJSON` for an app
    /// signed with this certificate: the fingerprint's bytes in base64url without padding.
    pub fn android_origin(&self) -> String {
        format!("android:apk-key-hash:{}", URL_SAFE_NO_PAD.encode(self.0))
    }
}

/// The Android and iOS apps allowed to use this domain's passkeys and links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppLinks {
    /// Android application ids (every flavor's), each signed by every certificate below.
    pub android_packages: Vec<String>,
    /// The Android apps' signing certificates.
    pub android_certificates: Vec<CertFingerprint>,
    /// Apple app ids, `TEAMID.bundle.id`.
    pub apple_app_ids: Vec<String>,
}

impl AppLinks {
    /// Checks the configured names and fingerprints. Android packages and certificates come
    /// together: a package without a certificate can be named in no statement, and a
    /// certificate without a package would admit passkeys from an app the domain never names.
    pub fn new(android_packages: &[String], android_certificates: &[String], apple_app_ids: &[String]) -> Result<Self, String> {
        for package in android_packages {
            check_android_package(package)?;
        }
        let android_certificates = android_certificates.iter().map(|c| CertFingerprint::parse(c)).collect::<Result<Vec<_>, _>>()?;
        if android_packages.is_empty() != android_certificates.is_empty() {
            return Err("an Android app needs both its package name and its signing-certificate SHA-256 fingerprint".to_owned());
        }
        for app_id in apple_app_ids {
            check_apple_app_id(app_id)?;
        }
        Ok(Self { android_packages: android_packages.to_vec(), android_certificates, apple_app_ids: apple_app_ids.to_vec() })
    }

    /// The WebAuthn origins of the configured Android apps.
    pub fn android_origins(&self) -> Vec<String> {
        self.android_certificates.iter().map(CertFingerprint::android_origin).collect()
    }
}

/// An Android application id: two or more dot-separated segments, each a letter followed by
/// letters, digits or underscores (what the Android build accepts as `applicationId`).
fn check_android_package(package: &str) -> Result<(), String> {
    let segment_ok = |s: &str| s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if package.split('.').count() >= 2 && package.split('.').all(segment_ok) {
        Ok(())
    } else {
        Err(format!("Android package {package:?}: expected an application id such as com.example.app"))
    }
}

/// An Apple app id: the 10-character Team ID, a dot, and the bundle id (letters, digits,
/// hyphens and dots), e.g. `A1B2C3D4E5.com.example.app`.
fn check_apple_app_id(app_id: &str) -> Result<(), String> {
    let well_formed = app_id.split_once('.').is_some_and(|(team, bundle)| {
        team.len() == 10
            && team.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && !bundle.is_empty()
            && bundle.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    });
    if well_formed { Ok(()) } else { Err(format!("Apple app id {app_id:?}: expected TEAMID.bundle.id, e.g. A1B2C3D4E5.com.example.app")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FINGERPRINT: &str = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_fingerprint_reads_either_case_and_gives_the_android_origin() {
        let upper = CertFingerprint::parse(FINGERPRINT).expect("valid");
        let lower = CertFingerprint::parse(&FINGERPRINT.to_lowercase()).expect("valid");
        assert_eq!(upper, lower);
        assert_eq!(lower.colon_hex(), FINGERPRINT);
        // base64url of the 32 bytes, no padding: 43 characters.
        assert_eq!(upper.android_origin(), "android:apk-key-hash:FG3pg8VzBlDY7rmVLzT8ZBagg0LmHb6oigSWsj_PROU");
    }

    #[test]
    fn malformed_fingerprints_are_refused_with_the_reason() {
        let sha1 = "DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09";
        assert!(CertFingerprint::parse(sha1).expect_err("20 bytes").contains("20 bytes, not 32"));
        let no_colons = FINGERPRINT.replace(':', "");
        assert!(CertFingerprint::parse(&no_colons).is_err());
        assert!(CertFingerprint::parse(&FINGERPRINT.replacen("14", "1G", 1)).is_err());
        assert!(CertFingerprint::parse(&FINGERPRINT.replacen("14", "+1", 1)).is_err(), "from_str_radix alone would take a sign");
        assert!(CertFingerprint::parse(&format!("{FINGERPRINT}:")).is_err());
        assert!(CertFingerprint::parse("").is_err());
    }

    #[test]
    fn packages_certificates_and_app_ids_are_checked() {
        let links =
            AppLinks::new(&strings(&["com.identitypass.app", "com.identitypass.app.cn"]), &strings(&[FINGERPRINT]), &[]).expect("valid");
        assert_eq!(links.android_origins().len(), 1);
        assert!(AppLinks::new(&strings(&["com.identitypass.app"]), &[], &[]).is_err(), "a package without a certificate");
        assert!(AppLinks::new(&[], &strings(&[FINGERPRINT]), &[]).is_err(), "a certificate without a package");
        for package in ["identitypass", "com..app", "com.1app", "com.identity-pass.app", ""] {
            assert!(AppLinks::new(&strings(&[package]), &strings(&[FINGERPRINT]), &[]).is_err(), "{package}");
        }
        assert!(AppLinks::new(&[], &[], &strings(&["A1B2C3D4E5.com.identitypass.app"])).is_ok());
        for app_id in ["com.identitypass.app", "a1b2c3d4e5.com.identitypass.app", "A1B2C3D4E5.", "A1B2C3D4E5.com..app", "A1B2C3D4.com.app"]
        {
            assert!(AppLinks::new(&[], &[], &strings(&[app_id])).is_err(), "{app_id}");
        }
        assert_eq!(AppLinks::new(&[], &[], &[]).expect("nothing configured"), AppLinks::default());
    }
}
