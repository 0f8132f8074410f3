//! HTTPS to the Identity Pass service: timeouts, bounded retries with backoff, idempotency
//! keys, HTTPS-only (plain HTTP is accepted for loopback alone, for the embedded reference
//! service and tests), and optional public-key pinning.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;

use identity_pass_core::SecretString;

use crate::idempotency::IdempotencyKey;
use crate::pinning::{PinnedVerifier, SpkiPin};
use crate::retry::{AttemptOutcome, RetryPolicy, jitter_sample};

/// How to reach the service.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// The service's base URL, e.g. `https://identity-pass.example.com/`.
    pub base_url: String,
    /// If not empty, the server's public key must match one of these.
    pub pins: Vec<SpkiPin>,
    /// Extra trust anchors (DER), for a self-hosted service or tests; Mozilla's roots otherwise.
    pub extra_root_certificates: Vec<Vec<u8>>,
    /// Limit for establishing a connection.
    pub connect_timeout: Duration,
    /// Limit for a whole request unless the request sets its own (long-polls do).
    pub request_timeout: Duration,
    /// Retries of failed attempts.
    pub retry: RetryPolicy,
}

impl TransportConfig {
    /// Defaults for `base_url`: 10 s to connect, 30 s a request, the default retry policy.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            pins: Vec::new(),
            extra_root_certificates: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Why a request did not produce a usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// Plain HTTP to something other than this machine.
    #[error("refusing plain HTTP to {host}: only loopback may skip TLS")]
    InsecureUrl {
        /// The host that was asked for.
        host: String,
    },
    /// The base URL or a path does not parse.
    #[error("invalid service URL: {detail}")]
    InvalidUrl {
        /// What was wrong.
        detail: String,
    },
    /// The TLS client could not be configured.
    #[error("TLS setup failed: {detail}")]
    TlsSetup {
        /// What was wrong.
        detail: String,
    },
    /// No connection, a broken connection, or a failed TLS handshake (pin mismatch included),
    /// after every allowed retry.
    #[error("network error: {detail}")]
    Network {
        /// Diagnostic text.
        detail: String,
    },
    /// No answer within the time limit, after every allowed retry.
    #[error("the service did not answer in time")]
    Timeout,
    /// The service answered with an error status and (usually) a JSON `{code, message}` body.
    #[error("service error {status} {code}: {message}")]
    Service {
        /// HTTP status.
        status: u16,
        /// The service's stable error code (`HTTP_<status>` when the body had none).
        code: String,
        /// The service's message.
        message: String,
    },
    /// A success status whose body is not what the contract says.
    #[error("unexpected response: {detail}")]
    UnexpectedBody {
        /// What did not parse.
        detail: String,
    },
}

impl TransportError {
    /// Whether waiting and trying again later could succeed (for the flow's "retry" screens).
    pub fn is_transient(&self) -> bool {
        match self {
            TransportError::Network { .. } | TransportError::Timeout => true,
            TransportError::Service { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// One request to the service. Its `Debug` shows no body: bodies carry secrets (the device
/// secret, the Verified ID) and pictures of the user's face.
pub struct ServiceRequest<'a> {
    /// HTTP method.
    pub method: Method,
    /// Path and query relative to the base URL, e.g. `v1/devices`.
    pub path: &'a str,
    /// `Authorization: Bearer …`; marked sensitive so no HTTP-layer log can print it.
    pub bearer: Option<&'a SecretString>,
    /// Sent as `Idempotency-Key`, the same on every retry; makes POSTs safe to replay.
    pub idempotency_key: Option<&'a IdempotencyKey>,
    /// JSON body.
    pub json: Option<serde_json::Value>,
    /// A raw body and its content type (a JPEG upload), instead of `json`.
    pub raw_body: Option<(&'static str, Vec<u8>)>,
    /// Overrides the configured request timeout (long-polls wait longer).
    pub timeout: Option<Duration>,
    /// A Verified ID presentation's key binding, sent as `Verified-Id-Key-Binding` beside the
    /// body (core `device_binding::key_binding`): fresh per presentation, outside the body so a
    /// resend under the same idempotency key is still the same request to the service.
    pub key_binding: Option<&'a str>,
}

impl std::fmt::Debug for ServiceRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = match (&self.json, &self.raw_body) {
            (_, Some((content_type, bytes))) => format!("{content_type}, {} bytes", bytes.len()),
            (Some(_), None) => "JSON".to_owned(),
            (None, None) => "none".to_owned(),
        };
        f.debug_struct("ServiceRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("bearer", &self.bearer.is_some())
            .field("idempotency_key", &self.idempotency_key.is_some())
            .field("key_binding", &self.key_binding.is_some())
            .field("body", &format_args!("[redacted: {body}]"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl<'a> ServiceRequest<'a> {
    /// A request with no body, credentials or key.
    pub fn new(method: Method, path: &'a str) -> Self {
        Self { method, path, bearer: None, idempotency_key: None, json: None, raw_body: None, timeout: None, key_binding: None }
    }
}

/// The HTTP client of the core.
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    base: Url,
    retry: RetryPolicy,
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

impl HttpTransport {
    /// A client for `config`. Fails for plain HTTP to anything but loopback.
    pub fn new(config: TransportConfig) -> Result<Self, TransportError> {
        let mut base = Url::parse(&config.base_url).map_err(|e| TransportError::InvalidUrl { detail: e.to_string() })?;
        let host = base.host_str().unwrap_or_default().to_owned();
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => return Err(TransportError::InsecureUrl { host }),
            other => return Err(TransportError::InvalidUrl { detail: format!("unsupported scheme {other}") }),
        }
        // Paths are joined relative to the base, which must therefore end in '/'.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config(&config)?)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("identity-pass-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TransportError::TlsSetup { detail: e.to_string() })?;
        Ok(Self { client, base, retry: config.retry })
    }

    /// The service's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Sends `request`, retrying as the policy allows, and parses a success body as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: ServiceRequest<'_>) -> Result<T, TransportError> {
        let body = self.send(request).await?;
        parse_body(&body)
    }

    /// Sends `request` with a raw body of `content_type` (kept for every retry).
    pub async fn send_bytes(
        &self,
        mut request: ServiceRequest<'_>,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        request.raw_body = Some((content_type, body));
        self.send(request).await
    }

    /// Sends `request`, retrying as the policy allows; the success body's bytes.
    pub async fn send(&self, request: ServiceRequest<'_>) -> Result<Vec<u8>, TransportError> {
        let url = self.base.join(request.path).map_err(|e| TransportError::InvalidUrl { detail: e.to_string() })?;
        let replay_safe = request.idempotency_key.is_some() || request.method == Method::GET;
        let mut attempt = 1;
        loop {
            let (outcome, retry_after, error) = match self.attempt(&url, &request).await {
                Ok(body) => return Ok(body),
                Err(failure) => failure,
            };
            if !self.retry.should_retry(attempt, outcome, replay_safe) {
                return Err(error);
            }
            let wait = self.retry.delay_before_next(attempt, retry_after, jitter_sample());
            tracing::debug!(path = request.path, attempt, ?outcome, ?wait, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        url: &Url,
        request: &ServiceRequest<'_>,
    ) -> Result<Vec<u8>, (AttemptOutcome, Option<Duration>, TransportError)> {
        let mut builder = self.client.request(request.method.clone(), url.clone());
        if let Some(token) = request.bearer {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
                (AttemptOutcome::Status(0), None, TransportError::InvalidUrl { detail: "credential is not a valid header".into() })
            })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        if let Some(key) = request.idempotency_key {
            builder = builder.header("Idempotency-Key", key.as_str());
        }
        if let Some(binding) = request.key_binding {
            let mut value = HeaderValue::from_str(binding).map_err(|_| {
                (AttemptOutcome::Status(0), None, TransportError::InvalidUrl { detail: "key binding is not a valid header".into() })
            })?;
            value.set_sensitive(true);
            builder = builder.header("Verified-Id-Key-Binding", value);
        }
        if let Some(json) = &request.json {
            builder = builder.json(json);
        } else if let Some((content_type, body)) = &request.raw_body {
            builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(body.clone());
        }
        if let Some(timeout) = request.timeout {
            builder = builder.timeout(timeout);
        }
        let response = builder.send().await.map_err(classify)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.bytes().await.map_err(classify)?;
        match read_answer(status.as_u16(), &body) {
            Ok(success) => Ok(success.to_vec()),
            Err(error) => Err((AttemptOutcome::Status(status.as_u16()), retry_after, error)),
        }
    }
}

/// Reads one answer of the service from its HTTP status and body, as every attempt of `send`
/// does: a success (2xx) is its body as it came; anything else is the service's refusal with
/// its JSON `code` and `message`, or `HTTP_<status>` when the body carries none. A status
/// outside 100–999 (which no HTTP stack delivers) is an unexpected answer. Public so that the
/// fuzz target `service_answer` reads answers through this same function.
pub fn read_answer(status: u16, body: &[u8]) -> Result<&[u8], TransportError> {
    let status = StatusCode::from_u16(status).map_err(|_| TransportError::UnexpectedBody { detail: format!("HTTP status {status}") })?;
    if status.is_success() { Ok(body) } else { Err(service_error(status, body)) }
}

/// Parses a success body as `T`; a body that breaks the contract is `UnexpectedBody`.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, TransportError> {
    serde_json::from_slice(body).map_err(|e| TransportError::UnexpectedBody { detail: e.to_string() })
}

fn service_error(status: StatusCode, body: &[u8]) -> TransportError {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(e) => TransportError::Service { status: status.as_u16(), code: e.code, message: e.message },
        Err(_) => TransportError::Service {
            status: status.as_u16(),
            code: format!("HTTP_{}", status.as_u16()),
            message: status.canonical_reason().unwrap_or("error").to_owned(),
        },
    }
}

fn classify(error: reqwest::Error) -> (AttemptOutcome, Option<Duration>, TransportError) {
    // Walk the source chain: a TLS failure (pin mismatch) hides inside a connect error.
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        detail = format!("{detail}: {inner}");
        source = inner.source();
    }
    if error.is_timeout() {
        (AttemptOutcome::TimedOut, None, TransportError::Timeout)
    } else if is_certificate_failure(&detail) {
        // A certificate the pin or the roots refuse will be refused again: no retry storm.
        (AttemptOutcome::CertificateRejected, None, TransportError::Network { detail })
    } else if error.is_connect() {
        (AttemptOutcome::ConnectFailed, None, TransportError::Network { detail })
    } else {
        // Broken mid-exchange: the server may have acted, exactly as for a timeout.
        (AttemptOutcome::TimedOut, None, TransportError::Network { detail })
    }
}

/// rustls's certificate and pin refusals, as they read through reqwest's error chain.
fn is_certificate_failure(detail: &str) -> bool {
    ["invalid peer certificate", "does not match the pinned key", "UnknownIssuer", "NotValidForName"]
        .iter()
        .any(|marker| detail.contains(marker))
}

fn tls_config(config: &TransportConfig) -> Result<rustls::ClientConfig, TransportError> {
    let setup = |e: &dyn std::fmt::Display| TransportError::TlsSetup { detail: e.to_string() };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for der in &config.extra_root_certificates {
        roots.add(der.clone().into()).map_err(|e| setup(&e))?;
    }
    let webpki =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().map_err(|e| setup(&e))?;
    let builder = rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions().map_err(|e| setup(&e))?;
    let tls = if config.pins.is_empty() {
        builder.with_webpki_verifier(webpki).with_no_client_auth()
    } else {
        builder
            .dangerous() // not dangerous: the pinned verifier runs full WebPKI validation first
            .with_custom_certificate_verifier(Arc::new(PinnedVerifier { inner: webpki, pins: config.pins.clone() }))
            .with_no_client_auth()
    };
    Ok(tls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_loopback() {
        for url in ["http://127.0.0.1:8080", "http://localhost/", "http://[::1]:9/"] {
            assert!(HttpTransport::new(TransportConfig::new(url)).is_ok(), "{url}");
        }
        assert_eq!(
            HttpTransport::new(TransportConfig::new("http://identity.example.com")).err(),
            Some(TransportError::InsecureUrl { host: "identity.example.com".into() })
        );
        assert!(matches!(HttpTransport::new(TransportConfig::new("ftp://x")).err(), Some(TransportError::InvalidUrl { .. })));
    }

    #[test]
    fn the_base_path_is_kept_when_joining() {
        let transport = HttpTransport::new(TransportConfig::new("https://host.example/api")).expect("config");
        assert_eq!(transport.base_url().join("v1/devices").expect("join").as_str(), "https://host.example/api/v1/devices");
    }

    #[test]
    fn an_answer_is_its_body_or_the_services_refusal() {
        assert_eq!(read_answer(204, b"anything"), Ok(&b"anything"[..]));
        let service =
            |status: u16, code: &str, message: &str| TransportError::Service { status, code: code.into(), message: message.into() };
        assert_eq!(
            read_answer(404, br#"{"code":"REQUEST_NOT_FOUND","message":"No such request."}"#),
            Err(service(404, "REQUEST_NOT_FOUND", "No such request."))
        );
        assert_eq!(read_answer(413, br#"{"code":"PAYLOAD_TOO_LARGE"}"#), Err(service(413, "PAYLOAD_TOO_LARGE", "")));
        assert_eq!(read_answer(502, b"<html>Bad gateway</html>"), Err(service(502, "HTTP_502", "Bad Gateway")));
        // Found by the fuzz target: a repeated key is not the service's body, so the status speaks.
        assert_eq!(read_answer(409, br#"{"code":"A","message":"x","message":"y"}"#), Err(service(409, "HTTP_409", "Conflict")));
        assert!(matches!(read_answer(1000, b""), Err(TransportError::UnexpectedBody { .. })));
        assert!(matches!(parse_body::<u32>(b"\"x\""), Err(TransportError::UnexpectedBody { .. })));
    }
}
