//! The network a reviewer's call may take: the STUN and TURN servers the service hands to both
//! sides of the call (issue 15, "Real networks").
//!
//! A phone on a carrier network or a reviewer behind a company firewall often cannot reach the
//! other side directly, so the call may go through a TURN relay. TURN servers are paid for and
//! abused when open, so each side gets its own credential, made for this call and expiring,
//! under the scheme TURN servers share for this ("TURN REST API", coturn's `use-auth-secret`):
//! the username is `<expiry, Unix seconds>:<call id>:<side>` and the password is
//! `base64(HMAC-SHA1(shared secret, username))`. The TURN server checks it with the same secret
//! and refuses it after the expiry, with no call to the service. The username names the call
//! and the side, never a person: it is written to the TURN server's logs.

use crate::secrets::{Redacted, hmac_sha1};

/// How long a TURN credential lasts. The TURN server checks the credential again each time the
/// client refreshes its relay (every few minutes), so this bounds the call's length through the
/// relay, not just its start. An hour is well past the reviewer's questions; a side that needs
/// more asks again (and does, on an ICE restart).
pub const TURN_CREDENTIAL_SECONDS: i64 = 3600;

/// The shortest shared secret accepted: 128 bits of base64 or hex text.
pub const MIN_TURN_SECRET_CHARS: usize = 24;

/// Which side of the call a credential is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallSide {
    /// The new hire's phone (or desktop app).
    Device,
    /// The reviewer's console.
    Reviewer,
}

impl CallSide {
    /// The name in the TURN username.
    pub fn as_str(self) -> &'static str {
        match self {
            CallSide::Device => "device",
            CallSide::Reviewer => "reviewer",
        }
    }
}

/// The STUN and TURN servers of the deployment. Empty (the default): the two sides try only
/// their own addresses, which is enough on one network (and on loopback, in tests).
#[derive(Debug, Clone, Default)]
pub struct CallNetwork {
    /// `stun:` or `stuns:` URLs, handed out as they are (STUN needs no credential).
    pub stun_urls: Vec<String>,
    /// `turn:` or `turns:` URLs of relays that share [`Self::turn_secret`].
    pub turn_urls: Vec<String>,
    /// The secret shared with the TURN servers; required with `turn_urls`. `Debug` is redacted.
    pub turn_secret: Option<Redacted>,
    /// Every call goes through the TURN relays: the sides offer only relayed candidates
    /// (WebRTC's `iceTransportPolicy: "relay"`). For deployments whose media address only the
    /// relays can reach; it also keeps the sides' own addresses out of the service's sessions.
    pub relay_only: bool,
}

/// One entry of the ICE configuration, in the shape of WebRTC's `RTCIceServer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServer {
    /// The server's URLs.
    pub urls: Vec<String>,
    /// TURN only: the username.
    pub username: Option<String>,
    /// TURN only: the password. A secret until it expires: never logged (`Debug` is redacted).
    pub credential: Option<Redacted>,
}

impl CallNetwork {
    /// Whether the configuration is usable: every URL has its scheme, and TURN has a secret
    /// long enough to be one.
    pub fn validate(&self) -> Result<(), String> {
        for url in &self.stun_urls {
            if !(url.starts_with("stun:") || url.starts_with("stuns:")) {
                return Err(format!("a STUN URL starts with stun: or stuns: ({url})"));
            }
        }
        for url in &self.turn_urls {
            if !(url.starts_with("turn:") || url.starts_with("turns:")) {
                return Err(format!("a TURN URL starts with turn: or turns: ({url})"));
            }
        }
        if self.relay_only && self.turn_urls.is_empty() {
            return Err("relay-only calls need a TURN relay".to_owned());
        }
        match &self.turn_secret {
            None if !self.turn_urls.is_empty() => Err("TURN URLs need the secret shared with the TURN servers".to_owned()),
            Some(secret) if secret.expose().chars().count() < MIN_TURN_SECRET_CHARS => {
                Err(format!("the TURN secret has at least {MIN_TURN_SECRET_CHARS} characters"))
            }
            _ => Ok(()),
        }
    }

    /// The servers `side` of call `call_id` may use from `now`, and when their credentials
    /// expire.
    pub fn ice_servers(&self, call_id: &str, side: CallSide, now: i64) -> (Vec<IceServer>, i64) {
        let expires_at = now + TURN_CREDENTIAL_SECONDS;
        let mut servers = Vec::new();
        if !self.stun_urls.is_empty() {
            servers.push(IceServer { urls: self.stun_urls.clone(), username: None, credential: None });
        }
        if let (Some(secret), false) = (&self.turn_secret, self.turn_urls.is_empty()) {
            let username = format!("{expires_at}:{call_id}:{}", side.as_str());
            let credential = turn_credential(secret, &username);
            servers.push(IceServer { urls: self.turn_urls.clone(), username: Some(username), credential: Some(credential) });
        }
        (servers, expires_at)
    }
}

/// The TURN password for `username`: `base64(HMAC-SHA1(secret, username))`. SHA-1 because that
/// is what TURN servers compute for this scheme; an HMAC, which SHA-1's collisions do not break.
fn turn_credential(secret: &Redacted, username: &str) -> Redacted {
    use base64::Engine;
    Redacted::new(base64::engine::general_purpose::STANDARD.encode(hmac_sha1(secret.expose().as_bytes(), username.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network() -> CallNetwork {
        CallNetwork {
            stun_urls: vec!["stun:stun.contoso.example:3478".to_owned()],
            turn_urls: vec!["turn:turn.contoso.example:3478?transport=udp".to_owned(), "turns:turn.contoso.example:5349".to_owned()],
            turn_secret: Some(Redacted::new("north-wind-turn-secret-24".to_owned())),
            relay_only: false,
        }
    }

    #[test]
    fn the_turn_password_is_the_hmac_a_turn_server_computes() {
        // Computed apart from this code, with Python's hmac module:
        // base64(HMAC-SHA1(b"north-wind-turn-secret", b"1795255200:call_0a1b2c:device")).
        let secret = Redacted::new("north-wind-turn-secret".to_owned());
        assert_eq!(turn_credential(&secret, "1795255200:call_0a1b2c:device").expose(), "eoNtXSE8Sd7kzz/Omn0jRs940SI=");
    }

    #[test]
    fn each_side_gets_its_own_expiring_credential_naming_the_call_not_the_person() {
        let network = network();
        let (device, expires_at) = network.ice_servers("call_0a1b2c", CallSide::Device, 1_795_252_000);
        assert_eq!(expires_at, 1_795_252_000 + TURN_CREDENTIAL_SECONDS);
        assert_eq!(device.len(), 2);
        assert_eq!(device[0], IceServer { urls: network.stun_urls.clone(), username: None, credential: None });
        let turn = &device[1];
        assert_eq!(turn.urls, network.turn_urls);
        assert_eq!(turn.username.as_deref(), Some("1795255600:call_0a1b2c:device"));
        let (reviewer, _) = network.ice_servers("call_0a1b2c", CallSide::Reviewer, 1_795_252_000);
        assert_eq!(reviewer[1].username.as_deref(), Some("1795255600:call_0a1b2c:reviewer"));
        assert_ne!(reviewer[1].credential, turn.credential, "the sides' passwords differ");
        let later = network.ice_servers("call_0a1b2c", CallSide::Device, 1_795_252_001).0;
        assert_ne!(later[1].credential, turn.credential, "a later credential is another password");
    }

    #[test]
    fn the_password_never_reaches_debug_output() {
        let (servers, _) = network().ice_servers("call_0a1b2c", CallSide::Device, 1_795_252_000);
        let password = servers[1].credential.as_ref().map(|c| c.expose().to_owned()).unwrap_or_default();
        assert!(!password.is_empty());
        let printed = format!("{servers:?} {:?}", network());
        assert!(!printed.contains(&password), "{printed}");
        assert!(!printed.contains("north-wind-turn-secret"), "{printed}");
    }

    #[test]
    fn without_servers_there_is_nothing_to_hand_out() {
        assert_eq!(CallNetwork::default().ice_servers("call_1", CallSide::Device, 0).0, vec![]);
        assert_eq!(CallNetwork::default().validate(), Ok(()));
    }

    #[test]
    fn a_configuration_missing_a_scheme_or_a_usable_secret_is_refused() {
        let mut network = network();
        assert_eq!(network.validate(), Ok(()));
        network.turn_secret = Some(Redacted::new("short".to_owned()));
        assert!(network.validate().is_err_and(|e| e.contains("at least 24")));
        network.turn_secret = None;
        assert!(network.validate().is_err_and(|e| e.contains("need the secret")));
        let mut network = self::network();
        network.stun_urls.push("turn.contoso.example".to_owned());
        assert!(network.validate().is_err());
        let mut network = self::network();
        network.turn_urls.push("stun:stun.contoso.example".to_owned());
        assert!(network.validate().is_err());
        // Relay-only needs a relay.
        let mut network = self::network();
        network.relay_only = true;
        assert_eq!(network.validate(), Ok(()));
        network.turn_urls.clear();
        network.turn_secret = None;
        assert!(network.validate().is_err_and(|e| e.contains("relay-only")));
    }
}
