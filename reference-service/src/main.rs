//! Standalone Identity Pass reference service.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use identity_pass_service::domain::call_network::CallNetwork;
use identity_pass_service::domain::directory_seed::add_synthetic_people;
use identity_pass_service::secrets::Redacted;
use identity_pass_service::{ServiceConfig, spawn_embedded};

/// The Identity Pass reference backend: devices, onboarding requests, review queue and reviewer
/// console (/console), TAPs with Entra semantics, Verified ID, passkeys, status long-poll.
#[derive(Debug, Parser)]
#[command(name = "identity-pass-service", version, after_help = RUNNING)]
struct Args {
    /// Address to listen on (use 127.0.0.1 unless you mean to expose it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite database file; created and migrated if missing; survives restarts.
    #[arg(long)]
    db: PathBuf,
    /// Password for the seeded reviewer accounts created at this start (at least 12 characters);
    /// a random one is generated and printed when absent. Accounts that exist keep theirs.
    #[arg(long, env = "IDENTITY_PASS_REVIEWER_PASSWORD", hide_env_values = true)]
    reviewer_password: Option<String>,
    /// Development and tests only: also seed N made-up employees on "Get TAP",
    /// synthetic-00001@contoso.example (employee ID S00001) onwards, so many onboardings can
    /// run at once, each as its own person (the kill-storm test uses it). Never in production.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=10_000))]
    synthetic_people: u16,
    /// Development and tests only: text messages and voice calls go to the development
    /// providers, which send nothing and show them at /console/dev (and GET /v1/dev/outbox),
    /// where a call's keypad is typed on. Without it (and without a production adapter) the
    /// security policy offers no text message or voice call.
    #[arg(long)]
    development_providers: bool,
    /// The WebAuthn relying-party id: the domain passkeys are made for and that serves the
    /// /.well-known association documents. Ceremonies from https://<RP id> (the iOS app,
    /// browsers) are accepted.
    #[arg(long, value_name = "DOMAIN", default_value = "id.contoso.example")]
    rp_id: String,
    /// An Android application id allowed to use the RP id's passkeys and links (repeat it for
    /// each flavor, e.g. com.identitypass.app and com.identitypass.app.cn); needs
    /// --android-cert-sha256. Served in /.well-known/assetlinks.json.
    #[arg(long = "android-package", value_name = "NAME")]
    android_packages: Vec<String>,
    /// SHA-256 fingerprint of the Android app's signing certificate, 32 colon-separated hex
    /// pairs as `keytool -list -v` prints it (repeatable: upload and Play app-signing keys).
    /// Also admits the WebAuthn origin android:apk-key-hash:<fingerprint, base64url>.
    #[arg(long = "android-cert-sha256", value_name = "AA:BB:...")]
    android_cert_sha256: Vec<String>,
    /// An Apple app id, TEAMID.bundle.id, allowed to use the RP id's passkeys and universal
    /// links (repeatable). Served in /.well-known/apple-app-site-association.
    #[arg(long = "apple-app-id", value_name = "TEAMID.BUNDLE")]
    apple_app_ids: Vec<String>,
    /// A STUN server for reviewers' calls, stun:host:port (repeatable).
    #[arg(long = "stun-url", value_name = "URL")]
    stun_urls: Vec<String>,
    /// A TURN relay for reviewers' calls, turn:host:port?transport=udp or turns:host:port
    /// (repeatable); needs --turn-secret-file. Each side of a call gets its own credential,
    /// valid for an hour (the TURN server's `use-auth-secret` scheme).
    #[arg(long = "turn-url", value_name = "URL")]
    turn_urls: Vec<String>,
    /// A file holding the secret shared with the TURN relays (coturn's static-auth-secret), at
    /// least 24 characters. A file, not an argument, so it is not in the process list.
    #[arg(long = "turn-secret-file", value_name = "PATH")]
    turn_secret_file: Option<PathBuf>,
    /// Every call goes through the TURN relays (the sides offer relayed candidates only): for
    /// a media address only the relays can reach. Needs --turn-url.
    #[arg(long = "call-relay-only")]
    call_relay_only: bool,
    /// The address reviewers' calls reach the service's media side on: the service is in the
    /// call's media path, and each call gets a UDP port on this address, named in the answers
    /// as the service's candidate. Both sides, or the TURN relay, must reach it.
    #[arg(long = "call-media-address", value_name = "IP", default_value = "127.0.0.1")]
    call_media_address: std::net::IpAddr,
    /// The address the answers name for the call's media when the sides reach
    /// --call-media-address by another: a 1:1 NAT in front of the service, or 10.0.2.2 for an
    /// Android emulator (its alias for the host's loopback).
    #[arg(long = "call-media-public-address", value_name = "IP")]
    call_media_public_address: Option<std::net::IpAddr>,
}

const RUNNING: &str = "\
Running standalone:
  identity-pass-service --listen 127.0.0.1:8080 --db ./identity-pass.sqlite3
  # stderr shows the address and, the first time, the reviewer accounts it created and, unless
  # --reviewer-password/IDENTITY_PASS_REVIEWER_PASSWORD is set, their generated password.
  # Open http://127.0.0.1:8080/console and sign in as maria@contoso.example (the seeded
  # people's manager); security-admin@contoso.example reads the audit log.
  curl http://127.0.0.1:8080/healthz
  curl -X POST -H 'Idempotency-Key: k1' -H 'Content-Type: application/json' \\
       -d '{\"platform\":\"android\"}' http://127.0.0.1:8080/v1/devices

The database survives restarts (SQLite, WAL). The seeded directory has alice@, bob@, carol@,
dave@, henry@, v-erin@ and v-frank@contoso.example (see src/domain/directory_seed.rs).
The HTTP contract is openapi.yaml in the crate root. Stop with Ctrl-C.";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        // Colours only for a person at a terminal: a log redirected to a file stays plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let password_given = args.reviewer_password.is_some();
    let turn_secret = match &args.turn_secret_file {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(Redacted::new(text.trim().to_owned())),
            Err(error) => {
                eprintln!("identity-pass-service: --turn-secret-file {}: {error}", path.display());
                return std::process::ExitCode::FAILURE;
            }
        },
    };
    let mut config = ServiceConfig {
        listen: args.listen,
        db_path: Some(args.db),
        reviewer_password: args.reviewer_password,
        development_providers: args.development_providers,
        webauthn_origin: format!("https://{}", args.rp_id),
        webauthn_rp_id: args.rp_id,
        android_packages: args.android_packages,
        android_cert_sha256: args.android_cert_sha256,
        apple_app_ids: args.apple_app_ids,
        call_network: CallNetwork { stun_urls: args.stun_urls, turn_urls: args.turn_urls, turn_secret, relay_only: args.call_relay_only },
        call_media_address: args.call_media_address,
        call_media_public_address: args.call_media_public_address,
        ..ServiceConfig::default()
    };
    add_synthetic_people(&mut config.directory, usize::from(args.synthetic_people));
    let service = match spawn_embedded(config).await {
        Ok(service) => service,
        Err(error) => {
            eprintln!("identity-pass-service: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Before the "listening on" line, which readers (tests, scripts) may stop at.
    if let Some(partner) = &service.partner_base_url {
        eprintln!("reference ID-check partner on {partner}");
    }
    if !service.created_reviewers.is_empty() {
        eprintln!("reviewer accounts created: {}", service.created_reviewers.join(", "));
        if !password_given {
            // Printed once on the operator's terminal, which is where a generated password must go.
            eprintln!("their password: {}", service.reviewer_password);
        }
    }
    eprintln!("listening on {} (console: {}/console)", service.base_url, service.base_url);
    let _ = tokio::signal::ctrl_c().await;
    service.shutdown().await;
    std::process::ExitCode::SUCCESS
}
