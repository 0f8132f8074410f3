//! The device's TURN allocation, for networks where the service cannot be reached directly
//! (a hotel's Wi-Fi, a carrier that blocks UDP to unknown hosts).
//!
//! `rtc`'s peer connection does not gather candidates in its sans-IO form: the runtime
//! allocates the relay itself (rtc's TURN client, on the call's one UDP socket), offers the
//! relayed address as a candidate, asks the relay to let each of the service's addresses in,
//! and carries the connection's datagrams through the relay when the relayed candidate is the
//! one ICE chose. Datagrams for an address whose permission is not granted yet wait (a few
//! ICE checks at most): sent before it, the relay would drop them.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use rtc::sansio::Protocol;
use rtc::shared::{TaggedBytesMut, TransportContext, TransportProtocol};
use rtc::turn::client::{Client, ClientConfig, Event};

use super::CallMediaError;
use crate::service_client::IceServer;

/// How long the relay has to answer the allocation.
const ALLOCATE_TIMEOUT: Duration = Duration::from_secs(5);
/// Datagrams held per address while its permission is pending (ICE checks and the DTLS hello).
const MAX_HELD: usize = 64;

/// A TURN server to allocate from: the first `turn:` address over UDP that has a credential.
pub(super) struct TurnServer {
    /// `host:port`.
    address: String,
    username: String,
    password: identity_pass_core::SecretString,
}

impl std::fmt::Debug for TurnServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnServer").field("address", &self.address).finish_non_exhaustive()
    }
}

impl TurnServer {
    /// The relay to use among the servers the service handed out, if any. `turns:` (TLS) and
    /// TCP relays are not used: the call's socket is UDP.
    pub(super) fn choose(servers: &[IceServer]) -> Option<Self> {
        servers.iter().find_map(|server| {
            let (username, password) = (server.username.clone()?, server.credential.clone()?);
            let address = server.urls.iter().find_map(|url| {
                let rest = url.strip_prefix("turn:")?;
                let (host_port, query) = rest.split_once('?').unwrap_or((rest, ""));
                let udp = query.is_empty() || query.split('&').any(|pair| pair == "transport=udp");
                udp.then(|| if host_port.contains(':') { host_port.to_owned() } else { format!("{host_port}:3478") })
            })?;
            Some(Self { address, username, password })
        })
    }
}

/// An allocated relay on the call's socket.
pub(super) struct TurnRelay {
    client: Client,
    relayed: SocketAddr,
    server: SocketAddr,
    permitted: HashSet<SocketAddr>,
    held: HashMap<SocketAddr, Vec<Vec<u8>>>,
}

impl TurnRelay {
    /// Allocates a relayed address on `socket` (bound at `local`), waiting at most
    /// [`ALLOCATE_TIMEOUT`].
    pub(super) async fn allocate(server: &TurnServer, socket: &tokio::net::UdpSocket, local: SocketAddr) -> Result<Self, CallMediaError> {
        let server_address = tokio::net::lookup_host(&server.address)
            .await
            .map_err(|e| CallMediaError::Relay(format!("resolving the relay: {e}")))?
            .find(|a| a.is_ipv4() == local.is_ipv4())
            .ok_or_else(|| CallMediaError::Relay("the relay has no address of this socket's family".into()))?;
        let config = ClientConfig {
            stun_serv_addr: String::new(),
            turn_serv_addr: server_address.to_string(),
            local_addr: local,
            transport_protocol: TransportProtocol::UDP,
            username: server.username.clone(),
            password: server.password.expose_secret().to_owned(),
            // Learnt from the relay's first answer.
            realm: String::new(),
            software: String::new(),
            rto_in_ms: 0,
            allocation_refresh_interval_cap: None,
        };
        let provider = rtc::crypto::default_provider().map_err(|e| CallMediaError::Relay(e.to_string()))?;
        let mut client = Client::new(config, provider).map_err(|e| CallMediaError::Relay(e.to_string()))?;
        let transaction = client.allocate(Instant::now()).map_err(|e| CallMediaError::Relay(e.to_string()))?;
        let deadline = tokio::time::Instant::now() + ALLOCATE_TIMEOUT;
        let mut buffer = vec![0u8; 2048];
        loop {
            while let Some(out) = client.poll_write() {
                socket.send_to(&out.message, out.transport.peer_addr).await.map_err(CallMediaError::Socket)?;
            }
            while let Some(event) = client.poll_event() {
                match event {
                    Event::AllocateResponse(id, relayed) if id == transaction => {
                        return Ok(Self { client, relayed, server: server_address, permitted: HashSet::new(), held: HashMap::new() });
                    }
                    Event::AllocateError(_, e) => return Err(CallMediaError::Relay(format!("allocation refused: {e}"))),
                    Event::TransactionTimeout(_) => return Err(CallMediaError::Relay("the relay did not answer".into())),
                    _ => {}
                }
            }
            let wake = client.poll_timeout().map_or(deadline, |at| tokio::time::Instant::from_std(at).min(deadline));
            tokio::select! {
                received = socket.recv_from(&mut buffer) => {
                    let (length, from) = received.map_err(CallMediaError::Socket)?;
                    let message = tagged(local, from, &buffer[..length]);
                    client.handle_read(message).map_err(|e| CallMediaError::Relay(e.to_string()))?;
                }
                () = tokio::time::sleep_until(wake) => {
                    if tokio::time::Instant::now() >= deadline {
                        return Err(CallMediaError::Relay("the relay did not answer in time".into()));
                    }
                    client.handle_timeout(Instant::now()).map_err(|e| CallMediaError::Relay(e.to_string()))?;
                }
            }
        }
    }

    /// The relayed address, offered as a candidate.
    pub(super) fn relayed_address(&self) -> SocketAddr {
        self.relayed
    }

    /// Whether `from` is the relay (its datagrams are the TURN client's to read).
    pub(super) fn is_relay(&self, from: SocketAddr) -> bool {
        from == self.server
    }

    /// Asks the relay to forward between the relayed address and `peer`.
    pub(super) fn permit(&mut self, peer: SocketAddr) -> Result<(), CallMediaError> {
        self.client
            .relay(self.relayed)
            .and_then(|mut relay| relay.create_permission(Instant::now(), peer))
            .map(|_| ())
            .map_err(|e| CallMediaError::Relay(e.to_string()))
    }

    /// Sends `datagram` to `peer` through the relay, or holds it until the relay lets `peer` in.
    pub(super) fn send(&mut self, peer: SocketAddr, datagram: &[u8]) -> Result<(), CallMediaError> {
        if !self.permitted.contains(&peer) {
            let held = self.held.entry(peer).or_default();
            if held.len() < MAX_HELD {
                held.push(datagram.to_vec());
            }
            return Ok(());
        }
        self.client
            .relay(self.relayed)
            .and_then(|mut relay| relay.send_to(Instant::now(), datagram, peer))
            .map_err(|e| CallMediaError::Relay(e.to_string()))
    }

    /// A datagram from the relay: TURN's own answers, or data from a peer, returned with the
    /// peer's address for the peer connection.
    pub(super) fn receive(&mut self, local: SocketAddr, datagram: &[u8]) -> Result<Vec<(SocketAddr, BytesMut)>, CallMediaError> {
        self.client.handle_read(tagged(local, self.server, datagram)).map_err(|e| CallMediaError::Relay(e.to_string()))?;
        self.drain_events()
    }

    fn drain_events(&mut self) -> Result<Vec<(SocketAddr, BytesMut)>, CallMediaError> {
        let mut data = Vec::new();
        while let Some(event) = self.client.poll_event() {
            match event {
                Event::CreatePermissionResponse(_, peer) => {
                    self.permitted.insert(peer);
                    for datagram in self.held.remove(&peer).unwrap_or_default() {
                        self.send(peer, &datagram)?;
                    }
                }
                Event::CreatePermissionError(_, e) => return Err(CallMediaError::Relay(format!("permission refused: {e}"))),
                Event::DataIndicationOrChannelData(_, from, message) => data.push((from, message)),
                _ => {}
            }
        }
        Ok(data)
    }

    /// Datagrams the TURN client wants sent to the relay (refreshes, permissions, data).
    pub(super) fn poll_write(&mut self) -> Option<(SocketAddr, BytesMut)> {
        self.client.poll_write().map(|out| (out.transport.peer_addr, out.message))
    }

    /// When the TURN client next needs [`Self::handle_timeout`].
    pub(super) fn poll_timeout(&mut self) -> Option<Instant> {
        self.client.poll_timeout()
    }

    /// Retransmissions and refreshes.
    pub(super) fn handle_timeout(&mut self) -> Result<Vec<(SocketAddr, BytesMut)>, CallMediaError> {
        self.client.handle_timeout(Instant::now()).map_err(|e| CallMediaError::Relay(e.to_string()))?;
        self.drain_events()
    }
}

/// A received datagram in the form rtc's state machines take.
pub(super) fn tagged(local: SocketAddr, peer: SocketAddr, datagram: &[u8]) -> TaggedBytesMut {
    TaggedBytesMut {
        now: Instant::now(),
        transport: TransportContext { local_addr: local, peer_addr: peer, ecn: None, transport_protocol: TransportProtocol::UDP },
        message: BytesMut::from(datagram),
    }
}
