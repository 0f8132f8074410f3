//! A real TURN relay for the call tests: Debian's `coturn` (`turnserver`), started on loopback
//! with the shared-secret scheme the service's credentials follow (`use-auth-secret`), and
//! stopped on drop. A missing `turnserver` makes a test fail, never skip.

use std::net::UdpSocket;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TURNSERVER: &str = "/usr/bin/turnserver";

/// A running relay; the process is killed on drop.
pub struct TurnRelay {
    child: Child,
    /// `turn:127.0.0.1:<port>?transport=udp`.
    pub url: String,
    /// The secret shared with the service.
    pub secret: String,
    /// Its UDP port on 127.0.0.1.
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for TurnRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// Starts `turnserver` on a free loopback port with `secret`. Relayed addresses are on loopback
/// too, and loopback peers are allowed (by default coturn refuses to relay to them, which is
/// right in production and would leave nothing to test here).
pub fn start_turn_relay(secret: &str) -> TurnRelay {
    start_turn_relay_on(secret, free_udp_port())
}

/// [`start_turn_relay`] on `port` (a relay that comes back where it was).
pub fn start_turn_relay_on(secret: &str, port: u16) -> TurnRelay {
    assert!(Path::new(TURNSERVER).exists(), "{TURNSERVER} is missing: install Debian's `coturn` (apt-get install coturn)");
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("turn.log");
    let child = Command::new(TURNSERVER)
        .args(["-n", "--no-cli", "--no-tls", "--no-dtls", "--fingerprint", "--use-auth-secret", "--allow-loopback-peers"])
        .args(["--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--realm=identity-pass.test", "--simple-log"])
        .arg(format!("--listening-port={port}"))
        .arg(format!("--static-auth-secret={secret}"))
        .arg(format!("--db={}", dir.path().join("turndb").display()))
        .arg(format!("--pidfile={}", dir.path().join("turnserver.pid").display()))
        .arg(format!("--log-file={}", log.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("turnserver starts");
    let relay = TurnRelay { child, url: format!("turn:127.0.0.1:{port}?transport=udp"), secret: secret.to_owned(), port, _dir: dir };
    // Ready once its servers and then its credential store are up (the last line it logs as it
    // starts).
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("Total General servers") && text.contains("DB connection success") {
            return relay;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "turnserver did not start:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The wall clock, Unix seconds (the relay's clock).
pub fn wall_clock_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}
