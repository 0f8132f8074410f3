//! The PIN and the security questions (seed 004): set during the account session and set again
//! later while signed in. Both are checked by `domain::account_security` and stored as argon2id
//! hashes only; the hashing (and the comparison with the previous PIN) runs on the blocking
//! pool under the `password_checks` bound, outside the database lock, and the result is
//! committed with the session checked again, in one transaction with the stored answer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::domain::account_security::{pin, security_questions};
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::http::security_info::{live_session, security_info};
use crate::secrets::{Redacted, hash_password, verify_password};
use crate::state::AppState;
use crate::store;

/// Body of `POST …/security-info/pin`. No `Debug`: it carries the PIN.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPin {
    /// The PIN.
    #[serde(default)]
    pub pin: String,
    /// The PIN typed again.
    #[serde(default)]
    pub confirmation: String,
}

/// One answer. No `Debug`: it carries the answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The question's id from the policy.
    pub question_id: String,
    /// The answer as typed.
    pub answer: String,
}

/// Body of `POST …/security-info/security-questions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAnswers {
    /// Exactly the policy's number of distinct questions, answered.
    #[serde(default)]
    pub answers: Vec<AnswerBody>,
}

/// `POST /v1/requests/{id}/security-info/pin`.
pub async fn set_pin(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewPin>,
) -> ApiResult<Answer> {
    let previous = {
        let connection = state.db.lock()?;
        let session = live_session(&connection, &id, &device, state.now())?;
        store::account_secrets::pin_hash(&connection, &session.upn)?
    };
    pin::check_new(&state.security_policy.pin, &body.pin, &body.confirmation)?;
    let new_pin = Redacted::new(body.pin);
    let (is_previous, hash) = AppState::run_bounded(&state.password_checks, move || {
        let is_previous = previous.is_some_and(|hash| verify_password(&hash, new_pin.expose()));
        (is_previous, hash_password(new_pin.expose()))
    })
    .await
    .map_err(ApiError::internal)?;
    pin::check_not_previous(is_previous)?;
    let hash = hash?;
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        store::account_secrets::set_pin(connection, &session.upn, &hash, now)?;
        Ok(((), Answer::json(StatusCode::OK, &security_info(&state, connection, &session, now)?)?))
    })?;
    Ok(answer)
}

/// `POST /v1/requests/{id}/security-info/security-questions`: replaces all the answers.
pub async fn set_questions(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewAnswers>,
) -> ApiResult<Answer> {
    {
        let connection = state.db.lock()?;
        live_session(&connection, &id, &device, state.now())?;
    }
    let given: Vec<(String, String)> = body.answers.into_iter().map(|a| (a.question_id, a.answer)).collect();
    let normalised = security_questions::check(&state.security_policy.security_questions, &given)?;
    let hashed = AppState::run_bounded(&state.password_checks, move || {
        normalised.into_iter().map(|a| hash_password(&a.answer).map(|hash| (a.question_id, hash))).collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(ApiError::internal)??;
    let now = state.now();
    let ((), answer) = commit(&state, |connection| {
        let session = live_session(connection, &id, &device, now)?;
        store::account_secrets::set_answers(connection, &session.upn, &hashed, now)?;
        Ok(((), Answer::json(StatusCode::OK, &security_info(&state, connection, &session, now)?)?))
    })?;
    Ok(answer)
}
