//! The password hand-off: the app asks for a one-use link (`POST
//! /v1/requests/{id}/security-info/password-page`) during the account session and opens it in
//! the browser, where the service's own page takes the password — the phone never holds it.
//! The page is a plain HTML form under a strict Content-Security-Policy (nothing but this
//! origin's form target: no script, no style, no framing); its post spends the ticket and
//! stores an argon2id hash; the app then sees `password_set: true` in SecurityInfo.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::account_security::password::{self, TICKET_LIFETIME_SECONDS};
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiBytes;
use crate::http::idempotency::{Answer, commit};
use crate::http::security_info::live_session;
use crate::secrets::{Redacted, hash_password, random_string, sha256};
use crate::state::AppState;
use crate::store;

/// Characters of a ticket: URL-safe without escaping.
const TICKET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// A ticket's length (about 190 bits).
const TICKET_CHARS: usize = 32;

/// The page's policy: it may post its form to this origin and do nothing else.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

/// Answer of the hand-off: the page's one-use link. `Debug` by hand: the link is a credential.
#[derive(Serialize)]
pub struct PasswordPageLink {
    /// The page with its ticket; `null` in a replay (the ticket is never stored in clear): ask
    /// for a new link.
    pub url: Option<String>,
    /// RFC 3339: the ticket's end.
    pub expires_at: String,
    /// Server time, RFC 3339.
    pub server_time: String,
}

impl std::fmt::Debug for PasswordPageLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordPageLink").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// `POST /v1/requests/{id}/security-info/password-page`.
pub async fn create_link(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Answer> {
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        let ticket = random_string(TICKET_ALPHABET, TICKET_CHARS)?;
        let expires_at = now + TICKET_LIFETIME_SECONDS;
        store::password_tickets::insert(connection, &sha256(ticket.expose().as_bytes()), &session.upn, expires_at)?;
        let url = format!("{}/account/password?ticket={}", state.base_url, ticket.expose());
        let link = PasswordPageLink { url: Some(url), expires_at: to_rfc3339(expires_at), server_time: to_rfc3339(now) };
        let answer = Answer::json(StatusCode::OK, &link)?.stored_without(&PasswordPageLink { url: None, ..link })?;
        Ok(((), answer))
    })?;
    Ok(answer)
}

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            other => other.to_string(),
        })
        .collect()
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Identity Pass – set your password</title></head><body><h1>Set your password</h1>{body}</body></html>"
    );
    let headers = crate::http::page_headers::page_headers("text/html; charset=utf-8", CONTENT_SECURITY_POLICY);
    (status, headers, html).into_response()
}

fn form(ticket: &str, problem: Option<&str>) -> String {
    let problem = problem.map(|p| format!("<p role=\"alert\"><strong>{}</strong></p>", escape(p))).unwrap_or_default();
    format!(
        "{problem}<p>Choose a password of {min}–{max} characters that does not contain your name.</p>\
         <form method=\"post\" action=\"/account/password\">\
         <input type=\"hidden\" name=\"ticket\" value=\"{ticket}\">\
         <p><label>New password <input type=\"password\" name=\"password\" autocomplete=\"new-password\" required minlength=\"{min}\" maxlength=\"{max}\"></label></p>\
         <p><label>Type it again <input type=\"password\" name=\"confirmation\" autocomplete=\"new-password\" required></label></p>\
         <p><button type=\"submit\">Set password</button></p></form>",
        ticket = escape(ticket),
        min = password::MIN_CHARS,
        max = password::MAX_CHARS,
    )
}

fn ticket_gone() -> Response {
    let error = ApiError::from(DomainError::PasswordTicketInvalid);
    page(error.status, &format!("<p role=\"alert\">{}</p>", escape(&error.message)))
}

/// The fields of a form body (or query string) by name; absent ones are empty.
fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()).unwrap_or_default()
}

fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(encoded).into_owned().collect()
}

/// `GET /account/password?ticket=…`: the form, or a page saying the link is spent.
pub async fn show(State(state): State<AppState>, RawQuery(query): RawQuery) -> ApiResult<Response> {
    let ticket = field(&pairs(query.unwrap_or_default().as_bytes()), "ticket");
    let usable = store::password_tickets::usable(&*state.db.lock()?, &sha256(ticket.as_bytes()), state.now())?;
    Ok(if usable.is_some() { page(StatusCode::OK, &form(&ticket, None)) } else { ticket_gone() })
}

/// `POST /account/password` (form: ticket, password, confirmation): checks the password
/// against the policy, hashes it with argon2id (bounded like the reviewers' checks) and stores
/// it while spending the ticket, in one transaction.
pub async fn submit(State(state): State<AppState>, ApiBytes(body): ApiBytes) -> ApiResult<Response> {
    let fields = pairs(&body);
    let ticket = field(&fields, "ticket");
    let ticket_hash = sha256(ticket.as_bytes());
    let secret = Redacted::new(field(&fields, "password"));
    let confirmation = Redacted::new(field(&fields, "confirmation"));
    let Some(upn) = store::password_tickets::usable(&*state.db.lock()?, &ticket_hash, state.now())? else {
        return Ok(ticket_gone());
    };
    if let Err(refusal) = password::check_new(&upn, secret.expose(), confirmation.expose()) {
        let error = ApiError::from(refusal);
        return Ok(page(error.status, &form(&ticket, Some(&error.message))));
    }
    let hash =
        AppState::run_bounded(&state.password_checks, move || hash_password(secret.expose())).await.map_err(ApiError::internal)??;
    let now = state.now();
    let set = state.db.transaction(|connection| {
        if store::password_tickets::usable(connection, &ticket_hash, now)?.is_none() {
            return Ok::<_, ApiError>(false);
        }
        store::account_secrets::set_password(connection, &upn, &hash, now)?;
        store::password_tickets::mark_used(connection, &ticket_hash, now)?;
        Ok(true)
    })?;
    Ok(if set { page(StatusCode::OK, "<p>Your password is set. Go back to the Identity Pass app to continue.</p>") } else { ticket_gone() })
}
