//! The app's side of the reviewer's call: one WebRTC session with the service, which forwards
//! it to the reviewer's console (docs/video-call.md).
//!
//! The flow says when the call's media must be open (`OnboardingFlow::call_media_wanted`);
//! the actor keeps exactly that call open through this module and stops it when the flow lets
//! go. A call runs as one task: it asks the service for its ICE servers, makes an offer
//! (`rtc`, sans-IO: the task owns the UDP socket and the timers), posts it, and then carries
//! datagrams, the camera's pictures (encoded) and the reviewer's video (decoded, handed to the
//! shell). What the task reports back is mechanism only: the media connected, or it could not
//! be kept up. What that means for the user is the flow's.
//!
//! A connection that drops is made again with a new offer (the service replaces the device's
//! session and counts only the time the media flowed); after [`RECONNECT_ATTEMPTS`] failed
//! tries in a row the task reports the failure and ends.

mod audio_codec;
mod connection;
mod turn_relay;
mod video_codec;

// The codecs on their own, for the benchmark (`benches/call_media.rs`) and for anyone who
// needs to know what the call costs a phone.
pub use audio_codec::{AudioDecoder, AudioEncoder, SAMPLE_RATE, SAMPLES_PER_PACKET};
pub use video_codec::{VideoDecoder, VideoEncoder};

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use identity_pass_core::selfie::call_picture::CallPicture;

use crate::platform::SessionListener;
use crate::service_client::{DeviceAuth, ServiceClient};
use crate::transport::TransportError;

/// Tries in a row to (re)connect before the call is reported lost.
const RECONNECT_ATTEMPTS: u32 = 3;
/// The pause before a new try, doubled each time.
const RECONNECT_PAUSE: Duration = Duration::from_millis(500);
/// Captured audio waiting for the encoder: about a second's worth of 20 ms pieces. Audio is
/// never dropped for being late (a gap is heard); only a stalled call loses it.
const AUDIO_QUEUED: usize = 50;
/// Pictures waiting for the encoder: one. A camera faster than the encoder loses frames, not
/// time (a late picture is worth less than the next one).
const PICTURES_QUEUED: usize = 1;

/// Why a call's media could not be set up or kept up. Diagnostic only: the user is told by
/// the flow, from the report.
#[derive(Debug, thiserror::Error)]
pub enum CallMediaError {
    /// The service refused or could not be reached.
    #[error(transparent)]
    Service(#[from] TransportError),
    /// The call's UDP socket.
    #[error("socket: {0}")]
    Socket(std::io::Error),
    /// The TURN relay.
    #[error("relay: {0}")]
    Relay(String),
    /// WebRTC (the offer, the answer, ICE, DTLS, SRTP).
    #[error("webrtc: {0}")]
    WebRtc(String),
    /// The video encoder or decoder.
    #[error("video codec: {0}")]
    Codec(String),
    /// ICE and DTLS did not complete in time, or the connection was lost.
    #[error("the connection {0}")]
    Connection(&'static str),
}

impl From<rtc::shared::error::Error> for CallMediaError {
    fn from(error: rtc::shared::error::Error) -> Self {
        CallMediaError::WebRtc(error.to_string())
    }
}

/// What a call's task tells the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallMediaReport {
    /// The media connected (ICE and DTLS): the user is in the call.
    Connected {
        /// The call.
        call_id: String,
    },
    /// The media could not be set up, or was lost and did not come back.
    Failed {
        /// The call.
        call_id: String,
    },
}

/// Where a call's task sends its reports.
pub(crate) type Reports = Arc<dyn Fn(CallMediaReport) + Send + Sync>;

/// The open media of one call, owned by the actor. Dropping it hangs up.
pub(crate) struct CallMedia {
    call_id: String,
    pictures: mpsc::Sender<CallPicture>,
    audio: mpsc::Sender<Vec<i16>>,
    hang_up: watch::Sender<bool>,
}

/// What a call's task needs from the session.
pub(crate) struct CallContext {
    pub client: ServiceClient,
    pub auth: DeviceAuth,
    pub request_id: String,
    pub listener: Arc<dyn SessionListener>,
}

impl CallMedia {
    /// Opens the media of `call_id` on the request in `context`.
    pub(crate) fn open(call_id: String, context: CallContext, reports: Reports) -> Self {
        let (pictures, pictures_in) = mpsc::channel(PICTURES_QUEUED);
        let (audio, audio_in) = mpsc::channel(AUDIO_QUEUED);
        let (hang_up, hung_up) = watch::channel(false);
        // Not joined: the task ends by itself once hung up (or after reporting a failure).
        tokio::spawn(run(call_id.clone(), context, Inputs { pictures: pictures_in, audio: audio_in }, hung_up, reports));
        Self { call_id, pictures, audio, hang_up }
    }

    /// The call this media belongs to.
    pub(crate) fn call_id(&self) -> &str {
        &self.call_id
    }

    /// Where the camera's pictures go while the call is open. Cheap to clone.
    pub(crate) fn picture_sender(&self) -> mpsc::Sender<CallPicture> {
        self.pictures.clone()
    }

    /// Where the microphone's samples (48 kHz mono) go while the call is open.
    pub(crate) fn audio_sender(&self) -> mpsc::Sender<Vec<i16>> {
        self.audio.clone()
    }
}

/// What the shell captures for the call, on its way to the encoders.
pub(crate) struct Inputs {
    pub pictures: mpsc::Receiver<CallPicture>,
    pub audio: mpsc::Receiver<Vec<i16>>,
}

impl Drop for CallMedia {
    fn drop(&mut self) {
        // The task closes the peer connection (the service sees the session end) and stops.
        let _ = self.hang_up.send(true);
    }
}

async fn run(call_id: String, context: CallContext, mut inputs: Inputs, mut hung_up: watch::Receiver<bool>, reports: Reports) {
    let mut failures_in_a_row = 0;
    let mut pause = RECONNECT_PAUSE;
    loop {
        let outcome = connection::run(&context, &mut inputs, &mut hung_up, &|| {
            reports(CallMediaReport::Connected { call_id: call_id.clone() });
        })
        .await;
        match outcome {
            connection::Ended::HungUp => return,
            connection::Ended::Lost { was_connected, error } => {
                tracing::warn!(%error, was_connected, "the call's media connection ended");
                failures_in_a_row = if was_connected { 1 } else { failures_in_a_row + 1 };
                if failures_in_a_row >= RECONNECT_ATTEMPTS || *hung_up.borrow() {
                    reports(CallMediaReport::Failed { call_id });
                    return;
                }
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    _ = hung_up.changed() => return,
                }
                pause *= 2;
            }
        }
    }
}
