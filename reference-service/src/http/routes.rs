//! The route table: one list of (method, path, handler), from which the router is built and
//! which the contract test (`tests/contract.rs`) compares with `openapi.yaml`.

use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde::Serialize;

use crate::http::error::ApiError;
use crate::http::review_evidence;
use crate::http::{
    app_links, audit_log, authenticator_app, call_media, call_network, console, delegations, dev_providers, devices, evidence,
    government_id, idempotency, identity_step, liveness, passkey, password_page, phone, push_tokens, request_log, requests, review,
    reviewer_session, security_info, security_secrets, status, tap, verified_id,
};
use crate::state::AppState;

/// One API route.
pub struct Route {
    /// HTTP method.
    pub method: Method,
    /// Path in OpenAPI/axum form, e.g. `/v1/requests/{id}`.
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> Route {
    Route { method, path, handler }
}

/// Answer of `GET /healthz`.
#[derive(Debug, Serialize)]
pub struct Health {
    /// Always `ok` while the service answers.
    pub status: &'static str,
}

async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Every route the service serves (the console's static files included).
pub fn table() -> Vec<Route> {
    use Method as M;
    vec![
        route(M::GET, "/healthz", get(healthz)),
        route(M::POST, "/v1/devices", post(devices::register)),
        route(M::POST, "/v1/devices/push-token", post(push_tokens::register_push_token)),
        route(M::POST, "/v1/requests", post(identity_step::create)),
        route(M::GET, "/v1/requests/{id}", get(requests::get)),
        route(M::POST, "/v1/requests/{id}/date-of-birth", post(identity_step::date_of_birth)),
        route(M::POST, "/v1/requests/{id}/consent", post(requests::consent)),
        route(M::POST, "/v1/requests/{id}/government-id/session", post(government_id::open_session)),
        route(M::GET, "/v1/requests/{id}/government-id", get(government_id::verdict)),
        route(M::POST, "/v1/requests/{id}/selfie", post(evidence::selfie)),
        route(M::POST, "/v1/requests/{id}/liveness/challenge", post(liveness::challenge)),
        route(M::POST, "/v1/requests/{id}/liveness", post(liveness::submit)),
        route(M::POST, "/v1/requests/{id}/submit", post(requests::submit)),
        route(M::GET, "/v1/requests/{id}/status", get(status::status)),
        route(M::GET, "/v1/requests/{id}/call/ice-servers", get(call_network::for_device)),
        route(M::POST, "/v1/requests/{id}/call/session", post(call_media::for_device)),
        route(M::GET, "/v1/requests/{id}/verified-id", get(verified_id::get)),
        route(M::POST, "/v1/requests/{id}/verified-id/presentation", post(verified_id::present)),
        route(M::POST, "/v1/verified-id/nonce", post(verified_id::nonce)),
        route(M::POST, "/v1/requests/{id}/tap", post(tap::create)),
        route(M::GET, "/v1/requests/{id}/tap", get(tap::get)),
        route(M::POST, "/v1/requests/{id}/tap/sign-in", post(security_info::sign_in)),
        route(M::GET, "/v1/requests/{id}/security-info", get(security_info::get)),
        route(M::POST, "/v1/requests/{id}/security-info/password-page", post(password_page::create_link)),
        route(M::POST, "/v1/requests/{id}/security-info/authenticator-app", post(authenticator_app::start)),
        route(M::POST, "/v1/requests/{id}/security-info/authenticator-app/{activation_id}/verification", post(authenticator_app::verify)),
        route(M::POST, "/mfa/activate", post(authenticator_app::activate)),
        route(M::POST, "/v1/requests/{id}/security-info/pin", post(security_secrets::set_pin)),
        route(M::POST, "/v1/requests/{id}/security-info/security-questions", post(security_secrets::set_questions)),
        route(M::POST, "/v1/requests/{id}/security-info/methods/{method_id}/removal", post(security_info::remove_method)),
        route(M::POST, "/v1/requests/{id}/security-info/phone", post(phone::start)),
        route(M::GET, "/v1/requests/{id}/security-info/phone/{verification_id}", get(phone::get)),
        route(M::POST, "/v1/requests/{id}/security-info/phone/{verification_id}/resend", post(phone::resend)),
        route(M::POST, "/v1/requests/{id}/security-info/phone/{verification_id}/verification", post(phone::verify)),
        route(M::GET, "/v1/dev/outbox", get(dev_providers::list)),
        route(M::POST, "/v1/dev/calls/{id}/keypad", post(dev_providers::keypad)),
        route(M::GET, "/console/dev", get(dev_providers::page)),
        route(M::POST, "/console/dev/keypad", post(dev_providers::page_keypad)),
        route(M::GET, "/account/password", get(password_page::show)),
        route(M::POST, "/account/password", post(password_page::submit)),
        route(M::POST, "/v1/requests/{id}/passkey/options", post(passkey::options)),
        route(M::POST, "/v1/requests/{id}/passkey/attestation", post(passkey::attestation)),
        route(M::GET, "/v1/tap/policy", get(tap::policy)),
        route(M::POST, "/v1/partner/callback", post(government_id::callback)),
        route(M::POST, "/v1/tap/sign-in", post(tap::sign_in)),
        route(M::GET, "/v1/.well-known/verified-id-key", get(verified_id::public_key)),
        route(M::GET, "/.well-known/assetlinks.json", get(app_links::android)),
        route(M::GET, "/.well-known/apple-app-site-association", get(app_links::apple)),
        route(M::POST, "/v1/review/session", post(reviewer_session::create)),
        route(M::GET, "/v1/review/session", get(reviewer_session::current)),
        route(M::POST, "/v1/review/session/sign-out", post(reviewer_session::sign_out)),
        route(M::POST, "/v1/review/tokens", post(reviewer_session::create_token)),
        route(M::GET, "/v1/review/delegations", get(delegations::list)),
        route(M::POST, "/v1/review/delegations", post(delegations::grant)),
        route(M::POST, "/v1/review/delegations/revocation", post(delegations::revoke)),
        route(M::GET, "/v1/admin/audit-log", get(audit_log::read)),
        route(M::GET, "/v1/review/requests", get(review::queue)),
        route(M::POST, "/v1/review/requests/{id}/call", post(review::start_call)),
        route(M::GET, "/v1/review/requests/{id}/call/ice-servers", get(call_network::for_reviewer)),
        route(M::POST, "/v1/review/requests/{id}/call/session", post(call_media::for_reviewer)),
        route(M::POST, "/v1/review/requests/{id}/join", post(review::user_joined)),
        route(M::POST, "/v1/review/requests/{id}/leave", post(review::user_left)),
        route(M::POST, "/v1/review/requests/{id}/decision", post(review::decide)),
        route(M::GET, "/v1/review/requests/{id}/evidence", get(review_evidence::evidence)),
        route(M::GET, "/v1/review/requests/{id}/selfie", get(review_evidence::selfie)),
        route(M::GET, "/v1/review/requests/{id}/liveness-capture", get(review_evidence::liveness_capture)),
        route(M::GET, "/v1/review/requests/{id}/badge-photo", get(review_evidence::badge_photo)),
        route(M::POST, "/v1/review/verified-ids/revocation", post(verified_id::revoke)),
        route(M::GET, "/console", get(console::page)),
        route(M::GET, "/console/app.js", get(console::script)),
        route(M::GET, "/console/app.css", get(console::stylesheet)),
    ]
}

/// (method, path) of every route, for the contract test.
pub fn served() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|r| (r.method, r.path)).collect()
}

/// Builds the router with JSON fallbacks and the idempotency layer.
pub fn router(state: AppState) -> Router {
    build(state, |handler| handler)
}

/// The router whose handlers' answers are lost while `lose` is set (one at a time: it is
/// cleared by the loss): the handler runs, its writes stay, and the caller gets a 500 instead
/// of its answer, as if the process had been killed after the handler and before the answer
/// left. The idempotency layer stays outside, where a kill would find it.
#[cfg(test)]
pub(crate) fn router_losing_answers(state: AppState, lose: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Router {
    use axum::response::IntoResponse;
    build(state, move |handler| {
        let lose = lose.clone();
        handler.layer(axum::middleware::from_fn(move |request: axum::extract::Request, next: axum::middleware::Next| {
            let lose = lose.clone();
            async move {
                let answer = next.run(request).await;
                if lose.swap(false, std::sync::atomic::Ordering::SeqCst) {
                    return ApiError::internal("the answer was lost (test)").into_response();
                }
                answer
            }
        }))
    })
}

fn build(state: AppState, wrap: impl Fn(MethodRouter<AppState>) -> MethodRouter<AppState>) -> Router {
    let mut router = Router::new();
    for Route { path, handler, .. } in table() {
        router = router.route(path, wrap(handler));
    }
    router
        // Only on a route and method that exist: an unknown path is 404 and a wrong method 405,
        // whatever its headers, rather than a complaint about a missing idempotency key.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::layer))
        .fallback(|| async { ApiError::not_found("ROUTE_NOT_FOUND", "no such endpoint") })
        .method_not_allowed_fallback(|| async { ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "method not allowed") })
        .layer(DefaultBodyLimit::max(idempotency::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(request_log::layer))
        .with_state(state)
}
