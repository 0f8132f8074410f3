//! `OnboardingRuntime`: the pure flow, joined to the service, the secure store and the camera.
//!
//! One actor task owns the flow and applies events one at a time; everything that takes time
//! (HTTP calls, the status watch, timers, the passkey sheet) runs in its own task and comes
//! back to the actor as an event. After every change the flow is saved (when it asks) and the
//! new view is published to the shell and to `watch_view` subscribers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use identity_pass_core::eligibility::{Distribution, Platform};
use identity_pass_core::flow::view::ViewState;
use identity_pass_core::flow::{OnboardingFlow, ShellEvent, Step};
use identity_pass_core::messages::Locale;
use identity_pass_core::selfie::call_picture::CallPicture;
use identity_pass_core::selfie::{Frame, FrameVerdict, Orientation, SelfieConfig, SelfieSession, SessionError};
use identity_pass_core::{CredentialVault, SecureStore, SecureStoreError, StoreKey};

use crate::actor::{Actor, Command};
use crate::platform::{Clock, DeviceKey, PasskeyAuthenticator, SessionListener};
use crate::service_client::{DevicePlatform, ServiceClient};
use crate::transport::{HttpTransport, TransportConfig, TransportError};
use crate::watcher::StatusMode;

/// How to run a session.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// The service.
    pub transport: TransportConfig,
    /// OS family (the flow's device check).
    pub platform: Platform,
    /// Google or China build: the China build has no push, so status is long-polled only.
    pub distribution: Distribution,
    /// Language of the view.
    pub locale: Locale,
    /// How review updates are followed.
    pub status_mode: StatusMode,
    /// Whether this runtime opens the reviewer's call's media itself (WebRTC with the
    /// service, `call_media`): the shell then pushes camera frames with `push_frame` while the
    /// call is open and draws `SessionListener::on_call_video`, and the runtime reports the
    /// join. Off, the shell reports `CallJoined` and `CallEnded` itself (shells that do not
    /// carry the call's media yet).
    pub joins_call_media: bool,
}

impl SessionConfig {
    /// Defaults for `service_url`: long-poll status, English.
    pub fn new(service_url: impl Into<String>, platform: Platform, distribution: Distribution) -> Self {
        Self {
            transport: TransportConfig::new(service_url),
            platform,
            distribution,
            locale: Locale::English,
            status_mode: StatusMode::LongPoll { wait_seconds: 25 },
            joins_call_media: false,
        }
    }

    fn device_platform(&self) -> DevicePlatform {
        match (self.platform, self.distribution) {
            (Platform::Ios, _) => DevicePlatform::Ios,
            (_, Distribution::China) => DevicePlatform::AndroidChina,
            _ => DevicePlatform::Android,
        }
    }
}

/// Why a session could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The service configuration is unusable (plain HTTP to a remote host, bad URL…).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The secure store failed.
    #[error(transparent)]
    Store(#[from] SecureStoreError),
    /// The saved flow belongs to another app version or is damaged; nothing was overwritten.
    #[error("the saved onboarding cannot be resumed: {0}")]
    Snapshot(String),
    /// No async runtime could be created.
    #[error("cannot start the runtime: {0}")]
    Runtime(String),
}

/// What the shell may read about the session at any time.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionView {
    /// The screen.
    pub view: ViewState,
    /// Increases with every published view (for tests and change detection).
    pub revision: u64,
    /// The request, once the service created one.
    pub request_id: Option<String>,
    /// Service calls in flight.
    pub calls_in_flight: usize,
}

/// Everything the actor and its tasks share.
pub(crate) struct Shared {
    pub client: ServiceClient,
    pub store: Arc<dyn SecureStore>,
    pub vault: CredentialVault,
    pub listener: Arc<dyn SessionListener>,
    pub passkey: Arc<dyn PasskeyAuthenticator>,
    pub device_key: Arc<dyn DeviceKey>,
    pub clock: Arc<dyn Clock>,
    pub selfie: Mutex<SelfieSession>,
    pub commands: mpsc::UnboundedSender<Command>,
    pub views: watch::Sender<SessionView>,
    pub device_platform: DevicePlatform,
    pub status_mode: StatusMode,
    /// Serialises device registration.
    pub registration: tokio::sync::Mutex<()>,
    /// Open while the session may write its state; closed by `shutdown` (see `write`).
    pub writes_open: Mutex<bool>,
    /// See `SessionConfig::joins_call_media`.
    pub joins_call_media: bool,
    /// Where camera frames go while the call's media is open (set by the actor).
    pub call_pictures: Mutex<Option<tokio::sync::mpsc::Sender<CallPicture>>>,
    /// Where the microphone's samples go while the call's media is open (set by the actor).
    pub call_audio: Mutex<Option<tokio::sync::mpsc::Sender<Vec<i16>>>>,
}

impl Shared {
    /// Writes the session's own state (flow, outbox, Verified ID). Once the session is shut
    /// down this writes nothing: a task of a closed session that is still finishing must not
    /// overwrite the state of the session that replaced it.
    pub fn write(&self, key: StoreKey, value: Vec<u8>) -> Result<(), SecureStoreError> {
        let open = self.writes_open.lock().unwrap_or_else(|p| p.into_inner());
        if !*open {
            return Err(SecureStoreError::Unavailable { reason: "the session is closed".into() });
        }
        // Held across the write: `close_writes` waits for a write under way to end.
        self.store.write(key, value)
    }

    /// Closes `write`; returns once no write is under way.
    fn close_writes(&self) {
        *self.writes_open.lock().unwrap_or_else(|p| p.into_inner()) = false;
    }
}

/// A running onboarding session. Dropping it stops every task; the saved state remains.
pub struct OnboardingRuntime {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl OnboardingRuntime {
    /// Starts a session: resumes the saved flow (and resends unanswered calls) or starts anew.
    /// `device_key` is the installation's key that Verified IDs are bound to (platform key store).
    pub fn start(
        config: SessionConfig,
        store: Arc<dyn SecureStore>,
        listener: Arc<dyn SessionListener>,
        passkey: Arc<dyn PasskeyAuthenticator>,
        device_key: Arc<dyn DeviceKey>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartError> {
        let client = ServiceClient::new(HttpTransport::new(config.transport.clone())?);
        let flow = match store.read(StoreKey::FlowState)? {
            Some(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| StartError::Snapshot("not text".into()))?;
                let mut flow = OnboardingFlow::restore(&text).map_err(|e| StartError::Snapshot(e.to_string()))?;
                flow.set_locale(config.locale);
                flow
            }
            None => OnboardingFlow::new(config.locale, config.platform, config.distribution),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("identity-pass-runtime")
            .enable_all()
            .build()
            .map_err(|e| StartError::Runtime(e.to_string()))?;
        let (commands, receiver) = mpsc::unbounded_channel();
        let now = clock.now_ms();
        let initial = SessionView { view: flow.view(now), revision: 0, request_id: None, calls_in_flight: 0 };
        let (views, _) = watch::channel(initial);
        let shared = Arc::new(Shared {
            client,
            vault: CredentialVault::new(store.clone()),
            store,
            listener,
            passkey,
            device_key,
            clock,
            selfie: Mutex::new(SelfieSession::new(SelfieConfig::standard())),
            commands,
            views,
            device_platform: config.device_platform(),
            status_mode: config.status_mode,
            registration: tokio::sync::Mutex::new(()),
            writes_open: Mutex::new(true),
            joins_call_media: config.joins_call_media,
            call_pictures: Mutex::new(None),
            call_audio: Mutex::new(None),
        });
        let actor = Actor::new(flow, shared.clone())?;
        runtime.spawn(actor.run(receiver));
        Ok(Self { shared, runtime: Some(runtime) })
    }

    /// Reports something that happened (a user action, a permission result, the call…).
    /// Only a `ShellEvent`: what the service answered reaches the flow from the runtime alone.
    pub fn send(&self, event: ShellEvent) {
        let _ = self.shared.commands.send(Command::Event(event));
    }

    /// One camera frame for the selfie or liveness step: analysed on the caller's thread
    /// (the camera's), so guidance keeps camera rate; a capture or a liveness outcome is
    /// handed to the flow and the service without the caller doing anything more.
    pub fn push_frame(&self, frame: &Frame<'_>, timestamp_ms: u64) -> Result<FrameVerdict, SessionError> {
        self.push_rotated_frame(frame, Orientation::AS_DELIVERED, timestamp_ms)
    }

    /// [`Self::push_frame`] for a frame the camera delivers turned (`orientation` makes it
    /// upright, as a phone's sideways sensor needs, and says whether the preview mirrors it):
    /// faces are found, and reported, in the image the user sees. The reviewer's call picture
    /// is never mirrored ([`CallPicture::from_camera`]).
    pub fn push_rotated_frame(
        &self,
        frame: &Frame<'_>,
        orientation: impl Into<Orientation>,
        timestamp_ms: u64,
    ) -> Result<FrameVerdict, SessionError> {
        let orientation = orientation.into();
        // While the call's media is open the camera is the call's: the frame goes to the
        // reviewer (dropped when the encoder is still busy with the last one).
        let call = self.shared.call_pictures.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(call) = call {
            if let Ok(permit) = call.try_reserve() {
                permit.send(CallPicture::from_camera(frame, orientation));
            }
            return Ok(FrameVerdict::sent_to_call());
        }
        let mut selfie = self.shared.selfie.lock().unwrap_or_else(|p| p.into_inner());
        let verdict = selfie.push_rotated_frame(frame, orientation, timestamp_ms)?;
        if verdict.captured
            && let Some(capture) = selfie.take_capture()
        {
            let _ = self.shared.commands.send(Command::SelfieCaptured(capture));
        }
        if let Some(outcome) = selfie.take_liveness_outcome() {
            let _ = self.shared.commands.send(Command::LivenessFinished(outcome));
        }
        Ok(verdict)
    }

    /// The microphone while the reviewer's call is open: 48 kHz mono PCM, in pieces of any
    /// size (20 ms is usual). Outside a call the samples go nowhere.
    pub fn push_call_audio(&self, samples: &[i16]) {
        let call = self.shared.call_audio.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(call) = call
            && let Err(error) = call.try_send(samples.to_vec())
        {
            tracing::debug!(%error, "call audio dropped");
        }
    }

    /// The platform's push token (FCM, APNs). The China build has none and never calls this:
    /// its status arrives by long-poll alone.
    pub fn register_push_token(&self, kind: crate::service_client::PushKind, token: identity_pass_core::SecretString) {
        let _ = self.shared.commands.send(Command::RegisterPushToken { kind, token });
    }

    /// A push notification arrived: look at the status now instead of at the next poll.
    pub fn push_received(&self) {
        let _ = self.shared.commands.send(Command::CheckStatusNow);
    }

    /// The current view.
    pub fn view(&self) -> SessionView {
        self.shared.views.borrow().clone()
    }

    /// Follows every published view.
    pub fn watch_view(&self) -> watch::Receiver<SessionView> {
        self.shared.views.subscribe()
    }

    /// The flow's current step, for tests and diagnostics.
    pub async fn step(&self) -> Option<Step> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.shared.commands.send(Command::QueryStep(reply)).ok()?;
        answer.await.ok()
    }

    /// Waits until `condition` holds for the published view, up to `timeout`.
    pub async fn wait_for(&self, timeout: Duration, condition: impl Fn(&SessionView) -> bool) -> Result<SessionView, SessionView> {
        let mut views = self.watch_view();
        let wait = async {
            loop {
                let current = views.borrow_and_update().clone();
                if condition(&current) {
                    return current;
                }
                if views.changed().await.is_err() {
                    return current;
                }
            }
        };
        match tokio::time::timeout(timeout, wait).await {
            Ok(view) if condition(&view) => Ok(view),
            Ok(view) => Err(view),
            Err(_) => Err(self.view()),
        }
    }

    /// Stops every task now. The saved flow and outbox stay; a new session resumes them. When
    /// this returns, nothing of this session writes to secure storage any more.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.close_writes();
        let _ = self.shared.commands.send(Command::Stop);
        if let Some(runtime) = self.runtime.take() {
            // Never blocks, so it is safe from inside another async runtime (tests, UniFFI).
            runtime.shutdown_background();
        }
    }
}

impl Drop for OnboardingRuntime {
    fn drop(&mut self) {
        self.stop();
    }
}
