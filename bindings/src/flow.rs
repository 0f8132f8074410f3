//! Exports the onboarding flow: one object wrapping the core state machine, and mirrors of its
//! event, effect and view types. No rule lives here; every call forwards to the core.
//!
//! A shell creates an `OnboardingFlow` (or restores one from its saved snapshot), sends each
//! user action, OS observation and service answer to `handle` with the current time, renders
//! the returned view and performs the returned effects in order.

mod types;

use std::sync::{Arc, Mutex, MutexGuard};

use identity_pass_core::eligibility::{Distribution, Platform};
use identity_pass_core::flow::{self as core_flow, Effect, Event, Rejection, ViewState};
use identity_pass_core::messages::Locale;

use crate::error::FlowError;

/// The result of one `handle` call: the view to render and the effects to perform, in order.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Transition {
    /// The view after the event.
    pub view: ViewState,
    /// What the shell must do.
    pub effects: Vec<Effect>,
    /// Set when the event was not applied (the state is unchanged; `view.notice` may explain).
    pub rejection: Option<Rejection>,
}

/// One user's onboarding on this phone.
#[derive(uniffi::Object)]
pub struct OnboardingFlow {
    inner: Mutex<core_flow::OnboardingFlow>,
}

impl OnboardingFlow {
    fn lock(&self) -> MutexGuard<'_, core_flow::OnboardingFlow> {
        // The core never panics while holding the lock; should it ever, its state is still a
        // consistent value (transitions are applied whole), so the guard is safe to reuse.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[uniffi::export]
impl OnboardingFlow {
    /// A new onboarding, waiting for the shell's `DeviceChecked` event.
    #[uniffi::constructor]
    pub fn new(locale: Locale, platform: Platform, distribution: Distribution) -> Arc<Self> {
        Arc::new(OnboardingFlow { inner: Mutex::new(core_flow::OnboardingFlow::new(locale, platform, distribution)) })
    }

    /// Resumes from `snapshot()`. Throws `FlowError` for a document from another app version
    /// or one that is damaged; the caller then starts a new onboarding.
    #[uniffi::constructor]
    pub fn restore(snapshot: String) -> Result<Arc<Self>, FlowError> {
        let flow = core_flow::OnboardingFlow::restore(&snapshot)?;
        Ok(Arc::new(OnboardingFlow { inner: Mutex::new(flow) }))
    }

    /// Applies one event at phone time `now_ms` (Unix milliseconds).
    pub fn handle(&self, event: Event, now_ms: i64) -> Transition {
        let mut flow = self.lock();
        let transition = flow.handle(event, now_ms);
        Transition { view: flow.view(now_ms), effects: transition.effects, rejection: transition.rejection }
    }

    /// The view at phone time `now_ms`, without changing anything.
    pub fn view(&self, now_ms: i64) -> ViewState {
        self.lock().view(now_ms)
    }

    /// The state to save (after each `PersistState` effect). Never contains the TAP code.
    pub fn snapshot(&self) -> String {
        self.lock().snapshot()
    }

    /// Switches the language of the view and notifications.
    pub fn set_locale(&self, locale: Locale) {
        self.lock().set_locale(locale);
    }
}

/// The catalog language for an OS language tag (`zh-CN`, `en-GB`, …).
#[uniffi::export]
pub fn locale_from_language_tag(tag: String) -> Locale {
    Locale::from_language_tag(&tag)
}
