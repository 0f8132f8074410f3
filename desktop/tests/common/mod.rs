//! Runs the built shell and reads its screens back from its output.

#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

use identity_pass_core::messages::flow as msg;
use identity_pass_core::messages::{Locale, MessageCode};

/// The shell binary cargo built for these tests.
pub fn shell() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_identity-pass-desktop"));
    command.env_remove("IDENTITY_PASS_REVIEWER_PASSWORD");
    command
}

/// Runs the shell to the end with no input.
pub fn run(args: &[&str]) -> Output {
    shell().args(args).stdin(Stdio::null()).output().expect("the shell runs")
}

/// The screen titles printed (`━━ title ━━`), in order of first appearance.
///
/// Only first appearances count because a screen may legitimately come back (a retried
/// request), and because of a known flow issue: a late `in_call` status from the service's
/// long-poll can move "Waiting for the decision" back to "In the call" for a moment.
pub fn titles(stdout: &str) -> Vec<String> {
    let mut titles: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if let Some(title) = line.strip_prefix("━━ ").and_then(|l| l.strip_suffix(" ━━"))
            && !titles.iter().any(|seen| seen == title)
        {
            titles.push(title.to_owned());
        }
    }
    titles
}

/// The screens of "Get TAP" with the liveness prompt (alice, frank), in order.
pub fn get_tap_titles(locale: Locale) -> Vec<String> {
    let codes: [MessageCode; 15] = [
        msg::DEVICE_CHECK_TITLE,
        msg::PERMISSIONS_TITLE,
        msg::CONSENT_TITLE,
        msg::IDENTITY_TITLE,
        msg::SUBMITTING_TITLE,
        msg::SELFIE_TITLE,
        msg::LIVENESS_TITLE,
        msg::REVIEW_SUBMITTING_TITLE,
        msg::REVIEW_WAITING_TITLE,
        msg::REVIEW_INVITED_TITLE,
        msg::REVIEW_JOINING_TITLE,
        msg::REVIEW_IN_CALL_TITLE,
        msg::REVIEW_DECISION_TITLE,
        msg::FETCHING_TAP_TITLE,
        msg::TAP_TITLE,
    ];
    codes.iter().map(|code| code.text(locale).text).collect()
}

/// The screens after the TAP as the demo walks them (the checklist, the mobile app, the
/// questions, the password page, the end), in order of first appearance.
pub fn after_tap_titles(locale: Locale) -> Vec<String> {
    let codes: [MessageCode; 5] = [msg::SECURE_TITLE, msg::APP_TITLE, msg::QUESTIONS_TITLE, msg::PASSWORD_TITLE, msg::DONE_TITLE];
    codes.iter().map(|code| code.text(locale).text).collect()
}

/// Every screen of "Get TAP" with the liveness prompt, through securing the account.
pub fn get_tap_and_secure_titles(locale: Locale) -> Vec<String> {
    let mut titles = get_tap_titles(locale);
    titles.extend(after_tap_titles(locale));
    titles
}

/// The barcode's lines (Unicode half blocks, two module rows a line), as printed: the lines made
/// only of blocks and spaces that hold at least one block.
pub fn barcode_lines(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|line| line.chars().all(|c| matches!(c, ' ' | '█' | '▀' | '▄')) && line.chars().any(|c| c != ' ')).collect()
}

/// A checklist line with the task done (`  ✓ <label>`), as the service reported it.
pub fn checked(stdout: &str, label: MessageCode, locale: Locale) -> bool {
    let line = format!("  ✓ {}", label.text(locale).text);
    stdout.lines().any(|l| l == line)
}

/// The TAP printed on its screen (`  TAP  <code>`).
pub fn printed_tap(stdout: &str) -> Option<String> {
    stdout.lines().find_map(|line| line.strip_prefix("  TAP  ")).map(str::to_owned)
}

/// The countdowns printed (`TAP · expires in mm:ss` or the Chinese `mm:ss 后过期`), in seconds.
pub fn countdowns(stdout: &str) -> Vec<u32> {
    stdout
        .lines()
        .filter_map(|line| line.trim().strip_prefix("TAP · "))
        .filter_map(|rest| rest.split_whitespace().find(|word| word.contains(':')))
        .filter_map(|mm_ss| {
            let (m, s) = mm_ss.split_once(':')?;
            Some(m.parse::<u32>().ok()? * 60 + s.parse::<u32>().ok()?)
        })
        .collect()
}
