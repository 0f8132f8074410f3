//! The one place that chooses the shell's `SecureStore`.
//!
//! Interactive runs keep the onboarding in the OS keyring (kernel keyutils, `keyring_store.rs`)
//! so that a person who quits can resume where they were. The scripted demo starts afresh every
//! time, so it keeps nothing: an in-memory store, named as such on screen. When the keyring
//! cannot be used, the screen says so and why — never a silent fallback.

use std::sync::Arc;

use identity_pass_core::SecureStore;
use identity_pass_core::messages::Locale;

use crate::ephemeral_store::EphemeralDemoStore;
use crate::keyring_store::KeyringStore;

/// The store in use and how the start-up screen names it.
pub struct SelectedStore {
    /// The store.
    pub store: Arc<dyn SecureStore>,
    english: String,
    chinese: String,
}

impl SelectedStore {
    /// Its description, for the start-up lines.
    pub fn label(&self, locale: Locale) -> &str {
        match locale {
            Locale::English => &self.english,
            Locale::SimplifiedChinese => &self.chinese,
        }
    }
}

fn in_memory(english: String, chinese: String) -> SelectedStore {
    SelectedStore { store: Arc::new(EphemeralDemoStore::default()), english, chinese }
}

/// The secure store of this run.
pub fn secure_store(interactive: bool) -> SelectedStore {
    if !interactive {
        return in_memory(
            "secure store: in memory, for this scripted demo only (every run starts afresh; nothing reaches the disk)".into(),
            "安全存储：仅本脚本演示使用的内存存储（每次运行都重新开始；不写入磁盘）".into(),
        );
    }
    match KeyringStore::open() {
        Ok(store) => SelectedStore {
            store: Arc::new(store),
            english: "secure store: the OS keyring (kernel keyutils); quit and run again to resume".into(),
            chinese: "安全存储：系统钥匙串（内核 keyutils）；退出后再次运行即可继续".into(),
        },
        Err(error) => in_memory(
            format!("secure store: in memory for this run only, because the OS keyring is unavailable ({error})"),
            format!("安全存储：因系统钥匙串不可用（{error}），本次运行仅使用内存存储"),
        ),
    }
}
