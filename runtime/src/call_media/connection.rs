//! One connection of the device to the service's room for its call: the offer, the service's
//! answer, and the loop that carries datagrams, pictures and timers until the call is hung up
//! or the connection is lost.
//!
//! `rtc` is sans-IO: it never touches a socket or a clock. This loop owns the call's one UDP
//! socket (shared with the TURN client when there is a relay) and wakes for whichever comes
//! first: a datagram, the peer connection's or the relay's next timer, a camera picture, or the
//! hang-up.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rtc::interceptor::Registry;
use rtc::media::io::sample_builder::SampleBuilder;
use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::RTCPeerConnection;
use rtc::peer_connection::RTCPeerConnectionBuilder;
use rtc::peer_connection::configuration::RTCConfigurationBuilder;
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::MediaEngine;
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::peer_connection::event::RTCPeerConnectionEvent;
use rtc::peer_connection::message::RTCMessage;
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::state::RTCPeerConnectionState;
use rtc::peer_connection::transport::{CandidateConfig, CandidateHostConfig, CandidateRelayConfig, RTCIceCandidate, RTCIceCandidateInit};
use rtc::rtcp::payload_feedbacks::full_intra_request::FullIntraRequest;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp::packetizer::Packetizer;
use rtc::rtp_transceiver::RTCRtpSenderId;
use rtc::rtp_transceiver::rtp_sender::{RTCRtpCodingParameters, RTCRtpEncodingParameters, RtpCodecKind};
use rtc::sansio::Protocol;
use tokio::net::UdpSocket;
use tokio::sync::watch;

use super::audio_codec::{self, AudioDecoder, AudioEncoder};
use super::turn_relay::{TurnRelay, TurnServer, tagged};
use super::video_codec::{VIDEO_CODEC, VideoDecoder, VideoEncoder};
use super::{CallContext, CallMediaError, Inputs};

/// ICE and DTLS must complete within this after the answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Room for RTP headers and SRTP's tag under a 1,280-byte path MTU (IPv6's minimum) minus
/// IP, UDP and TURN's ChannelData header.
const RTP_PAYLOAD_SIZE: usize = 1_100;
/// RTP's video clock.
const VIDEO_CLOCK_RATE: u32 = 90_000;
/// Packets the reassembly of the reviewer's frames waits for a late one.
const MAX_LATE_PACKETS: u16 = 64;
/// The longest the loop sleeps without looking at the peer connection's timers.
const MAX_IDLE: Duration = Duration::from_millis(100);
/// ICE's connectivity checks: every 25 ms rather than rtc's 200, so the call connects in tens
/// of milliseconds (docs/video-call.md measured 32 ms at 20 ms against 205 ms)…
const ICE_CHECK_INTERVAL: Duration = Duration::from_millis(25);
/// …for up to 3 s (rtc's default of 7 checks would give up after 175 ms at that pace, less than
/// a slow mobile network's round trip).
const ICE_MAX_CHECKS: u16 = 120;

/// How a connection ended.
#[derive(Debug)]
pub(super) enum Ended {
    /// The flow let go of the call: the session was closed cleanly.
    HungUp,
    /// It could not connect, or it was lost.
    Lost {
        /// Whether the media had connected first.
        was_connected: bool,
        /// What happened.
        error: CallMediaError,
    },
}

/// Connects once and carries the call until it is hung up or lost. `connected` is called when
/// the media connects.
pub(super) async fn run(
    context: &CallContext,
    inputs: &mut Inputs,
    hung_up: &mut watch::Receiver<bool>,
    connected: &(dyn Fn() + Sync),
) -> Ended {
    let mut was_connected = false;
    let result = connect_and_carry(context, inputs, hung_up, &mut || {
        was_connected = true;
        connected();
    })
    .await;
    match result {
        Ok(()) => Ended::HungUp,
        Err(error) => Ended::Lost { was_connected, error },
    }
}

async fn connect_and_carry(
    context: &CallContext,
    inputs: &mut Inputs,
    hung_up: &mut watch::Receiver<bool>,
    connected: &mut (dyn FnMut() + Send),
) -> Result<(), CallMediaError> {
    let network = context.client.call_ice_servers(&context.auth, &context.request_id).await?;
    let local_ip = local_ip_towards(context.client.base_url().host_str().unwrap_or("127.0.0.1"));
    let socket = UdpSocket::bind(SocketAddr::new(unspecified_like(local_ip), 0)).await.map_err(CallMediaError::Socket)?;
    let local = SocketAddr::new(local_ip, socket.local_addr().map_err(CallMediaError::Socket)?.port());
    let mut relay = match TurnServer::choose(&network.servers) {
        Some(server) => match TurnRelay::allocate(&server, &socket, local).await {
            Ok(relay) => Some(relay),
            // Without the relay the direct path may still work: try it rather than give up
            // (unless the deployment allows only relayed paths).
            Err(error) if network.relay_only => return Err(error),
            Err(error) => {
                tracing::warn!(%error, ?server, "no TURN relay for the call");
                None
            }
        },
        None if network.relay_only => return Err(CallMediaError::Relay("relay-only calls, and no TURN relay named".into())),
        None => None,
    };

    let mut peer = CallPeer::new()?;
    let host = (!network.relay_only).then_some(local);
    let offer = peer.offer(host, relay.as_ref().map(TurnRelay::relayed_address))?;
    let answer = context.client.open_call_session(&context.auth, &context.request_id, &offer).await?;
    let service_addresses = candidate_addresses(answer.expose_secret());
    let answer = RTCSessionDescription::answer(answer.expose_secret().to_owned())?;
    peer.connection.set_remote_description(Instant::now(), answer)?;
    if let Some(relay) = relay.as_mut() {
        for address in &service_addresses {
            relay.permit(*address)?;
        }
    }

    let mut encoder = VideoEncoder::new()?;
    let mut decoder = VideoDecoder::new()?;
    let mut voice_encoder = AudioEncoder::new()?;
    let mut voice_decoder = AudioDecoder::new()?;
    let mut voice_packetizer: Option<Box<dyn Packetizer + Send>> = None;
    let mut reviewer_frames = SampleBuilder::new(MAX_LATE_PACKETS, VIDEO_CODEC.depacketizer(), VIDEO_CLOCK_RATE);
    let mut packetizer: Option<Box<dyn Packetizer + Send>> = None;
    let connect_deadline = tokio::time::Instant::now() + CONNECT_TIMEOUT;
    let mut is_connected = false;
    let mut buffer = vec![0u8; 2048];
    loop {
        // Timers that are due run first, whichever branch woke the loop: with a picture and
        // audio arriving every few tens of milliseconds the sleep below rarely wins, and ICE's
        // keepalives and its disconnection timer must not wait for it.
        run_due_timers(&mut peer.connection, relay.as_mut())?;
        // Everything the state machines want sent, then everything they have to say.
        send_pending(&mut peer.connection, relay.as_mut(), &socket).await?;
        while let Some(event) = peer.connection.poll_event() {
            match event {
                RTCPeerConnectionEvent::OnConnectionStateChangeEvent(RTCPeerConnectionState::Connected) if !is_connected => {
                    is_connected = true;
                    packetizer = Some(peer.packetizer(peer.video_sender, VIDEO_CODEC.parameters(), VIDEO_CLOCK_RATE)?);
                    voice_packetizer =
                        Some(peer.packetizer(peer.audio_sender, audio_codec::opus_parameters(), audio_codec::SAMPLE_RATE)?);
                    peer.audio_payload_type = peer.payload_type(peer.audio_sender).ok();
                    encoder.request_keyframe();
                    connected();
                }
                RTCPeerConnectionEvent::OnConnectionStateChangeEvent(
                    RTCPeerConnectionState::Disconnected | RTCPeerConnectionState::Failed | RTCPeerConnectionState::Closed,
                ) => return Err(CallMediaError::Connection("was lost")),
                _ => {}
            }
        }
        while let Some(message) = peer.connection.poll_read() {
            match message.message {
                // The reviewer's voice, forwarded by the service on the audio line's payload type.
                RTCMessage::RtpPacket(_, packet) if Some(packet.header.payload_type) == peer.audio_payload_type => {
                    match voice_decoder.decode(&packet.payload) {
                        Ok(samples) => context.listener.on_call_audio(&samples),
                        // A damaged packet is a moment of silence.
                        Err(error) => tracing::debug!(%error, "a reviewer audio packet could not be decoded"),
                    }
                }
                // Everything else is the reviewer's camera.
                RTCMessage::RtpPacket(_, packet) => {
                    peer.reviewer_video_ssrc = Some(packet.header.ssrc);
                    reviewer_frames.push(Instant::now(), packet);
                    while let Some(sample) = reviewer_frames.pop(Instant::now()) {
                        match decoder.decode(&sample.data) {
                            Ok(Some(picture)) => context.listener.on_call_video(&picture),
                            Ok(None) => {}
                            // One undecodable frame: ask for a keyframe and go on.
                            Err(error) => {
                                tracing::debug!(%error, "a reviewer frame could not be decoded");
                                peer.request_reviewer_keyframe()?;
                            }
                        }
                    }
                }
                RTCMessage::RtcpPacket(_, packets) => {
                    let wants_keyframe = packets.iter().any(|p| {
                        p.as_any().downcast_ref::<PictureLossIndication>().is_some()
                            || p.as_any().downcast_ref::<FullIntraRequest>().is_some()
                    });
                    if wants_keyframe {
                        encoder.request_keyframe();
                    }
                }
                _ => {}
            }
        }
        if !is_connected && tokio::time::Instant::now() >= connect_deadline {
            return Err(CallMediaError::Connection("did not complete in time"));
        }

        let mut wake = tokio::time::Instant::now() + MAX_IDLE;
        for timer in [peer.connection.poll_timeout(), relay.as_mut().and_then(TurnRelay::poll_timeout)].into_iter().flatten() {
            wake = wake.min(tokio::time::Instant::from_std(timer));
        }
        if !is_connected {
            wake = wake.min(connect_deadline);
        }
        tokio::select! {
            received = socket.recv_from(&mut buffer) => {
                let (length, from) = received.map_err(CallMediaError::Socket)?;
                let datagram = &buffer[..length];
                match relay.as_mut() {
                    Some(relay) if relay.is_relay(from) => {
                        let relayed_to = relay.relayed_address();
                        for (peer_address, data) in relay.receive(local, datagram)? {
                            peer.connection.handle_read(tagged(relayed_to, peer_address, &data))?;
                        }
                    }
                    _ => peer.connection.handle_read(tagged(local, from, datagram))?,
                }
            }
            // The timers run at the top of the loop.
            () = tokio::time::sleep_until(wake) => {}
            samples = inputs.audio.recv() => {
                let Some(samples) = samples else { return hang_up(&mut peer, relay.as_mut(), &socket).await };
                let packets = voice_encoder.encode(&samples)?;
                if let Some(packetizer) = voice_packetizer.as_mut() {
                    for packet in packets {
                        peer.send_audio(packetizer.as_mut(), packet)?;
                    }
                }
            }
            picture = inputs.pictures.recv() => {
                // The sender lives as long as the call; `None` means the actor dropped it.
                let Some(picture) = picture else { return hang_up(&mut peer, relay.as_mut(), &socket).await };
                if let Some(packetizer) = packetizer.as_mut()
                    && let Some(frame) = encoder.encode(&picture)?
                {
                    peer.send_video(packetizer.as_mut(), frame)?;
                }
            }
            _ = hung_up.changed() => return hang_up(&mut peer, relay.as_mut(), &socket).await,
        }
    }
}

/// Runs the peer connection's and the relay's timers that are due.
fn run_due_timers(connection: &mut RTCPeerConnection, relay: Option<&mut TurnRelay>) -> Result<(), CallMediaError> {
    let now = Instant::now();
    if connection.poll_timeout().is_some_and(|due| due <= now) {
        connection.handle_timeout(now)?;
    }
    if let Some(relay) = relay
        && relay.poll_timeout().is_some_and(|due| due <= now)
    {
        let relayed_to = relay.relayed_address();
        for (peer_address, data) in relay.handle_timeout()? {
            connection.handle_read(tagged(relayed_to, peer_address, &data))?;
        }
    }
    Ok(())
}

/// Closes the peer connection (DTLS close, so the service sees the session end at once) and
/// sends what that produced.
async fn hang_up(peer: &mut CallPeer, relay: Option<&mut TurnRelay>, socket: &UdpSocket) -> Result<(), CallMediaError> {
    peer.connection.close()?;
    // Best effort: the service also notices the silence.
    let _ = send_pending(&mut peer.connection, relay, socket).await;
    Ok(())
}

/// Sends what the peer connection and the relay have queued. A datagram whose local address
/// is the relayed one goes through the relay.
async fn send_pending(
    connection: &mut RTCPeerConnection,
    mut relay: Option<&mut TurnRelay>,
    socket: &UdpSocket,
) -> Result<(), CallMediaError> {
    while let Some(out) = connection.poll_write() {
        match relay.as_deref_mut() {
            Some(relay) if out.transport.local_addr == relay.relayed_address() => relay.send(out.transport.peer_addr, &out.message)?,
            _ => send(socket, out.transport.peer_addr, &out.message).await?,
        }
    }
    if let Some(relay) = relay {
        while let Some((to, datagram)) = relay.poll_write() {
            send(socket, to, &datagram).await?;
        }
    }
    Ok(())
}

async fn send(socket: &UdpSocket, to: SocketAddr, datagram: &[u8]) -> Result<(), CallMediaError> {
    match socket.send_to(datagram, to).await {
        Ok(_) => Ok(()),
        // A full send buffer or an unreachable address loses one datagram, as UDP may.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::ConnectionRefused) => Ok(()),
        Err(e) => Err(CallMediaError::Socket(e)),
    }
}

/// The peer connection and its one video line (send and receive).
struct CallPeer {
    connection: RTCPeerConnection,
    video_sender: RTCRtpSenderId,
    audio_sender: RTCRtpSenderId,
    /// The SSRC of the app's video (and of its keyframe requests).
    ssrc: u32,
    audio_ssrc: u32,
    /// The payload type the answer gave the audio line: how the reviewer's voice is told from
    /// their video on arrival.
    audio_payload_type: Option<u8>,
    /// The SSRC of the reviewer's video as the service forwards it, once a packet came.
    reviewer_video_ssrc: Option<u32>,
    /// When the last picture was sent (RTP timestamps follow the real spacing of frames).
    last_frame_at: Option<Instant>,
}

impl CallPeer {
    fn new() -> Result<Self, CallMediaError> {
        let mut media_engine = MediaEngine::default();
        media_engine.register_codec(VIDEO_CODEC.parameters(), RtpCodecKind::Video)?;
        media_engine.register_codec(audio_codec::opus_parameters(), RtpCodecKind::Audio)?;
        let registry = register_default_interceptors(Registry::new(), &mut media_engine)?;
        let settings = SettingEngineBuilder::new()
            // A relayed path is accepted at once (rtc waits 2 s by default, for a direct
            // path that might still appear; the service is reached directly or not at all).
            .with_relay_acceptance_min_wait(Some(Duration::ZERO))
            .with_ice_connection_attempts(Some(ICE_CHECK_INTERVAL), Some(ICE_MAX_CHECKS))
            .build();
        let mut connection = RTCPeerConnectionBuilder::new()
            .with_setting_engine(settings)
            .with_configuration(RTCConfigurationBuilder::new().build())
            .with_media_engine(media_engine)
            .with_interceptor_registry(registry)
            .build(Instant::now())?;
        let ssrc = random_ssrc()?;
        let track = MediaStreamTrack::new(
            "identity-pass".to_owned(),
            "camera".to_owned(),
            "camera".to_owned(),
            RtpCodecKind::Video,
            vec![RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters { ssrc: Some(ssrc), ..Default::default() },
                codec: VIDEO_CODEC.parameters().rtp_codec,
                ..Default::default()
            }],
        );
        let video_sender = connection.add_track(track)?;
        let audio_ssrc = random_ssrc()?;
        let microphone = MediaStreamTrack::new(
            "identity-pass".to_owned(),
            "microphone".to_owned(),
            "microphone".to_owned(),
            RtpCodecKind::Audio,
            vec![RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters { ssrc: Some(audio_ssrc), ..Default::default() },
                codec: audio_codec::opus_parameters().rtp_codec,
                ..Default::default()
            }],
        );
        let audio_sender = connection.add_track(microphone)?;
        Ok(Self {
            connection,
            video_sender,
            audio_sender,
            ssrc,
            audio_ssrc,
            audio_payload_type: None,
            reviewer_video_ssrc: None,
            last_frame_at: None,
        })
    }

    /// The offer, with this socket's address (unless only relayed paths are allowed) and the
    /// relayed one as its only candidates.
    fn offer(&mut self, host: Option<SocketAddr>, relayed: Option<SocketAddr>) -> Result<String, CallMediaError> {
        let offer = self.connection.create_offer(None)?;
        self.connection.set_local_description(Instant::now(), offer)?;
        if let Some(host) = host {
            let candidate = CandidateHostConfig { base_config: candidate_config(host), ..Default::default() }.new_candidate_host()?;
            self.connection.add_local_candidate(RTCIceCandidate::from(&candidate).to_json()?)?;
        }
        if let Some(relayed) = relayed {
            // The related address is not needed by the service and would tell it the device's
            // own address; 0.0.0.0:0 as browsers do for relayed candidates under privacy rules.
            let relay = CandidateRelayConfig {
                base_config: candidate_config(relayed),
                rel_addr: "0.0.0.0".to_owned(),
                rel_port: 0,
                ..Default::default()
            }
            .new_candidate_relay()?;
            self.connection.add_local_candidate(RTCIceCandidate::from(&relay).to_json()?)?;
        }
        // An empty candidate ends gathering: the offer is complete.
        self.connection.add_local_candidate(RTCIceCandidateInit::default())?;
        let description = self.connection.local_description().ok_or(CallMediaError::WebRtc("no local description".into()))?;
        Ok(description.sdp.clone())
    }

    /// The payload type the answer gave `sender`'s line.
    fn payload_type(&mut self, sender: RTCRtpSenderId) -> Result<u8, CallMediaError> {
        let mut sender = self.connection.rtp_sender(sender).ok_or(CallMediaError::WebRtc("no sender".into()))?;
        sender
            .get_parameters()
            .rtp_parameters
            .codecs
            .first()
            .map(|codec| codec.payload_type)
            .ok_or(CallMediaError::WebRtc("the answer has no codec for a line".into()))
    }

    /// The packetizer for `sender`'s line, on the payload type the answer gave it.
    fn packetizer(
        &mut self,
        sender: RTCRtpSenderId,
        codec: rtc::rtp_transceiver::rtp_sender::RTCRtpCodecParameters,
        clock_rate: u32,
    ) -> Result<Box<dyn Packetizer + Send>, CallMediaError> {
        let ssrc = if sender == self.audio_sender { self.audio_ssrc } else { self.ssrc };
        Ok(Box::new(rtc::rtp::packetizer::new_packetizer(
            Instant::now(),
            RTP_PAYLOAD_SIZE,
            self.payload_type(sender)?,
            ssrc,
            codec.rtp_codec.payloader()?,
            Box::new(rtc::rtp::sequence::new_random_sequencer()),
            clock_rate,
        )))
    }

    /// One 20 ms Opus packet.
    fn send_audio(&mut self, packetizer: &mut (dyn Packetizer + Send), packet: Bytes) -> Result<(), CallMediaError> {
        let packets = packetizer.packetize(Instant::now(), &packet, audio_codec::SAMPLES_PER_PACKET as u32)?;
        let mut sender = self.connection.rtp_sender(self.audio_sender).ok_or(CallMediaError::WebRtc("no audio sender".into()))?;
        for packet in packets {
            sender.write_rtp(Instant::now(), packet)?;
        }
        Ok(())
    }

    fn send_video(&mut self, packetizer: &mut (dyn Packetizer + Send), frame: Bytes) -> Result<(), CallMediaError> {
        // The RTP clock advances by the time since the last frame (90 kHz), so the reviewer's
        // browser plays the frames at the pace they were taken.
        let now = Instant::now();
        let since_last = self.last_frame_at.map_or(Duration::from_millis(66), |at| now.duration_since(at));
        self.last_frame_at = Some(now);
        let ticks = u32::try_from(since_last.as_micros() * u128::from(VIDEO_CLOCK_RATE) / 1_000_000).unwrap_or(u32::MAX).max(1);
        let packets = packetizer.packetize(now, &frame, ticks)?;
        let mut sender = self.connection.rtp_sender(self.video_sender).ok_or(CallMediaError::WebRtc("no video sender".into()))?;
        for packet in packets {
            sender.write_rtp(Instant::now(), packet)?;
        }
        Ok(())
    }

    /// Asks the reviewer's sender (through the service, which forwards it) for a keyframe:
    /// without one, nothing after a lost frame decodes.
    fn request_reviewer_keyframe(&mut self) -> Result<(), CallMediaError> {
        let Some(media_ssrc) = self.reviewer_video_ssrc else { return Ok(()) };
        let Some(mut sender) = self.connection.rtp_sender(self.video_sender) else { return Ok(()) };
        let request = PictureLossIndication { sender_ssrc: self.ssrc, media_ssrc };
        sender.write_rtcp(Instant::now(), vec![Box::new(request)])?;
        Ok(())
    }
}

fn candidate_config(address: SocketAddr) -> CandidateConfig {
    CandidateConfig {
        network: "udp".to_owned(),
        address: address.ip().to_string(),
        port: address.port(),
        component: 1,
        ..Default::default()
    }
}

/// The addresses of the service's candidates in its answer (the relay must let them in).
fn candidate_addresses(sdp: &str) -> Vec<SocketAddr> {
    sdp.lines()
        .filter_map(|line| line.trim().strip_prefix("a=candidate:"))
        .filter_map(|candidate| {
            let fields: Vec<&str> = candidate.split_whitespace().collect();
            let ip: IpAddr = fields.get(4)?.parse().ok()?;
            Some(SocketAddr::new(ip, fields.get(5)?.parse().ok()?))
        })
        .collect()
}

/// The local address this device would use to reach `host` (the interface of its route), so
/// that the host candidate is an address the service can answer. Nothing is sent.
fn local_ip_towards(host: &str) -> IpAddr {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let target = match host.parse::<IpAddr>() {
        Ok(ip) => SocketAddr::new(ip, 9),
        Err(_) => match std::net::ToSocketAddrs::to_socket_addrs(&(host, 9)).ok().and_then(|mut a| a.next()) {
            Some(address) => address,
            None => return IpAddr::from([127, 0, 0, 1]),
        },
    };
    let probe = std::net::UdpSocket::bind(SocketAddr::new(unspecified_like(target.ip()), 0));
    probe.and_then(|socket| socket.connect(target).and_then(|()| socket.local_addr())).map_or(IpAddr::from([127, 0, 0, 1]), |a| a.ip())
}

fn unspecified_like(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => IpAddr::from([0, 0, 0, 0]),
        IpAddr::V6(_) => IpAddr::from([0u16; 8]),
    }
}

fn random_ssrc() -> Result<u32, CallMediaError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|_| CallMediaError::WebRtc("no randomness for the SSRC".into()))?;
    Ok(u32::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relay_is_told_about_every_candidate_of_the_services_answer() {
        let sdp = "v=0\r\na=ice-lite\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=candidate:1 1 udp 2130706431 203.0.113.7 40001 typ host\r\n\
                   a=candidate:2 1 udp 2130706431 2001:db8::7 40002 typ host\r\na=candidate:3 1 udp 1 not-an-ip 1 typ host\r\n";
        assert_eq!(
            candidate_addresses(sdp),
            ["203.0.113.7:40001".parse::<SocketAddr>().expect("v4"), "[2001:db8::7]:40002".parse().expect("v6")]
        );
    }

    #[test]
    fn the_host_candidate_is_the_address_of_the_route_to_the_service() {
        assert_eq!(local_ip_towards("127.0.0.1"), IpAddr::from([127, 0, 0, 1]));
        assert_eq!(local_ip_towards("localhost"), IpAddr::from([127, 0, 0, 1]));
    }
}
