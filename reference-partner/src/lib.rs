//! # Reference government-ID partner
//!
//! A small partner that a person and a test can use for real, standing in for the seeds'
//! AU10TIX. The Identity Pass service opens a session here server to server (`POST
//! /v1/sessions` with the partner API key) and gives the phone only the hand-off URL. The user
//! completes the check on the hosted page (`GET /sessions/{id}?token=…`): their mobile number,
//! the partner's terms, a photo of their ID document and a selfie. The partner runs the checks
//! that can be done here ([`checks`]) and posts its verdict to the service's callback URL,
//! signed with the shared webhook secret ([`signature`]). The phone never carries a verdict.
//!
//! What a real partner does and this one cannot: read the document's MRZ and chip, check its
//! security features against a template, and match the selfie's face to the document portrait
//! (there is no face-recognition model here). Those verdicts are the real partner's.
//!
//! Sessions live in memory: a restarted partner has forgotten them, and the service reports
//! such a session `expired` when its time is up, so the user opens a new one.

pub mod checks;
mod handlers;
mod page;
mod sessions;
pub mod signature;
mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

/// Seconds since the Unix epoch, from the clock the partner is given (the service's in tests).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// How to run the partner.
pub struct PartnerConfig {
    /// Where to listen (loopback, port 0 picks one).
    pub listen: SocketAddr,
    /// The key the service presents when it opens a session.
    pub api_key: String,
    /// The secret both sides sign and verify callbacks with.
    pub webhook_secret: Vec<u8>,
    /// How long a session stays open.
    pub session_lifetime: Duration,
    /// The partner's time.
    pub clock: Clock,
}

/// Why the partner did not start.
#[derive(Debug, thiserror::Error)]
pub enum PartnerStartError {
    /// The address could not be bound.
    #[error("listen: {0}")]
    Listen(#[from] std::io::Error),
    /// The HTTP client for callbacks could not be built.
    #[error("callback client: {0}")]
    Client(String),
}

/// A running partner. Dropping it stops the server too (without waiting for it, as
/// [`RunningPartner::shutdown`] does).
pub struct RunningPartner {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
}

impl RunningPartner {
    /// Stops serving and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(sender) = self.shutdown.take() {
            let _ = sender.send(());
        }
        let _ = (&mut self.server).await;
    }
}

/// Starts the partner on `config.listen`.
pub async fn spawn(config: PartnerConfig) -> Result<RunningPartner, PartnerStartError> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    // Built in the workspace, reqwest carries the runtime's `rustls-no-provider` feature and
    // panics building any client while no process-wide provider exists. A test that starts the
    // partner before anything else (tests/government_id_partner.rs run alone) met exactly that,
    // so the partner installs ring's provider itself; one installed first is kept.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client =
        reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(|e| PartnerStartError::Client(e.to_string()))?;
    let state = handlers::PartnerState::new(config, base_url.clone(), client);
    let router = handlers::router(state);
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(error) = serve.await {
            tracing::error!(%error, "reference partner stopped");
        }
    });
    Ok(RunningPartner { base_url, shutdown: Some(shutdown), server })
}
