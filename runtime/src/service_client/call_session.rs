//! The device's side of the reviewer's call (contract: "The call"): the ICE servers the
//! deployment names, and the one round trip that opens the device's media session with the
//! service (the device's offer in, the service's answer out). The media itself is
//! `call_media`'s.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use identity_pass_core::SecretString;

use super::{DeviceAuth, ServiceClient};
use crate::transport::TransportError;

/// One STUN or TURN server, in WebRTC's `RTCIceServer` shape.
#[derive(Clone)]
pub struct IceServer {
    /// `stun:…` or `turn:…?transport=udp|tcp` addresses of the same server.
    pub urls: Vec<String>,
    /// TURN only: names the call and the side, never a person.
    pub username: Option<String>,
    /// TURN only: a secret until it expires.
    pub credential: Option<SecretString>,
}

impl std::fmt::Debug for IceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceServer").field("urls", &self.urls).field("has_credential", &self.credential.is_some()).finish_non_exhaustive()
    }
}

/// How the device may reach the service's media for a call.
#[derive(Debug, Clone)]
pub struct CallIceServers {
    /// The STUN and TURN servers, with this device's TURN credential.
    pub servers: Vec<IceServer>,
    /// Only relayed candidates may be offered (`iceTransportPolicy: "relay"`).
    pub relay_only: bool,
}

#[derive(Deserialize)]
struct IceServersBody {
    ice_servers: Vec<IceServerBody>,
    ice_transport_policy: String,
}

#[derive(Deserialize)]
struct IceServerBody {
    urls: Vec<String>,
    username: Option<String>,
    credential: Option<String>,
}

#[derive(Deserialize)]
struct SessionDescriptionBody {
    #[serde(rename = "type")]
    kind: String,
    sdp: String,
}

impl ServiceClient {
    /// `GET …/call/ice-servers`: the servers to reach the service's media through, each with
    /// this device's own TURN credential. Empty where the deployment names none.
    pub async fn call_ice_servers(&self, auth: &DeviceAuth, request_id: &str) -> Result<CallIceServers, TransportError> {
        let path = format!("v1/requests/{request_id}/call/ice-servers");
        let body: IceServersBody = self.transport.send_json(Self::authed(auth, Method::GET, &path, None)).await?;
        let relay_only = match body.ice_transport_policy.as_str() {
            "relay" => true,
            "all" => false,
            other => return Err(TransportError::UnexpectedBody { detail: format!("an ICE transport policy {other:?}") }),
        };
        let servers = body
            .ice_servers
            .into_iter()
            .map(|server| IceServer { urls: server.urls, username: server.username, credential: server.credential.map(SecretString::new) })
            .collect();
        Ok(CallIceServers { servers, relay_only })
    }

    /// `POST …/call/session`: opens (or replaces) this device's media session in the call and
    /// returns the service's answer. The answer holds the session's ICE password, so it is
    /// kept as a secret. No idempotency key: a retried offer opens a session again.
    pub async fn open_call_session(&self, auth: &DeviceAuth, request_id: &str, offer_sdp: &str) -> Result<SecretString, TransportError> {
        let path = format!("v1/requests/{request_id}/call/session");
        let mut request = Self::authed(auth, Method::POST, &path, None);
        request.json = Some(json!({ "type": "offer", "sdp": offer_sdp }));
        let body: SessionDescriptionBody = self.transport.send_json(request).await?;
        if body.kind != "answer" {
            return Err(TransportError::UnexpectedBody { detail: format!("a session description of type {:?}", body.kind) });
        }
        Ok(SecretString::new(body.sdp))
    }
}
