//! What the shell says when it cannot run: bad arguments, an unusable selfie, no camera —
//! a clear message on stderr and exit status 2, never a panic, and nothing started.

mod common;

use common::*;

#[test]
fn a_missing_selfie_file_is_a_clear_error_with_status_2() {
    let output = run(&["--selfie", "/nonexistent/selfie.jpg"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("cannot read the selfie file /nonexistent/selfie.jpg"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing starts before the selfie is known to be usable");
}

#[test]
fn help_documents_every_flag_and_unknown_values_are_refused_with_status_2() {
    let output = run(&["--lang", "fr"]);
    assert_eq!(output.status.code(), Some(2));
    let help = run(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--interactive", "--selfie", "--lang", "--service-url"] {
        assert!(text.contains(flag), "--help documents {flag}");
    }
}

#[test]
fn interactive_mode_without_a_camera_says_so_and_suggests_a_selfie_file() {
    if std::path::Path::new("/dev/video0").exists() {
        return; // this machine has a camera: there is no absence to report
    }
    let output = run(&["--interactive"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("CAMERA_NONE") && stderr.contains("--selfie FILE"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_standalone_service_without_a_reviewer_password_is_refused_before_starting() {
    let output = run(&["--service-url", "http://127.0.0.1:9"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--reviewer-password"));
}
