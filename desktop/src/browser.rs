//! The scripted demo's stand-in browser on the service's password page: it opens the one-time
//! link the app was given and posts the page's form (ticket, password, confirmation) as a
//! person's browser would. The page, not the app, tells the service; the app then asks the
//! service whether the password is set.
//!
//! The link carries a one-use ticket, so neither it nor the password ever reaches the screen,
//! a log or an error message; only the page's address without its query is shown.

use identity_pass_core::SecretString;
use identity_pass_runtime::transport::ServiceRequest;
use identity_pass_runtime::{HttpTransport, TransportConfig, TransportError};

/// Why the page did not take the password (never with the link's ticket or the password).
#[derive(Debug, thiserror::Error)]
pub enum PasswordPageError {
    /// The link is not a page address.
    #[error("the password page's link is not a web address")]
    Link,
    /// The page or its form answered with an error, or not at all.
    #[error("the password page {step}: {detail}")]
    Page {
        /// Opening it, or posting its form.
        step: &'static str,
        /// What went wrong, without the link.
        detail: String,
    },
}

/// The page's origin and its path with the query (relative to the origin), and the ticket.
struct PageLink {
    origin: String,
    path_and_query: String,
    path: String,
    ticket: String,
}

fn parse(url: &SecretString) -> Result<PageLink, PasswordPageError> {
    let url = url::Url::parse(url.expose_secret()).map_err(|_| PasswordPageError::Link)?;
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(PasswordPageError::Link);
    }
    let ticket =
        url.query_pairs().find(|(name, _)| name == "ticket").map(|(_, value)| value.into_owned()).ok_or(PasswordPageError::Link)?;
    let path = url.path().trim_start_matches('/').to_owned();
    let path_and_query = match url.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.clone(),
    };
    Ok(PageLink { origin: url.origin().ascii_serialization(), path_and_query, path, ticket })
}

/// The page's address without its query (the ticket), for the narration.
pub fn shown_address(url: &SecretString) -> String {
    match parse(url) {
        Ok(link) => format!("{}/{}", link.origin, link.path),
        Err(_) => String::new(),
    }
}

/// A transport error told without the link: the status and the service's code, or its kind.
fn without_link(error: &TransportError) -> String {
    match error {
        TransportError::Service { status, code, .. } => format!("HTTP {status} {code}"),
        TransportError::Timeout => "no answer in time".to_owned(),
        // A network error's text names the URL, with its ticket.
        _ => "no answer".to_owned(),
    }
}

/// Opens the page and posts its form with `password` twice.
pub async fn set_password(url: &SecretString, password: &SecretString) -> Result<(), PasswordPageError> {
    let link = parse(url)?;
    let mut config = TransportConfig::new(link.origin.clone());
    // Retries would log the path, and with it the ticket.
    config.retry.max_attempts = 1;
    let page_error = |step: &'static str, detail: String| PasswordPageError::Page { step, detail };
    let browser = HttpTransport::new(config).map_err(|e| page_error("cannot be opened", without_link(&e)))?;
    let page = browser
        .send(ServiceRequest::new(reqwest::Method::GET, &link.path_and_query))
        .await
        .map_err(|e| page_error("did not open", without_link(&e)))?;
    if !String::from_utf8_lossy(&page).contains("<form") {
        return Err(page_error("did not open", "no form on the page".to_owned()));
    }
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("ticket", &link.ticket)
        .append_pair("password", password.expose_secret())
        .append_pair("confirmation", password.expose_secret())
        .finish();
    let mut post = ServiceRequest::new(reqwest::Method::POST, &link.path);
    post.raw_body = Some(("application/x-www-form-urlencoded", body.into_bytes()));
    browser.send(post).await.map_err(|e| page_error("refused the form", without_link(&e)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_address_has_no_ticket() {
        let url = SecretString::new("http://127.0.0.1:4000/account/password?ticket=abcDEF123".into());
        assert_eq!(shown_address(&url), "http://127.0.0.1:4000/account/password");
        let link = parse(&url).expect("a link");
        assert_eq!(link.ticket, "abcDEF123");
        assert_eq!(link.path_and_query, "account/password?ticket=abcDEF123");
    }
}
