//! The transport over real TLS on loopback: a test CA, a leaf for `localhost`, a tokio-rustls
//! server answering a JSON route, and `HttpTransport` against it with and without the CA as an
//! extra root and with right and wrong public-key pins. Pinning is added to certificate
//! validation, never a replacement for it, and a pin follows the key across a re-issued
//! certificate.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use identity_pass_runtime::transport::ServiceRequest;
use identity_pass_runtime::{HttpTransport, RetryPolicy, SpkiPin, TransportConfig, TransportError};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// Three attempts a few milliseconds apart: enough to see whether a failure is retried, and
/// how often.
const RETRY: RetryPolicy = RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(10), max_delay: Duration::from_millis(20) };

/// A test certificate authority.
struct TestCa {
    der: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    fn new() -> TestCa {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let key = KeyPair::generate().expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, "Identity Pass test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let der = params.self_signed(&key).expect("CA certificate").der().clone();
        TestCa { der, issuer: Issuer::new(params, key) }
    }

    /// A server certificate for `name` on `key`; `serial` and `year` tell issues apart.
    fn leaf(&self, name: &str, key: &KeyPair, serial: u64, year: i32) -> CertificateDer<'static> {
        let mut params = CertificateParams::new(vec![name.to_owned()]).expect("leaf params");
        params.distinguished_name.push(DnType::CommonName, name);
        params.serial_number = Some(serial.into());
        params.not_before = rcgen::date_time_ymd(year, 1, 1);
        params.not_after = rcgen::date_time_ymd(2099, 12, 31);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.signed_by(key, &self.issuer).expect("leaf certificate").der().clone()
    }

    fn root(&self) -> Vec<Vec<u8>> {
        vec![self.der.to_vec()]
    }
}

/// A TLS service on loopback answering `GET /v1/ping` with `{"pong": true}`.
struct TlsService {
    port: u16,
    /// TCP connections accepted: one per attempt the client made.
    accepted: Arc<AtomicUsize>,
}

impl TlsService {
    async fn start(leaf: CertificateDer<'static>, ca: &TestCa, key: &KeyPair) -> TlsService {
        let chain = vec![leaf, ca.der.clone()];
        let private_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(chain, private_key)
            .expect("server certificate");
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let router = axum::Router::new().route("/v1/ping", axum::routing::get(|| async { axum::Json(json!({ "pong": true })) }));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let service = TlsService { port: listener.local_addr().expect("address").port(), accepted: Arc::default() };
        let accepted = service.accepted.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (acceptor, router) = (acceptor.clone(), router.clone());
                tokio::spawn(async move {
                    // A refused handshake ends here; the client reports why.
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let _ = auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), TowerToHyperService::new(router))
                        .await;
                });
            }
        });
        service
    }

    async fn ping(&self, roots: Vec<Vec<u8>>, pins: Vec<SpkiPin>) -> Result<Value, TransportError> {
        let mut config = TransportConfig::new(format!("https://localhost:{}/", self.port));
        config.extra_root_certificates = roots;
        config.pins = pins;
        config.retry = RETRY;
        config.connect_timeout = Duration::from_secs(10);
        config.request_timeout = Duration::from_secs(20);
        let transport = HttpTransport::new(config).expect("transport");
        transport.send_json(ServiceRequest::new(reqwest::Method::GET, "v1/ping")).await
    }
}

fn pin_of(key: &KeyPair) -> SpkiPin {
    SpkiPin::of_spki(&rcgen::PublicKeyData::subject_public_key_info(key))
}

#[track_caller]
fn network_detail(result: Result<Value, TransportError>) -> String {
    match result {
        Err(TransportError::Network { detail }) => detail,
        other => panic!("expected a network error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_root_without_a_pin_connects() {
    let ca = TestCa::new();
    let key = KeyPair::generate().expect("key");
    let service = TlsService::start(ca.leaf("localhost", &key, 1, 2025), &ca, &key).await;
    assert_eq!(service.ping(ca.root(), Vec::new()).await, Ok(json!({ "pong": true })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_root_with_the_right_pin_connects() {
    let ca = TestCa::new();
    let key = KeyPair::generate().expect("key");
    let leaf = ca.leaf("localhost", &key, 1, 2025);
    let pin = SpkiPin::of_certificate(leaf.as_ref()).expect("pin of the leaf");
    assert_eq!(pin, pin_of(&key), "the pin is the key's, read from the certificate");
    let service = TlsService::start(leaf, &ca, &key).await;
    // A second, unrelated pin (the next key, during a rotation) does not get in the way.
    let next_key = pin_of(&KeyPair::generate().expect("next key"));
    assert_eq!(service.ping(ca.root(), vec![next_key, pin]).await, Ok(json!({ "pong": true })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_fails_naming_the_pin_and_is_not_retried() {
    let ca = TestCa::new();
    let key = KeyPair::generate().expect("key");
    let service = TlsService::start(ca.leaf("localhost", &key, 1, 2025), &ca, &key).await;
    let wrong = pin_of(&KeyPair::generate().expect("another key"));
    let detail = network_detail(service.ping(ca.root(), vec![wrong]).await);
    assert!(detail.contains("pinned key"), "{detail}");
    let attempts = service.accepted.load(Ordering::SeqCst);
    assert_eq!(attempts, 1, "a refused certificate will be refused again: one attempt, no retries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_extra_root_the_issuer_is_unknown() {
    let ca = TestCa::new();
    let key = KeyPair::generate().expect("key");
    let service = TlsService::start(ca.leaf("localhost", &key, 1, 2025), &ca, &key).await;
    let detail = network_detail(service.ping(Vec::new(), Vec::new()).await);
    assert!(detail.contains("UnknownIssuer"), "{detail}");
    // Pinning the right key does not make an untrusted chain acceptable.
    let detail = network_detail(service.ping(Vec::new(), vec![pin_of(&key)]).await);
    assert!(detail.contains("UnknownIssuer"), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pin_follows_the_key_across_a_reissued_certificate_but_not_to_a_new_key() {
    let ca = TestCa::new();
    let key = KeyPair::generate().expect("key");
    let first = ca.leaf("localhost", &key, 1, 2025);
    let pin = SpkiPin::of_certificate(first.as_ref()).expect("pin");

    // Renewal: a new certificate (serial, validity, signature) on the same key.
    let renewed = ca.leaf("localhost", &key, 2, 2026);
    assert_ne!(renewed, first, "really a new certificate");
    let service = TlsService::start(renewed, &ca, &key).await;
    assert_eq!(service.ping(ca.root(), vec![pin]).await, Ok(json!({ "pong": true })));

    // A new key: same CA, same name, a valid chain; only the pin refuses it.
    let new_key = KeyPair::generate().expect("new key");
    let service = TlsService::start(ca.leaf("localhost", &new_key, 3, 2026), &ca, &new_key).await;
    assert_eq!(service.ping(ca.root(), Vec::new()).await, Ok(json!({ "pong": true })), "the chain itself is valid");
    let detail = network_detail(service.ping(ca.root(), vec![pin]).await);
    assert!(detail.contains("pinned key"), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_right_pin_does_not_excuse_a_certificate_for_another_name() {
    let ca = TestCa::new();
    let key = KeyPair::generate().expect("key");
    let service = TlsService::start(ca.leaf("identity.other.example", &key, 1, 2025), &ca, &key).await;
    let detail = network_detail(service.ping(ca.root(), vec![pin_of(&key)]).await);
    assert!(detail.contains("not valid for name \"localhost\""), "{detail}");
}
