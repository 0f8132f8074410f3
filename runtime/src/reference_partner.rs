//! Plays the user on the reference partner's hosted ID-check page (`reference-partner/`), the
//! page `Effect::StartGovernmentIdCheck` hands the phone off to: a mobile number, the partner's
//! terms, a photo of the ID document and a selfie, submitted as the page submits them. The
//! partner reports its verdict to the service, never to the phone.
//!
//! For the desktop's scripted demo and the binding tests (feature `reference-partner-client`);
//! never in a phone build, where a person fills the page in the browser. The request goes out
//! over [`HttpTransport`]: HTTPS, or plain HTTP to this machine only.
//!
//! The page lives at `…/sessions/{session_id}?token=…` and posts its form as JSON to
//! `…/sessions/{session_id}/check?token=…`.

use base64::Engine as _;
use reqwest::{Method, Url};
use serde_json::{Value, json};

use crate::transport::ServiceRequest;
use crate::{HttpTransport, TransportConfig, TransportError};

/// What the user types and chooses on the page.
pub struct PartnerForm<'a> {
    /// Their mobile number, E.164.
    pub phone_number: &'a str,
    /// A photo of the ID document (JPEG).
    pub document_jpeg: &'a [u8],
    /// A selfie (JPEG).
    pub selfie_jpeg: &'a [u8],
}

/// Why the page could not be submitted.
#[derive(Debug, thiserror::Error)]
pub enum PartnerPageError {
    /// The hand-off URL is not a page this can submit to.
    #[error("unusable hand-off URL: {0}")]
    InvalidUrl(String),
    /// The page could not be reached, refused the form, or answered without a result.
    #[error("the partner's check failed: {0}")]
    Failed(String),
}

impl From<TransportError> for PartnerPageError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::InsecureUrl { .. } | TransportError::InvalidUrl { .. } => PartnerPageError::InvalidUrl(error.to_string()),
            other => PartnerPageError::Failed(other.to_string()),
        }
    }
}

/// Submits the form of the session behind `handoff_url`, with the terms accepted. Returns the
/// partner's result as its page shows it (`verified` or `rejected`).
pub async fn submit_reference_partner_page(handoff_url: &str, form: PartnerForm<'_>) -> Result<String, PartnerPageError> {
    let (origin, check) = check_target(handoff_url)?;
    let transport = HttpTransport::new(TransportConfig::new(origin))?;
    let base64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut request = ServiceRequest::new(Method::POST, &check);
    request.json = Some(json!({
        "phone_number": form.phone_number,
        "terms_accepted": true,
        "document_jpeg_base64": base64(form.document_jpeg),
        "selfie_jpeg_base64": base64(form.selfie_jpeg),
    }));
    let answer: Value = transport.send_json(request).await?;
    match answer.get("result").and_then(Value::as_str) {
        Some(result) => Ok(result.to_owned()),
        None => Err(PartnerPageError::Failed(format!("the partner answered without a result: {answer}"))),
    }
}

/// The page's origin, and the path and query its form submits to relative to that origin
/// (`/check` added to the page's path, the session's token kept).
fn check_target(handoff_url: &str) -> Result<(String, String), PartnerPageError> {
    let url = Url::parse(handoff_url).map_err(|e| PartnerPageError::InvalidUrl(format!("{handoff_url:?}: {e}")))?;
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(PartnerPageError::InvalidUrl(format!("{handoff_url:?} is not a web page")));
    }
    let path = format!("{}/check", url.path().trim_matches('/'));
    let relative = match url.query() {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    Ok((url.origin().ascii_serialization(), relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_goes_to_the_page_path_with_check_added_and_the_token_kept() {
        let target = |url: &str| check_target(url).ok();
        assert_eq!(
            target("http://127.0.0.1:8123/sessions/ps_1?token=T0k"),
            Some(("http://127.0.0.1:8123".to_owned(), "sessions/ps_1/check?token=T0k".to_owned()))
        );
        assert_eq!(
            target("https://partner.example/au10tix/sessions/ps_2/"),
            Some(("https://partner.example".to_owned(), "au10tix/sessions/ps_2/check".to_owned()))
        );
        for unusable in ["", "sessions/ps_1", "mailto:someone@example.com", "data:text/plain,hi"] {
            assert!(matches!(check_target(unusable), Err(PartnerPageError::InvalidUrl(_))), "{unusable}");
        }
    }

    #[test]
    fn plain_http_to_another_machine_is_refused_before_anything_is_sent() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let form = PartnerForm { phone_number: "+14255550123", document_jpeg: &[], selfie_jpeg: &[] };
        let result = runtime.block_on(submit_reference_partner_page("http://partner.example/sessions/ps_1?token=t", form));
        assert!(matches!(result, Err(PartnerPageError::InvalidUrl(_))), "{result:?}");
    }
}
