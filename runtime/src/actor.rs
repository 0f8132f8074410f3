//! The actor that owns the flow: applies events one at a time, performs the effects that are
//! the runtime's (service calls, storage, timers, the status watch, the passkey API) and hands
//! the rest to the shell.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use identity_pass_core::credential_vault::DeviceCredential;
use identity_pass_core::device_binding::{DeviceBindingError, DevicePublicKey, fixed_signature, registration};
use identity_pass_core::flow::{CallId, CallOutcome, Effect, Event, OnboardingFlow, ServiceCall, ShellEvent, Step};
use identity_pass_core::selfie::{CapturedSelfie, LivenessOutcome};
use identity_pass_core::{SecretString, SecureStoreError, StoreKey};

use crate::call_media::{CallContext, CallMedia, CallMediaReport};
use crate::calls::{self, CallError, CallResult, InMemoryInputs};
use crate::idempotency::IdempotencyKey;
use crate::outbox::Outbox;
use crate::platform::{DeviceKey, DeviceKeyFailure, PasskeyFailure};
use crate::service_client::{DeviceAuth, DeviceKeyRegistration, VerifiedIdCredential};
use crate::session::{SessionView, Shared, StartError};
use crate::stored_verified_id;
use crate::watcher;

/// What the actor is told.
pub(crate) enum Command {
    /// From the shell: the user or the platform did something.
    Event(ShellEvent),
    /// From the runtime's own tasks: apply to the flow as is.
    Apply(Event),
    /// The selfie session produced its capture.
    SelfieCaptured(CapturedSelfie),
    /// The liveness challenge ended.
    LivenessFinished(LivenessOutcome),
    /// A service call ended.
    CallFinished { id: CallId, result: Result<CallResult, CallError> },
    /// A push arrived.
    CheckStatusNow,
    /// The shell has a push token (FCM or APNs) for this installation.
    RegisterPushToken { kind: crate::service_client::PushKind, token: SecretString },
    /// The call's media task reports.
    CallMedia(CallMediaReport),
    /// The current step.
    QueryStep(oneshot::Sender<Step>),
    /// Stop every task.
    Stop,
}

pub(crate) struct Actor {
    flow: OnboardingFlow,
    shared: Arc<Shared>,
    /// One idempotency key per call id the flow still holds.
    outbox: Outbox,
    /// Calls whose task runs now: a call id is never sent twice at once.
    in_flight: HashSet<CallId>,
    selfie: Option<Arc<CapturedSelfie>>,
    /// The service's challenge of the liveness run the selfie session has now.
    liveness_challenge: Option<String>,
    /// The frames of the last liveness check that passed on the phone, and the challenge they
    /// were captured for: uploaded for that challenge only.
    liveness_frames: Option<(String, Arc<Vec<CapturedSelfie>>)>,
    verified_id: Option<VerifiedIdCredential>,
    watcher: Option<(String, JoinHandle<()>)>,
    /// The reviewer's call's media, while the flow wants it open.
    call_media: Option<CallMedia>,
    revision: u64,
}

impl Actor {
    pub(crate) fn new(flow: OnboardingFlow, shared: Arc<Shared>) -> Result<Self, StartError> {
        let outbox = shared.store.read(StoreKey::Outbox)?.map(|b| Outbox::from_bytes(&b)).unwrap_or_default();
        let verified_id = shared.store.read(StoreKey::VerifiedId)?.and_then(|bytes| stored_verified_id::from_bytes(&bytes));
        Ok(Self {
            flow,
            shared,
            outbox,
            in_flight: HashSet::new(),
            selfie: None,
            liveness_challenge: None,
            liveness_frames: None,
            verified_id,
            watcher: None,
            call_media: None,
            revision: 0,
        })
    }

    pub(crate) async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        // A new session on a saved flow: the flow resends what it still waits for.
        self.apply(Event::SessionStarted);
        while let Some(command) = commands.recv().await {
            match command {
                Command::Stop => break,
                Command::QueryStep(reply) => {
                    let _ = reply.send(self.flow.step().clone());
                }
                Command::Event(event) => self.apply(event.into()),
                Command::Apply(event) => self.apply(event),
                Command::SelfieCaptured(capture) => {
                    self.selfie = Some(Arc::new(capture));
                    self.apply(Event::SelfieCaptured);
                }
                Command::LivenessFinished(outcome) => {
                    // A failed check is not uploaded; a passed one's frames wait for the call.
                    self.liveness_frames = match (&outcome.failure, &self.liveness_challenge) {
                        (None, Some(challenge)) => Some((challenge.clone(), Arc::new(outcome.evidence))),
                        _ => None,
                    };
                    self.apply(Event::LivenessFinished { failure: outcome.failure.map(|f| f.code().to_owned()) });
                }
                Command::CallFinished { id, result } => self.on_call_finished(id, result),
                Command::CheckStatusNow => self.check_status_now(),
                Command::RegisterPushToken { kind, token } => self.register_push_token(kind, token),
                Command::CallMedia(report) => self.on_call_media_report(report),
            }
        }
        if let Some((_, task)) = self.watcher.take() {
            task.abort();
        }
        self.close_call_media();
    }

    fn now(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    fn apply(&mut self, event: Event) {
        let now = self.now();
        let transition = self.flow.handle(event, now);
        if let Some(rejection) = transition.rejection {
            tracing::debug!(?rejection, step = ?std::mem::discriminant(self.flow.step()), "event not applied");
        }
        for effect in transition.effects {
            self.perform(effect);
        }
        // Keys of calls the flow let go of (answered, or replaced by a new attempt) are dead.
        if self.outbox.retain(&self.flow.live_call_ids()) {
            self.persist_outbox();
        }
        self.follow_review();
        self.follow_call();
        self.publish();
    }

    /// The status watch runs exactly while the flow says a request is under review, whatever
    /// led there: a submit's answer, a restart, a resent submit.
    fn follow_review(&mut self) {
        match self.flow.watched_request().map(str::to_owned) {
            Some(request_id) => self.start_watcher(request_id),
            None => {
                if let Some((_, task)) = self.watcher.take() {
                    task.abort();
                }
            }
        }
    }

    /// The call's media is open exactly while the flow wants it (from the user's "join" until
    /// they leave, the connection fails for good or the review moves on), whatever led there.
    fn follow_call(&mut self) {
        if !self.shared.joins_call_media {
            return;
        }
        let wanted = self.flow.call_media_wanted().map(str::to_owned);
        match (self.call_media.as_ref().map(CallMedia::call_id), wanted) {
            (Some(open), Some(wanted)) if open == wanted => {}
            (_, Some(wanted)) => self.open_call_media(wanted),
            (Some(_), None) => self.close_call_media(),
            (None, None) => {}
        }
    }

    fn open_call_media(&mut self, call_id: String) {
        self.close_call_media();
        let commands = self.shared.commands.clone();
        let reports = Arc::new(move |report| {
            let _ = commands.send(Command::CallMedia(report));
        });
        // The device registered before it could submit: its credential is in the vault.
        let credential = match self.shared.vault.device_credential() {
            Ok(Some(credential)) => credential,
            Ok(None) | Err(_) => {
                tracing::warn!("no device credential for the call");
                return reports(CallMediaReport::Failed { call_id });
            }
        };
        let Some(request_id) = self.flow.decision().map(|d| d.request_id.clone()) else {
            return reports(CallMediaReport::Failed { call_id });
        };
        let bearer = SecretString::new(format!("{}.{}", credential.device_id, credential.device_secret.expose_secret()));
        let context = CallContext {
            client: self.shared.client.clone(),
            auth: DeviceAuth { device_id: credential.device_id, bearer },
            request_id,
            listener: self.shared.listener.clone(),
        };
        let media = CallMedia::open(call_id, context, reports);
        *self.shared.call_pictures.lock().unwrap_or_else(|p| p.into_inner()) = Some(media.picture_sender());
        *self.shared.call_audio.lock().unwrap_or_else(|p| p.into_inner()) = Some(media.audio_sender());
        self.call_media = Some(media);
    }

    fn close_call_media(&mut self) {
        *self.shared.call_pictures.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.shared.call_audio.lock().unwrap_or_else(|p| p.into_inner()) = None;
        // Dropping it hangs up.
        self.call_media = None;
    }

    /// What the call's media task saw, for the call the flow still wants (a report of a call
    /// already let go is stale).
    fn on_call_media_report(&mut self, report: CallMediaReport) {
        let wanted = |call_id: &str| self.flow.call_media_wanted() == Some(call_id);
        match report {
            CallMediaReport::Connected { call_id } if wanted(&call_id) => self.apply(Event::CallJoined),
            CallMediaReport::Failed { call_id } if wanted(&call_id) => self.apply(Event::CallConnectionFailed),
            _ => {}
        }
    }

    fn perform(&mut self, effect: Effect) {
        match effect {
            Effect::PersistState => self.persist_flow(),
            Effect::Call { id, call } => self.send_call(id, call),
            Effect::WatchStatus { request_id } => self.start_watcher(request_id),
            Effect::RegisterPasskey { options_json } => self.register_passkey(options_json),
            Effect::StartSelfie => {
                self.lock_selfie().retake();
                self.shared.listener.on_platform_effect(Effect::StartSelfie);
            }
            Effect::StartLiveness { request_id, challenge_id } => {
                // A new run: the frames of any earlier one are not for this challenge.
                self.liveness_frames = None;
                self.liveness_challenge = Some(challenge_id.clone());
                let actions = self.flow.liveness_actions().unwrap_or_default().to_vec();
                self.lock_selfie().start_liveness_actions(actions);
                self.shared.listener.on_platform_effect(Effect::StartLiveness { request_id, challenge_id });
            }
            Effect::ScheduleWake { at } => {
                self.schedule_tick(at);
                // Phones also set an OS alarm: the app may be suspended when it is due.
                self.shared.listener.on_platform_effect(Effect::ScheduleWake { at });
            }
            other => self.shared.listener.on_platform_effect(other),
        }
    }

    fn lock_selfie(&self) -> std::sync::MutexGuard<'_, identity_pass_core::selfie::SelfieSession> {
        self.shared.selfie.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn persist_flow(&self) {
        if let Err(error) = self.shared.write(StoreKey::FlowState, self.flow.snapshot().into_bytes()) {
            tracing::error!(%error, "could not save the onboarding state");
        }
    }

    fn persist_outbox(&self) {
        if let Err(error) = self.shared.write(StoreKey::Outbox, self.outbox.to_bytes()) {
            tracing::error!(%error, "could not save the calls in flight");
        }
    }

    /// Sends a call the flow made, under the key kept for its id.
    fn send_call(&mut self, id: CallId, call: ServiceCall) {
        if !self.in_flight.insert(id) {
            return;
        }
        let key = match self.outbox.key(id) {
            Some(key) => key.clone(),
            None => {
                let Ok(key) = IdempotencyKey::generate() else {
                    return self.finish_unsent(id, CallError::NoRandomness);
                };
                self.outbox.insert(id, key.clone());
                // Saved before it is sent: if the app dies now, the resend carries this key.
                if let Err(error) = self.shared.write(StoreKey::Outbox, self.outbox.to_bytes()) {
                    return self.finish_unsent(id, CallError::Store(error));
                }
                key
            }
        };
        let inputs = InMemoryInputs {
            selfie: matches!(call, ServiceCall::UploadSelfie { .. }).then(|| self.selfie.clone()).flatten(),
            liveness_frames: match (&call, &self.liveness_frames) {
                (ServiceCall::SubmitLivenessFrames { challenge_id, .. }, Some((captured_for, frames))) if captured_for == challenge_id => {
                    Some(frames.clone())
                }
                _ => None,
            },
            verified_id: self.verified_id.clone(),
        };
        tracing::info!(call = call.name(), id = id.0, "sending");
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let result = match ensure_device(&shared).await {
                Ok(auth) => calls::perform(&shared.client, &auth, &shared.device_key, &call, &key, inputs).await,
                Err(error) => Err(error),
            };
            let _ = shared.commands.send(Command::CallFinished { id, result });
        });
    }

    /// A call that could not leave the phone ends like any other, through the actor's queue
    /// (never by re-entering the flow in the middle of performing its effects).
    fn finish_unsent(&mut self, id: CallId, error: CallError) {
        let _ = self.shared.commands.send(Command::CallFinished { id, result: Err(error) });
    }

    fn on_call_finished(&mut self, id: CallId, result: Result<CallResult, CallError>) {
        self.in_flight.remove(&id);
        let call = self.flow.pending_calls().iter().find(|p| p.id == id).map(|p| p.call.clone());
        let outcome = match result {
            Ok(CallResult { answer, verified_id }) => match verified_id.map(|vid| self.store_verified_id(vid)) {
                Some(Err(error)) => CallOutcome::Failed(CallError::Store(error).failure()),
                _ => {
                    // An in-memory input is dropped once the service has it.
                    match call {
                        Some(ServiceCall::UploadSelfie { .. }) => self.selfie = None,
                        Some(ServiceCall::SubmitLivenessFrames { .. }) => self.liveness_frames = None,
                        _ => {}
                    }
                    CallOutcome::Answered(answer)
                }
            },
            Err(error) => {
                let failure = error.failure();
                tracing::warn!(call = call.as_ref().map(ServiceCall::name), code = %failure.code, %error, "service call failed");
                // Frames the service refused are never sent again (the flow asks for a new
                // challenge): they go now, not at the next run.
                if matches!(call, Some(ServiceCall::SubmitLivenessFrames { .. })) && !failure.retry_is_same_call() {
                    self.liveness_frames = None;
                }
                CallOutcome::Failed(failure)
            }
        };
        self.apply(Event::Answered { id, outcome });
    }

    fn store_verified_id(&mut self, vid: VerifiedIdCredential) -> Result<(), SecureStoreError> {
        let bytes = stored_verified_id::to_bytes(&vid).map_err(|_| SecureStoreError::Unavailable { reason: "could not encode".into() })?;
        self.shared.write(StoreKey::VerifiedId, bytes.to_vec())?;
        self.verified_id = Some(vid);
        Ok(())
    }

    fn start_watcher(&mut self, request_id: String) {
        if self.watcher.as_ref().is_some_and(|(id, task)| *id == request_id && !task.is_finished()) {
            return;
        }
        if let Some((_, task)) = self.watcher.take() {
            task.abort();
        }
        let shared = self.shared.clone();
        let id = request_id.clone();
        let task = tokio::spawn(async move {
            loop {
                match ensure_device(&shared).await {
                    Ok(auth) => return watcher::follow(shared, auth, id).await,
                    Err(_) => tokio::time::sleep(Duration::from_secs(2)).await,
                }
            }
        });
        self.watcher = Some((request_id, task));
    }

    /// A push: look at once at the review the flow follows (a push at any other time is stale).
    fn check_status_now(&self) {
        let Some(request_id) = self.flow.watched_request().map(str::to_owned) else { return };
        let shared = self.shared.clone();
        tokio::spawn(async move {
            if let Ok(auth) = ensure_device(&shared).await {
                watcher::check_once(shared, auth, request_id).await;
            }
        });
    }

    /// Best effort, retried by the transport: without a token the long-poll still delivers.
    fn register_push_token(&self, kind: crate::service_client::PushKind, token: SecretString) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let Ok(key) = IdempotencyKey::generate() else { return };
            match ensure_device(&shared).await {
                Ok(auth) => {
                    if let Err(error) = shared.client.register_push_token(&auth, kind, &token, &key).await {
                        tracing::warn!(%error, "push token not registered; status stays on long-poll");
                    }
                }
                Err(error) => tracing::warn!(%error, "push token not registered: no device credential"),
            }
        });
    }

    fn schedule_tick(&self, at: i64) {
        let delay = Duration::from_millis(u64::try_from(at - self.now()).unwrap_or(0));
        let commands = self.shared.commands.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = commands.send(Command::Apply(Event::Tick));
        });
    }

    fn register_passkey(&self, options_json: String) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let authenticator = shared.passkey.clone();
            let result = tokio::task::spawn_blocking(move || authenticator.create_passkey(&options_json)).await;
            let event = match result {
                Ok(Ok(response_json)) => Event::PasskeyCreated { response_json },
                Ok(Err(PasskeyFailure::Cancelled)) => Event::PasskeyCancelled,
                Ok(Err(PasskeyFailure::Failed { reason })) => {
                    tracing::warn!(%reason, "passkey creation failed");
                    Event::PasskeyFailed { reason }
                }
                Err(_) => Event::PasskeyFailed { reason: "the passkey task ended".into() },
            };
            let _ = shared.commands.send(Command::Apply(event));
        });
    }

    fn publish(&mut self) {
        self.revision += 1;
        let view = self.flow.view(self.now());
        let session_view = SessionView {
            view: view.clone(),
            revision: self.revision,
            request_id: self.flow.decision().map(|d| d.request_id.clone()),
            calls_in_flight: self.flow.pending_calls().len(),
        };
        self.shared.views.send_replace(session_view);
        self.shared.listener.on_view(view);
    }
}

/// The device credential, registering this installation with the service the first time.
pub(crate) async fn ensure_device(shared: &Shared) -> Result<DeviceAuth, CallError> {
    let _one_at_a_time = shared.registration.lock().await;
    if let Some(credential) = shared.vault.device_credential()? {
        let bearer = SecretString::new(format!("{}.{}", credential.device_id, credential.device_secret.expose_secret()));
        return Ok(DeviceAuth { device_id: credential.device_id, bearer });
    }
    let random = || IdempotencyKey::generate().map_err(|_| CallError::NoRandomness);
    let key = random()?;
    let secret = SecretString::new(format!("{}{}", random()?.as_str(), random()?.as_str()));
    let device_key = device_key_registration(shared.device_key.clone()).await?;
    let auth = shared.client.register_device(shared.device_platform, &secret, &device_key, &key).await?;
    let credential = DeviceCredential { device_id: auth.device_id.clone(), device_secret: secret };
    shared.vault.store_credential(&credential)?;
    Ok(auth)
}

/// The device key's public half and its proof of possession, for registration. Made (the first
/// time) and signed off the runtime's threads: a hardware key can take a moment.
async fn device_key_registration(device_key: Arc<dyn DeviceKey>) -> Result<DeviceKeyRegistration, CallError> {
    let made = tokio::task::spawn_blocking(move || -> Result<DeviceKeyRegistration, DeviceKeyFailure> {
        let unreadable = |e: DeviceBindingError| DeviceKeyFailure::Unavailable { reason: e.to_string() };
        let public = DevicePublicKey::from_platform(&device_key.public_key()?).map_err(unreadable)?;
        let proof = device_key.sign(&registration::statement(&public))?;
        let proof = fixed_signature(&proof).map_err(unreadable)?;
        Ok(DeviceKeyRegistration { public_key: public.to_base64url(), proof: URL_SAFE_NO_PAD.encode(proof) })
    })
    .await;
    Ok(made.map_err(|_| DeviceKeyFailure::Unavailable { reason: "the key task ended".into() })??)
}
