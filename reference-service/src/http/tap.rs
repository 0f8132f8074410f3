//! Temporary Access Pass endpoints in Microsoft Graph's shapes: create (the code is in that
//! answer only, and never in its stored idempotent replay), read the metadata, the tenant
//! policy, and a stand-in for Entra's sign-in so tests and the demo can use a pass (and see
//! `OneTimeUsed` afterwards). The rules are `domain::tap`'s.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::error::SignInRefusal;
use crate::domain::tap::{self, CODE_ALPHABET, Tap, TapOptions, TapPolicy, UsabilityReason, usability};
use crate::domain::tap_issuance;
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit};
use crate::http::security_info;
use crate::secrets::{new_id, random_string, sha256};
use crate::state::AppState;
use crate::store;

/// Optional body of `POST /v1/requests/{id}/tap` (Graph's create body).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTap {
    /// Lifetime; the policy default when absent.
    pub lifetime_in_minutes: Option<i64>,
    /// RFC 3339 start; now when absent.
    pub start_date_time: Option<String>,
    /// One-time use; the policy's setting when absent.
    pub is_usable_once: Option<bool>,
    /// Not Graph's: the approval's TAP was issued but its code never reached the user (a lost
    /// answer, a killed app); issue a replacement, which revokes it. Limited and recorded.
    #[serde(default)]
    pub replace_lost: bool,
}

impl From<CreateTap> for TapOptions {
    fn from(body: CreateTap) -> Self {
        Self { lifetime_in_minutes: body.lifetime_in_minutes, start_date_time: body.start_date_time, is_usable_once: body.is_usable_once }
    }
}

/// Graph's `temporaryAccessPassAuthenticationMethod`; `temporaryAccessPass` only on creation.
/// `Debug` by hand: the derived one would print the code.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TapView {
    /// Method id.
    pub id: String,
    /// The code, on creation only.
    pub temporary_access_pass: Option<String>,
    /// RFC 3339.
    pub created_date_time: String,
    /// RFC 3339.
    pub start_date_time: String,
    /// Lifetime from the start.
    pub lifetime_in_minutes: u32,
    /// One-time use.
    pub is_usable_once: bool,
    /// Usable now.
    pub is_usable: bool,
    /// Why (not) usable.
    pub method_usability_reason: &'static str,
    /// Not Graph's: when the user last signed in with it (RFC 3339), so the app's checklist
    /// follows the sign-in wherever it happened.
    pub signed_in_at: Option<String>,
}

impl std::fmt::Debug for TapView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TapView")
            .field("id", &self.id)
            .field("temporary_access_pass", &self.temporary_access_pass.as_ref().map(|_| identity_pass_core::secret::REDACTED))
            .field("start_date_time", &self.start_date_time)
            .field("lifetime_in_minutes", &self.lifetime_in_minutes)
            .field("is_usable", &self.is_usable)
            .field("method_usability_reason", &self.method_usability_reason)
            .field("signed_in_at", &self.signed_in_at)
            .finish_non_exhaustive()
    }
}

impl TapView {
    /// The view of `tap` with its usability; `code` only on creation.
    pub fn new(tap: &Tap, reason: UsabilityReason, code: Option<&str>) -> Self {
        Self {
            id: tap.id.clone(),
            temporary_access_pass: code.map(str::to_owned),
            created_date_time: to_rfc3339(tap.created_at),
            start_date_time: to_rfc3339(tap.start_at),
            lifetime_in_minutes: tap.lifetime_minutes,
            is_usable_once: tap.usable_once,
            is_usable: reason == UsabilityReason::EnabledByPolicy,
            method_usability_reason: reason.as_str(),
            signed_in_at: tap.used_at.map(to_rfc3339),
        }
    }
}

/// `POST /v1/requests/{id}/tap`: issues (or replaces) the user's TAP; the code is in this
/// answer only.
pub async fn create(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Answer> {
    // The body is optional, as in Graph: empty means "all policy defaults".
    let body: CreateTap = if body.iter().all(u8::is_ascii_whitespace) {
        CreateTap::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("INVALID_JSON", e.to_string()))?
    };
    let now = state.now();
    let replace_lost = body.replace_lost;
    let options = TapOptions::from(body);
    let ((), answer) = commit(&state, |connection| {
        let request = store::requests::load_owned(connection, &id, &device.device_id)?;
        request.require_approved()?;
        let current_used = store::taps::find(connection, &request.upn)?.is_some_and(|(tap, _)| tap.used_at.is_some());
        let kind = tap_issuance::decide(&store::taps::issuances(connection, &request.id)?, replace_lost, current_used, now)?;
        let in_scope = state.tap_policy.covers(&state.directory, &request.upn);
        let plan = tap::plan(&state.tap_policy, in_scope, &options, now)?;
        let code = random_string(CODE_ALPHABET, state.tap_policy.default_length)?;
        let tap = Tap {
            id: new_id("tap")?,
            created_at: now,
            start_at: plan.start_at,
            lifetime_minutes: plan.lifetime_minutes,
            usable_once: plan.usable_once,
            used_at: None,
        };
        // One TAP per user: the new one replaces (revokes) any earlier one; the TAP, its
        // issuance record and the answer that shows its code are committed together.
        store::taps::replace(connection, &request.upn, &request.id, &tap, &sha256(code.expose().as_bytes()))?;
        store::taps::record_issuance(connection, &request.id, &tap.id, kind, now)?;
        let reason = usability(&state.tap_policy, true, &tap, now);
        // A replay (the retry of a call whose answer was lost) says the TAP was issued and does
        // not show its code again; the app then asks for a replacement (`replace_lost`).
        let answer = Answer::json(StatusCode::CREATED, &TapView::new(&tap, reason, Some(code.expose())))?
            .stored_without(&TapView::new(&tap, reason, None))?;
        Ok(((), answer))
    })?;
    Ok(answer)
}

/// `GET /v1/requests/{id}/tap`: the current TAP's metadata, never the code.
pub async fn get(State(state): State<AppState>, device: DeviceAuth, Path(id): Path<String>) -> ApiResult<Json<TapView>> {
    let now = state.now();
    let connection = state.db.lock()?;
    let request = store::requests::load_owned(&connection, &id, &device.device_id)?;
    let tap = store::taps::current(&connection, &request.upn)?;
    let reason = usability(&state.tap_policy, state.tap_policy.covers(&state.directory, &request.upn), &tap, now);
    Ok(Json(TapView::new(&tap, reason, None)))
}

/// Body of `POST /v1/tap/sign-in`. No `Debug`: it carries a TAP.
#[derive(Deserialize)]
pub struct SignIn {
    /// Work email.
    pub upn: String,
    /// The code.
    #[serde(rename = "temporaryAccessPass")]
    pub code: String,
}

/// Answer of a successful sign-in.
#[derive(Debug, Serialize)]
pub struct SignedIn {
    /// The directory's UPN.
    pub upn: String,
    /// Always true.
    pub signed_in: bool,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// `POST /v1/tap/sign-in`: stands in for Entra's sign-in. Unknown users, missing passes and
/// wrong codes get the same refusal.
pub async fn sign_in(State(state): State<AppState>, ApiJson(body): ApiJson<SignIn>) -> ApiResult<Json<SignedIn>> {
    let now = state.now();
    let refused = || DomainError::TapSignInRefused(SignInRefusal::InvalidCode);
    let upn = state.directory.find(&body.upn).map(|e| e.upn.clone()).ok_or_else(refused)?;
    // The same sign-in as the device's, with a session bound to no device: the one-time pass is
    // spent and its 10-minute window runs, wherever the user signed in.
    state.db.transaction(|connection| security_info::record_sign_in(&state, connection, &upn, None, &body.code, now))?;
    Ok(Json(SignedIn { upn, signed_in: true, server_time: to_rfc3339(now) }))
}

/// The tenant policy as Graph shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TapPolicyView {
    /// `state`: enabled or not.
    pub enabled: bool,
    /// Shortest lifetime allowed.
    pub minimum_lifetime_in_minutes: u32,
    /// Longest lifetime allowed.
    pub maximum_lifetime_in_minutes: u32,
    /// Lifetime when the caller gives none.
    pub default_lifetime_in_minutes: u32,
    /// When true every TAP is one-time use.
    pub is_usable_once: bool,
    /// Code length.
    pub default_length: usize,
    /// Groups in scope.
    pub include_groups: Vec<String>,
}

impl From<&TapPolicy> for TapPolicyView {
    fn from(policy: &TapPolicy) -> Self {
        Self {
            enabled: policy.enabled,
            minimum_lifetime_in_minutes: policy.minimum_lifetime_in_minutes,
            maximum_lifetime_in_minutes: policy.maximum_lifetime_in_minutes,
            default_lifetime_in_minutes: policy.default_lifetime_in_minutes,
            is_usable_once: policy.is_usable_once,
            default_length: policy.default_length,
            include_groups: policy.include_groups.clone(),
        }
    }
}

/// `GET /v1/tap/policy`.
pub async fn policy(State(state): State<AppState>) -> Json<TapPolicyView> {
    Json(TapPolicyView::from(&state.tap_policy))
}
