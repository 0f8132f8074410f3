//! The command line. Scripted by default (the README's `bash scripts/demo.sh`); one flag makes
//! it interactive.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use identity_pass_core::messages::Locale;

/// Identity Pass in a terminal: the whole onboarding, from the first screen to a Temporary
/// Access Pass and the account secured with it, against the embedded reference service.
#[derive(Debug, Parser)]
#[command(name = "identity-pass-desktop", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// A person types the answers, the selfie comes from the webcam (or --selfie), and a real
    /// reviewer acts in the reviewer console whose address is printed.
    #[arg(long)]
    pub interactive: bool,
    /// A photograph (JPEG or PNG) with one face, used as the camera for the selfie and the
    /// liveness check instead of the bundled sample or the webcam.
    #[arg(long, value_name = "FILE")]
    pub selfie: Option<PathBuf>,
    /// Scripted: walk the "Get Passkey" path as dave@contoso.example instead: the reference
    /// partner's ID-check page (submitted by the script), the Verified ID, liveness, the review
    /// and a passkey from a software authenticator (a demo stand-in, never a real one).
    #[arg(long, conflicts_with = "interactive")]
    pub passkey_path: bool,
    /// Language of the screens.
    #[arg(long, value_enum, default_value_t = Language::En)]
    pub lang: Language,
    /// Use a running standalone service (`identity-pass-service`) instead of the embedded one.
    #[arg(long, value_name = "URL")]
    pub service_url: Option<String>,
    /// The reviewer account the scripted reviewer signs in as (--service-url only).
    #[arg(long, value_name = "UPN", default_value = identity_pass_service::domain::directory_seed::SEED_MANAGER)]
    pub reviewer: String,
    /// That account's password on the standalone service, for the scripted reviewer
    /// (--service-url only).
    #[arg(long, value_name = "PASSWORD", env = "IDENTITY_PASS_REVIEWER_PASSWORD", hide_env_values = true)]
    pub reviewer_password: Option<String>,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Language {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Language {
    /// The core's locale for this language.
    pub fn locale(self) -> Locale {
        match self {
            Language::En => Locale::English,
            Language::Zh => Locale::SimplifiedChinese,
        }
    }
}

const AFTER_HELP: &str = "\
Scripted (default): sample answers for alice@contoso.example, the bundled sample selfie and a
scripted reviewer; a few seconds after the TAP appears it secures the account with it (a stand-in
authenticator app, sample security answers, a stand-in browser on the password page). Exit
status: 0 when the onboarding finished (or, interactively, the person quit on the TAP screen), 1
when it did not, 2 for bad arguments or an unusable selfie/camera.

  identity-pass-desktop                         # the README's demo (bash scripts/demo.sh)
  identity-pass-desktop --lang zh
  identity-pass-desktop --passkey-path          # dave@: the partner's ID-check page, a passkey
  identity-pass-desktop --interactive           # webcam; the reviewer console URL is printed
  identity-pass-desktop --interactive --selfie me.jpg
  IDENTITY_PASS_REVIEWER_PASSWORD=… identity-pass-desktop --service-url http://127.0.0.1:8080";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_scripted_english_demo() {
        let cli = Cli::try_parse_from(["identity-pass-desktop"]).expect("parses");
        assert!(!cli.interactive);
        assert_eq!(cli.lang.locale(), Locale::English);
        assert!(cli.selfie.is_none() && cli.service_url.is_none());
    }

    #[test]
    fn zh_selects_simplified_chinese_and_unknown_languages_are_refused() {
        let cli = Cli::try_parse_from(["x", "--lang", "zh", "--interactive"]).expect("parses");
        assert_eq!(cli.lang.locale(), Locale::SimplifiedChinese);
        assert!(cli.interactive);
        assert!(Cli::try_parse_from(["x", "--lang", "fr"]).is_err());
    }
}
