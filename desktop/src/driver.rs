//! The shell's loop: shows every view the runtime publishes, performs the platform's effects
//! (permissions, camera, the call, notifications, the authenticator app's link, the password
//! page), and answers each screen — from the script or the keyboard — through the TAP and the
//! securing of the account (the mobile app, the security questions, the password) to the end.
//!
//! All decisions about the onboarding are the core's, and what is registered is the service's
//! word; this loop only plays the phone's part (and, in scripted mode, the authenticator app's
//! and the browser's).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use identity_pass_core::SecretString;
use identity_pass_core::flow::account_security::SecurityTaskKind;
use identity_pass_core::flow::account_security_view::{SecureAccountView, SecurityTaskView};
use identity_pass_core::flow::permissions::{Permission, PermissionStatus};
use identity_pass_core::flow::view::{ReviewStage, Screen, ViewState};
use identity_pass_core::flow::{Effect, ShellEvent};
use identity_pass_core::messages::{Locale, flow as flow_messages};
use identity_pass_runtime::{Clock, OnboardingRuntime, SystemClock};

use crate::answers::Answers;
use crate::authenticator::StandInAuthenticatorApp;
use crate::backend::Backend;
use crate::browser;
use crate::call::{CallFeed, ReviewerMedia};
use crate::camera::{Camera, CameraInputError};
use crate::chrome::Chrome;
use crate::frames;
use crate::input::InputClosed;
use crate::render::{Renderer, countdown};
use crate::reviewer::ReviewerAction;
use crate::script::{self, ScriptedReviewer};
use crate::shell::{ShellMessage, desktop_profile};
use identity_pass_runtime::reference_partner::{PartnerForm, submit_reference_partner_page};

/// How often the loop wakes to redraw the status line when nothing arrives.
const TICK: Duration = Duration::from_millis(250);
/// How often it wakes while the call is open, to feed the call's camera and microphone.
const CALL_TICK: Duration = Duration::from_millis(20);

/// How the session ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The TAP was shown with its countdown and the person quit there (interactive mode).
    TapShown,
    /// The flow reached its final screen.
    Done,
}

/// Why the session ended before its end.
#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    /// Stdin closed while an answer was needed.
    #[error(transparent)]
    Input(#[from] InputClosed),
    /// The camera could not deliver usable frames.
    #[error(transparent)]
    Camera(#[from] CameraInputError),
    /// A scripted reviewer's call failed.
    #[error("the scripted reviewer's call failed: {0}")]
    Reviewer(String),
    /// The flow ended on a screen it cannot go on from, or the script could not go on.
    #[error("{0}")]
    Ended(String),
    /// The user quit.
    #[error("stopped by the user")]
    Quit,
    /// The runtime stopped talking.
    #[error("the onboarding runtime stopped")]
    RuntimeGone,
}

/// Who reviews.
pub enum Reviewer {
    /// The script, through the reviewer API.
    Scripted(ScriptedReviewer),
    /// A person at the console.
    Person {
        /// Where the console is.
        console_url: String,
        /// The account to sign in with there.
        upn: String,
        /// Its password, when this shell knows it (the embedded service's generated one).
        password: Option<SecretString>,
    },
}

/// One session of the shell.
pub struct Driver<'a> {
    runtime: &'a OnboardingRuntime,
    backend: &'a Backend,
    inbox: Receiver<ShellMessage>,
    render: Renderer,
    chrome: Chrome,
    locale: Locale,
    answers: Answers,
    reviewer: Reviewer,
    camera: Camera,
    clock: SystemClock,
    view: Option<ViewState>,
    acted_on: Option<String>,
    /// Answer events sent whose views have not arrived yet.
    answers_in_flight: usize,
    presses: HashMap<String, u32>,
    device_reported: bool,
    /// When the call's media connected (the in-call screen first showed).
    call_joined_at: Option<Instant>,
    call_left: bool,
    /// The camera and microphone going to the call, from "Join" until the call screen goes.
    call_feed: Option<CallFeed>,
    /// The reviewer's side of the call, as the shell received it.
    reviewer_media: Arc<ReviewerMedia>,
    console_shown_for: Option<String>,
    tap_seen_at: Option<Instant>,
    /// The countdown last shown, in milliseconds.
    tap_remaining_ms: Option<i64>,
    /// The busy screen (title code) and since when.
    busy_since: Option<(String, Instant)>,
    last_change: Instant,
    /// Scripted mode's authenticator app (a person uses their phone's).
    authenticator: StandInAuthenticatorApp,
    /// The password page's one-use link, from `OpenPasswordPage` until it is used.
    password_page: Option<SecretString>,
    /// The stand-in browser has set the password (scripted mode).
    password_submitted: bool,
}

impl<'a> Driver<'a> {
    /// A driver over a started runtime whose listener feeds `inbox`.
    #[allow(clippy::too_many_arguments)] // each is one of the shell's parts, named at the call
    pub fn new(
        runtime: &'a OnboardingRuntime,
        backend: &'a Backend,
        inbox: Receiver<ShellMessage>,
        render: Renderer,
        locale: Locale,
        answers: Answers,
        reviewer: Reviewer,
        camera: Camera,
        reviewer_media: Arc<ReviewerMedia>,
    ) -> Self {
        Self {
            runtime,
            backend,
            inbox,
            render,
            chrome: Chrome(locale),
            locale,
            answers,
            reviewer,
            camera,
            clock: SystemClock,
            view: None,
            acted_on: None,
            answers_in_flight: 0,
            presses: HashMap::new(),
            device_reported: false,
            call_joined_at: None,
            call_left: false,
            call_feed: None,
            reviewer_media,
            console_shown_for: None,
            tap_seen_at: None,
            tap_remaining_ms: None,
            busy_since: None,
            last_change: Instant::now(),
            authenticator: StandInAuthenticatorApp::default(),
            password_page: None,
            password_submitted: false,
        }
    }

    /// Whether the TAP was shown in this session.
    pub fn tap_shown(&self) -> bool {
        self.tap_seen_at.is_some()
    }

    /// The renderer, for the closing lines.
    pub fn into_renderer(self) -> Renderer {
        self.render
    }

    /// Runs until the onboarding ends (or, interactively, the person quits on the TAP screen).
    pub fn run(&mut self) -> Result<Finish, DriveError> {
        // The view published before this loop started (the first screen) is not re-sent.
        self.show(self.runtime.view().view);
        loop {
            let mut batch = Vec::new();
            match self.inbox.recv_timeout(if self.call_feed.is_some() { CALL_TICK } else { TICK }) {
                Ok(message) => batch.push(message),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Err(DriveError::RuntimeGone),
            }
            batch.extend(self.inbox.try_iter());
            for message in batch {
                match message {
                    ShellMessage::View(view) => self.show(*view),
                    ShellMessage::Effect(effect) => self.perform(effect)?,
                }
            }
            self.feed_call()?;
            if let Some(finish) = self.step()? {
                return Ok(finish);
            }
            if !self.answers.is_interactive() && self.last_change.elapsed() > script::STUCK_AFTER {
                let title = self.view.as_ref().map(|v| v.title.text.clone()).unwrap_or_default();
                return Err(DriveError::Ended(format!("no progress for {} s on \"{title}\"", script::STUCK_AFTER.as_secs())));
            }
        }
    }

    fn send(&self, event: ShellEvent) {
        self.runtime.send(event);
    }

    /// Sends the answers to a form; the form may be asked again once their views are in.
    fn answer(&mut self, events: Vec<ShellEvent>) {
        self.answers_in_flight += events.len();
        for event in events {
            self.send(event);
        }
    }

    fn show(&mut self, view: ViewState) {
        if self.view.as_ref() != Some(&view) {
            self.last_change = Instant::now();
        }
        // The runtime publishes one view per event it applies: once the answers' views are
        // in, the same form may be asked again (the same mistake twice gives the same view).
        if self.answers_in_flight > 0 {
            self.answers_in_flight -= 1;
            if self.answers_in_flight == 0 {
                self.acted_on = None;
            }
        }
        self.render.screen(&view);
        self.view = Some(view);
    }

    /// A key that changes whenever the screen asks for a new answer.
    fn act_key(view: &ViewState) -> String {
        format!(
            "{}|{}|{}|{}",
            view.title.code,
            view.notice.as_ref().map_or("", |n| n.code.as_str()),
            view.primary_action.as_ref().map_or("", |a| a.code.as_str()),
            view.busy
        )
    }

    /// True the first time it is called for this screen state.
    fn first_time(&mut self, view: &ViewState) -> bool {
        self.first_time_with(view, "")
    }

    /// `first_time` for a screen whose state is more than its title, notice and button (the
    /// security checklist: the same title after each task, with more done).
    fn first_time_with(&mut self, view: &ViewState, details: &str) -> bool {
        let key = format!("{}|{details}", Self::act_key(view));
        if self.acted_on.as_ref() == Some(&key) {
            return false;
        }
        self.acted_on = Some(key);
        true
    }

    /// Presses the main button (asking first, in interactive mode).
    fn press(&mut self, view: &ViewState) -> Result<(), DriveError> {
        let Some(action) = &view.primary_action else { return Ok(()) };
        if !self.answers.is_interactive() {
            let presses = self.presses.entry(view.title.code.clone()).or_default();
            *presses += 1;
            if *presses > script::MAX_PRESSES_PER_SCREEN {
                return Err(DriveError::Ended(format!("the script keeps pressing \"{}\" on \"{}\"", action.text, view.title.text)));
            }
        }
        if !self.answers.press(&mut self.render, self.chrome, action)? {
            return Err(DriveError::Quit);
        }
        self.send(ShellEvent::Continue);
        Ok(())
    }

    fn step(&mut self) -> Result<Option<Finish>, DriveError> {
        let Some(view) = self.view.clone() else { return Ok(None) };
        if view.busy {
            if self.busy_since.as_ref().is_none_or(|(title, _)| *title != view.title.code) {
                self.busy_since = Some((view.title.code.clone(), Instant::now()));
            }
            let since = self.busy_since.as_ref().map_or_else(Instant::now, |(_, since)| *since);
            if !matches!(view.screen, Screen::Review { stage: ReviewStage::InCall }) {
                let seconds = since.elapsed().as_secs();
                self.render.busy(seconds, &self.chrome.waiting(seconds));
            }
        } else {
            self.busy_since = None;
        }
        // A failed request: the button says "Try again".
        if view.primary_action.as_ref().is_some_and(|a| a.code == flow_messages::ACTION_RETRY.0) {
            if self.first_time(&view) {
                self.press(&view)?;
            }
            return Ok(None);
        }
        match &view.screen {
            Screen::DeviceCheck => {
                if !self.device_reported {
                    self.device_reported = true;
                    self.send(ShellEvent::DeviceChecked { profile: desktop_profile() });
                }
            }
            Screen::Ineligible { .. } => return Err(DriveError::Ended(view.title.text.clone())),
            Screen::Permissions { .. } | Screen::PresentVerifiedId { requested: false } => {
                if self.first_time(&view) {
                    self.press(&view)?;
                }
            }
            Screen::Consent { .. } => {
                if self.first_time(&view) {
                    let accepted = self.answers.consent(&mut self.render, self.chrome)?;
                    self.answer(vec![ShellEvent::ConsentAnswered { accepted }]);
                }
            }
            Screen::IdentityEntry { form, field_errors } => {
                if self.first_time(&view) {
                    if !field_errors.is_empty() && !self.answers.is_interactive() {
                        return Err(DriveError::Ended("the core refused the sample identity".into()));
                    }
                    let form = self.answers.identity(&mut self.render, self.chrome, form.as_ref())?;
                    self.answer(vec![ShellEvent::IdentitySubmitted { form }]);
                }
            }
            Screen::DateOfBirth { first_year, last_year, .. } => {
                if view.primary_action.is_some() && self.first_time(&view) {
                    let (year, month, day) = self.answers.date_of_birth(&mut self.render, self.chrome, (*first_year, *last_year))?;
                    self.answer(vec![
                        ShellEvent::DobYearSelected { year },
                        ShellEvent::DobMonthSelected { month },
                        ShellEvent::DobDaySelected { day },
                        ShellEvent::Continue,
                    ]);
                }
            }
            // The partner's page: its URL comes with `StartGovernmentIdCheck` (see `perform`).
            Screen::GovernmentId { .. } | Screen::AddVerifiedId { .. } => {
                if view.notice.is_some() && !self.answers.is_interactive() && matches!(view.screen, Screen::GovernmentId { .. }) {
                    let attempts = self.presses.get(&view.title.code).copied().unwrap_or(0);
                    if attempts >= script::MAX_PRESSES_PER_SCREEN {
                        return Err(DriveError::Ended(view.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default()));
                    }
                }
                if !view.busy && self.first_time(&view) {
                    self.press(&view)?;
                }
            }
            Screen::Passkey { .. } => {
                if !self.answers.is_scripted_passkey() {
                    return Err(self.phone_only("passkey"));
                }
                if !view.busy && self.first_time(&view) {
                    self.press(&view)?;
                }
            }
            Screen::Selfie { .. } | Screen::Liveness { in_progress: false, .. } => {
                if !view.busy && self.first_time(&view) {
                    self.check_liveness_attempts(&view)?;
                    self.press(&view)?;
                }
            }
            Screen::Review { stage } => self.review(*stage, &view)?,
            Screen::Tap { .. } => return self.tap(&view),
            Screen::SecureAccount { view: secure } => self.secure_account(&view, secure)?,
            Screen::TapExpired { .. } | Screen::Denied | Screen::ReviewWindowMissed => {
                if !self.answers.is_interactive() {
                    return Err(DriveError::Ended(view.title.text.clone()));
                }
                if self.first_time(&view) {
                    self.press(&view)?;
                }
            }
            Screen::Done { .. } => return Ok(Some(Finish::Done)),
            Screen::SubmittingIdentity
            | Screen::AwaitingVerifiedId
            | Screen::FetchingTap
            | Screen::Liveness { in_progress: true, .. }
            | Screen::PresentVerifiedId { requested: true } => {}
        }
        Ok(None)
    }

    /// While the call screen shows (connecting or in the call), what is due of the camera and
    /// the microphone goes to the call; when it goes, so does the feed.
    fn feed_call(&mut self) -> Result<(), DriveError> {
        let Some(feed) = self.call_feed.as_mut() else { return Ok(()) };
        match self.view.as_ref().map(|v| &v.screen) {
            Some(Screen::Review { stage: ReviewStage::InCall }) => feed.feed(self.runtime, &mut self.camera)?,
            // "Join" was pressed; the connecting screen is on its way.
            Some(Screen::Review { stage: ReviewStage::CallInvited }) => {}
            _ => self.call_feed = None,
        }
        Ok(())
    }

    fn phone_only(&self, what: &str) -> DriveError {
        DriveError::Ended(self.chrome.phone_only(what))
    }

    fn check_liveness_attempts(&mut self, view: &ViewState) -> Result<(), DriveError> {
        if matches!(view.screen, Screen::Liveness { .. }) && view.notice.is_some() && !self.answers.is_interactive() {
            let attempts = self.presses.get(&view.title.code).copied().unwrap_or(0);
            if attempts >= script::MAX_LIVENESS_ATTEMPTS {
                return Err(DriveError::Ended(format!("the liveness check failed {attempts} times")));
            }
        }
        Ok(())
    }

    fn review(&mut self, stage: ReviewStage, view: &ViewState) -> Result<(), DriveError> {
        let request_id = self.runtime.view().request_id.unwrap_or_default();
        match stage {
            ReviewStage::Submitting => {}
            ReviewStage::Waiting => match &mut self.reviewer {
                Reviewer::Scripted(reviewer) => {
                    if reviewer
                        .act_once(self.backend, &request_id, ReviewerAction::StartCall)
                        .map_err(|e| DriveError::Reviewer(e.to_string()))?
                    {
                        self.render.info(&self.chrome.reviewer(&self.chrome.reviewer_starts_call()));
                    }
                }
                Reviewer::Person { console_url, upn, password } => {
                    if self.console_shown_for.as_deref() != Some(request_id.as_str()) {
                        let line =
                            self.chrome.reviewer_console(console_url, upn, password.as_ref().map(|t| t.expose_secret()), &request_id);
                        self.render.info(&line);
                        self.console_shown_for = Some(request_id);
                    }
                }
            },
            ReviewStage::CallInvited => {
                if self.first_time(view) {
                    self.call_joined_at = None;
                    self.call_left = false;
                    self.press(view)?;
                }
            }
            // Connecting: the runtime reports the join when the media is up.
            ReviewStage::InCall if view.title.code == flow_messages::REVIEW_JOINING_TITLE.0 => {}
            ReviewStage::InCall => {
                let interactive = self.answers.is_interactive();
                if self.call_joined_at.is_none() {
                    self.render.info(&self.chrome.call_connected(!interactive));
                }
                let joined = *self.call_joined_at.get_or_insert_with(Instant::now);
                let seconds = joined.elapsed().as_secs();
                let line = format!(
                    "{} · {}",
                    self.chrome.in_call(seconds, interactive),
                    self.chrome.reviewer_media(self.reviewer_media.summary())
                );
                self.render.status("call", &line, Duration::from_secs(3));
                if self.call_left {
                    return Ok(());
                }
                let leave = match self.answers.keyboard() {
                    Some(keyboard) => keyboard.typed()?.is_some(),
                    None => joined.elapsed() >= script::CALL_HOLD,
                };
                if leave {
                    self.call_left = true;
                    self.send(ShellEvent::CallEnded);
                }
            }
            // The service measured the call from its media; the reviewer only decides.
            ReviewStage::AwaitingDecision => self.scripted_reviewer(&request_id, ReviewerAction::Approve, Chrome::reviewer_approves)?,
        }
        Ok(())
    }

    /// The scripted reviewer does `action` (once), narrated; a person uses the console.
    fn scripted_reviewer(&mut self, request_id: &str, action: ReviewerAction, narration: fn(Chrome) -> String) -> Result<(), DriveError> {
        if let Reviewer::Scripted(reviewer) = &mut self.reviewer
            && reviewer.act_once(self.backend, request_id, action).map_err(|e| DriveError::Reviewer(e.to_string()))?
        {
            self.render.info(&self.chrome.reviewer(&narration(self.chrome)));
        }
        Ok(())
    }

    /// The TAP with its countdown; then "Secure your account" (the script after a few seconds,
    /// a person with Enter), or, interactively, `q` to leave with the TAP.
    fn tap(&mut self, view: &ViewState) -> Result<Option<Finish>, DriveError> {
        let first = self.tap_seen_at.is_none();
        let seen = *self.tap_seen_at.get_or_insert_with(Instant::now);
        if first && self.answers.is_interactive() {
            let action = view.primary_action.as_ref().map(|a| a.text.clone()).unwrap_or_default();
            self.render.info(&self.chrome.tap_hint(&action));
        }
        if let Some(deadline) = view.deadline {
            // The deadline's phone time is re-estimated with every service answer (its clock
            // has whole seconds), so it may shift by under a second; a countdown never goes up.
            let estimate = deadline.phone_time - self.clock.now_ms();
            let remaining = self.tap_remaining_ms.map_or(estimate, |shown| estimate.min(shown));
            self.tap_remaining_ms = Some(remaining);
            self.render.status("countdown", &format!("TAP · {}", self.chrome.expires_in(&countdown(remaining))), Duration::from_secs(1));
        }
        let go_on = match self.answers.keyboard() {
            Some(keyboard) => match keyboard.typed()? {
                Some(line) if line.eq_ignore_ascii_case("q") => {
                    self.render.clear_status();
                    return Ok(Some(Finish::TapShown));
                }
                Some(_) => true,
                None => false,
            },
            None => seen.elapsed() >= script::TAP_SHOWN_FOR,
        };
        // While signing in (busy) there is no button; a refusal shows its notice and the button
        // again, a new state to act on.
        if go_on
            && !view.busy
            && let Some(action) = &view.primary_action
            && self.first_time(view)
        {
            self.render.clear_status();
            if self.answers.is_interactive() {
                // The person pressed Enter already, at the countdown.
                self.render.info(&self.chrome.pressed(&action.text));
                self.send(ShellEvent::Continue);
            } else {
                self.press(view)?;
            }
        }
        Ok(None)
    }

    /// The security screen: the checklist, then each task the desktop can do, in the order a
    /// one-time TAP needs (a method first, within its 10 minutes): the mobile app, the security
    /// questions, the password; "Finish" once the service says the account is secured.
    fn secure_account(&mut self, view: &ViewState, secure: &SecureAccountView) -> Result<(), DriveError> {
        if view.busy {
            return Ok(());
        }
        let done: String = secure.options.iter().map(|o| if o.done { '1' } else { '0' }).collect();
        let has_barcode = matches!(secure.task, SecurityTaskView::AuthenticatorApp { barcode: Some(_), .. });
        let details = format!("{done}|{}|{has_barcode}|{}", secure.complete, self.password_page.is_some());
        if !self.first_time_with(view, &details) {
            return Ok(());
        }
        match &secure.task {
            SecurityTaskView::Checklist if secure.complete => self.press(view)?,
            SecurityTaskView::Checklist => self.choose_security_task(view, secure)?,
            SecurityTaskView::AuthenticatorApp { barcode: Some(_), .. } => match self.answers.keyboard() {
                Some(keyboard) => {
                    if view.notice.is_none() {
                        self.render.info(&self.chrome.scan_with_phone());
                    }
                    let code = Answers::app_code(keyboard, &mut self.render, self.chrome)?;
                    self.answer(vec![ShellEvent::VerificationCodeEntered { code }]);
                }
                // "Add to the app on this phone": the link goes to the stand-in app (`perform`).
                None => self.press(view)?,
            },
            // Being made; after a restart the button asks for a new one ("Try again", above).
            SecurityTaskView::AuthenticatorApp { barcode: None, .. } => {}
            SecurityTaskView::SecurityQuestions { count, questions } => {
                if view.notice.is_some() && !self.answers.is_interactive() {
                    // The same sample answers would be refused the same way.
                    return Err(DriveError::Ended(view.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default()));
                }
                let answers = self.answers.security_answers(&mut self.render, self.chrome, *count, questions)?;
                self.answer(vec![ShellEvent::SecurityAnswersEntered { answers }]);
            }
            SecurityTaskView::Password => self.password(view)?,
            SecurityTaskView::PhoneNumber { .. } | SecurityTaskView::PhoneCode { .. } | SecurityTaskView::Pin { .. } => {
                return Err(self.phone_only(&view.title.text));
            }
        }
        Ok(())
    }

    /// The next task on the checklist that is not done, as the service reports it.
    fn choose_security_task(&mut self, view: &ViewState, secure: &SecureAccountView) -> Result<(), DriveError> {
        let pending = |task: SecurityTaskKind| secure.options.iter().find(|o| o.task == task && !o.done);
        // A method first: a one-time TAP's sign-in ends 10 minutes after it without one.
        let next = if secure.methods.is_empty() {
            pending(SecurityTaskKind::AuthenticatorApp)
        } else {
            pending(SecurityTaskKind::SecurityQuestions).or_else(|| pending(SecurityTaskKind::Password))
        };
        let Some(option) = next.cloned() else {
            // What is left (a PIN the policy requires, or a phone method where the policy offers
            // no app) is the phone app's to do.
            let left = match pending(SecurityTaskKind::Pin) {
                Some(pin) if !secure.methods.is_empty() => pin.label.text.clone(),
                _ => view.title.text.clone(),
            };
            return Err(self.phone_only(&left));
        };
        if !self.answers.is_interactive() {
            let presses = self.presses.entry(option.label.code.clone()).or_default();
            *presses += 1;
            if *presses > script::MAX_PRESSES_PER_SCREEN {
                return Err(DriveError::Ended(format!("the script keeps choosing \"{}\"", option.label.text)));
            }
        }
        if !self.answers.press(&mut self.render, self.chrome, &option.label)? {
            return Err(DriveError::Quit);
        }
        self.send(ShellEvent::SecurityTaskChosen { task: option.task });
        Ok(())
    }

    /// The password page is open: the stand-in browser sets the password, or the person does;
    /// then the app, back in front, asks the service.
    fn password(&mut self, view: &ViewState) -> Result<(), DriveError> {
        match self.answers.keyboard() {
            Some(keyboard) => {
                // The link was printed when it came (`perform`); it stays usable until used.
                if self.password_page.is_none() {
                    return Ok(());
                }
                if !Answers::password_done(keyboard, &mut self.render, self.chrome)? {
                    return Err(DriveError::Quit);
                }
            }
            None => {
                if self.password_submitted {
                    // The page took the password, yet the service does not say it is set.
                    return Err(DriveError::Ended(view.title.text.clone()));
                }
                let Some(url) = self.password_page.take() else { return Ok(()) };
                self.render.info(&self.chrome.password_page_scripted(&browser::shown_address(&url)));
                self.backend
                    .block_on(browser::set_password(&url, &script::sample_password()))
                    .map_err(|e| DriveError::Ended(e.to_string()))?;
                self.password_submitted = true;
                self.render.info(&self.chrome.password_page_answered());
            }
        }
        self.answer(vec![ShellEvent::AppResumed]);
        Ok(())
    }

    fn perform(&mut self, effect: Effect) -> Result<(), DriveError> {
        match effect {
            Effect::RequestPermission { permission } | Effect::OpenAppSettings { permission } => self.grant(permission),
            Effect::RequestFullAccuracyLocation => self.grant(Permission::Location),
            Effect::CheckPermissions => {
                for permission in Permission::ALL {
                    self.send(ShellEvent::PermissionReported { permission, status: PermissionStatus::Granted });
                }
            }
            Effect::StartSelfie => frames::feed_selfie(self.runtime, &mut self.camera, &mut self.render, self.locale)?,
            Effect::StartLiveness { .. } => frames::feed_liveness(self.runtime, &mut self.camera, &mut self.render, self.locale)?,
            // The runtime opens the call's media and reports the join once it connects; the
            // shell feeds it the camera and the microphone from now on.
            Effect::JoinCall { call_id } => {
                self.render.info(&self.chrome.joining_call(&call_id));
                self.call_joined_at = None;
                self.call_feed = Some(CallFeed::new(!self.answers.is_interactive()));
            }
            Effect::ShowNotification { message } => self.render.info(&self.chrome.notification(&message.text)),
            Effect::StartGovernmentIdCheck { handoff_url, .. } => self.partner_check(&handoff_url)?,
            Effect::OpenAuthenticator => self.render.info(&self.chrome.authenticator_on_phone()),
            Effect::OpenOtpauthLink { uri } => self.stand_in_app(&uri)?,
            Effect::OpenPasswordPage { url } => {
                // A person opens it themselves; the script's browser does (`password`), and the
                // link with its ticket is never printed then.
                if self.answers.is_interactive() {
                    self.render.info(&self.chrome.password_page(url.expose_secret()));
                }
                self.password_page = Some(url);
            }
            Effect::OpenUrl { url } => self.render.info(&format!("→ {url}")),
            // The runtime schedules its own wake-ups and performs every service call and the
            // passkey ceremony.
            _ => {}
        }
        Ok(())
    }

    /// "Add to the app on this phone": the stand-in authenticator app takes the link and shows
    /// its current code, which the script types into the app. Only the script presses it; a
    /// person scans the barcode with their own phone.
    fn stand_in_app(&mut self, uri: &SecretString) -> Result<(), DriveError> {
        if self.answers.is_interactive() {
            return Ok(());
        }
        let account = self.authenticator.add(uri).map_err(|e| DriveError::Ended(e.to_string()))?;
        self.render.info(&self.chrome.stand_in_app_added(&account));
        let code = self.authenticator.current_code().map_err(|e| DriveError::Ended(e.to_string()))?;
        // The code is good for one sign-in within 30 s, as on the app's screen; the secret
        // behind it is never shown.
        self.render.info(&self.chrome.typed(&self.chrome.label_app_code(), &code));
        // Sent, not `answer`ed: the view of "Add to the app" comes after this effect, and must
        // not count as the code's (the code's own view is busy, then the next task's).
        self.send(ShellEvent::VerificationCodeEntered { code: SecretString::new(code) });
        Ok(())
    }

    /// The reference partner's page: a person opens it in a browser; the script submits the
    /// sample photos as the page would. Either way the verdict goes from the partner to the
    /// service, and the app only reports that the user is back.
    fn partner_check(&mut self, handoff_url: &str) -> Result<(), DriveError> {
        match self.answers.keyboard() {
            Some(keyboard) => {
                self.render.info(&self.chrome.partner_page(handoff_url));
                keyboard.line().map_err(|_| DriveError::Quit)?;
            }
            None => {
                self.render.info(&self.chrome.partner_scripted(handoff_url));
                let form = PartnerForm {
                    phone_number: script::SAMPLE_PHONE_NUMBER,
                    document_jpeg: script::SAMPLE_ID_DOCUMENT,
                    selfie_jpeg: script::SAMPLE_PARTNER_SELFIE,
                };
                let result = self
                    .backend
                    .block_on(submit_reference_partner_page(handoff_url, form))
                    .map_err(|e| DriveError::Ended(e.to_string()))?;
                self.render.info(&self.chrome.partner_answered(&result));
            }
        }
        self.send(ShellEvent::GovernmentIdHandoffEnded);
        Ok(())
    }

    fn grant(&mut self, permission: Permission) {
        self.render.info(&self.chrome.permission_granted(permission));
        self.send(ShellEvent::PermissionReported { permission, status: PermissionStatus::Granted });
    }
}
