//! The service the shell talks to: the embedded reference service (the default), or a
//! standalone one given with `--service-url`. Also owns the tokio runtime that hosts the
//! embedded service and the scripted reviewer's HTTP calls (the onboarding runtime has its own).

use std::future::Future;

use identity_pass_core::SecretString;
use identity_pass_runtime::transport::ServiceRequest;
use identity_pass_runtime::{HttpTransport, TransportConfig};
use identity_pass_service::{RunningService, ServiceConfig};

/// Why no service is available.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// No async runtime.
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
    /// The embedded service did not start.
    #[error("the embedded service did not start: {0}")]
    Embedded(String),
    /// The standalone service is unusable.
    #[error("the service at {url} cannot be used: {detail}")]
    Remote {
        /// The URL given.
        url: String,
        /// Why.
        detail: String,
    },
}

/// A reviewer account of the service: who reviews the demo's requests.
pub struct ReviewerAccount {
    /// The account's name (the seeded people's manager unless told otherwise).
    pub upn: String,
    /// Its password, when this shell knows it.
    pub password: Option<SecretString>,
}

/// A service and the runtime its side of the demo runs on.
pub struct Backend {
    tokio: tokio::runtime::Runtime,
    embedded: Option<RunningService>,
    /// The service's base URL.
    pub base_url: String,
    /// The reviewer account the scripted reviewer signs in as, and the console's sign-in.
    pub reviewer: ReviewerAccount,
    // Held so the database directory lives exactly as long as the service.
    _database_dir: Option<tempfile::TempDir>,
}

fn tokio_runtime() -> Result<tokio::runtime::Runtime, BackendError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("identity-pass-desktop")
        .enable_all()
        .build()
        .map_err(|e| BackendError::Runtime(e.to_string()))
}

/// A directory for the embedded service's database: in memory (`/dev/shm`) where the system
/// has it, so the demo's selfies and requests never reach a disk; removed when dropped.
fn database_dir() -> Result<tempfile::TempDir, std::io::Error> {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::Builder::new().prefix("identity-pass-desktop-").tempdir_in(shm)
    {
        return Ok(dir);
    }
    tempfile::Builder::new().prefix("identity-pass-desktop-").tempdir()
}

impl Backend {
    /// Starts the reference service in this process on a free loopback port.
    pub fn embedded() -> Result<Self, BackendError> {
        let tokio = tokio_runtime()?;
        let dir = database_dir().map_err(|e| BackendError::Embedded(e.to_string()))?;
        let config = ServiceConfig { db_path: Some(dir.path().join("service.sqlite3")), ..ServiceConfig::default() };
        let service = tokio.block_on(identity_pass_service::spawn_embedded(config)).map_err(|e| BackendError::Embedded(e.to_string()))?;
        Ok(Self {
            base_url: service.base_url.clone(),
            reviewer: ReviewerAccount {
                upn: identity_pass_service::domain::directory_seed::SEED_MANAGER.to_owned(),
                password: Some(SecretString::new(service.reviewer_password.clone())),
            },
            embedded: Some(service),
            tokio,
            _database_dir: Some(dir),
        })
    }

    /// A standalone service, checked with `GET /healthz` so a wrong URL fails at once.
    pub fn remote(url: &str, reviewer: ReviewerAccount) -> Result<Self, BackendError> {
        let tokio = tokio_runtime()?;
        let remote_error = |detail: String| BackendError::Remote { url: url.to_owned(), detail };
        let mut config = TransportConfig::new(url);
        config.retry.max_attempts = 1;
        let transport = HttpTransport::new(config).map_err(|e| remote_error(e.to_string()))?;
        tokio.block_on(transport.send(ServiceRequest::new(reqwest::Method::GET, "healthz"))).map_err(|e| remote_error(e.to_string()))?;
        Ok(Self { tokio, embedded: None, base_url: url.trim_end_matches('/').to_owned(), reviewer, _database_dir: None })
    }

    /// Whether the service runs in this process.
    pub fn is_embedded(&self) -> bool {
        self.embedded.is_some()
    }

    /// The reviewer console's address.
    pub fn console_url(&self) -> String {
        format!("{}/console", self.base_url.trim_end_matches('/'))
    }

    /// Runs `future` to completion on the backend's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.tokio.block_on(future)
    }

    /// Stops the embedded service (waiting for in-flight requests) and removes its database.
    pub fn shutdown(mut self) {
        if let Some(service) = self.embedded.take() {
            self.tokio.block_on(service.shutdown());
        }
    }
}
