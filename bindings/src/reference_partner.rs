//! Test support only (feature `test-support`, never in a phone build): plays the user on the
//! reference partner's page that `Effect.StartGovernmentIdCheck` hands the phone off to, so the
//! Kotlin and Swift session tests get through the government-ID step the way a person does.
//! The partner then reports its verdict to the service; the session asks the service for it
//! once the shell reports `GovernmentIdHandoffEnded`.
//!
//! The form goes out through the runtime's `reference_partner` (its HTTP transport: HTTPS, or
//! plain HTTP to this machine only), on the tokio runtime UniFFI runs async exports on.

use identity_pass_runtime::reference_partner::{PartnerForm, PartnerPageError, submit_reference_partner_page};

use crate::error::PartnerCheckError;

/// The mobile number the test user types on the partner's page.
const PHONE_NUMBER: &str = "+14255550123";

/// Submits the partner's form for the session behind `handoff_url`: a phone number, the
/// partner's terms accepted, a photo of the ID document and a selfie (JPEG bytes). Returns the
/// partner's result as its page shows it (`verified` or `rejected`).
#[uniffi::export(async_runtime = "tokio")]
pub async fn complete_reference_partner_check(
    handoff_url: String,
    document_jpeg: Vec<u8>,
    selfie_jpeg: Vec<u8>,
) -> Result<String, PartnerCheckError> {
    let form = PartnerForm { phone_number: PHONE_NUMBER, document_jpeg: &document_jpeg, selfie_jpeg: &selfie_jpeg };
    submit_reference_partner_page(&handoff_url, form).await.map_err(|error| match error {
        PartnerPageError::InvalidUrl(detail) => PartnerCheckError::InvalidUrl { detail },
        PartnerPageError::Failed(detail) => PartnerCheckError::Failed { detail },
    })
}
