//! The reviewer console: one HTML page, one script and one stylesheet, served by the service
//! itself (no build step, no CDN). The reviewer signs in with their account (an `HttpOnly`
//! session cookie; the script keeps only the session's CSRF token, in memory); the page lists
//! the pending requests assigned to them with their 24-hour deadlines and drives the review
//! endpoints: start the call, record the user joining and leaving, approve or deny with a
//! reason. Its evidence panel shows the selfie beside the badge photo (and the liveness
//! capture), fetched and shown as `blob:` URLs, and beside them the video call: the page's
//! WebRTC session with the service, which forwards the user's video and audio, and a timer
//! showing the service's own measure of the user's time in the call. A manager delegates their
//! reviews from it; an administrator reads the audit log.
//!
//! Every console answer carries a strict Content-Security-Policy: scripts, styles, fetches and
//! images from this origin only (images also from `blob:`), nothing inline, no plugins, no
//! framing, no `<base>` and no form posting elsewhere, so an injected tag can neither run nor
//! send a face or a session anywhere.

use axum::http::header;
use axum::response::IntoResponse;

use std::sync::LazyLock;

use crate::domain::denial_reasons::denial_reason_codes;

const PAGE: &str = include_str!("index.html");
const STYLESHEET: &str = include_str!("app.css");

/// The policy every console answer sends.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

/// The script, with the denial reasons the contract lists written into it.
static SCRIPT: LazyLock<String> = LazyLock::new(|| {
    let codes = serde_json::to_string(denial_reason_codes()).unwrap_or_else(|_| "[]".to_owned());
    include_str!("app.js").replacen("/*DENIAL_REASONS*/[]", &codes, 1)
});

/// The headers of every console answer, with its content type.
fn headers(content_type: &'static str) -> [(header::HeaderName, &'static str); 6] {
    crate::http::page_headers::page_headers(content_type, CONTENT_SECURITY_POLICY)
}

/// `GET /console`.
pub async fn page() -> impl IntoResponse {
    (headers("text/html; charset=utf-8"), PAGE)
}

/// `GET /console/app.js`.
pub async fn script() -> impl IntoResponse {
    (headers("text/javascript; charset=utf-8"), SCRIPT.as_str())
}

/// `GET /console/app.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (headers("text/css; charset=utf-8"), STYLESHEET)
}
