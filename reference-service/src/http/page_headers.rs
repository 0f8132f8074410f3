//! The headers of every page the service serves to a browser (the console, the password page,
//! the development providers' page): its content type, its Content-Security-Policy, and the
//! same hardening for all (no sniffing, no framing, no referrer, no caching).

use axum::http::header;

/// The headers of a browser page with `content_type` under `policy`.
pub fn page_headers(content_type: &'static str, policy: &'static str) -> [(header::HeaderName, &'static str); 6] {
    [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_SECURITY_POLICY, policy),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ]
}
