//! The actor that owns the flow: applies events one at a time, performs the effects that are
//! the runtime's (service calls, storage, timers, the status watch, the passkey API) and hands
//! the rest to the shell.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use identity_pass_core::credential_vault::DeviceCredential;
use identity_pass_core::flow::{Effect, Event, OnboardingFlow, Step};
use identity_pass_core::selfie::{CapturedSelfie, LivenessOutcome};
use identity_pass_core::{SecretString, StoreKey};

use crate::calls::{self, CallOutput, InMemoryInputs};
use crate::idempotency::IdempotencyKey;
use crate::outbox::{Call, Outbox, PendingCall};
use crate::platform::PasskeyFailure;
use crate::service_client::{DeviceAuth, VerifiedIdCredential};
use crate::session::{SessionView, Shared, StartError};
use crate::transport::TransportError;
use crate::watcher;

/// What the actor is told.
pub(crate) enum Command {
    /// From the shell: the user or the platform did something.
    Event(Event),
    /// From the runtime's own tasks: apply to the flow as is.
    Apply(Event),
    /// The selfie session produced its capture.
    SelfieCaptured(CapturedSelfie),
    /// The liveness challenge ended.
    LivenessFinished(LivenessOutcome),
    /// A service call ended.
    CallFinished { id: u64, result: Result<CallOutput, TransportError> },
    /// A push arrived.
    CheckStatusNow,
    /// The shell has a push token (FCM or APNs) for this installation.
    RegisterPushToken { kind: crate::service_client::PushKind, token: SecretString },
    /// The current step.
    QueryStep(oneshot::Sender<Step>),
    /// Stop every task.
    Stop,
}

/// The stored Verified ID (the JWS is a credential: secure storage only).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredVerifiedId {
    jws: String,
    issued_at: i64,
    expires_at: i64,
}

pub(crate) struct Actor {
    flow: OnboardingFlow,
    shared: Arc<Shared>,
    outbox: Outbox,
    /// Keys of calls that failed, reused when the flow asks for the same call again, because
    /// a failed attempt may still have reached the service.
    failed_keys: Vec<(Call, IdempotencyKey)>,
    selfie: Option<Arc<CapturedSelfie>>,
    liveness_evidence: Option<Arc<CapturedSelfie>>,
    verified_id: Option<VerifiedIdCredential>,
    watcher: Option<(String, JoinHandle<()>)>,
    revision: u64,
}

impl Actor {
    pub(crate) fn new(flow: OnboardingFlow, shared: Arc<Shared>) -> Result<Self, StartError> {
        let outbox = shared.store.read(StoreKey::Outbox)?.map(|b| Outbox::from_bytes(&b)).unwrap_or_default();
        let verified_id = shared
            .store
            .read(StoreKey::VerifiedId)?
            .and_then(|bytes| serde_json::from_slice::<StoredVerifiedId>(&bytes).ok())
            .map(|v| VerifiedIdCredential { jws: SecretString::new(v.jws), issued_at: v.issued_at, expires_at: v.expires_at });
        Ok(Self {
            flow,
            shared,
            outbox,
            failed_keys: Vec::new(),
            selfie: None,
            liveness_evidence: None,
            verified_id,
            watcher: None,
            revision: 0,
        })
    }

    pub(crate) async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        self.resume();
        while let Some(command) = commands.recv().await {
            match command {
                Command::Stop => break,
                Command::QueryStep(reply) => {
                    let _ = reply.send(self.flow.step().clone());
                }
                Command::Event(event) => self.on_shell_event(event),
                Command::Apply(event) => self.apply(event),
                Command::SelfieCaptured(capture) => {
                    self.selfie = Some(Arc::new(capture));
                    self.apply(Event::SelfieCaptured);
                }
                Command::LivenessFinished(outcome) => self.on_liveness(outcome),
                Command::CallFinished { id, result } => self.on_call_finished(id, result),
                Command::CheckStatusNow => self.check_status_now(),
                Command::RegisterPushToken { kind, token } => self.register_push_token(kind, token),
            }
        }
        if let Some((_, task)) = self.watcher.take() {
            task.abort();
        }
    }

    /// After a restart: resend what was in flight, follow a review that is under way.
    fn resume(&mut self) {
        for pending in self.outbox.pending.clone() {
            tracing::info!(call = ?std::mem::discriminant(&pending.call), "resending an unanswered call");
            self.spawn_call(pending);
        }
        self.after_step_change();
        self.publish();
    }

    fn now(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    /// Shell events that must reach the service before the flow may move on.
    fn on_shell_event(&mut self, event: Event) {
        match (&event, self.flow.decision()) {
            (Event::GovernmentIdFinished { outcome }, Some(decision)) => {
                let call = Call::RecordGovernmentId { request_id: decision.request_id.clone(), outcome: outcome.clone() };
                self.start_call(call);
                self.publish();
            }
            _ => self.apply(event),
        }
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
        self.after_step_change();
        self.publish();
    }

    /// The status watch runs exactly while a submitted request is under review, whatever
    /// led there: the flow's `WatchStatus`, a restart, or a resent submit whose answer the
    /// restored flow had already applied.
    fn after_step_change(&mut self) {
        let under_review = match (self.flow.step(), self.flow.decision()) {
            (Step::Review(_), Some(decision)) => {
                let submitting = self.outbox.pending.iter().any(|p| matches!(p.call, Call::Submit { .. }));
                (!submitting).then(|| decision.request_id.clone())
            }
            _ => None,
        };
        match under_review {
            Some(request_id) => self.start_watcher(request_id),
            None => {
                if let Some((_, task)) = self.watcher.take() {
                    task.abort();
                }
            }
        }
    }

    fn perform(&mut self, effect: Effect) {
        match effect {
            Effect::PersistState => self.persist_flow(),
            Effect::SubmitIdentity { upn, employee_id, personal_email, staff_kind, terms_version, consent_accepted_at } => {
                let claim = crate::service_client::IdentityClaim { upn, employee_id, personal_email, staff_kind };
                self.start_call(Call::CreateRequest { claim, terms_version, consent_accepted_at });
            }
            Effect::SubmitDateOfBirth { request_id, date_of_birth } => {
                self.start_call(Call::ConfirmDateOfBirth { request_id, date_of_birth })
            }
            Effect::UploadSelfie { request_id } => self.start_call(Call::UploadSelfie { request_id }),
            Effect::RequestVerifiedIdPresentation { request_id } => self.start_call(Call::PresentVerifiedId { request_id }),
            Effect::SubmitForReview { request_id } => self.start_call(Call::Submit { request_id }),
            Effect::FetchTap { request_id, fast_path } => self.start_call(Call::CreateTap { request_id, fast_path }),
            Effect::FetchPasskeyOptions { request_id } => self.start_call(Call::PasskeyOptions { request_id }),
            Effect::SubmitPasskey { request_id, response_json } => {
                self.start_call(Call::PasskeyAttestation { request_id, response_json })
            }
            Effect::WatchStatus { request_id } => self.start_watcher(request_id),
            Effect::RegisterPasskey { options_json } => self.register_passkey(options_json),
            Effect::StartSelfie => {
                self.lock_selfie().retake();
                self.shared.listener.on_platform_effect(Effect::StartSelfie);
            }
            Effect::StartLiveness { request_id } => {
                self.lock_selfie().start_liveness();
                self.shared.listener.on_platform_effect(Effect::StartLiveness { request_id });
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
        if let Err(error) = self.shared.store.write(StoreKey::FlowState, self.flow.snapshot().into_bytes()) {
            tracing::error!(%error, "could not save the onboarding state");
        }
    }

    fn persist_outbox(&self) {
        if let Err(error) = self.shared.store.write(StoreKey::Outbox, self.outbox.to_bytes()) {
            tracing::error!(%error, "could not save the calls in flight");
        }
    }

    fn start_call(&mut self, call: Call) {
        let key = match self.failed_keys.iter().position(|(failed, _)| *failed == call) {
            Some(index) => self.failed_keys.remove(index).1,
            None => match IdempotencyKey::generate() {
                Ok(key) => key,
                Err(_) => {
                    self.apply(Event::RequestFailed { code: "NO_RANDOMNESS".into() });
                    return;
                }
            },
        };
        let pending = self.outbox.add(call, key);
        // Saved before it is sent: if the app dies now, the same call is resent on restart.
        self.persist_outbox();
        self.spawn_call(pending);
    }

    fn spawn_call(&self, pending: PendingCall) {
        let inputs = InMemoryInputs {
            selfie: matches!(pending.call, Call::UploadSelfie { .. }).then(|| self.selfie.clone()).flatten(),
            liveness_evidence: matches!(pending.call, Call::RecordLiveness { .. }).then(|| self.liveness_evidence.clone()).flatten(),
            verified_id: self.verified_id.clone(),
        };
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let result = match ensure_device(&shared).await {
                Ok(auth) => calls::perform(&shared.client, &auth, &pending.call, &pending.key, inputs).await,
                Err(error) => Err(error),
            };
            let _ = shared.commands.send(Command::CallFinished { id: pending.id, result });
        });
    }

    fn on_call_finished(&mut self, id: u64, result: Result<CallOutput, TransportError>) {
        let Some(pending) = self.outbox.pending.iter().find(|p| p.id == id).cloned() else { return };
        match result {
            Ok(output) => {
                if let Some(vid) = output.verified_id {
                    self.store_verified_id(vid);
                }
                match pending.call {
                    Call::UploadSelfie { .. } => self.selfie = None,
                    Call::RecordLiveness { .. } => self.liveness_evidence = None,
                    _ => {}
                }
                for event in output.events {
                    self.apply(event);
                }
                // On the TAP paths the service issues the Verified ID on approval (rollout flag
                // `verified_id`); keep it for the 30-day fast path.
                if let Call::CreateTap { request_id, .. } = &pending.call
                    && self.flow.decision().is_some_and(|d| d.flags.verified_id)
                {
                    self.start_call(Call::FetchVerifiedId { request_id: request_id.clone() });
                }
            }
            Err(error) => {
                tracing::warn!(%error, "service call failed");
                self.failed_keys.push((pending.call.clone(), pending.key.clone()));
                self.apply(Event::RequestFailed { code: calls::failure_code(&error) });
            }
        }
        self.outbox.remove(id);
        self.persist_outbox();
        self.after_step_change();
        self.publish();
    }

    fn store_verified_id(&mut self, vid: VerifiedIdCredential) {
        let stored = StoredVerifiedId { jws: vid.jws.expose_secret().to_owned(), issued_at: vid.issued_at, expires_at: vid.expires_at };
        match serde_json::to_vec(&stored) {
            Ok(bytes) => {
                if let Err(error) = self.shared.store.write(StoreKey::VerifiedId, bytes) {
                    tracing::error!(%error, "could not save the Verified ID");
                }
            }
            Err(error) => tracing::error!(%error, "could not encode the Verified ID"),
        }
        self.verified_id = Some(vid);
    }

    fn on_liveness(&mut self, outcome: LivenessOutcome) {
        let Some(decision) = self.flow.decision() else { return };
        let request_id = decision.request_id.clone();
        self.liveness_evidence = outcome.evidence.last().cloned().map(Arc::new);
        let reason = outcome.failure.map(|f| format!("{f:?}"));
        self.start_call(Call::RecordLiveness { request_id, passed: outcome.failure.is_none(), reason });
        self.publish();
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

    fn check_status_now(&self) {
        let Some(decision) = self.flow.decision() else { return };
        let (shared, request_id) = (self.shared.clone(), decision.request_id.clone());
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
                    Event::PasskeyCancelled
                }
                Err(_) => Event::PasskeyCancelled,
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
            calls_in_flight: self.outbox.pending.len(),
        };
        self.shared.views.send_replace(session_view);
        self.shared.listener.on_view(view);
    }
}

/// The device credential, registering this installation with the service the first time.
async fn ensure_device(shared: &Shared) -> Result<DeviceAuth, TransportError> {
    let _one_at_a_time = shared.registration.lock().await;
    let stored = shared.vault.device_credential().map_err(|e| TransportError::Network { detail: format!("secure storage: {e}") })?;
    if let Some(credential) = stored {
        let bearer = SecretString::new(format!("{}.{}", credential.device_id, credential.device_secret.expose_secret()));
        return Ok(DeviceAuth { device_id: credential.device_id, bearer });
    }
    let no_randomness = |_| TransportError::Network { detail: "no randomness".into() };
    let key = IdempotencyKey::generate().map_err(no_randomness)?;
    let secret = SecretString::new(format!("{}{}", IdempotencyKey::generate().map_err(no_randomness)?.as_str(), IdempotencyKey::generate().map_err(no_randomness)?.as_str()));
    let auth = shared.client.register_device(shared.device_platform, &secret, &key).await?;
    let credential = DeviceCredential { device_id: auth.device_id.clone(), device_secret: secret };
    shared.vault.store_credential(&credential).map_err(|e| TransportError::Network { detail: format!("secure storage: {e}") })?;
    Ok(auth)
}
