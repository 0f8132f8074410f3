//! The reviewer's HTTP API (`/v1/review/...`, the reviewer's own bearer token), as the
//! scripted reviewer uses it: the same calls a person makes by pressing the console's buttons.

use identity_pass_core::SecretString;
use identity_pass_runtime::transport::ServiceRequest;
use identity_pass_runtime::{HttpTransport, IdempotencyKey, TransportConfig, TransportError};

/// One reviewer action on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewerAction {
    /// Start the video call (the user is invited).
    StartCall,
    /// Record that the user joined the call.
    UserJoined,
    /// Record that the user left the call.
    UserLeft,
    /// Approve the request (needs at least 15 s in the call).
    Approve,
}

impl ReviewerAction {
    fn path_and_body(self) -> (&'static str, serde_json::Value) {
        match self {
            ReviewerAction::StartCall => ("call", serde_json::json!({})),
            ReviewerAction::UserJoined => ("join", serde_json::json!({})),
            ReviewerAction::UserLeft => ("leave", serde_json::json!({})),
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
    /// A reviewer of the service at `base_url`.
    pub fn new(base_url: &str, token: SecretString) -> Result<Self, TransportError> {
        Ok(Self { transport: HttpTransport::new(TransportConfig::new(base_url))?, token })
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
