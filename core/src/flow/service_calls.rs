//! How the flow makes service calls and what their answers and failures mean.
//!
//! A call is recorded in the flow (and so in its snapshot) before it goes out; its answer is
//! applied only if the flow still waits for that id. A failure belongs to the step that made
//! the call, so the user always sees why the step did not move on, and `Continue` resends it:
//! as the same call when the service may have acted on it, as a new one otherwise.

use super::account_security::{AccountSecurity, PhoneVerificationStatus, SecurityMethodKind, SecurityTask};
use super::clock::{MINUTE_MS, Timestamp};
use super::effect::Effect;
use super::event::Event;
use super::path::Milestone;
use super::review::{Review, ReviewPhase};
use super::service_call::{
    CallAnswer, CallFailure, CallId, CallOutcome, FailedCall, FailureKind, NOT_SENT_INPUT_LOST, PendingCall, ServiceCall,
};
use super::verification::{FAST_PATH_WINDOW_MS, GovernmentIdOutcome, LivenessChallenge, SelfiePhase, VerifiedIdRecord};
use super::{Notice, OnboardingFlow, Rejection, Step};

/// The code a transport gives an answer it could not read. After `CreateTap` this means the
/// service made a TAP whose code never reached the user.
pub const ANSWER_UNREADABLE: &str = "UNEXPECTED_RESPONSE";

/// The code shown when the service has not issued the Verified ID yet.
pub const VERIFIED_ID_NOT_ISSUED: &str = "VERIFIED_ID_NOT_ISSUED";

/// A background call (the Verified ID after a TAP) that failed and is tried again later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackgroundRetry {
    /// Phone time of the next attempt.
    pub at: Timestamp,
    /// Attempts that failed so far.
    pub failures: u32,
}

/// How long after "the partner has not reported yet" the verdict is asked for again.
pub const VERDICT_POLL_MS: i64 = 5_000;

/// The background fetch gives up after this many failures: the Verified ID only shortens a
/// later onboarding, and the next approval issues another.
const BACKGROUND_ATTEMPTS: u32 = 8;

impl OnboardingFlow {
    /// Makes `call`: records it and asks the runtime to send it. Resending the call that just
    /// failed, when the service may have acted on it, keeps its id (and so its idempotency key).
    pub(super) fn call(&mut self, call: ServiceCall, out: &mut Vec<Effect>) {
        let id = match self.failed_call.take() {
            Some(failed) if failed.resend_same && failed.call == call => failed.id,
            _ => self.new_call_id(),
        };
        self.calls.push(PendingCall { id, call: call.clone() });
        out.push(Effect::Call { id, call });
    }

    fn new_call_id(&mut self) -> CallId {
        self.next_call_id = self.next_call_id.saturating_add(1);
        CallId(self.next_call_id)
    }

    /// Whether the step's last call failed (its screen offers "Try again").
    pub(super) fn request_failed(&self) -> bool {
        self.failed_call.is_some()
    }

    /// Whether a call of this kind is in flight.
    pub(super) fn is_calling(&self, matches: impl Fn(&ServiceCall) -> bool) -> bool {
        self.calls.iter().any(|pending| matches(&pending.call))
    }

    /// The calls in flight, oldest first.
    pub fn pending_calls(&self) -> &[PendingCall] {
        &self.calls
    }

    /// The ids whose idempotency keys still matter: calls in flight and the failed call a
    /// "Try again" would resend as the same call. Any other key can be forgotten.
    pub fn live_call_ids(&self) -> Vec<CallId> {
        let resend = self.failed_call.as_ref().filter(|f| f.resend_same).map(|f| f.id);
        self.calls.iter().map(|p| p.id).chain(resend).collect()
    }

    /// The request whose review status must be followed now: one submitted and under review.
    /// The runtime watches exactly this, whatever led here (a restart, a resent submit).
    pub fn watched_request(&self) -> Option<&str> {
        let decision = self.decision.as_ref()?;
        let submitting = self.is_calling(|c| matches!(c, ServiceCall::SubmitForReview { .. }));
        (matches!(self.step, Step::Review(_)) && !submitting).then_some(decision.request_id.as_str())
    }

    /// The reviewer's call whose media must be open now; the runtime keeps exactly this one
    /// open: from the user's "join" until they leave, the service sees them leave, the
    /// connection fails for good, or the review moves on.
    pub fn call_media_wanted(&self) -> Option<&str> {
        match &self.step {
            Step::Review(review) => review.call_media_wanted(),
            _ => None,
        }
    }

    /// `Continue` after a failure: the same call again, or a new attempt.
    pub(super) fn resend_failed_call(&mut self, out: &mut Vec<Effect>) {
        if let Some(failed) = self.failed_call.clone() {
            self.call(failed.call, out);
        }
    }

    /// `Answered` and `SessionStarted`.
    pub(super) fn on_call_event(&mut self, event: Event, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        match event {
            Event::SessionStarted => {
                self.on_session_started(now, out);
                Ok(())
            }
            Event::Answered { id, outcome } => {
                // Stale: a late answer to a call the flow gave up, retried or left behind.
                let index = self.calls.iter().position(|p| p.id == id).ok_or(Rejection::UnexpectedEvent)?;
                // An answer of another call's kind is a runtime bug: refused, nothing changes.
                if let CallOutcome::Answered(answer) = &outcome
                    && !answer.answers(&self.calls[index].call)
                {
                    return Err(Rejection::UnexpectedEvent);
                }
                let PendingCall { call, .. } = self.calls.remove(index);
                match outcome {
                    CallOutcome::Answered(answer) => {
                        // The answer to a call the step has moved past (a TAP that arrives after
                        // the pass expired, say) is used up: the call is no longer in flight, so
                        // it is not sent again at the next start, and nothing else changes
                        // (`on_answer` checks the step before it touches anything).
                        let _ = self.on_answer(call, answer, now, out);
                        Ok(())
                    }
                    CallOutcome::Failed(failure) => {
                        self.on_call_failed(id, call, failure, now, out);
                        Ok(())
                    }
                }
            }
            _ => Err(Rejection::UnexpectedEvent),
        }
    }

    /// A new session on a saved flow: the runtime's memory is gone. Calls in flight go out
    /// again with their ids, except those whose input lived in that memory (the selfie, the
    /// liveness evidence): the user redoes those. A step left waiting with no call (a state
    /// saved by an older app) makes its call again.
    fn on_session_started(&mut self, now: Timestamp, out: &mut Vec<Effect>) {
        // A failed call whose input was in that memory cannot be resent either.
        if let Some(failed) = self.failed_call.take_if(|failed| failed.call.needs_in_memory_input()) {
            self.on_call_failed(failed.id, failed.call, CallFailure::not_sent(NOT_SENT_INPUT_LOST), now, out);
        }
        for pending in std::mem::take(&mut self.calls) {
            if pending.call.needs_in_memory_input() {
                self.on_call_failed(pending.id, pending.call, CallFailure::not_sent(NOT_SENT_INPUT_LOST), now, out);
            } else {
                out.push(Effect::Call { id: pending.id, call: pending.call.clone() });
                self.calls.push(pending);
            }
        }
        // A camera session under way died with the app: the user starts it again. (A capture
        // whose call was made is handled above; this is the one not yet reported.)
        let recording = self.is_calling(ServiceCall::needs_in_memory_input);
        match &mut self.step {
            Step::Liveness { in_progress: in_progress @ true, challenge, .. } if !recording => {
                *in_progress = false;
                // Its frames are gone: the next attempt gets a new challenge.
                *challenge = None;
                self.notice = Some(Notice::LivenessRetakeNeeded);
            }
            Step::Selfie { phase: phase @ SelfiePhase::Capturing } => *phase = SelfiePhase::Ready,
            // The video call ended with the app; the reviewer's call may still be open. The user
            // joins again, and the 15 seconds count from the new join.
            Step::Review(Review { phase: phase @ ReviewPhase::InCall { .. }, .. }) => {
                if let ReviewPhase::InCall { call_id, .. } = phase {
                    *phase = ReviewPhase::CallInvited { call_id: call_id.clone() };
                }
                self.notice = Some(Notice::CallInterrupted);
            }
            // The app closed while the call was connecting: the invitation stands.
            Step::Review(Review { phase: phase @ ReviewPhase::Joining { .. }, .. }) => {
                if let ReviewPhase::Joining { call_id } = phase {
                    *phase = ReviewPhase::CallInvited { call_id: call_id.clone() };
                }
            }
            _ => {}
        }
        if self.calls.is_empty()
            && self.failed_call.is_none()
            && let Some(call) = self.call_awaited_by_step(now)
        {
            self.call(call, out);
        }
    }

    /// The call a waiting step stands for.
    fn call_awaited_by_step(&self, now: Timestamp) -> Option<ServiceCall> {
        let request_id = self.decision.as_ref().map(|d| d.request_id.clone());
        match &self.step {
            Step::SubmittingIdentity => self.create_request_call(),
            Step::DateOfBirth { entry, submitting: true } => {
                let today = super::date_of_birth::CivilDate::from_timestamp(self.clock.server_now(now));
                let date = entry.complete(today).ok()?;
                Some(ServiceCall::ConfirmDateOfBirth { request_id: request_id?, date_of_birth: date.iso() })
            }
            // The wake-up that would have asked again died with the app: ask now.
            Step::GovernmentId { awaiting_verdict: Some(_), .. } => Some(ServiceCall::FetchGovernmentIdVerdict { request_id: request_id? }),
            Step::AwaitingVerifiedId => Some(ServiceCall::FetchVerifiedId { request_id: request_id? }),
            Step::PresentVerifiedId { requested: true } => Some(ServiceCall::PresentVerifiedId { request_id: request_id? }),
            Step::Review(review) if review.phase == ReviewPhase::Submitting => {
                Some(ServiceCall::SubmitForReview { request_id: request_id? })
            }
            Step::FetchingTap { fast_path: true, .. } => Some(ServiceCall::PresentVerifiedId { request_id: request_id? }),
            Step::FetchingTap { reissued, .. } => Some(ServiceCall::CreateTap { request_id: request_id?, replace_lost: *reissued }),
            // Back after a restart: the service knows what happened meanwhile.
            Step::SecureAccount { .. } => Some(ServiceCall::FetchSecurityInfo { request_id: request_id? }),
            Step::Passkey { phase: super::credential::PasskeyPhase::FetchingOptions } => {
                Some(ServiceCall::FetchPasskeyOptions { request_id: request_id? })
            }
            Step::Passkey { phase: super::credential::PasskeyPhase::Submitting { response_json } } => {
                Some(ServiceCall::SubmitPasskey { request_id: request_id?, response_json: response_json.clone() })
            }
            _ => None,
        }
    }

    /// The identity and consent as the service takes them; the Verified ID goes along when it
    /// could open the 30-day fast path.
    pub(super) fn create_request_call(&self) -> Option<ServiceCall> {
        let form = self.identity.clone()?;
        let consent = self.consent.clone()?;
        Some(ServiceCall::CreateRequest {
            upn: form.upn,
            employee_id: form.employee_id,
            personal_email: form.personal_email,
            staff_kind: form.staff_kind,
            terms_version: consent.terms_version,
            consent_accepted_at: consent.accepted_at,
            present_verified_id: self.verified_id.is_some(),
        })
    }

    fn on_answer(&mut self, call: ServiceCall, answer: CallAnswer, now: Timestamp, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        use CallAnswer as A;
        use ServiceCall as C;
        match (call, answer) {
            (C::CreateRequest { .. }, A::RequestCreated { request_id, path, flags, fast_path, verified_id_issued_at, server_time }) => {
                if self.step != Step::SubmittingIdentity {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                // Only a Verified ID this phone presented, and the service accepted, opens the
                // fast path; that the person holds one somewhere else does not.
                // (Should the service grant it for a Verified ID this phone no longer holds, the
                // presentation fails as `VERIFIED_ID_MISSING` and the user goes the full way.)
                let presented = if fast_path { verified_id_issued_at.or(self.verified_id.map(|v| v.issued_at)) } else { None };
                self.on_identity_accepted(request_id, path, flags, presented, server_time, out);
            }
            (C::ConfirmDateOfBirth { .. }, A::DateOfBirthConfirmed { server_time }) => {
                if !matches!(self.step, Step::DateOfBirth { submitting: true, .. }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                self.advance(Milestone::DateOfBirthAccepted, out);
            }
            (C::OpenPartnerSession { request_id }, A::PartnerSessionOpened { handoff_url, expires_at: _, server_time }) => {
                let Step::GovernmentId { started, awaiting_verdict, .. } = &mut self.step else {
                    return Err(Rejection::UnexpectedEvent);
                };
                *started = true;
                // A new session: any earlier "not reported yet" was about the one it replaces.
                *awaiting_verdict = None;
                self.clock.observe(server_time, now);
                out.push(Effect::StartGovernmentIdCheck { request_id, handoff_url });
            }
            (C::FetchGovernmentIdVerdict { .. }, A::GovernmentIdVerdict { outcome, server_time }) => {
                let Step::GovernmentId { awaiting_verdict, .. } = &mut self.step else {
                    return Err(Rejection::UnexpectedEvent);
                };
                match outcome {
                    Some(outcome) => {
                        self.clock.observe(server_time, now);
                        self.on_government_id_recorded(outcome, out)?;
                    }
                    None => {
                        // The partner reports to the service a little after the user leaves
                        // its page: ask again shortly, without the user having to.
                        let at = now.saturating_add(VERDICT_POLL_MS);
                        *awaiting_verdict = Some(at);
                        self.clock.observe(server_time, now);
                        out.push(Effect::ScheduleWake { at });
                    }
                }
            }
            (C::FetchVerifiedId { .. }, A::VerifiedId { issued, server_time }) => {
                self.clock.observe(server_time, now);
                self.verified_id_retry = None;
                if let Some((issued_at, expires_at)) = issued {
                    self.verified_id = Some(VerifiedIdRecord { issued_at, expires_at });
                }
                if self.step == Step::AwaitingVerifiedId {
                    if issued.is_some() {
                        self.advance(Milestone::VerifiedIdIssued, out);
                    } else {
                        // Not issued yet: the user asks again when they like.
                        let call = ServiceCall::FetchVerifiedId { request_id: self.request_id()? };
                        self.failed_call =
                            Some(FailedCall { id: CallId(0), call, resend_same: false, code: VERIFIED_ID_NOT_ISSUED.into() });
                        self.notice = Some(Notice::RequestFailed { code: VERIFIED_ID_NOT_ISSUED.into() });
                    }
                }
            }
            (C::UploadSelfie { .. }, A::SelfieUploaded { server_time }) => {
                if self.step != (Step::Selfie { phase: SelfiePhase::Uploading }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                self.advance(Milestone::SelfieUploaded, out);
            }
            (C::RequestLivenessChallenge { request_id }, A::LivenessChallengeIssued { challenge_id, expires_at, actions, server_time }) => {
                let Step::Liveness { in_progress, challenge, .. } = &mut self.step else {
                    return Err(Rejection::UnexpectedEvent);
                };
                *in_progress = true;
                *challenge = Some(LivenessChallenge { id: challenge_id.clone(), expires_at, actions });
                self.clock.observe(server_time, now);
                out.push(Effect::StartLiveness { request_id, challenge_id });
            }
            // The service's verdict on the frames decides, whatever the phone's challenge said.
            (C::SubmitLivenessFrames { .. }, A::LivenessJudged { passed, reason, server_time }) => {
                if !matches!(self.step, Step::Liveness { in_progress: true, challenge: Some(_), .. }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                if passed {
                    self.advance(Milestone::LivenessPassed, out);
                } else if let Step::Liveness { in_progress, attempts, challenge } = &mut self.step {
                    // The challenge is used up: a retry asks for a new one.
                    *in_progress = false;
                    *attempts = attempts.saturating_add(1);
                    *challenge = None;
                    self.notice = Some(Notice::LivenessFailed { reason: reason.unwrap_or_default() });
                }
            }
            (C::PresentVerifiedId { request_id }, A::VerifiedIdPresented { server_time }) => {
                self.clock.observe(server_time, now);
                match self.step {
                    Step::PresentVerifiedId { requested: true } => self.advance(Milestone::VerifiedIdPresented, out),
                    // The 30-day fast path: presented, now submitted; the service approves it
                    // at once, with no reviewer call.
                    Step::FetchingTap { fast_path: true, .. } => self.call(ServiceCall::SubmitForReview { request_id }, out),
                    _ => return Err(Rejection::UnexpectedEvent),
                }
            }
            (C::SubmitForReview { request_id }, A::Submitted { status, server_time }) => {
                self.clock.observe(server_time, now);
                match &self.step {
                    Step::Review(_) => {
                        if let Some(status) = status {
                            self.apply_review_status(status, request_id, out);
                        }
                    }
                    Step::FetchingTap { fast_path: true, .. } => self.call(ServiceCall::CreateTap { request_id, replace_lost: false }, out),
                    _ => return Err(Rejection::UnexpectedEvent),
                }
            }
            (C::CreateTap { request_id, .. }, A::TapCreated { tap, server_time }) => {
                if !matches!(self.step, Step::FetchingTap { .. } | Step::TapReady(_)) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.on_tap_created(tap, server_time, now, out);
                // On the TAP paths the service issues the Verified ID on approval (rollout flag
                // `verified_id`); the phone keeps it for the 30-day fast path.
                if self.decision.as_ref().is_some_and(|d| d.flags.verified_id) {
                    self.call(ServiceCall::FetchVerifiedId { request_id }, out);
                }
            }
            (C::FetchPasskeyOptions { .. }, A::PasskeyOptions { options_json }) => {
                if self.step != (Step::Passkey { phase: super::credential::PasskeyPhase::FetchingOptions }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.on_passkey_options(options_json, out);
            }
            (C::SubmitPasskey { .. }, A::PasskeyRegistered { server_time }) => {
                if !matches!(self.step, Step::Passkey { phase: super::credential::PasskeyPhase::Submitting { .. } }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                self.step = Step::Done { credential: super::credential::CredentialKind::Passkey };
            }
            (call, A::SecurityInfo { account, server_time }) => {
                if !matches!(self.step, Step::TapReady(_) | Step::SecureAccount { .. }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                self.schedule_account_deadlines(&account, out);
                // A change the service accepted ends its task; a look leaves the user where they are.
                let task_done = !matches!(call, C::FetchSecurityInfo { .. });
                self.on_account_security(account, task_done);
            }
            (C::OpenPasswordPage { .. }, A::PasswordPage { url, server_time }) => {
                if !matches!(self.step, Step::SecureAccount { task: SecurityTask::Password, .. }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                out.push(Effect::OpenPasswordPage { url });
            }
            (C::StartAuthenticatorApp { .. }, A::AuthenticatorAppActivation { activation, server_time }) => {
                let Step::SecureAccount { task: task @ SecurityTask::AuthenticatorApp { .. }, .. } = &mut self.step else {
                    return Err(Rejection::UnexpectedEvent);
                };
                *task = SecurityTask::AuthenticatorApp { activation: Some(activation) };
                self.clock.observe(server_time, now);
            }
            (_, A::PhoneVerification { verification, server_time }) => {
                let request_id = self.request_id()?;
                let Step::SecureAccount { task, .. } = &mut self.step else { return Err(Rejection::UnexpectedEvent) };
                if !matches!(task, SecurityTask::PhoneNumber { .. } | SecurityTask::PhoneCode { .. }) {
                    return Err(Rejection::UnexpectedEvent);
                }
                self.clock.observe(server_time, now);
                match verification.status {
                    // The call was answered with the right PIN: the method is registered.
                    PhoneVerificationStatus::Verified => {
                        *task = SecurityTask::Checklist;
                        self.call(ServiceCall::FetchSecurityInfo { request_id }, out);
                    }
                    PhoneVerificationStatus::Failed => {
                        *task = SecurityTask::PhoneNumber { delivery: verification.delivery };
                        self.notice = Some(Notice::VoiceCallFailed);
                    }
                    PhoneVerificationStatus::Pending => {
                        // A call is answered elsewhere: ask again shortly, without the user.
                        let voice = verification.delivery == SecurityMethodKind::VoiceCall;
                        *task = SecurityTask::PhoneCode { verification };
                        if voice {
                            let at = now.saturating_add(VOICE_POLL_MS);
                            self.voice_poll_at = Some(at);
                            out.push(Effect::ScheduleWake { at });
                        }
                    }
                }
            }
            // An answer of the wrong kind: the runtime's mistake, never the user's.
            _ => return Err(Rejection::UnexpectedEvent),
        }
        Ok(())
    }

    /// Wake-ups for the one-time TAP's window and the sign-in's end, so they are enforced on
    /// time even when the app sleeps.
    fn schedule_account_deadlines(&self, account: &AccountSecurity, out: &mut Vec<Effect>) {
        let known = match &self.step {
            Step::SecureAccount { account: known, .. } => Some(known),
            _ => None,
        };
        let deadline = account.open_registration_deadline().map(|d| d.at);
        if deadline.is_some() && known.and_then(AccountSecurity::open_registration_deadline).map(|d| d.at) != deadline {
            out.extend(deadline.map(|at| Effect::ScheduleWake { at: self.clock.to_phone_time(at) }));
        }
        if known.map(|k| k.session_expires_at) != Some(account.session_expires_at) {
            out.push(Effect::ScheduleWake { at: self.clock.to_phone_time(account.session_expires_at) });
        }
    }

    /// Time-driven: asks where a voice verification stands while the call is under way.
    pub(super) fn poll_voice_verification(&mut self, now: Timestamp, out: &mut Vec<Effect>) {
        let Some(at) = self.voice_poll_at else { return };
        let Step::SecureAccount { task: SecurityTask::PhoneCode { verification }, .. } = &self.step else {
            self.voice_poll_at = None;
            return;
        };
        if now < at || self.is_calling(|c| matches!(c, ServiceCall::FetchPhoneVerification { .. })) || self.failed_call.is_some() {
            return;
        }
        let verification_id = verification.verification_id.clone();
        let Some(request_id) = self.decision.as_ref().map(|d| d.request_id.clone()) else { return };
        self.voice_poll_at = None;
        self.call(ServiceCall::FetchPhoneVerification { request_id, verification_id }, out);
    }

    fn request_id(&self) -> Result<String, Rejection> {
        self.decision.as_ref().map(|d| d.request_id.clone()).ok_or(Rejection::UnexpectedEvent)
    }

    /// The service's answer to the identity: the path, and where the user goes next.
    fn on_identity_accepted(
        &mut self,
        request_id: String,
        path: super::path::OnboardingPath,
        flags: super::path::RolloutFlags,
        presented_verified_id_issued_at: Option<Timestamp>,
        server_time: Timestamp,
        out: &mut Vec<Effect>,
    ) {
        if let Some(issued_at) = presented_verified_id_issued_at {
            let known = VerifiedIdRecord { issued_at, expires_at: issued_at.saturating_add(FAST_PATH_WINDOW_MS) };
            self.verified_id = Some(known);
        }
        // The fast path yields a TAP; the passkey path always goes through the ID check.
        let fast_path = path != super::path::OnboardingPath::GetPasskey
            && presented_verified_id_issued_at.is_some()
            && self.verified_id.is_some_and(|v| v.allows_fast_path(server_time));
        self.decision = Some(super::path::PathDecision { request_id, path, flags, fast_path });
        self.advance(Milestone::IdentityAccepted, out);
    }

    /// The service has the partner's verdict.
    fn on_government_id_recorded(&mut self, outcome: GovernmentIdOutcome, out: &mut Vec<Effect>) -> Result<(), Rejection> {
        match outcome {
            GovernmentIdOutcome::Verified => {
                // Seed 001: the Verified ID follows the government-ID check.
                self.step = Step::AwaitingVerifiedId;
                let request_id = self.request_id()?;
                self.call(ServiceCall::FetchVerifiedId { request_id }, out);
            }
            GovernmentIdOutcome::Rejected { reason } => {
                self.step = Step::GovernmentId { completed: Vec::new(), started: false, awaiting_verdict: None };
                self.notice = Some(Notice::GovernmentIdRejected { reason });
            }
            GovernmentIdOutcome::Expired => {
                self.step = Step::GovernmentId { completed: Vec::new(), started: false, awaiting_verdict: None };
                self.notice = Some(Notice::GovernmentIdExpired);
            }
        }
        Ok(())
    }

    /// A call failed: what that means depends on the call and on how far it got.
    fn on_call_failed(&mut self, id: CallId, call: ServiceCall, failure: CallFailure, now: Timestamp, out: &mut Vec<Effect>) {
        let lost = failure.kind == FailureKind::NotSent && failure.code == NOT_SENT_INPUT_LOST;
        // (A refusal that is this very call still running is retried as the same call.)
        let redo = lost || (failure.kind == FailureKind::Refused && !failure.retry_is_same_call());
        let notice = if lost { None } else { Some(Notice::RequestFailed { code: failure.code.clone() }) };
        match (&call, &mut self.step) {
            // The Verified ID after a TAP: nobody waits on it, so it is retried quietly.
            (ServiceCall::FetchVerifiedId { .. }, step) if *step != Step::AwaitingVerifiedId => {
                let failures = self.verified_id_retry.map_or(0, |r| r.failures).saturating_add(1);
                if failures < BACKGROUND_ATTEMPTS {
                    let delay = MINUTE_MS / 2 * (1_i64 << failures.min(7));
                    let at = now.saturating_add(delay);
                    self.verified_id_retry = Some(BackgroundRetry { at, failures });
                    out.push(Effect::ScheduleWake { at });
                } else {
                    self.verified_id_retry = None;
                }
                return;
            }
            // The selfie is gone with the app's memory, or the service refused it (no face,
            // not a JPEG): the user takes it again.
            (ServiceCall::UploadSelfie { .. }, Step::Selfie { phase }) if redo => {
                *phase = SelfiePhase::Ready;
                self.notice = notice.or(Some(Notice::SelfieRetakeNeeded));
                return;
            }
            // The same for the liveness check: its frames are gone, or the service refused them
            // (the challenge expired, was used, or the frames were judged before). The upload
            // is never sent again: the user does the check again, for a new challenge.
            (ServiceCall::SubmitLivenessFrames { .. }, Step::Liveness { in_progress, challenge, .. }) if redo => {
                *in_progress = false;
                *challenge = None;
                self.notice = notice.or(Some(Notice::LivenessRetakeNeeded));
                return;
            }
            // A refused date of birth (it does not match): the user changes it, or edits the
            // identity; resending the same date would only be refused again.
            (ServiceCall::ConfirmDateOfBirth { .. }, Step::DateOfBirth { submitting, .. }) if failure.kind == FailureKind::Refused => {
                *submitting = false;
                self.notice = notice;
                return;
            }
            // A refused look-up of the verdict (the service has no partner session for the
            // request, say) would only be refused again: the user starts the check again, which
            // opens a session (the service hands back the one still open, if any).
            (ServiceCall::FetchGovernmentIdVerdict { .. }, Step::GovernmentId { started, awaiting_verdict, .. })
                if failure.kind == FailureKind::Refused =>
            {
                *started = false;
                *awaiting_verdict = None;
                self.notice = notice;
                return;
            }
            // The Verified ID cannot open the fast path after all (gone from this phone's
            // storage, or refused as expired or invalid): forget it and go the full way with a
            // new request, rather than resend a presentation that cannot succeed.
            (ServiceCall::PresentVerifiedId { .. }, Step::FetchingTap { fast_path: true, .. }) if failure.kind != FailureKind::NoAnswer => {
                self.verified_id = None;
                self.restart();
                if let Some(call) = self.create_request_call() {
                    self.step = Step::SubmittingIdentity;
                    self.call(call, out);
                }
                self.notice = notice;
                return;
            }
            // The Verified ID sent along with the identity could not open the fast path: it is
            // expired, revoked, bound to another phone, or this phone's device key can no longer
            // sign for it. Forget it; the user reads why and continues, which sends the identity
            // again without it (a new call): the full way.
            (ServiceCall::CreateRequest { present_verified_id: true, .. }, Step::SubmittingIdentity) if presentation_refused(&failure) => {
                self.verified_id = None;
                if let Some(call) = self.create_request_call() {
                    self.failed_call = Some(FailedCall { id, call, resend_same: false, code: failure.code });
                }
                self.notice = notice;
                return;
            }
            // The service does not vouch for this copy of the app (its signing certificate is not
            // the organisation's): every new passkey would be refused the same way, and each sheet
            // opened by itself would leave one more unusable passkey in the user's password
            // manager. Stop; the user reads why, and only "Try again" asks for a new challenge.
            (ServiceCall::SubmitPasskey { request_id, .. }, Step::Passkey { .. }) if failure.code == PASSKEY_ORIGIN_NOT_ALLOWED => {
                let call = ServiceCall::FetchPasskeyOptions { request_id: request_id.clone() };
                self.step = Step::Passkey { phase: super::credential::PasskeyPhase::FetchingOptions };
                self.failed_call = Some(FailedCall { id, call, resend_same: false, code: failure.code });
                self.notice = notice;
                return;
            }
            // A refused attestation (its challenge was used or has expired): a new challenge and
            // a new passkey, instead of sending the refused attestation again.
            (ServiceCall::SubmitPasskey { request_id, .. }, Step::Passkey { .. }) if failure.kind == FailureKind::Refused => {
                let request_id = request_id.clone();
                self.step = Step::Passkey { phase: super::credential::PasskeyPhase::FetchingOptions };
                self.call(ServiceCall::FetchPasskeyOptions { request_id }, out);
                self.notice = notice;
                return;
            }
            // The service made a TAP whose answer was lost, and it never shows a code twice.
            // The user has not seen that one: ask once for a replacement, which revokes it.
            (ServiceCall::CreateTap { request_id, .. }, Step::FetchingTap { reissued: reissued @ false, .. })
                if failure.kind == FailureKind::NoAnswer && failure.code == ANSWER_UNREADABLE =>
            {
                *reissued = true;
                let request_id = request_id.clone();
                self.call(ServiceCall::CreateTap { request_id, replace_lost: true }, out);
                return;
            }
            // The approval's TAP cannot be had again: it was used to sign in, or replaced as often
            // as the service allows. Asking again would be refused again; the user is told why and
            // offered what is left (a new request, or the fast path when the Verified ID allows).
            (ServiceCall::CreateTap { replace_lost: true, .. }, Step::FetchingTap { .. } | Step::TapReady(_))
                if matches!(failure.code.as_str(), TAP_ALREADY_ISSUED | TAP_REPLACEMENT_LIMIT) =>
            {
                self.step = Step::TapExpired { reason: super::credential::TapExpiryReason::ReportedUnusable };
                self.notice = Some(Notice::RequestFailed { code: failure.code.clone() });
                return;
            }
            // Lost again (or lost on the TAP screen): "Try again" asks for another replacement,
            // as a new call. The same call would only replay the stored answer, which never
            // carries the code.
            (ServiceCall::CreateTap { request_id, .. }, Step::FetchingTap { .. } | Step::TapReady(_))
                if failure.kind == FailureKind::NoAnswer && failure.code == ANSWER_UNREADABLE =>
            {
                let call = ServiceCall::CreateTap { request_id: request_id.clone(), replace_lost: true };
                self.notice = Some(Notice::RequestFailed { code: failure.code.clone() });
                self.failed_call = Some(FailedCall { id, call, resend_same: false, code: failure.code });
                return;
            }
            // What the user typed was never saved: they type it again (no resend is possible).
            (call, _) if lost && call.carries_typed_secret() => {
                self.notice = Some(Notice::TypeAgain);
                return;
            }
            // The sign-in ended (its time passed, or the one-time TAP's 10 minutes passed with
            // no method): nothing more can be registered with this TAP.
            (call, Step::SecureAccount { .. } | Step::TapReady(_))
                if (call.is_account_security_change() || matches!(call, ServiceCall::FetchSecurityInfo { .. }))
                    && matches!(failure.code.as_str(), REGISTRATION_WINDOW_CLOSED | ACCOUNT_SIGN_IN_REQUIRED) =>
            {
                let reason = if failure.code == REGISTRATION_WINDOW_CLOSED {
                    super::credential::TapExpiryReason::RegistrationWindow
                } else {
                    super::credential::TapExpiryReason::ReportedUnusable
                };
                self.step = Step::TapExpired { reason };
                self.notice = notice;
                return;
            }
            // The answer that carried an activation or the password page's link was lost; the
            // service never sends such a secret twice (its replay holds none), so "Try again"
            // asks for a new one rather than the same call.
            (ServiceCall::StartAuthenticatorApp { .. } | ServiceCall::OpenPasswordPage { .. }, Step::SecureAccount { .. })
                if failure.kind == FailureKind::NoAnswer && failure.code == ANSWER_UNREADABLE =>
            {
                self.notice = notice;
                self.failed_call = Some(FailedCall { id, call, resend_same: false, code: failure.code });
                return;
            }
            // A refused code, PIN, number or answer: the service says why, and the user's next
            // input is the retry (resending the refused one would be refused again). The
            // service's limits come as 429, "not now", but resending would only meet them again.
            (call, Step::SecureAccount { task, .. })
                if (failure.kind == FailureKind::Refused || ACCOUNT_LIMITS.contains(&failure.code.as_str()))
                    && call.is_account_security_change() =>
            {
                match (call, failure.code.as_str()) {
                    // The activation or the code is used up: start that method again.
                    (
                        ServiceCall::VerifyAuthenticatorApp { .. },
                        VERIFICATION_EXPIRED | VERIFICATION_ATTEMPTS_EXCEEDED | VERIFICATION_NOT_FOUND,
                    ) => {
                        *task = SecurityTask::Checklist;
                    }
                    (
                        ServiceCall::VerifyPhoneCode { .. } | ServiceCall::ResendPhoneCode { .. },
                        VERIFICATION_EXPIRED | VERIFICATION_ATTEMPTS_EXCEEDED | VERIFICATION_NOT_FOUND | VERIFICATION_RESEND_LIMIT,
                    ) => {
                        *task = SecurityTask::PhoneNumber { delivery: SecurityMethodKind::TextMessage };
                    }
                    (ServiceCall::StartAuthenticatorApp { .. } | ServiceCall::OpenPasswordPage { .. }, _) => {
                        *task = SecurityTask::Checklist
                    }
                    _ => {}
                }
                self.notice = notice;
                return;
            }
            // The TAP was refused at sign-in (used, expired, not valid yet): the service says why.
            (ServiceCall::SignInWithTap { .. }, Step::TapReady(_)) if failure.kind == FailureKind::Refused => {
                self.notice = notice;
                return;
            }
            _ => {}
        }
        let resend_same = failure.retry_is_same_call();
        self.notice = Some(Notice::RequestFailed { code: failure.code.clone() });
        self.failed_call = Some(FailedCall { id, call, resend_same, code: failure.code });
    }

    /// Time-driven: the quiet retry of the background Verified ID fetch.
    pub(super) fn retry_background_calls(&mut self, now: Timestamp, out: &mut Vec<Effect>) {
        let Some(retry) = self.verified_id_retry else { return };
        if now < retry.at || self.is_calling(|c| matches!(c, ServiceCall::FetchVerifiedId { .. })) {
            return;
        }
        let Some(request_id) = self.decision.as_ref().map(|d| d.request_id.clone()) else { return };
        // The retry record stays (with its count) until the answer: a new failure schedules
        // the next attempt, a success clears it. A failed call the user may retry stays too:
        // this background call is not its retry.
        let failed = self.failed_call.take();
        self.call(ServiceCall::FetchVerifiedId { request_id }, out);
        self.failed_call = failed;
    }

    /// Time-driven: asks the service again for a verdict the partner had not reported, once
    /// the wait is over. Not while the step's last call failed: the user sees why, and their
    /// "Try again" is the retry.
    pub(super) fn poll_government_id_verdict(&mut self, now: Timestamp, out: &mut Vec<Effect>) {
        let Step::GovernmentId { awaiting_verdict: Some(at), .. } = self.step else { return };
        let busy = self.is_calling(|c| matches!(c, ServiceCall::FetchGovernmentIdVerdict { .. } | ServiceCall::OpenPartnerSession { .. }));
        if now < at || busy || self.failed_call.is_some() {
            return;
        }
        let Some(request_id) = self.decision.as_ref().map(|d| d.request_id.clone()) else { return };
        self.call(ServiceCall::FetchGovernmentIdVerdict { request_id }, out);
    }

    /// Starts the call of a step entered by `advance`.
    pub(super) fn start_review(&mut self, request_id: String, out: &mut Vec<Effect>) -> Step {
        self.call(ServiceCall::SubmitForReview { request_id }, out);
        Step::Review(Review { submitted_at: None, phase: ReviewPhase::Submitting })
    }
}

/// The service's code for a security change after the one-time TAP's 10 minutes with no method.
const REGISTRATION_WINDOW_CLOSED: &str = "REGISTRATION_WINDOW_CLOSED";
/// The service's code for a security call with no live sign-in for this device.
const ACCOUNT_SIGN_IN_REQUIRED: &str = "ACCOUNT_SIGN_IN_REQUIRED";
/// A code's activation or verification lapsed.
const VERIFICATION_EXPIRED: &str = "VERIFICATION_EXPIRED";
/// Too many wrong codes: the activation or verification is dead.
const VERIFICATION_ATTEMPTS_EXCEEDED: &str = "VERIFICATION_ATTEMPTS_EXCEEDED";
/// The activation or verification is unknown (gone).
const VERIFICATION_NOT_FOUND: &str = "VERIFICATION_NOT_FOUND";
/// No more resends for this verification.
const VERIFICATION_RESEND_LIMIT: &str = "VERIFICATION_RESEND_LIMIT";

/// The service's limits on codes and resends (429): waiting does not make the same call pass.
const ACCOUNT_LIMITS: [&str; 3] = [VERIFICATION_ATTEMPTS_EXCEEDED, "VERIFICATION_RESEND_TOO_SOON", VERIFICATION_RESEND_LIMIT];

/// How often a voice verification is looked at while the call is under way.
pub const VOICE_POLL_MS: i64 = 5_000;

/// The service's code for a passkey made by an app (or page) whose origin it does not vouch for.
const PASSKEY_ORIGIN_NOT_ALLOWED: &str = "PASSKEY_ORIGIN_NOT_ALLOWED";

/// The service's code for a replacement asked for a TAP that was used to sign in.
const TAP_ALREADY_ISSUED: &str = "TAP_ALREADY_ISSUED";
/// The service's code for a replacement beyond the limit (sent as 429, so not a refusal).
const TAP_REPLACEMENT_LIMIT: &str = "TAP_REPLACEMENT_LIMIT";

/// Whether a failure says the Verified ID cannot be presented from this phone at all (as
/// opposed to "not now"): the service refused the credential or its key binding, or the phone
/// has no credential or no usable device key to bind it with.
fn presentation_refused(failure: &CallFailure) -> bool {
    let code = failure.code.as_str();
    failure.kind != FailureKind::NoAnswer
        && (code.starts_with("VERIFIED_ID_")
            || code.starts_with("PRESENTATION_")
            || code == super::service_call::NOT_SENT_DEVICE_KEY_UNAVAILABLE)
}
