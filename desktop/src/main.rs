//! # Identity Pass desktop shell
//!
//! The README's main job: the whole onboarding in a terminal, against the embedded reference
//! service. Scripted by default — sample answers, the bundled sample selfie and a scripted
//! reviewer take it from the first screen to a Temporary Access Pass on screen with its
//! countdown, then, signed in with it, a stand-in authenticator app, sample security answers and
//! a stand-in browser on the password page secure the account — and interactive with
//! `--interactive`.
//!
//! It plays the phone's part only: every screen's text comes from the core's view, every rule
//! from the core's flow, every service call from the runtime.

mod answers;
mod authenticator;
mod backend;
mod browser;
mod call;
mod camera;
mod chrome;
mod cli;
mod driver;
mod ephemeral_store;
mod frames;
mod input;
mod keyring_store;
mod render;
mod reviewer;
mod script;
mod shell;
mod store;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use identity_pass_core::eligibility::{Distribution, Platform};
use identity_pass_core::{SecretString, core_version};
use identity_pass_runtime::{OnboardingRuntime, SessionConfig, StartError, StatusMode, SystemClock};

use answers::Answers;
use backend::{Backend, BackendError, ReviewerAccount};
use camera::{Camera, CameraInputError, StillCamera};
use chrome::Chrome;
use cli::Cli;
use driver::{DriveError, Driver, Finish, Reviewer};
use render::Renderer;
use shell::{DesktopShell, NoPlatformPasskeys};

/// Why the shell stopped before the onboarding's end.
#[derive(Debug, thiserror::Error)]
enum DesktopError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Camera(#[from] CameraInputError),
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error("the onboarding could not start: {0}")]
    Start(#[from] StartError),
    #[error(transparent)]
    Drive(#[from] DriveError),
}

impl DesktopError {
    /// 2: the command line or its selfie/camera is unusable; 1: the onboarding did not finish.
    fn exit_code(&self) -> u8 {
        match self {
            DesktopError::Usage(_) | DesktopError::Camera(_) | DesktopError::Drive(DriveError::Camera(_)) => 2,
            _ => 1,
        }
    }
}

fn main() -> ExitCode {
    // Logs go to stderr, so the screens on stdout stay readable; `RUST_LOG` chooses what (the
    // secret-bearing types print redacted at every level), warnings only by default.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal: a log piped to a file or a test stays plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("identity-pass-desktop: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// The camera the command line asks for; checked before anything starts.
/// The desktop has no platform passkey API. The scripted "Get Passkey" run uses the runtime's
/// software authenticator, which always reports the user present: a demo stand-in for
/// Credential Manager / AuthenticationServices, never offered to a person.
fn passkeys(cli: &Cli) -> Arc<dyn identity_pass_runtime::PasskeyAuthenticator> {
    if cli.passkey_path {
        // The reference service's WebAuthn origin (`ServiceConfig::webauthn_origin`).
        Arc::new(identity_pass_runtime::software_passkey::SoftwarePasskeyAuthenticator::new("https://id.contoso.example"))
    } else {
        Arc::new(NoPlatformPasskeys)
    }
}

fn choose_camera(cli: &Cli, chrome: Chrome) -> Result<(Camera, String), CameraInputError> {
    match (&cli.selfie, cli.interactive) {
        (Some(path), _) => Ok((Camera::Still(Box::new(StillCamera::from_file(path)?)), chrome.selfie_file(&path.display().to_string()))),
        (None, true) => Ok((Camera::webcam()?, chrome.webcam())),
        (None, false) => Ok((Camera::Still(Box::new(StillCamera::sample()?)), chrome.sample_selfie())),
    }
}

fn run(cli: &Cli) -> Result<(), DesktopError> {
    let started = Instant::now();
    let locale = cli.lang.locale();
    let chrome = Chrome(locale);
    if cli.service_url.is_some() && !cli.interactive && cli.reviewer_password.is_none() {
        return Err(DesktopError::Usage(
            "the scripted reviewer signs in to the standalone service: give --reviewer-password (or IDENTITY_PASS_REVIEWER_PASSWORD)"
                .into(),
        ));
    }
    let (camera, camera_label) = choose_camera(cli, chrome)?;
    let backend = match &cli.service_url {
        Some(url) => Backend::remote(
            url,
            ReviewerAccount { upn: cli.reviewer.clone(), password: cli.reviewer_password.clone().map(SecretString::new) },
        )?,
        None => Backend::embedded()?,
    };
    let mut render = Renderer::new();
    let selected = store::secure_store(cli.interactive);
    render.plain(&chrome.banner(core_version()));
    render.plain(&format!("  {}", chrome.mode(cli.interactive)));
    render.plain(&format!("  {}", chrome.service(&backend.base_url, backend.is_embedded())));
    render.plain(&format!("  {}", chrome.camera_source(&camera_label)));
    render.plain(&format!("  {}", selected.label(locale)));

    let (queue, inbox) = std::sync::mpsc::channel();
    let mut config = SessionConfig::new(backend.base_url.clone(), Platform::Desktop, Distribution::Global);
    config.locale = locale;
    config.status_mode = StatusMode::LongPoll { wait_seconds: 25 };
    // The desktop joins the reviewer's call as the phones do: the runtime opens the media, the
    // service measures the time in the call from it (call.rs says what a terminal feeds it).
    config.joins_call_media = true;
    // The desktop has no Secure Enclave: its device key is a software key kept in the same store
    // as its other secrets (the kernel keyring).
    let device_key = Arc::new(identity_pass_runtime::software_device_key::StoredSoftwareDeviceKey::new(selected.store.clone()));
    let reviewer_media = Arc::new(call::ReviewerMedia::default());
    let shell = Arc::new(DesktopShell::new(queue, reviewer_media.clone()));
    let runtime = OnboardingRuntime::start(config, selected.store.clone(), shell, passkeys(cli), device_key, Arc::new(SystemClock))?;
    let (answers, reviewer) = if cli.interactive {
        let reviewer = Reviewer::Person {
            console_url: backend.console_url(),
            upn: backend.reviewer.upn.clone(),
            password: backend.reviewer.password.clone(),
        };
        (Answers::Interactive(input::Keyboard::spawn()), reviewer)
    } else {
        let password = backend.reviewer.password.clone().unwrap_or_else(|| SecretString::new(String::new()));
        let api = backend
            .block_on(reviewer::ReviewerApi::sign_in(&backend.base_url, &backend.reviewer.upn, &password))
            .map_err(|e| BackendError::Remote { url: backend.base_url.clone(), detail: format!("reviewer sign-in: {e}") })?;
        let sample = if cli.passkey_path { answers::Sample::Passkey } else { answers::Sample::Tap };
        (Answers::Scripted(sample), Reviewer::Scripted(script::ScriptedReviewer::new(api)))
    };

    let mut driver = Driver::new(&runtime, &backend, inbox, render, locale, answers, reviewer, camera, reviewer_media);
    let outcome = driver.run();
    let tap_shown = driver.tap_shown();
    let mut render = driver.into_renderer();
    let embedded = backend.is_embedded();
    runtime.shutdown();
    backend.shutdown();
    match outcome {
        Ok(finish @ (Finish::TapShown | Finish::Done)) => {
            render.plain("");
            render.plain(&chrome.summary(started.elapsed().as_secs_f64(), embedded, finish == Finish::TapShown));
            Ok(())
        }
        Err(error) => {
            render.plain("");
            render.plain(&if tap_shown { chrome.stopped_after_tap() } else { chrome.ended_without_tap() });
            Err(error.into())
        }
    }
}
