//! `OnboardingFlow::restore` on any text: never a panic, and whatever it accepts saves and
//! restores to the same flow (a restored app resumes exactly where the saved one was).
#![no_main]

use identity_pass_core::OnboardingFlow;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(document) = std::str::from_utf8(data) else { return };
    if let Ok(flow) = OnboardingFlow::restore(document) {
        let saved = flow.snapshot();
        assert!(!saved.is_empty(), "a restored flow must save");
        let again = OnboardingFlow::restore(&saved).expect("a flow's own snapshot must restore");
        assert_eq!(again, flow, "save → restore changed the flow");
        assert_eq!(again.snapshot(), saved, "the snapshot is not stable");
    }
});
