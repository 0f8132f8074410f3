//! The scripted demo's stand-in authenticator app: what Microsoft Authenticator (or any
//! standard TOTP app) does on a phone when the Identity Pass app hands it the activation's
//! `otpauth://` link ("Add to the app on this phone"): it keeps the account and shows the current
//! 6-digit code (RFC 6238), which the script then types into the app.
//!
//! Like the scripted reviewer and the software passkey authenticator, it is a demo stand-in,
//! never offered to a person: in `--interactive` mode the person scans the barcode with their
//! own phone. The secret stays inside `totp_rs::TOTP`; nothing here prints or logs it.

use identity_pass_core::SecretString;

/// Why the stand-in app could not take an account or make a code.
#[derive(Debug, thiserror::Error)]
pub enum AuthenticatorError {
    /// The link is not a standard `otpauth://totp/…` URI (its text is never in the message).
    #[error("the stand-in authenticator app cannot read the link: {0}")]
    Link(String),
    /// No account was added.
    #[error("the stand-in authenticator app has no account")]
    NoAccount,
    /// The system clock is before 1970.
    #[error("the stand-in authenticator app cannot read the clock")]
    Clock,
}

/// The stand-in app with the accounts it was given.
#[derive(Default)]
pub struct StandInAuthenticatorApp {
    // Only the last account: the demo adds one, and a new activation replaces the old one.
    account: Option<totp_rs::TOTP>,
}

impl StandInAuthenticatorApp {
    /// Adds the account of `otpauth_uri`, as an app does when the link opens it; returns the
    /// account's name as the app lists it (issuer and account, no secret).
    pub fn add(&mut self, otpauth_uri: &SecretString) -> Result<String, AuthenticatorError> {
        let totp = totp_rs::TOTP::from_url(otpauth_uri.expose_secret()).map_err(|e| {
            AuthenticatorError::Link(match e {
                // totp-rs quotes an unreadable secret in its message.
                totp_rs::TotpUrlError::Secret(_) => "its secret is not base32".to_owned(),
                other => other.to_string(),
            })
        })?;
        let name = match &totp.issuer {
            Some(issuer) => format!("{issuer} ({})", totp.account_name),
            None => totp.account_name.clone(),
        };
        self.account = Some(totp);
        Ok(name)
    }

    /// The code the app shows now.
    pub fn current_code(&self) -> Result<String, AuthenticatorError> {
        let totp = self.account.as_ref().ok_or(AuthenticatorError::NoAccount)?;
        totp.generate_current().map_err(|_| AuthenticatorError::Clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_adds_a_standard_link_and_shows_six_digits() {
        // The RFC 6238 test secret ("12345678901234567890"), as the contract's URI carries it.
        let uri = "otpauth://totp/Identity%20Pass:alice%40contoso.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Identity%20Pass&algorithm=SHA1&digits=6&period=30";
        let mut app = StandInAuthenticatorApp::default();
        assert!(matches!(app.current_code(), Err(AuthenticatorError::NoAccount)));
        let name = app.add(&SecretString::new(uri.into())).expect("a standard link");
        assert_eq!(name, "Identity Pass (alice@contoso.example)");
        let code = app.current_code().expect("a code");
        assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()), "{code}");
    }

    #[test]
    fn a_broken_link_is_refused_without_echoing_it() {
        let mut app = StandInAuthenticatorApp::default();
        let error = app.add(&SecretString::new("otpauth://totp/x?secret=SHORT".into())).expect_err("too short a secret");
        assert!(!error.to_string().contains("SHORT"), "{error}");
    }
}
