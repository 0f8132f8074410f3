//! One call's room: a task with one UDP socket and up to one WebRTC session (str0m, sans-IO)
//! per side. The task owns the sessions, so forwarding one side's media to the other is a
//! plain call, with no locks or queues between sessions. It drives them the sans-IO way:
//! packets and timeouts in, packets and events out.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use str0m::change::SdpOffer;
use str0m::media::{KeyframeRequestKind, MediaData, MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::{MediaError, MediaEvent, MediaObservation, RoomCommand};
use crate::domain::call_network::CallSide;

/// A side whose media has not arrived for this long has stopped. Audio alone arrives every
/// 20 ms, and a browser keeps sending it, silent, when its microphone is muted, so seconds
/// without a packet mean the connection is gone, well before ICE's own timeout says so.
pub const SILENCE_SECONDS: u64 = 3;

/// A room nobody has been connected to for this long ends (the call may carry on; the next
/// offer opens a new room).
const EMPTY_ROOM_LIMIT: Duration = Duration::from_secs(10 * 60);

/// The largest datagram read (a WebRTC packet stays under the path's MTU, about 1,500 bytes).
const DATAGRAM_BYTES: usize = 2048;

/// Both sides, in the order of [`Room::sessions`].
const SIDES: [CallSide; 2] = [CallSide::Device, CallSide::Reviewer];

fn slot(side: CallSide) -> usize {
    match side {
        CallSide::Device => 0,
        CallSide::Reviewer => 1,
    }
}

/// One side's session.
struct Session {
    rtc: Rtc,
    /// The kind of each of the session's media lines, from its `MediaAdded` events.
    media: Vec<(Mid, MediaKind)>,
    /// When this side's media last arrived, while it flows.
    last_media: Option<Instant>,
}

impl Session {
    fn mid_of(&self, kind: MediaKind) -> Option<Mid> {
        self.media.iter().find(|(_, k)| *k == kind).map(|(mid, _)| *mid)
    }
}

/// What one session's events ask of the other session.
enum Relay {
    /// Send this media on the line of the same kind (boxed: a frame's metadata is ~500 bytes).
    Media(MediaKind, Box<MediaData>),
    /// Ask the sender of the video for a keyframe (a viewer joined or lost pictures).
    Keyframe(KeyframeRequestKind),
}

/// The room's state.
struct Room {
    call_id: String,
    local: SocketAddr,
    sessions: [Option<Session>; 2],
    observations: mpsc::UnboundedSender<MediaObservation>,
}

/// What woke the room.
enum Wake {
    Command(Option<RoomCommand>),
    Datagram(std::io::Result<(usize, SocketAddr)>),
    Timeout,
}

/// Runs `call_id`'s room until it is told to end, its command queue closes, or it stays empty
/// for [`EMPTY_ROOM_LIMIT`].
pub(super) async fn run(
    call_id: String,
    socket: UdpSocket,
    public_address: IpAddr,
    mut commands: mpsc::Receiver<RoomCommand>,
    observations: mpsc::UnboundedSender<MediaObservation>,
) {
    let Ok(bound) = socket.local_addr() else { return };
    // The sessions know the room by the address the sides send to: their host candidate, and
    // the destination of every datagram received (the socket's port either way).
    let local = SocketAddr::new(public_address, bound.port());
    tracing::info!(call_id = %call_id, %bound, %local, "call room opened");
    let mut room = Room { call_id, local, sessions: [None, None], observations };
    let mut buffer = vec![0u8; DATAGRAM_BYTES];
    let mut empty_since = Some(Instant::now());
    loop {
        let deadline = room.drive(&socket).await;
        if room.sessions.iter().all(Option::is_none) {
            let since = *empty_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= EMPTY_ROOM_LIMIT {
                break;
            }
        } else {
            empty_since = None;
        }
        let wake = tokio::select! {
            command = commands.recv() => Wake::Command(command),
            received = socket.recv_from(&mut buffer) => Wake::Datagram(received),
            () = tokio::time::sleep_until(deadline.into()) => Wake::Timeout,
        };
        match wake {
            Wake::Command(Some(RoomCommand::Open { side, offer, reply })) => {
                // The asker may have given up (its request was dropped); the session stays.
                let _ = reply.send(room.open(side, &offer));
            }
            Wake::Command(Some(RoomCommand::End) | None) => break,
            Wake::Datagram(Ok((length, source))) => room.receive(source, &buffer[..length]),
            // An ICMP "port unreachable" from a side that went away surfaces here; the
            // session's silence tells the rest.
            Wake::Datagram(Err(error)) => tracing::debug!(call_id = %room.call_id, %error, "call room receive"),
            Wake::Timeout => {}
        }
        room.tick();
    }
    room.close();
    tracing::info!(call_id = %room.call_id, "call room ended");
}

impl Room {
    /// Answers `side`'s offer with a new session, replacing the one it had.
    fn open(&mut self, side: CallSide, offer: &str) -> Result<String, MediaError> {
        // The parser's and the negotiation's own errors may quote the offer, ICE password
        // included, so they are not passed on.
        let offer = SdpOffer::from_sdp_string(offer).map_err(|_| MediaError::InvalidOffer("not SDP".to_owned()))?;
        // Opus and H.264 only: one codec of each kind that every browser and the app have, so
        // what one side sends the other can take without transcoding. H.264 rather than VP8
        // because the app encodes and decodes it with OpenH264, which builds for the phones
        // with a C++ compiler alone (libvpx needs its own build system; docs/video-call.md).
        let mut rtc = RtcConfig::new()
            .set_ice_lite(true)
            .set_crypto_provider(Arc::new(str0m::crypto::from_feature_flags()))
            .clear_codecs()
            .enable_opus(true, false)
            .enable_h264(true)
            .build(Instant::now());
        let candidate = Candidate::host(self.local, "udp").map_err(|e| MediaError::Unavailable(e.to_string()))?;
        rtc.add_local_candidate(candidate);
        let answer = rtc.sdp_api().accept_offer(offer).map_err(|_| MediaError::InvalidOffer("not an offer str0m can answer".to_owned()))?;
        let answer = answer.to_sdp_string();
        if !answer.contains("m=audio") && !answer.contains("m=video") {
            return Err(MediaError::InvalidOffer("no audio or video line".to_owned()));
        }
        let replaced = self.sessions[slot(side)].replace(Session { rtc, media: Vec::new(), last_media: None });
        if let Some(mut old) = replaced {
            old.rtc.disconnect();
            if old.last_media.is_some() {
                self.report(side, MediaEvent::Stopped);
            }
        }
        tracing::info!(call_id = %self.call_id, ?side, "call session opened");
        Ok(answer)
    }

    /// Hands a datagram to the session it belongs to.
    fn receive(&mut self, source: SocketAddr, datagram: &[u8]) {
        let Ok(contents) = datagram.try_into() else { return };
        let input = Input::Receive(Instant::now(), Receive { proto: Protocol::Udp, source, destination: self.local, contents });
        if let Some(session) = self.sessions.iter_mut().flatten().find(|session| session.rtc.accepts(&input))
            && let Err(error) = session.rtc.handle_input(input)
        {
            tracing::debug!(call_id = %self.call_id, %error, "call session input");
        }
    }

    /// Lets every session see the time, and stops the sides that went silent.
    fn tick(&mut self) {
        let now = Instant::now();
        for side in SIDES {
            let Some(session) = &mut self.sessions[slot(side)] else { continue };
            let _ = session.rtc.handle_input(Input::Timeout(now));
            let silent = session.last_media.is_some_and(|last| now.duration_since(last) >= Duration::from_secs(SILENCE_SECONDS));
            if silent {
                session.last_media = None;
                self.report(side, MediaEvent::Stopped);
            }
        }
    }

    /// Sends what the sessions have to send and handles their events, forwarding media
    /// between them until both are quiet; returns when the room next needs waking.
    async fn drive(&mut self, socket: &UdpSocket) -> Instant {
        let mut deadline = Instant::now() + Duration::from_secs(1);
        loop {
            let mut relays: Vec<(usize, Relay)> = Vec::new();
            for side in SIDES {
                let other = 1 - slot(side);
                let Some(session) = &mut self.sessions[slot(side)] else { continue };
                let mut observed = Vec::new();
                loop {
                    match session.rtc.poll_output() {
                        Ok(Output::Transmit(transmit)) => {
                            if let Err(error) = socket.send_to(&transmit.contents, transmit.destination).await {
                                tracing::debug!(call_id = %self.call_id, %error, "call room send");
                            }
                        }
                        Ok(Output::Timeout(at)) => {
                            deadline = deadline.min(at);
                            break;
                        }
                        Ok(Output::Event(event)) => on_event(session, event, other, &mut relays, &mut observed),
                        Err(error) => {
                            tracing::debug!(call_id = %self.call_id, ?side, %error, "call session failed");
                            session.rtc.disconnect();
                            break;
                        }
                    }
                }
                if let Some(last) = session.last_media {
                    deadline = deadline.min(last + Duration::from_secs(SILENCE_SECONDS));
                }
                let ended = !session.rtc.is_alive();
                if ended {
                    if session.last_media.is_some() {
                        observed.push(MediaEvent::Stopped);
                    }
                    self.sessions[slot(side)] = None;
                }
                for event in observed {
                    self.report(side, event);
                }
            }
            if relays.is_empty() {
                return deadline;
            }
            for (to, relay) in relays {
                if let Some(session) = &mut self.sessions[to] {
                    relay_to(session, relay);
                }
            }
        }
    }

    fn report(&self, side: CallSide, event: MediaEvent) {
        tracing::info!(call_id = %self.call_id, ?side, ?event, "call media");
        // The receiver lives as long as the service; after shutdown nobody needs to know.
        let _ = self.observations.send(MediaObservation { call_id: self.call_id.clone(), side, event });
    }

    fn close(&mut self) {
        for side in SIDES {
            if let Some(mut session) = self.sessions[slot(side)].take() {
                session.rtc.disconnect();
                if session.last_media.is_some() {
                    self.report(side, MediaEvent::Stopped);
                }
            }
        }
    }
}

/// One event of a session: what it asks of the other session (`relays`, towards `other`) and
/// what changed in this side's media (`observed`).
fn on_event(session: &mut Session, event: Event, other: usize, relays: &mut Vec<(usize, Relay)>, observed: &mut Vec<MediaEvent>) {
    match event {
        Event::MediaAdded(added) => session.media.push((added.mid, added.kind)),
        // A new viewer needs a keyframe to start from.
        Event::Connected => relays.push((other, Relay::Keyframe(KeyframeRequestKind::Pli))),
        Event::MediaData(data) => {
            if session.last_media.replace(Instant::now()).is_none() {
                observed.push(MediaEvent::Flowing);
            }
            if let Some(kind) = session.media.iter().find(|(mid, _)| *mid == data.mid).map(|(_, kind)| *kind) {
                relays.push((other, Relay::Media(kind, Box::new(data))));
            }
        }
        Event::KeyframeRequest(request) => relays.push((other, Relay::Keyframe(request.kind))),
        Event::IceConnectionStateChange(IceConnectionState::Disconnected) if session.last_media.take().is_some() => {
            observed.push(MediaEvent::Stopped);
        }
        _ => {}
    }
}

/// Does what the other session asked of `session`. Media that does not fit (no line of its
/// kind, a codec this side did not agree to) is dropped: a one-way picture beats no call.
fn relay_to(session: &mut Session, relay: Relay) {
    match relay {
        Relay::Media(kind, data) => {
            let Some(mid) = session.mid_of(kind) else { return };
            let Some(writer) = session.rtc.writer(mid) else { return };
            let Some(pt) = writer.match_params(data.params) else { return };
            let _ = writer.write(pt, data.network_time, data.time, data.data.clone());
        }
        Relay::Keyframe(kind) => {
            let Some(mid) = session.mid_of(MediaKind::Video) else { return };
            if let Some(mut writer) = session.rtc.writer(mid) {
                let _ = writer.request_keyframe(None, kind);
            }
        }
    }
}
