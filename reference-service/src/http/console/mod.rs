//! The reviewer console: one HTML page and one script, served by the service itself (no build
//! step, no CDN). The reviewer pastes their token; the page lists pending requests with their
//! 24-hour deadlines and drives the review endpoints: start the call, record the user joining
//! and leaving, approve or deny with a reason. Its evidence panel shows the selfie beside the
//! badge photo (and the liveness capture), fetched with the token and shown as `blob:` URLs.

use axum::http::header;
use axum::response::IntoResponse;

use std::sync::LazyLock;

use crate::domain::denial_reasons::denial_reason_codes;

const PAGE: &str = include_str!("index.html");

/// The script, with the denial reasons the contract lists written into it.
static SCRIPT: LazyLock<String> = LazyLock::new(|| {
    let codes = serde_json::to_string(denial_reason_codes()).unwrap_or_else(|_| "[]".to_owned());
    include_str!("app.js").replacen("/*DENIAL_REASONS*/[]", &codes, 1)
});

/// `GET /console`.
pub async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Images arrive by `fetch` (they need the bearer token) and are shown from `blob:` URLs.
            (header::CONTENT_SECURITY_POLICY, "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' blob:"),
        ],
        PAGE,
    )
}

/// `GET /console/app.js`.
pub async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT.as_str())
}
