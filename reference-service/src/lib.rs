//! # Identity Pass reference service
//!
//! The backend counterpart of the core: an axum HTTP service on SQLite that behaves like the
//! real backend — devices, onboarding requests, the path decision, government ID, selfie and
//! liveness with retention, Verified ID, the review queue with its reviewer console, TAPs with
//! Entra's semantics, passkeys, status long-poll and push tokens, idempotency keys. The contract
//! is `openapi.yaml` in this crate's root; a test keeps it and the router in step.
//!
//! Layers, each depending only on those below it (`tests/layers.rs` checks):
//! - [`http`]: axum handlers, views, auth, idempotency, the route table, and the one mapping of
//!   errors to the wire ([`ApiError`]);
//! - [`state`]: what a running service holds (storage, clock, policies, keys, push);
//! - [`store`]: SQLite, returning domain types or a [`StoreError`];
//! - [`domain`]: the pure rules, returning values or a [`DomainError`];
//! - leaves, importing nothing of the crate: [`clock`], [`secrets`] (the domain's only imports)
//!   and [`push`].
//!
//! The reviewer's call has two more: [`call_media`], the WebRTC rooms the service keeps in the
//! call's media path (over the domain only), and [`call_attendance`], which applies what they
//! observe of the user's media to the request (through the state and the store).
//!
//! Run it embedded ([`spawn_embedded`], on a temporary database by default) for demos and tests,
//! or standalone with the `identity-pass-service` binary (`--listen ADDR --db PATH`).

pub mod call_attendance;
pub mod call_media;
pub mod clock;
pub mod domain;
pub mod http;
pub mod partner;
pub mod push;
pub mod secrets;
pub mod state;
pub mod store;
pub mod telephony;

#[cfg(test)]
mod redaction_tests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};
use webauthn_rs::WebauthnBuilder;

pub use clock::{Clock, ManualClock, SystemClock, from_rfc3339};
pub use domain::DomainError;
pub use domain::account_security::policy::SecurityPolicy;
pub use domain::directory::Directory;
pub use domain::face_check::{AssumeFacePresent, DetectedFace, FaceCheck, FaceCheckFailed};
pub use domain::reviewer::{ReviewerRole, ReviewerSeed};
pub use domain::tap::TapPolicy;
/// `verified_id::verify` checks a credential the way the core does offline.
pub use domain::verified_id;
pub use http::error::ApiError;
/// `routes::served()` is what the contract test compares with `openapi.yaml`.
pub use http::routes;
pub use partner::{IdentityPartner, ReferencePartner};
pub use push::{LogPushSender, PushMessage, PushSender, PushToken, RecordingPushSender};
pub use store::StoreError;
pub use store::retention::PurgeReport;
pub use telephony::{DeliveryFailed, DevelopmentOutbox, SmsProvider, TelephonyProvider};

/// Everything a service instance needs; [`ServiceConfig::default`] is the seeded demo setup.
pub struct ServiceConfig {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Database file; `None` uses a fresh temporary directory removed on shutdown.
    pub db_path: Option<PathBuf>,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// The employee directory.
    pub directory: Directory,
    /// Tenant TAP policy.
    pub tap_policy: TapPolicy,
    /// The administrator's policy for securing the account after the TAP (methods, PIN,
    /// security questions).
    pub security_policy: SecurityPolicy,
    /// The key sealing TOTP secrets at rest. `None`: read from the key file beside the database
    /// (`<db>.data-key`), created with mode 0600 at the first start. Given here, nothing is
    /// written (tests, or a key from a secrets manager).
    pub data_key: Option<[u8; 32]>,
    /// Sends text messages (a production SMS gateway's adapter). `None`: text messages are off
    /// (the policy served offers no `sms`), unless `development_providers`.
    pub sms_provider: Option<Arc<dyn SmsProvider>>,
    /// Places voice calls. `None`: voice calls are off, unless `development_providers`.
    pub telephony_provider: Option<Arc<dyn TelephonyProvider>>,
    /// Development and tests only: the development SMS and telephony providers (for whichever
    /// of the two is not given), which deliver nothing and keep every message and call in an
    /// outbox served at `GET /v1/dev/outbox` and `/console/dev`, where a call's keypad is typed
    /// on. Off, those endpoints answer 404.
    pub development_providers: bool,
    /// The reviewer accounts to create at start when absent (existing accounts keep their
    /// passwords). The default is the development directory's reviewers
    /// (`domain::directory_seed::seeded_reviewers`).
    pub reviewers: Vec<ReviewerSeed>,
    /// The password given to the accounts this start creates (at least 12 characters); `None`
    /// generates a random one (see [`RunningService::reviewer_password`]). One password for the
    /// seeded accounts is a development convenience: a deployment provisions each account.
    pub reviewer_password: Option<String>,
    /// Push delivery.
    pub push_sender: Arc<dyn PushSender>,
    /// Face check for selfies and liveness captures (default: the core's detector).
    pub face_check: Arc<dyn FaceCheck>,
    /// The STUN and TURN servers handed to both sides of a reviewer's call, with TURN
    /// credentials made per call and side (`domain::call_network`). Empty by default.
    pub call_network: domain::call_network::CallNetwork,
    /// The address the service's side of reviewers' calls listens on (a UDP port per call),
    /// and the host candidate its answers give: an address both sides (or their TURN relay)
    /// reach. Loopback by default.
    pub call_media_address: std::net::IpAddr,
    /// The address the answers name instead, when the sides reach `call_media_address` by
    /// another (a 1:1 NAT; the Android emulator's 10.0.2.2 for its host's loopback). `None`:
    /// `call_media_address` itself.
    pub call_media_public_address: Option<std::net::IpAddr>,
    /// WebAuthn relying-party id (a domain): the domain passkeys are made for, and the one
    /// whose `/.well-known` documents name the phone apps.
    pub webauthn_rp_id: String,
    /// The web origin of passkey ceremonies, `https://` + the RP id for the iOS app and
    /// browsers (the standalone binary derives it from `--rp-id`).
    pub webauthn_origin: String,
    /// Android application ids allowed to use this domain's passkeys and links (every flavor's;
    /// `/.well-known/assetlinks.json` names each with every certificate of
    /// `android_cert_sha256`). Empty with it: no Android app, and that document answers 404.
    pub android_packages: Vec<String>,
    /// SHA-256 fingerprints of the Android apps' signing certificates, colon-separated hex
    /// (`AB:CD:…`, as `keytool -list -v` prints them). Each also admits the WebAuthn origin
    /// `android:apk-key-hash:<fingerprint, base64url>`. Checked at start.
    pub android_cert_sha256: Vec<String>,
    /// Apple app ids (`TEAMID.bundle.id`) named by `/.well-known/apple-app-site-association`
    /// for universal links and passkeys. Empty: that document answers 404.
    pub apple_app_ids: Vec<String>,
    /// How often the retention purge runs.
    pub purge_interval: Duration,
    /// Upper bound of a long-poll's `wait`, in seconds.
    pub max_wait_seconds: u64,
    /// The government-ID partner.
    pub partner: PartnerChoice,
}

/// Which government-ID partner the service uses.
pub enum PartnerChoice {
    /// Start this repository's reference partner (`reference-partner/`) beside the service,
    /// its API key and webhook secret kept in the service's database.
    Reference {
        /// Where the partner listens (its page is what users open).
        listen: SocketAddr,
        /// How long a session stays open.
        session_lifetime: Duration,
    },
    /// An adapter for a partner run elsewhere.
    External(Arc<dyn IdentityPartner>),
}

impl Default for PartnerChoice {
    fn default() -> Self {
        // Seed 001: the partner's check takes a few minutes; 15 leaves room to find the ID.
        Self::Reference { listen: SocketAddr::from(([127, 0, 0, 1], 0)), session_lifetime: Duration::from_secs(15 * 60) }
    }
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            db_path: None,
            clock: Arc::new(SystemClock),
            directory: domain::directory_seed::seeded_directory(),
            tap_policy: TapPolicy::default(),
            security_policy: SecurityPolicy::default(),
            data_key: None,
            sms_provider: None,
            telephony_provider: None,
            development_providers: false,
            reviewers: domain::directory_seed::seeded_reviewers(),
            reviewer_password: None,
            push_sender: Arc::new(LogPushSender),
            face_check: Arc::new(DetectedFace),
            call_network: domain::call_network::CallNetwork::default(),
            call_media_address: std::net::IpAddr::from([127, 0, 0, 1]),
            call_media_public_address: None,
            webauthn_rp_id: "id.contoso.example".to_owned(),
            webauthn_origin: "https://id.contoso.example".to_owned(),
            android_packages: Vec::new(),
            android_cert_sha256: Vec::new(),
            apple_app_ids: Vec::new(),
            purge_interval: Duration::from_secs(60),
            max_wait_seconds: 30,
            partner: PartnerChoice::default(),
        }
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is inconsistent.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Database(String),
    /// The address could not be bound.
    #[error("listen: {0}")]
    Listen(#[from] std::io::Error),
}

/// A service running in this process.
pub struct RunningService {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The password of the reviewer accounts this start created (see
    /// [`ServiceConfig::reviewer_password`]).
    pub reviewer_password: String,
    /// The reviewer accounts this start created (empty when they all existed already).
    pub created_reviewers: Vec<String>,
    /// The database file in use.
    pub db_path: PathBuf,
    /// The reference partner's address, when the service started one.
    pub partner_base_url: Option<String>,
    partner: Option<identity_pass_reference_partner::RunningPartner>,
    state: state::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    purger: tokio::task::JoinHandle<()>,
    /// Applies what the calls' media sessions observe (`call_attendance`).
    attendance: tokio::task::JoinHandle<()>,
    _temp_dir: Option<tempfile::TempDir>,
}

impl RunningService {
    /// Runs the retention purge now, at the service clock's time.
    pub fn purge_now(&self) -> Result<PurgeReport, ApiError> {
        let report = store::retention::purge(&*self.state.db.lock()?, self.state.now())?;
        if report.expired_requests > 0 {
            self.state.announce_change();
        }
        Ok(report)
    }

    /// The calls whose media room is running.
    pub fn call_rooms_running(&self) -> usize {
        self.state.call_media.rooms_running()
    }

    /// Counts rows in a table (tests check retention and duplicates with it).
    pub fn count_rows(&self, table: &str) -> Result<i64, ApiError> {
        store::count_rows(&*self.state.db.lock()?, table)?
            .ok_or_else(|| ApiError::bad_request("TABLE_INVALID", "table names are lower_snake_case"))
    }

    /// Stops serving, waits for in-flight requests, and closes the database.
    pub async fn shutdown(mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
        self.purger.abort();
        self.state.call_media.end_all();
        self.attendance.abort();
        let _ = (&mut self.server).await;
        let _ = (&mut self.purger).await;
        let _ = (&mut self.attendance).await;
        if let Some(partner) = self.partner.take() {
            partner.shutdown().await;
        }
    }
}

/// Starts the service on `config.listen` and returns once it accepts connections.
pub async fn spawn_embedded(config: ServiceConfig) -> Result<RunningService, StartError> {
    config.tap_policy.validate().map_err(StartError::Config)?;
    config.call_network.validate().map_err(StartError::Config)?;
    if config.call_media_address.is_unspecified() {
        return Err(StartError::Config(format!(
            "call media address {}: the answers name it as the service's address, so it must be one the sides reach",
            config.call_media_address
        )));
    }
    let dev_outbox = config.development_providers.then(|| Arc::new(DevelopmentOutbox::default()));
    let sms = config
        .sms_provider
        .or_else(|| dev_outbox.clone().map(|outbox| Arc::new(telephony::DevelopmentSmsProvider(outbox)) as Arc<dyn SmsProvider>));
    let calls = config.telephony_provider.or_else(|| {
        dev_outbox.clone().map(|outbox| Arc::new(telephony::DevelopmentTelephonyProvider(outbox)) as Arc<dyn TelephonyProvider>)
    });
    // The policy served is what the service can deliver: no provider, no such method.
    let mut security_policy = config.security_policy;
    security_policy.methods.retain(|kind| match kind {
        domain::account_security::MethodKind::Sms => sms.is_some(),
        domain::account_security::MethodKind::Voice => calls.is_some(),
        domain::account_security::MethodKind::AuthenticatorApp => true,
    });
    security_policy.validate().map_err(StartError::Config)?;
    let app_links = domain::app_links::AppLinks::new(&config.android_packages, &config.android_cert_sha256, &config.apple_app_ids)
        .map_err(StartError::Config)?;
    let webauthn = relying_party(&config.webauthn_rp_id, &config.webauthn_origin, &app_links)?;
    let (db_path, temp_dir) = match &config.db_path {
        Some(path) => (path.clone(), None),
        None => {
            let dir = tempfile::tempdir()?;
            (dir.path().join("identity-pass.sqlite3"), Some(dir))
        }
    };
    let db = store::Db::open(&db_path).map_err(|e| StartError::Database(e.to_string()))?;
    let data_key = match config.data_key {
        Some(bytes) => secrets::DataKey::new(bytes),
        None => load_or_create_data_key(&data_key_path(&db_path))?,
    };
    let signer = {
        let connection = db.lock().map_err(|e| StartError::Database(e.to_string()))?;
        store::signing_key::load_or_create(&connection).map_err(|e| StartError::Database(e.to_string()))?
    };
    let reviewer_password = match config.reviewer_password {
        Some(password) => password,
        None => secrets::random_string(b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20)
            .map_err(|e| StartError::Config(e.to_string()))?
            .expose()
            .to_owned(),
    };
    let created_reviewers = create_reviewer_accounts(&db, &config.reviewers, &reviewer_password, config.clock.now())?;
    // SO_REUSEADDR: a restarted service takes its old port back at once, even while
    // connections of the previous process linger in TIME_WAIT (clients keep their URL).
    let socket = if config.listen.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(config.listen)?;
    let listener = socket.listen(1024)?;
    let address = listener.local_addr()?;
    let base_url = format!("http://{address}");
    let (partner, running_partner) = start_partner(config.partner, &db, config.clock.clone()).await?;
    let (changes, _) = watch::channel(0u64);
    let (media_observed, media_observations) = tokio::sync::mpsc::unbounded_channel();
    let state = state::AppState(Arc::new(state::Inner {
        db,
        clock: config.clock,
        directory: config.directory,
        tap_policy: config.tap_policy,
        security_policy,
        sms,
        telephony: calls,
        dev_outbox,
        data_key,
        base_url: base_url.clone(),
        reviewer_cookie_secure: !address.ip().is_loopback(),
        push: config.push_sender,
        face_check: config.face_check,
        call_network: config.call_network,
        call_media: call_media::CallMedia::new(config.call_media_address, config.call_media_public_address, media_observed),
        webauthn,
        app_links,
        signer,
        partner,
        partner_callback_url: format!("{base_url}/v1/partner/callback"),
        changes,
        max_wait_seconds: config.max_wait_seconds,
        image_analyses: Arc::new(tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))),
        password_checks: Arc::new(tokio::sync::Semaphore::new(2)),
        idempotency_in_flight: std::sync::Mutex::default(),
        activation_misses: std::sync::Mutex::default(),
    }));
    let router = http::routes::router(state.clone());
    let (shutdown, shutdown_signal) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
            let _ = shutdown_signal.await;
        });
        if let Err(error) = serve.await {
            tracing::error!(%error, "server stopped");
        }
    });
    let purger = tokio::spawn(purge_loop(state.clone(), config.purge_interval));
    let attendance = tokio::spawn(call_attendance::apply_observations(state.clone(), media_observations));
    Ok(RunningService {
        base_url,
        reviewer_password,
        created_reviewers,
        db_path,
        partner_base_url: running_partner.as_ref().map(|p| p.base_url.clone()),
        partner: running_partner,
        state,
        shutdown: Some(shutdown),
        server,
        purger,
        attendance,
        _temp_dir: temp_dir,
    })
}

/// The WebAuthn relying party: `rp_id`, accepting ceremonies from the web `origin` and from
/// the configured Android apps.
///
/// webauthn-rs (0.6) has nothing Android-specific: it parses `clientDataJSON.origin` as a URL
/// and accepts it when it equals one of the allowed origins, or (for web origins only) has the
/// same scheme, host and port. `android:apk-key-hash:…` parses as an opaque URL, which only an
/// exact match admits, so appending each app's origin admits that app and no other; another
/// app's hash answers `InvalidRPOrigin`, which the passkey handler reports as its own code.
fn relying_party(rp_id: &str, origin: &str, app_links: &domain::app_links::AppLinks) -> Result<webauthn_rs::Webauthn, StartError> {
    let config = |e: &dyn std::fmt::Display| StartError::Config(format!("webauthn: {e}"));
    let origin = url::Url::parse(origin).map_err(|e| config(&e))?;
    let mut builder = WebauthnBuilder::new(rp_id, &origin).map_err(|e| config(&e))?.rp_name("Identity Pass");
    for android in app_links.android_origins() {
        builder = builder.append_allowed_origin(&url::Url::parse(&android).map_err(|e| config(&e))?);
    }
    builder.build().map_err(|e| config(&e))
}

/// Where the data key of the database at `db_path` is kept: beside it, never in it.
pub fn data_key_path(db_path: &std::path::Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".data-key");
    PathBuf::from(name)
}

/// Reads the data key file, or creates it (32 random bytes, readable by the owner only) when
/// absent. A file of another size is refused rather than replaced: replacing it would make
/// every sealed secret unreadable.
fn load_or_create_data_key(path: &std::path::Path) -> Result<secrets::DataKey, StartError> {
    use std::io::Write;
    let config = |e: &dyn std::fmt::Display| StartError::Config(format!("data key {}: {e}", path.display()));
    match std::fs::read(path) {
        Ok(bytes) => {
            let bytes: [u8; 32] = bytes.try_into().map_err(|_| config(&"not 32 bytes"))?;
            return Ok(secrets::DataKey::new(bytes));
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(config(&error)),
    }
    let key = secrets::DataKey::generate().map_err(|e| config(&e))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| config(&e))?;
    file.write_all(key.expose()).and_then(|()| file.sync_all()).map_err(|e| config(&e))?;
    Ok(key)
}

/// Creates the accounts of `reviewers` that do not exist yet, with `password`; returns their
/// names. Each account's hash has its own salt, so the stored hashes do not show that the
/// seeded accounts share a password.
fn create_reviewer_accounts(db: &store::Db, reviewers: &[ReviewerSeed], password: &str, now: i64) -> Result<Vec<String>, StartError> {
    let database = |e: store::StoreError| StartError::Database(e.to_string());
    let connection = db.lock().map_err(database)?;
    let mut missing = Vec::new();
    for seed in reviewers {
        let upn = domain::reviewer::normalized_upn(&seed.upn);
        if !store::reviewers::exists(&connection, &upn).map_err(database)? {
            missing.push((upn, seed.role));
        }
    }
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    domain::reviewer::check_new_password(password)
        .map_err(|_| StartError::Config(format!("a reviewer password has at least {} characters", domain::reviewer::MIN_PASSWORD_CHARS)))?;
    let mut created = Vec::new();
    for (upn, role) in missing {
        let hash = secrets::hash_password(password).map_err(|e| StartError::Config(e.to_string()))?;
        if store::reviewers::create_if_absent(&connection, &upn, role, &hash, now).map_err(database)? {
            created.push(upn);
        }
    }
    Ok(created)
}

/// The partner adapter, and the reference partner when the service starts one.
async fn start_partner(
    choice: PartnerChoice,
    db: &store::Db,
    clock: Arc<dyn Clock>,
) -> Result<(Arc<dyn IdentityPartner>, Option<identity_pass_reference_partner::RunningPartner>), StartError> {
    let (listen, session_lifetime) = match choice {
        PartnerChoice::External(adapter) => return Ok((adapter, None)),
        PartnerChoice::Reference { listen, session_lifetime } => (listen, session_lifetime),
    };
    let (api_key, webhook_secret) = {
        let connection = db.lock().map_err(|e| StartError::Database(e.to_string()))?;
        store::partner_secrets::load_or_create_pair(&connection).map_err(|e| StartError::Database(e.to_string()))?
    };
    let api_key = secrets::hex(&api_key);
    let running = identity_pass_reference_partner::spawn(identity_pass_reference_partner::PartnerConfig {
        listen,
        api_key: api_key.clone(),
        webhook_secret: webhook_secret.clone(),
        session_lifetime,
        clock: Arc::new(move || clock.now()),
    })
    .await
    .map_err(|e| StartError::Config(format!("reference partner: {e}")))?;
    let adapter =
        ReferencePartner::new(running.base_url.clone(), api_key, webhook_secret).map_err(|e| StartError::Config(e.to_string()))?;
    Ok((Arc::new(adapter), Some(running)))
}

async fn purge_loop(state: state::AppState, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        let result = state.db.lock().and_then(|c| store::retention::purge(&c, state.now()));
        match result {
            Ok(report) if report.expired_requests > 0 => state.announce_change(),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "purge failed"),
        }
    }
}
