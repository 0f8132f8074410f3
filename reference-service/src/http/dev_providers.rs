//! The development providers' endpoints (on only with `--development-providers`; otherwise
//! 404): `GET /v1/dev/outbox` lists the text messages and calls they "sent", `POST
//! /v1/dev/calls/{id}/keypad` types on a waiting call's keypad, and `/console/dev` is the same
//! as a page a person uses to finish the flow by hand (a form per waiting call, no script,
//! under the console's strict CSP). The keypad entry is handled as a telephony provider's
//! report would be: the PIN before `#` is checked against the account's PIN hash.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::account_security::{phone, session};
use crate::http::console::CONTENT_SECURITY_POLICY;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{ApiBytes, ApiJson};
use crate::http::phone::register;
use crate::secrets::{Redacted, verify_password};
use crate::state::AppState;
use crate::store;
use crate::telephony::DevelopmentOutbox;

/// One message or call of the outbox.
#[derive(Serialize)]
pub struct OutboxMessage {
    /// Message or call id.
    pub id: String,
    /// `sms` or `voice_call`.
    pub kind: &'static str,
    /// The number.
    pub to: String,
    /// The message (with its code) or what the call says.
    pub text: String,
    /// `delivered`, `waiting_for_keypad` or `completed`.
    pub status: &'static str,
    /// RFC 3339.
    pub sent_at: String,
}

/// The outbox.
#[derive(Serialize)]
pub struct Outbox {
    /// Oldest first.
    pub messages: Vec<OutboxMessage>,
}

/// Body of the keypad call. No `Debug`: it carries a PIN.
#[derive(Deserialize)]
pub struct Keypad {
    /// What was typed, e.g. `4826#`.
    #[serde(default)]
    pub digits: String,
}

/// What the call came to.
#[derive(Debug, Serialize)]
pub struct CallResult {
    /// The call.
    pub call_id: String,
    /// The verification's status after it: `verified` or `failed`.
    pub verification_status: &'static str,
}

fn outbox(state: &AppState) -> ApiResult<&DevelopmentOutbox> {
    state.dev_outbox.as_deref().ok_or_else(|| ApiError::not_found("ROUTE_NOT_FOUND", "no such endpoint"))
}

/// `GET /v1/dev/outbox`.
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Outbox>> {
    let messages = outbox(&state)?
        .entries()
        .into_iter()
        .map(|e| OutboxMessage { id: e.id, kind: e.kind, to: e.to, text: e.text, status: e.status, sent_at: to_rfc3339(e.sent_at) })
        .collect();
    Ok(Json(Outbox { messages }))
}

/// Answers call `call_id` with `digits`: the PIN before `#` checked against the account's PIN
/// hash (argon2, bounded, outside the lock); right, the number is registered; wrong (or no
/// `#`), the verification fails (a wrong PIN counts as an attempt) and the app may resend.
async fn answer_call(state: &AppState, call_id: &str, digits: Redacted) -> ApiResult<CallResult> {
    let outbox = outbox(state)?;
    let unknown = || ApiError::not_found("CALL_NOT_FOUND", "no call waiting for the keypad with this id");
    let (verification, pin_hash) = {
        let connection = state.db.lock()?;
        let verification = store::phone_verifications::find_by_call(&connection, call_id)?.ok_or_else(unknown)?;
        let pin_hash = store::account_secrets::pin_hash(&connection, &verification.upn)?;
        (verification, pin_hash)
    };
    if verification.status != "pending" {
        return Err(unknown());
    }
    let right = AppState::run_bounded(&state.password_checks, move || {
        let pin = phone::pin_from_keypad(digits.expose());
        pin.zip(pin_hash).is_some_and(|(pin, hash)| verify_password(&hash, pin))
    })
    .await
    .map_err(ApiError::internal)?;
    let now = state.now();
    let status = state.db.transaction(|connection| {
        let current = store::phone_verifications::find_by_call(connection, call_id)?.ok_or_else(unknown)?;
        if current.status != "pending" || !outbox.complete_call(call_id) {
            return Err(unknown());
        }
        // The call counts only while it may still register a method: within its 5 minutes and
        // while the device's account session is live (a call answered after a one-time TAP's
        // window closed must not reopen it).
        let session = store::account_sessions::latest(connection, &current.upn, &current.device_id)?;
        let has_method = store::auth_methods::any(connection, &current.upn)?;
        if now >= current.expires_at || session::check_live(session.as_ref(), has_method, now).is_err() {
            store::phone_verifications::count_failure(connection, &current.id, "failed")?;
            return Ok("failed");
        }
        if right {
            register(connection, &current, now)?;
            Ok("verified")
        } else {
            store::phone_verifications::count_failure(connection, &current.id, "failed")?;
            Ok("failed")
        }
    })?;
    Ok(CallResult { call_id: call_id.to_owned(), verification_status: status })
}

/// `POST /v1/dev/calls/{id}/keypad`.
pub async fn keypad(
    State(state): State<AppState>,
    Path(call_id): Path<String>,
    ApiJson(body): ApiJson<Keypad>,
) -> ApiResult<Json<CallResult>> {
    Ok(Json(answer_call(&state, &call_id, Redacted::new(body.digits)).await?))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// `GET /console/dev`: the outbox as a page, a keypad form per waiting call.
pub async fn page(State(state): State<AppState>) -> ApiResult<Response> {
    let rows: String = outbox(&state)?
        .entries()
        .iter()
        .rev()
        .map(|e| {
            let keypad = if e.status == "waiting_for_keypad" {
                format!(
                    "<form method=\"post\" action=\"/console/dev/keypad\"><input type=\"hidden\" name=\"call_id\" value=\"{}\">\
                     <label>Keypad <input name=\"digits\" inputmode=\"numeric\" autocomplete=\"off\" placeholder=\"PIN then #\"></label>\
                     <button type=\"submit\">Send</button></form>",
                    escape(&e.id)
                )
            } else {
                String::new()
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{keypad}</td></tr>",
                escape(&to_rfc3339(e.sent_at)),
                escape(e.kind),
                escape(&e.to),
                escape(&e.text),
                escape(e.status)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Identity Pass – development providers</title>\
         <link rel=\"stylesheet\" href=\"/console/app.css\"></head><body><h1>Development providers</h1>\
         <p>Text messages and voice calls are not sent anywhere: they are listed here (newest first). Answer a waiting call \
         by typing the PIN followed by #.</p><table><thead><tr><th>Sent</th><th>Kind</th><th>To</th><th>Text</th><th>Status</th>\
         <th></th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    );
    let headers = crate::http::page_headers::page_headers("text/html; charset=utf-8", CONTENT_SECURITY_POLICY);
    Ok((StatusCode::OK, headers, html).into_response())
}

/// `POST /console/dev/keypad` (form: call_id, digits): the page's keypad; back to the page.
pub async fn page_keypad(State(state): State<AppState>, ApiBytes(body): ApiBytes) -> ApiResult<Response> {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    answer_call(&state, &field("call_id"), Redacted::new(field("digits"))).await?;
    Ok(Redirect::to("/console/dev").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_escapes_what_it_shows() {
        assert_eq!(escape("<b a=\"1\">&'"), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
    }
}
