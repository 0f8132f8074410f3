//! The service's side of reviewers' calls: the service is in the media path (docs/video-call.md).
//! Each side of a call (the request's device, its assigned reviewer) opens one WebRTC session
//! with the service, offer in and answer out; the service forwards each side's audio and video
//! to the other. Because the media goes through it, the service sees for itself when the user's
//! media starts flowing and when it stops, and reports that ([`MediaObservation`]); the rules of
//! the call (`domain::call`) are applied to those observations elsewhere (`call_attendance`).
//!
//! One room per call, each a task with its own UDP socket and up to one session per side
//! ([`room`]). The service is ICE-lite: it only answers the connectivity checks of the sides,
//! so a side reaches it straight or through the TURN relay the ICE configuration names, and its
//! host candidate in the answer is all it gives. A new offer from a side replaces that side's
//! session: that is how a side comes back after its connection was cut.
//!
//! This module knows WebRTC and sockets, and nothing of storage or HTTP.

mod room;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use crate::domain::call_network::CallSide;

/// The longest offer taken, in bytes. A browser's offer for one audio and one video track is
/// about 5 KiB; anything far beyond is not an offer for this call.
pub const MAX_OFFER_BYTES: usize = 64 * 1024;

/// What the service saw of one side's media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaObservation {
    /// The call.
    pub call_id: String,
    /// Whose media.
    pub side: CallSide,
    /// What happened.
    pub event: MediaEvent,
}

/// A change in one side's media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaEvent {
    /// Media from this side reaches the service (the connection is up and packets decrypt).
    Flowing,
    /// It stopped: the connection was lost or closed, or nothing came for
    /// [`room::SILENCE_SECONDS`].
    Stopped,
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The offer is not one the service can answer (not SDP, no usable audio or video).
    #[error("the offer cannot be answered: {0}")]
    InvalidOffer(String),
    /// The room could not be set up (its socket) or has ended.
    #[error("the call's media is unavailable: {0}")]
    Unavailable(String),
}

/// What a room is asked to do.
enum RoomCommand {
    /// Answer `offer` for `side`, replacing that side's session if it has one.
    Open { side: CallSide, offer: String, reply: oneshot::Sender<Result<String, MediaError>> },
    /// The call is over: close both sessions and end.
    End,
}

/// The rooms of the calls that are on.
pub struct CallMedia {
    /// The address the rooms' sockets bind.
    address: IpAddr,
    /// The address the answers give as the service's host candidate: `address`, unless the
    /// sides reach it by another (a 1:1 NAT in front of the service, or the Android emulator's
    /// 10.0.2.2 alias for its host's loopback).
    public_address: IpAddr,
    /// Each room's command queue, by call id.
    rooms: Mutex<HashMap<String, mpsc::Sender<RoomCommand>>>,
    /// Where the rooms report what they see.
    observations: mpsc::UnboundedSender<MediaObservation>,
    /// The calls whose device has opened a media session (kept while the service runs; the
    /// decision forgets the call).
    device_media: Mutex<HashSet<String>>,
}

impl CallMedia {
    /// Rooms on `address`, named in the answers as `public_address` (`None`: as `address`),
    /// reporting to `observations`.
    pub fn new(address: IpAddr, public_address: Option<IpAddr>, observations: mpsc::UnboundedSender<MediaObservation>) -> Self {
        Self {
            address,
            public_address: public_address.unwrap_or(address),
            rooms: Mutex::new(HashMap::new()),
            observations,
            device_media: Mutex::new(HashSet::new()),
        }
    }

    /// Answers `side`'s offer (SDP text) for `call_id`'s call, opening the room if needed.
    /// The caller has checked that the call is on and that the caller is that side.
    pub async fn answer(&self, call_id: &str, side: CallSide, offer: &str) -> Result<String, MediaError> {
        if offer.len() > MAX_OFFER_BYTES {
            return Err(MediaError::InvalidOffer(format!("longer than {MAX_OFFER_BYTES} bytes")));
        }
        // A room that ended between the lookup and the send is opened again, once.
        for _ in 0..2 {
            let commands = self.room(call_id).await?;
            let (reply, answer) = oneshot::channel();
            if commands.send(RoomCommand::Open { side, offer: offer.to_owned(), reply }).await.is_ok()
                && let Ok(answered) = answer.await
            {
                if answered.is_ok()
                    && side == CallSide::Device
                    && let Ok(mut opened) = self.device_media.lock()
                {
                    opened.insert(call_id.to_owned());
                }
                return answered;
            }
            self.forget(call_id, &commands);
        }
        Err(MediaError::Unavailable("the room ended".to_owned()))
    }

    /// Whether the device of `call_id`'s call has opened a media session in it (then the
    /// service measures the call, and nobody records it by hand).
    pub fn device_media_opened(&self, call_id: Option<&str>) -> bool {
        call_id.is_some_and(|id| self.device_media.lock().map_or(true, |opened| opened.contains(id)))
    }

    /// Ends `call_id`'s room, if it has one (the call was decided).
    pub fn end(&self, call_id: &str) {
        if let Ok(mut opened) = self.device_media.lock() {
            opened.remove(call_id);
        }
        let commands = self.rooms.lock().ok().and_then(|mut rooms| rooms.remove(call_id));
        if let Some(commands) = commands {
            // A full queue or an ended room: either way it will not carry on for long.
            let _ = commands.try_send(RoomCommand::End);
        }
    }

    /// Ends every room (the service is stopping).
    pub fn end_all(&self) {
        let rooms = self.rooms.lock().map(|mut rooms| std::mem::take(&mut *rooms)).unwrap_or_default();
        for commands in rooms.into_values() {
            let _ = commands.try_send(RoomCommand::End);
        }
    }

    /// The number of rooms running.
    pub fn rooms_running(&self) -> usize {
        self.rooms
            .lock()
            .map(|mut rooms| {
                rooms.retain(|_, commands| !commands.is_closed());
                rooms.len()
            })
            .unwrap_or(0)
    }

    /// `call_id`'s room, started if it has none.
    async fn room(&self, call_id: &str) -> Result<mpsc::Sender<RoomCommand>, MediaError> {
        if let Some(commands) = self.running(call_id) {
            return Ok(commands);
        }
        let socket = UdpSocket::bind(SocketAddr::new(self.address, 0)).await.map_err(|e| MediaError::Unavailable(e.to_string()))?;
        let mut rooms = self.rooms.lock().map_err(|_| MediaError::Unavailable("the room list is poisoned".to_owned()))?;
        // Another offer may have opened it meanwhile: keep that one, and drop this socket.
        if let Some(commands) = rooms.get(call_id).filter(|commands| !commands.is_closed()) {
            return Ok(commands.clone());
        }
        let (commands, queue) = mpsc::channel(8);
        tokio::spawn(room::run(call_id.to_owned(), socket, self.public_address, queue, self.observations.clone()));
        rooms.insert(call_id.to_owned(), commands.clone());
        Ok(commands)
    }

    /// The room of `call_id`, if it is running.
    fn running(&self, call_id: &str) -> Option<mpsc::Sender<RoomCommand>> {
        let rooms = self.rooms.lock().ok()?;
        rooms.get(call_id).filter(|commands| !commands.is_closed()).cloned()
    }

    /// Drops `call_id`'s entry if it is still `ended`.
    fn forget(&self, call_id: &str, ended: &mpsc::Sender<RoomCommand>) {
        if let Ok(mut rooms) = self.rooms.lock()
            && rooms.get(call_id).is_some_and(|commands| commands.same_channel(ended))
        {
            rooms.remove(call_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WebRTC offer with one audio and one video line, both ways.
    fn offer() -> String {
        use str0m::media::{Direction, MediaKind};
        let mut rtc = str0m::RtcConfig::new()
            .set_crypto_provider(std::sync::Arc::new(str0m::crypto::from_feature_flags()))
            .build(std::time::Instant::now());
        rtc.add_local_candidate(str0m::Candidate::host("127.0.0.1:40000".parse().expect("address"), "udp").expect("candidate"));
        let mut change = rtc.sdp_api();
        change.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None);
        change.add_media(MediaKind::Video, Direction::SendRecv, None, None, None);
        let (offer, _pending) = change.apply().expect("an offer");
        offer.to_sdp_string()
    }

    fn candidate_lines(answer: &str) -> Vec<&str> {
        answer.lines().filter(|line| line.starts_with("a=candidate")).collect()
    }

    #[tokio::test]
    async fn the_answer_names_the_public_address_when_the_sides_reach_the_service_by_another() {
        let (observations, _seen) = mpsc::unbounded_channel();
        let loopback = IpAddr::from([127, 0, 0, 1]);
        let behind_nat = CallMedia::new(loopback, Some(IpAddr::from([10, 0, 2, 2])), observations.clone());
        let answer = behind_nat.answer("call-1", CallSide::Device, &offer()).await.expect("answered");
        let candidates = candidate_lines(&answer);
        assert!(
            !candidates.is_empty() && candidates.iter().all(|c| c.contains(" 10.0.2.2 ") && !c.contains("127.0.0.1")),
            "{candidates:?}"
        );

        let direct = CallMedia::new(loopback, None, observations);
        let answer = direct.answer("call-2", CallSide::Device, &offer()).await.expect("answered");
        let candidates = candidate_lines(&answer);
        assert!(!candidates.is_empty() && candidates.iter().all(|c| c.contains(" 127.0.0.1 ")), "{candidates:?}");
        behind_nat.end_all();
        direct.end_all();
    }
}
