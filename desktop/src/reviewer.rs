//! The reviewer's HTTP API (`/v1/review/...`), as the scripted reviewer uses it: the same calls
//! a person makes by pressing the console's buttons, after signing in to their own account as
//! a script does (`POST /v1/review/tokens` answers a bearer token for the day).

use identity_pass_core::SecretString;
use identity_pass_runtime::transport::ServiceRequest;
use identity_pass_runtime::{HttpTransport, IdempotencyKey, TransportConfig, TransportError};

/// One reviewer action on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewerAction {
    /// Start the video call (the user is invited).
    StartCall,
    /// Approve the request (needs at least 15 s in the call, as the service measured it from
    /// the call's media: the reviewer no longer records the user's join and leave).
    Approve,
}

impl ReviewerAction {
    fn path_and_body(self) -> (&'static str, serde_json::Value) {
        match self {
            ReviewerAction::StartCall => ("call", serde_json::json!({})),
            ReviewerAction::Approve => ("decision", serde_json::json!({ "decision": "approve" })),
        }
    }
}

/// A reviewer signed in to one service.
pub struct ReviewerApi {
    transport: HttpTransport,
    token: SecretString,
}

impl ReviewerApi {
    /// Signs `upn` in to the service at `base_url` with `password`.
    pub async fn sign_in(base_url: &str, upn: &str, password: &SecretString) -> Result<Self, TransportError> {
        let transport = HttpTransport::new(TransportConfig::new(base_url))?;
        let key = IdempotencyKey::generate().map_err(|_| TransportError::Network { detail: "no randomness".into() })?;
        let mut request = ServiceRequest::new(reqwest::Method::POST, "v1/review/tokens");
        request.idempotency_key = Some(&key);
        request.json = Some(serde_json::json!({ "upn": upn, "password": password.expose_secret() }));
        let signed_in: serde_json::Value = transport.send_json(request).await?;
        let token = signed_in["token"]
            .as_str()
            .ok_or_else(|| TransportError::UnexpectedBody { detail: "a sign-in answer without a token".into() })?;
        Ok(Self { transport, token: SecretString::new(token.to_owned()) })
    }

    /// Performs `action` on `request_id` (with its own idempotency key, so a retried call
    /// is applied once).
    pub async fn act(&self, request_id: &str, action: ReviewerAction) -> Result<(), TransportError> {
        let (verb, body) = action.path_and_body();
        let path = format!("v1/review/requests/{request_id}/{verb}");
        let key = IdempotencyKey::generate().map_err(|_| TransportError::Network { detail: "no randomness".into() })?;
        let mut request = ServiceRequest::new(reqwest::Method::POST, &path);
        request.bearer = Some(&self.token);
        request.idempotency_key = Some(&key);
        request.json = Some(body);
        self.transport.send(request).await.map(|_| ())
    }
}
