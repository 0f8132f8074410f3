//! One log line per answered request: method, route template, status and time taken. The route
//! is the template (`/v1/requests/{id}/tap`), never the path as sent, and nothing of the headers
//! or the body is logged: those are where credentials, TAPs and pictures travel.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The middleware; `Router::layer` runs it inside routing, so the matched template is known.
pub async fn layer(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "(no route)".to_owned(), |m| m.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_millis();
    if response.status().is_server_error() {
        tracing::warn!(%method, route, status, elapsed_ms, "answered");
    } else {
        tracing::info!(%method, route, status, elapsed_ms, "answered");
    }
    response
}
