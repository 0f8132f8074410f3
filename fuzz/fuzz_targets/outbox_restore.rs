//! The runtime's outbox read from secure storage: any bytes give an outbox (unreadable is
//! empty, never a panic), and what was read writes and reads back unchanged.
#![no_main]

use identity_pass_runtime::outbox::Outbox;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let outbox = Outbox::from_bytes(data);
    let bytes = outbox.to_bytes();
    let again = Outbox::from_bytes(&bytes);
    assert_eq!(again, outbox, "write → read changed the outbox");
    assert_eq!(again.len(), outbox.len());
    assert_eq!(again.to_bytes(), bytes, "the stored form is not stable");
    // Forgetting every call empties it; keeping none that it has changes it only when non-empty.
    let mut emptied = again.clone();
    assert_eq!(emptied.retain(&[]), !outbox.is_empty());
    assert!(emptied.is_empty());
});
