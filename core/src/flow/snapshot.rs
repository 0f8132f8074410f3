//! The whole flow as a versioned JSON document, so a killed app resumes exactly where it was.
//!
//! The envelope is `{"version": N, "flow": {…}}`. A document from this version loads; a
//! document from another version, or one that is not a snapshot at all, gives a typed error
//! and never a panic. The TAP code is not part of it (`TapInfo::code` is `#[serde(skip)]`).

use super::OnboardingFlow;

/// The format this build writes.
pub const SNAPSHOT_VERSION: u32 = 1;
/// The oldest format this build reads. Version 1 is the first released format; when the
/// format changes, migrations from older versions go in `restore`.
pub const OLDEST_READABLE_VERSION: u32 = 1;

/// Why a snapshot cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not JSON, or not a snapshot envelope.
    #[error("the saved onboarding is unreadable: {detail}")]
    Unreadable {
        /// Diagnostic text (serde's message; it never contains the TAP, which is not saved).
        detail: String,
    },
    /// Written by a newer app.
    #[error("the saved onboarding was written by a newer app (format {found}, this app reads up to {supported})")]
    TooNew {
        /// The document's version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Written by an app too old to migrate from.
    #[error("the saved onboarding is too old to resume (format {found}, this app reads from {oldest})")]
    TooOld {
        /// The document's version.
        found: u32,
        /// The oldest version this build reads.
        oldest: u32,
    },
}

#[derive(serde::Serialize)]
struct EnvelopeOut<'a> {
    version: u32,
    flow: &'a OnboardingFlow,
}

#[derive(serde::Deserialize)]
struct EnvelopeIn {
    version: u32,
    flow: serde_json::Value,
}

impl OnboardingFlow {
    /// The state as a versioned JSON document (without the TAP code).
    pub fn snapshot(&self) -> String {
        // Serializing plain data into a String cannot fail; the fallback keeps this total.
        serde_json::to_string(&EnvelopeOut { version: SNAPSHOT_VERSION, flow: self }).unwrap_or_default()
    }

    /// Restores a flow from `snapshot()`.
    pub fn restore(document: &str) -> Result<OnboardingFlow, SnapshotError> {
        let envelope: EnvelopeIn = serde_json::from_str(document).map_err(|e| SnapshotError::Unreadable { detail: e.to_string() })?;
        if envelope.version > SNAPSHOT_VERSION {
            return Err(SnapshotError::TooNew { found: envelope.version, supported: SNAPSHOT_VERSION });
        }
        if envelope.version < OLDEST_READABLE_VERSION {
            return Err(SnapshotError::TooOld { found: envelope.version, oldest: OLDEST_READABLE_VERSION });
        }
        let mut flow = envelope.flow;
        forget_removed_calls(&mut flow);
        serde_json::from_value(flow).map_err(|e| SnapshotError::Unreadable { detail: e.to_string() })
    }
}

/// Calls earlier builds could save that this build no longer makes.
/// `RecordGovernmentId` sent the phone's own government-ID verdict, `RecordLiveness` its own
/// liveness result; both verdicts now come from the service, which no longer takes the phone's.
const REMOVED_CALLS: &[&str] = &["RecordGovernmentId", "RecordLiveness"];

/// Drops a saved call this build no longer makes (in flight, or failed and waiting for "Try
/// again"), instead of refusing the whole snapshot: the step stays as it was, and its button
/// starts the step's current call (for the government ID, a new partner session; for liveness,
/// whose frames died with that app, a new check for a new challenge).
fn forget_removed_calls(flow: &mut serde_json::Value) {
    let removed = |call: &serde_json::Value| {
        call.as_object().is_some_and(|variant| variant.keys().any(|name| REMOVED_CALLS.contains(&name.as_str())))
    };
    if let Some(calls) = flow.get_mut("calls").and_then(serde_json::Value::as_array_mut) {
        calls.retain(|pending| !pending.get("call").is_some_and(removed));
    }
    if let Some(failed) = flow.get_mut("failed_call")
        && failed.get("call").is_some_and(removed)
    {
        *failed = serde_json::Value::Null;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::{Distribution, Platform};
    use crate::messages::Locale;

    #[test]
    fn a_new_flow_round_trips() {
        let flow = OnboardingFlow::new(Locale::SimplifiedChinese, Platform::Android, Distribution::China);
        assert_eq!(OnboardingFlow::restore(&flow.snapshot()), Ok(flow));
    }

    #[test]
    fn foreign_versions_and_garbage_give_typed_errors() {
        let flow = OnboardingFlow::new(Locale::English, Platform::Ios, Distribution::Global);
        let newer = flow.snapshot().replacen("\"version\":1", "\"version\":7", 1);
        assert_eq!(OnboardingFlow::restore(&newer), Err(SnapshotError::TooNew { found: 7, supported: 1 }));
        let older = flow.snapshot().replacen("\"version\":1", "\"version\":0", 1);
        assert_eq!(OnboardingFlow::restore(&older), Err(SnapshotError::TooOld { found: 0, oldest: 1 }));
        for garbage in ["", "null", "{}", "[1,2]", "{\"version\":1,\"flow\":{\"step\":\"Nope\"}}", "{\"version\":-1,\"flow\":{}}"] {
            assert!(matches!(OnboardingFlow::restore(garbage), Err(SnapshotError::Unreadable { .. })), "{garbage}");
        }
    }
}
