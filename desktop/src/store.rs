//! The one place that chooses the shell's `SecureStore`. Today: the in-memory demo store,
//! labelled as such on screen. The OS keyring store (`keyring_store.rs`, in progress) replaces
//! it here and nowhere else.

use std::sync::Arc;

use identity_pass_core::messages::Locale;
use identity_pass_core::SecureStore;

use crate::ephemeral_store::EphemeralDemoStore;

/// The store in use and how the start-up screen names it.
pub struct SelectedStore {
    /// The store.
    pub store: Arc<dyn SecureStore>,
    english: &'static str,
    chinese: &'static str,
}

impl SelectedStore {
    /// Its description, for the start-up lines.
    pub fn label(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::English => self.english,
            Locale::SimplifiedChinese => self.chinese,
        }
    }
}

/// The secure store of this shell.
pub fn secure_store() -> SelectedStore {
    SelectedStore {
        store: Arc::new(EphemeralDemoStore::default()),
        english: "secure store: in memory, for this demo only (not the OS keyring; nothing outlives this process or reaches the disk)",
        chinese: "安全存储：仅本演示使用的内存存储（不是系统钥匙串；进程结束即消失，不写入磁盘）",
    }
}
