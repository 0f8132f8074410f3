//! A passkey made in software (1Password's `passkey` crate) standing in for the phone's platform
//! authenticator, from a web origin (the iOS app, a browser) or from an Android app's origin,
//! `android:apk-key-hash:…`, built the way Credential Manager builds it.

use passkey::authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client, DefaultClientData};
use passkey::crypto::rust_crypto::RustCryptoBackend;
use passkey::types::Passkey;
use passkey::types::ctap2::{Aaguid, Ctap2Error};
use passkey::types::webauthn::CredentialCreationOptions;
use passkey_client::{Origin, UnverifiedAssetLink};
use serde_json::Value;

/// Stands in for the user touching the sensor: always present and verified.
struct UserAlwaysConsents;

#[async_trait::async_trait]
impl UserValidationMethod for UserAlwaysConsents {
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

/// A web origin, e.g. `https://id.contoso.example`.
pub fn web(origin: &str) -> Origin<'static> {
    Origin::Web(std::borrow::Cow::Owned(url::Url::parse(origin).expect("origin")))
}

/// The origin of the Android app `package` signed with the certificate of `fingerprint`
/// (`AB:CD:…`), asking for a passkey of `rp_id`.
pub fn android_app(package: &str, fingerprint: &str, rp_id: &str) -> Origin<'static> {
    let statements = url::Url::parse(&format!("https://{rp_id}/.well-known/assetlinks.json")).expect("URL");
    let link = UnverifiedAssetLink::new(package.to_owned(), fingerprint, rp_id.to_owned(), statements).expect("a valid fingerprint");
    Origin::Android(link)
}

/// The `PublicKeyCredential` JSON a new passkey answers `options` (the service's creation
/// options) with, made from `origin`.
pub async fn attestation(origin: Origin<'_>, options: &Value) -> Value {
    let options: CredentialCreationOptions = serde_json::from_value(options.clone()).expect("options parse as WebAuthn JSON");
    let store: Option<Passkey> = None;
    let authenticator = Authenticator::new(Aaguid::new_empty(), store, UserAlwaysConsents, RustCryptoBackend);
    let mut client = Client::new(authenticator);
    let created = client.register(origin, options, DefaultClientData).await.expect("authenticator registers");
    serde_json::to_value(created).expect("attestation JSON")
}

/// The origin written in an attestation's `clientDataJSON`.
pub fn client_data_origin(attestation: &Value) -> String {
    use base64::Engine;
    let encoded = attestation["response"]["clientDataJSON"].as_str().expect("clientDataJSON");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')).expect("base64url");
    let client_data: Value = serde_json::from_slice(&bytes).expect("JSON");
    client_data["origin"].as_str().expect("origin").to_owned()
}
