//! Headless Chromium (Debian's `chromium` + `chromedriver`) over WebDriver, for the tests of
//! the pages people use: the reviewer console and the reference partner's ID-check page.
//! Missing browsers make a test fail, never skip.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const WAIT: Duration = Duration::from_secs(20);

/// The chromedriver process, stopped on drop with every process of its group.
///
/// A test ends its WebDriver session, which quits Chromium. A test that panics first never
/// gets there, and killing chromedriver alone leaves Chromium running (its browser and
/// renderers stay in chromedriver's process group). So chromedriver starts a group of its own,
/// and the whole group is killed.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // `kill -KILL -<group>`: std has no call for a group, and this crate forbids `unsafe`.
        let _ =
            Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Starts chromedriver and a headless Chromium session with a fresh profile.
pub async fn start_browser(profile: &Path) -> (Driver, Client) {
    start_browser_with(profile, &[]).await
}

/// Chromium's own fake camera (a moving test pattern with a frame counter) and microphone
/// (a beep), granted without a prompt, and received audio played without a click: what a call
/// test needs.
pub const FAKE_MEDIA: &[&str] =
    &["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"];

/// [`start_browser`] with more command-line switches.
pub async fn start_browser_with(profile: &Path, switches: &[&str]) -> (Driver, Client) {
    for binary in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(binary).exists(),
            "{binary} is missing: install Debian's `chromium` and `chromium-driver` (apt-get install chromium chromium-driver)"
        );
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    .into_iter()
    .chain(switches.iter().copied())
    .map(str::to_owned)
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    let started = Instant::now();
    loop {
        let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities.clone());
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => return (driver, client),
            Err(error) if started.elapsed() < WAIT => {
                let _ = error;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(error) => panic!("could not start headless Chromium through chromedriver: {error}"),
        }
    }
}

/// Polls the page until `condition` holds for the text of `css` (or gives up after WAIT).
pub async fn wait_text(client: &Client, css: &str, condition: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && condition(&text)
        {
            return text;
        }
        assert!(started.elapsed() < WAIT, "timed out waiting on {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
