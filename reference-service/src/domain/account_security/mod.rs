//! Securing the account after the TAP (issue 13, seed 004's self-enrollment): the sign-in with
//! the TAP opens an account session on the device, during which the user sets a password (on
//! the password page), registers strong methods (authenticator app, text message, voice call),
//! and sets a PIN and security questions as the administrator's [`policy::SecurityPolicy`]
//! asks. The service is the authority: every rule is here, as pure functions of values and
//! times, and the phone shows what [`SecurityState`] says.

pub mod password;
pub mod phone;
pub mod pin;
pub mod policy;
pub mod security_questions;
pub mod session;
pub mod totp;

/// A kind of strong authentication method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// An authenticator app with a TOTP secret (RFC 6238).
    AuthenticatorApp,
    /// A one-time code by text message.
    Sms,
    /// A call that asks for the PIN followed by #.
    Voice,
}

impl MethodKind {
    /// The name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthenticatorApp => "authenticator_app",
            Self::Sms => "sms",
            Self::Voice => "voice",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::AuthenticatorApp, Self::Sms, Self::Voice].into_iter().find(|k| k.as_str() == name)
    }
}

/// A registered strong method (no secret in it: the TOTP secret stays sealed in the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Its id.
    pub id: String,
    /// What it is.
    pub kind: MethodKind,
    /// E.164 number of a phone method.
    pub phone_number: Option<String>,
    /// Extension digits of a voice method.
    pub extension: Option<String>,
    /// Backup E.164 number of a voice method.
    pub backup_phone_number: Option<String>,
    /// When it was verified and registered.
    pub registered_at: i64,
}

/// What the account has, without any secret: the facts the checklist is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityState {
    /// When the password was set on the password page.
    pub password_set_at: Option<i64>,
    /// Registered methods, oldest first.
    pub methods: Vec<Method>,
    /// Whether a PIN is set.
    pub pin_set: bool,
    /// Whether the security questions are answered.
    pub security_questions_set: bool,
}

/// Whether method `id` may be removed from `methods`: it must be the account's, and not its
/// only one (the account would be left without strong authentication; seed 004 lets users
/// change methods, not drop the last). Changing a number is adding the new one, then removing
/// the old.
pub fn check_removal(methods: &[Method], id: &str) -> Result<(), crate::domain::DomainError> {
    if !methods.iter().any(|m| m.id == id) {
        return Err(crate::domain::DomainError::MethodNotFound);
    }
    if methods.len() == 1 {
        return Err(crate::domain::DomainError::LastMethod);
    }
    Ok(())
}

impl SecurityState {
    /// Whether the account is secured as the policy asks: a password, at least one method, and
    /// the PIN and questions where the policy requires them.
    pub fn complete(&self, policy: &policy::SecurityPolicy) -> bool {
        self.password_set_at.is_some()
            && !self.methods.is_empty()
            && (self.pin_set || !policy.pin.required)
            && (self.security_questions_set || !policy.security_questions.required)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DomainError;

    fn method(id: &str) -> Method {
        Method { id: id.into(), kind: MethodKind::Sms, phone_number: None, extension: None, backup_phone_number: None, registered_at: 0 }
    }

    #[test]
    fn any_method_but_the_last_can_be_removed() {
        assert_eq!(check_removal(&[method("a")], "a"), Err(DomainError::LastMethod));
        assert_eq!(check_removal(&[method("a"), method("b")], "a"), Ok(()));
        assert_eq!(check_removal(&[method("a"), method("b")], "c"), Err(DomainError::MethodNotFound));
    }

    #[test]
    fn complete_means_password_method_and_what_the_policy_requires() {
        let policy = policy::SecurityPolicy::default();
        let mut state =
            SecurityState { password_set_at: Some(1), methods: vec![method("a")], pin_set: false, security_questions_set: false };
        assert!(!state.complete(&policy), "the default policy requires the questions");
        state.security_questions_set = true;
        assert!(state.complete(&policy), "and no PIN");
        state.methods.clear();
        assert!(!state.complete(&policy));
    }
}
