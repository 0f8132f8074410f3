//! Scripted mode: the sample answers a new employee would type (alice@contoso.example, a
//! "Get TAP" employee of the service's seeded directory) and a scripted reviewer who calls,
//! waits out the call's 15-second minimum in real time, and approves; after the TAP, her answers
//! to the security questions and the password she sets on the service's page.

use std::collections::HashSet;
use std::time::Duration;

use identity_pass_core::SecretString;
use identity_pass_core::flow::identity_entry::{IdentityForm, StaffKind};
use identity_pass_runtime::TransportError;

use crate::backend::Backend;
use crate::reviewer::{ReviewerAction, ReviewerApi};

/// Alice's answers on the identity form (seeded directory: "Get TAP", liveness on).
pub fn sample_identity() -> IdentityForm {
    IdentityForm { upn: "alice@contoso.example".into(), employee_id: "E1001".into(), personal_email: None, staff_kind: StaffKind::Employee }
}

/// Dave's answers (seeded directory: "Get Passkey": the partner's ID check, the Verified ID,
/// liveness, the review, then a passkey).
pub fn passkey_sample_identity() -> IdentityForm {
    IdentityForm { upn: "dave@contoso.example".into(), employee_id: "E1004".into(), personal_email: None, staff_kind: StaffKind::Employee }
}

/// The photos the script submits on the reference partner's page (a sample ID card and the
/// sample selfie), and the mobile number it types.
pub const SAMPLE_ID_DOCUMENT: &[u8] = include_bytes!("../../core/tests/fixtures/id_document_856x540.jpg");
/// The selfie submitted on the partner's page.
pub const SAMPLE_PARTNER_SELFIE: &[u8] = include_bytes!("../../core/tests/fixtures/face_selfie_640x480.jpg");
/// The mobile number typed on the partner's page.
pub const SAMPLE_PHONE_NUMBER: &str = "+14255550123";

/// Alice's date of birth in the seeded directory (asked only on the legacy path).
pub const SAMPLE_DATE_OF_BIRTH: (i32, u32, u32) = (1990, 4, 12);

/// How long the scripted user stays in the call: the rule is at least 15 s, on the service's
/// whole-second clock, so one more second makes it certain on both clocks.
pub const CALL_HOLD: Duration = Duration::from_secs(16);

/// How long the scripted run shows the TAP countdown before it presses "Secure your account".
pub const TAP_SHOWN_FOR: Duration = Duration::from_secs(3);

/// Alice's answers to the first four questions of the admin's list, in the list's order (the
/// script picks the first four; the service only asks for answers of at least 3 characters).
pub const SAMPLE_SECURITY_ANSWERS: [&str; 4] = ["Lakeside Primary", "Jordan", "Biscuit", "Seattle"];

/// The permanent password Alice sets on the password page (12 characters or more, without her
/// name, as the service's policy asks).
pub fn sample_password() -> SecretString {
    SecretString::new("correct horse battery staple 42".into())
}

/// Liveness attempts before the script gives up.
pub const MAX_LIVENESS_ATTEMPTS: u32 = 3;

/// The same button pressed this many times on one screen means the script is stuck.
pub const MAX_PRESSES_PER_SCREEN: u32 = 5;

/// A scripted run makes no progress for this long: it fails rather than hang.
pub const STUCK_AFTER: Duration = Duration::from_secs(90);

/// The scripted reviewer: each action once per request.
pub struct ScriptedReviewer {
    api: ReviewerApi,
    done: HashSet<(String, ReviewerAction)>,
}

impl ScriptedReviewer {
    /// A reviewer of `backend`'s service, signed in to their account.
    pub fn new(api: ReviewerApi) -> Self {
        Self { api, done: HashSet::new() }
    }

    /// Performs `action` on `request_id` unless it was done already; true when done now.
    pub fn act_once(&mut self, backend: &Backend, request_id: &str, action: ReviewerAction) -> Result<bool, TransportError> {
        let key = (request_id.to_owned(), action);
        if self.done.contains(&key) {
            return Ok(false);
        }
        backend.block_on(self.api.act(request_id, action))?;
        self.done.insert(key);
        Ok(true)
    }
}
