//! The government-ID partner, seen from the service: a pluggable adapter that opens a session
//! for a request (server to server) and verifies the partner's signed callbacks. The phone
//! only ever receives the hand-off URL; the verdict reaches the service from the partner.
//!
//! [`ReferencePartner`] talks to this repository's reference partner (`reference-partner/`);
//! an AU10TIX adapter would implement [`IdentityPartner`] with that partner's session API and
//! webhook signature.
//!
//! A leaf: it imports nothing of this crate, so the state can hold an adapter and the HTTP
//! layer can call it without the store or the domain knowing HTTP clients.

use std::future::Future;
use std::pin::Pin;

use identity_pass_reference_partner::signature;

/// A session the partner opened.
#[derive(Clone, PartialEq, Eq)]
pub struct OpenedSession {
    /// The partner's session id (it comes back in the callback).
    pub session_id: String,
    /// Where the phone sends the user (holds a hand-off token: never logged).
    pub handoff_url: String,
    /// Unix seconds.
    pub expires_at: i64,
}

impl std::fmt::Debug for OpenedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedSession").field("session_id", &self.session_id).field("expires_at", &self.expires_at).finish()
    }
}

/// The partner could not open a session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("partner unavailable: {0}")]
pub struct PartnerUnavailable(pub String);

/// Why a callback was not believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallbackRefused {
    /// No signature, or one in the wrong form.
    #[error("signature missing or malformed")]
    SignatureMissing,
    /// The signature does not match the body.
    #[error("signature invalid")]
    SignatureInvalid,
    /// Signed outside the accepted time window.
    #[error("signature too old")]
    Stale,
}

/// What a partner future returns.
pub type PartnerFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A government-ID partner.
pub trait IdentityPartner: Send + Sync {
    /// Opens a session for `reference` (the request id) whose verdict goes to `callback_url`.
    fn open_session<'a>(
        &'a self,
        reference: &'a str,
        callback_url: &'a str,
    ) -> PartnerFuture<'a, Result<OpenedSession, PartnerUnavailable>>;

    /// Checks a callback's signature header against its exact body at service time `now`.
    fn verify_callback(&self, signature_header: Option<&str>, body: &[u8], now: i64) -> Result<(), CallbackRefused>;

    /// The header the partner signs callbacks in.
    fn signature_header(&self) -> &'static str;
}

/// This repository's reference partner, over HTTP.
pub struct ReferencePartner {
    base_url: String,
    api_key: String,
    webhook_secret: Vec<u8>,
    client: reqwest::Client,
}

impl ReferencePartner {
    /// The partner at `base_url`, with its API key and the shared webhook secret.
    pub fn new(base_url: String, api_key: String, webhook_secret: Vec<u8>) -> Result<Self, PartnerUnavailable> {
        // Built with the workspace, reqwest has the runtime's `rustls-no-provider`: no client
        // can be built before a process-wide provider exists (one installed first is kept).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| PartnerUnavailable(e.to_string()))?;
        Ok(Self { base_url, api_key, webhook_secret, client })
    }
}

#[derive(serde::Deserialize)]
struct OpenedSessionWire {
    session_id: String,
    handoff_url: String,
    expires_at: i64,
}

impl IdentityPartner for ReferencePartner {
    fn open_session<'a>(
        &'a self,
        reference: &'a str,
        callback_url: &'a str,
    ) -> PartnerFuture<'a, Result<OpenedSession, PartnerUnavailable>> {
        Box::pin(async move {
            let answer = self
                .client
                .post(format!("{}/v1/sessions", self.base_url))
                .bearer_auth(&self.api_key)
                .json(&serde_json::json!({ "reference": reference, "callback_url": callback_url }))
                .send()
                .await
                .map_err(|e| PartnerUnavailable(e.without_url().to_string()))?;
            if !answer.status().is_success() {
                return Err(PartnerUnavailable(format!("HTTP {}", answer.status().as_u16())));
            }
            let opened: OpenedSessionWire = answer.json().await.map_err(|e| PartnerUnavailable(e.without_url().to_string()))?;
            Ok(OpenedSession { session_id: opened.session_id, handoff_url: opened.handoff_url, expires_at: opened.expires_at })
        })
    }

    fn verify_callback(&self, signature_header: Option<&str>, body: &[u8], now: i64) -> Result<(), CallbackRefused> {
        signature::verify(&self.webhook_secret, signature_header, body, now).map(|_| ()).map_err(|error| match error {
            signature::SignatureError::Malformed => CallbackRefused::SignatureMissing,
            signature::SignatureError::Mismatch => CallbackRefused::SignatureInvalid,
            signature::SignatureError::Stale => CallbackRefused::Stale,
        })
    }

    fn signature_header(&self) -> &'static str {
        signature::HEADER
    }
}
