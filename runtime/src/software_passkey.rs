//! A passkey authenticator in software (1Password's `passkey` crate), standing in for the
//! phone's platform authenticator on the desktop and in tests. Its keys live in memory only and
//! it always reports the user present and verified: it is **not** an authenticator to trust with
//! a real account, which is why it is behind the `software-passkey` feature and never in the
//! phone builds.

use passkey::authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client, DefaultClientData};
use passkey::crypto::rust_crypto::RustCryptoBackend;
use passkey::types::Passkey;
use passkey::types::ctap2::{Aaguid, Ctap2Error};
use passkey::types::webauthn::CredentialCreationOptions;

use crate::platform::{PasskeyAuthenticator, PasskeyFailure};

/// The user "touches the sensor" every time.
struct AlwaysPresentAndVerified;

#[async_trait::async_trait]
impl UserValidationMethod for AlwaysPresentAndVerified {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(&self, _hint: UiHint<'a, Passkey>, _presence: bool, _verification: bool) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck { presence: true, verification: true })
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }
}

/// A software authenticator answering for `origin` (the relying party's web origin).
pub struct SoftwarePasskeyAuthenticator {
    origin: String,
}

impl SoftwarePasskeyAuthenticator {
    /// For the relying party at `origin`, e.g. `https://id.contoso.example`.
    pub fn new(origin: impl Into<String>) -> Self {
        Self { origin: origin.into() }
    }
}

impl PasskeyAuthenticator for SoftwarePasskeyAuthenticator {
    fn create_passkey(&self, options_json: &str) -> Result<String, PasskeyFailure> {
        let failed = |reason: String| PasskeyFailure::Failed { reason };
        let options: CredentialCreationOptions =
            serde_json::from_str(options_json).map_err(|e| failed(format!("options are not WebAuthn JSON: {e}")))?;
        let origin = url::Url::parse(&self.origin).map_err(|e| failed(format!("origin: {e}")))?;
        // Called on a blocking thread: a private single-thread runtime runs the async client.
        let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| failed(e.to_string()))?;
        let created = runtime.block_on(async move {
            let store: Option<Passkey> = None;
            let authenticator = Authenticator::new(Aaguid::new_empty(), store, AlwaysPresentAndVerified, RustCryptoBackend);
            let mut client = Client::new(authenticator);
            client.register(&origin, options, DefaultClientData).await
        });
        let created = created.map_err(|e| failed(format!("{e:?}")))?;
        serde_json::to_string(&created).map_err(|e| failed(e.to_string()))
    }
}
