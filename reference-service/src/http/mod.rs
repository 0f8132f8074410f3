//! The HTTP layer: axum handlers, their request and response views, caller authentication, the
//! idempotency middleware, the route table, and [`error::ApiError`] — the one place where the
//! lower layers' errors become a status, a stable code and a message.
//!
//! Handlers are thin: parse the call, ask `domain` whether it is allowed, have `store` record
//! it, answer a view. They never write SQL (`store` does) and never decide a rule (`domain`
//! does); `tests/layers.rs` checks the first. One file per group of endpoints.

pub mod app_links;
pub mod audit_log;
pub mod auth;
pub mod authenticator_app;
pub mod call_access;
pub mod call_media;
pub mod call_network;
pub mod console;
pub mod delegations;
pub mod dev_providers;
pub mod devices;
pub mod draft;
pub mod error;
pub mod evidence;
pub mod extract;
pub mod government_id;
pub mod idempotency;
pub mod identity_step;
pub mod liveness;
#[cfg(test)]
mod lost_answer_tests;
pub mod page_headers;
pub mod passkey;
pub mod password_page;
pub mod phone;
pub mod push_tokens;
pub mod request_log;
pub mod request_view;
pub mod requests;
pub mod review;
pub mod review_evidence;
pub mod reviewer_session;
pub mod routes;
pub mod security_info;
pub mod security_secrets;
pub mod status;
pub mod tap;
pub mod verified_id;
