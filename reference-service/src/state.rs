//! The state of a running service that every handler sees: storage, injected time, directory,
//! policies, the signing key, where pushes go, and the change signal long-polls wait on.
//!
//! It depends on `store`, `domain` and the leaf modules only — never on handlers — so the HTTP
//! layer can use it without a cycle and `lib.rs` can run the purge through it.

use std::collections::HashSet;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use tokio::sync::{Semaphore, watch};
use webauthn_rs::Webauthn;

use crate::call_media::CallMedia;
use crate::clock::Clock;
use crate::domain::account_security::policy::SecurityPolicy;
use crate::domain::app_links::AppLinks;
use crate::domain::call_network::CallNetwork;
use crate::domain::directory::Directory;
use crate::domain::face_check::FaceCheck;
use crate::domain::tap::TapPolicy;
use crate::domain::verified_id::VerifiedIdSigner;
use crate::partner::IdentityPartner;
use crate::push::{PushMessage, PushSender};
use crate::secrets::DataKey;
use crate::store::{self, Db, StoreResult};
use crate::telephony::{DevelopmentOutbox, SmsProvider, TelephonyProvider};

/// Cheaply clonable handle on the service's state.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

/// The state itself.
pub struct Inner {
    /// Storage.
    pub db: Db,
    /// Injected time.
    pub clock: Arc<dyn Clock>,
    /// Seeded employee directory.
    pub directory: Directory,
    /// Tenant TAP policy.
    pub tap_policy: TapPolicy,
    /// The STUN and TURN servers of reviewers' calls.
    pub call_network: CallNetwork,
    /// The service's side of reviewers' calls: one media room per call that is on.
    pub call_media: CallMedia,
    /// The administrator's policy for securing the account after the TAP.
    pub security_policy: SecurityPolicy,
    /// Sends text messages, when configured.
    pub sms: Option<Arc<dyn SmsProvider>>,
    /// Places voice calls, when configured.
    pub telephony: Option<Arc<dyn TelephonyProvider>>,
    /// The development providers' outbox, when they are on.
    pub dev_outbox: Option<Arc<DevelopmentOutbox>>,
    /// Seals the secrets the service must read back (TOTP secrets); kept outside the database.
    pub data_key: DataKey,
    /// The service's own address (`http://host:port`), for the pages it links to.
    pub base_url: String,
    /// Whether the reviewer session cookie is marked `Secure` (everywhere but loopback, where
    /// the development service speaks plain HTTP).
    pub reviewer_cookie_secure: bool,
    /// Where pushes go.
    pub push: Arc<dyn PushSender>,
    /// "A face must be present" check for selfies and liveness captures.
    pub face_check: Arc<dyn FaceCheck>,
    /// WebAuthn relying party.
    pub webauthn: Webauthn,
    /// The phone apps the service vouches for (the `/.well-known` association documents).
    pub app_links: AppLinks,
    /// Verified ID signing key.
    pub signer: VerifiedIdSigner,
    /// The government-ID partner.
    pub partner: Arc<dyn IdentityPartner>,
    /// Where the partner posts its verdicts (this service's callback endpoint).
    pub partner_callback_url: String,
    /// Bumped on every request state change; long-polls wait on it.
    pub changes: watch::Sender<u64>,
    /// Upper bound for `?wait=` in seconds.
    pub max_wait_seconds: u64,
    /// Face analyses (a selfie's check, a liveness judging) running at once: at most one per
    /// core. Each holds a decoded image (up to 2048² pixels, ~48 MB at the peak) and a core for
    /// up to a second or two, and devices register freely, so without a bound a burst of uploads
    /// could take all the memory; beyond the bound, uploads wait their turn. The permit moves
    /// into the blocking task, so a caller who hangs up cannot free it while the work runs.
    pub image_analyses: Arc<Semaphore>,
    /// argon2id checks of reviewer passwords running at once (19 MiB each; names without an
    /// account cost a check too, so any caller can ask for one).
    pub password_checks: Arc<Semaphore>,
    /// (caller scope, idempotency key) pairs whose first call is still running.
    pub idempotency_in_flight: Mutex<HashSet<(String, String)>>,
    /// When wrong activation codes reached `POST /mfa/activate` (service time), the last
    /// minute's: anybody may call it, and a guessed code would reveal a TOTP secret, so guesses
    /// are limited service-wide (`domain::account_security::totp::ACTIVATION_GUESSES_PER_MINUTE`).
    pub activation_misses: Mutex<Vec<i64>>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Runs `work` on the blocking pool once one of `bound`'s permits is free, holding the
    /// permit until the work ends (even if the caller stops waiting).
    pub async fn run_bounded<T: Send + 'static>(bound: &Arc<Semaphore>, work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
        let permit = bound.clone().acquire_owned().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || {
            let _held = permit;
            work()
        })
        .await
        .map_err(|e| e.to_string())
    }

    /// Wakes every long-poll so it re-reads its request.
    pub fn announce_change(&self) {
        self.changes.send_modify(|generation| *generation = generation.wrapping_add(1));
    }

    /// The injected clock's current time.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Sends `event` about `request_id` to its device, if the device registered a push token.
    /// Pushes carry no personal data; the app reads the status afterwards.
    pub fn notify_device(&self, request_id: &str, event: &str) -> StoreResult<()> {
        let target = store::push_tokens::target_of_request(&*self.db.lock()?, request_id)?;
        if let Some((device_id, token)) = target {
            let message = PushMessage { device_id, request_id: request_id.to_owned(), event: event.to_owned() };
            self.push.send(&token, &message);
        }
        Ok(())
    }
}
