//! Temporary Access Pass with Microsoft Entra's semantics (identity-anchors.md §1; seeds 002,
//! 003): a tenant policy bounds lifetime, length, one-time use and who is in scope; each user
//! has at most one TAP and a new one replaces the old; the code is returned exactly once, on
//! creation, and only its SHA-256 is stored; later reads give metadata with `isUsable` and
//! `methodUsabilityReason`. Usability is computed from server times only.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::DeviceAuth;
use crate::clock::{from_rfc3339, to_rfc3339};
use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::idempotency::ReplayBody;
use crate::review::ReviewState;
use crate::secrets::{new_id, random_string, sha256};
use crate::state::AppState;

/// Characters a TAP is drawn from: letters and digits minus look-alikes (0/O, 1/l/I).
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// `temporaryAccessPassAuthenticationMethodConfiguration`, the parts this service enforces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TapPolicy {
    /// `state`: enabled or not.
    pub enabled: bool,
    /// Shortest lifetime allowed.
    pub minimum_lifetime_in_minutes: u32,
    /// Longest lifetime allowed.
    pub maximum_lifetime_in_minutes: u32,
    /// Lifetime when the caller gives none (30 for this app, per the seeds).
    pub default_lifetime_in_minutes: u32,
    /// When true every TAP is one-time use.
    pub is_usable_once: bool,
    /// Code length, 8–48.
    pub default_length: usize,
    /// Groups in scope (`includeTargets`).
    pub include_groups: Vec<String>,
}

impl Default for TapPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            minimum_lifetime_in_minutes: 10,
            maximum_lifetime_in_minutes: 480,
            default_lifetime_in_minutes: 30,
            is_usable_once: true,
            default_length: 8,
            include_groups: vec![crate::directory_seed::TAP_SCOPE_GROUP.to_owned()],
        }
    }
}

impl TapPolicy {
    /// Checks the policy against Entra's own limits: lifetimes within 10–43,200 minutes with
    /// min ≤ default ≤ max, and a length of 8–48.
    pub fn validate(&self) -> Result<(), String> {
        let range = 10..=43_200;
        let (min, max, default) = (
            self.minimum_lifetime_in_minutes,
            self.maximum_lifetime_in_minutes,
            self.default_lifetime_in_minutes,
        );
        if !(range.contains(&min) && range.contains(&max) && min <= default && default <= max) {
            return Err(format!("lifetimes must satisfy 10 <= min ({min}) <= default ({default}) <= max ({max}) <= 43200"));
        }
        if !(8..=48).contains(&self.default_length) {
            return Err(format!("defaultLength {} is outside 8-48", self.default_length));
        }
        Ok(())
    }
}

/// `methodUsabilityReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UsabilityReason {
    /// Usable now.
    EnabledByPolicy,
    /// Policy off, or the user is out of its scope.
    DisabledByPolicy,
    /// Past `startDateTime + lifetimeInMinutes`.
    Expired,
    /// Before `startDateTime`.
    NotYetValid,
    /// A one-time TAP that was used.
    OneTimeUsed,
}

/// A stored TAP, without its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTap {
    /// Method id.
    pub id: String,
    /// Created at.
    pub created_at: i64,
    /// Usable from.
    pub start_at: i64,
    /// Lifetime from `start_at`.
    pub lifetime_minutes: u32,
    /// One-time use.
    pub usable_once: bool,
    /// Used at (sign-in).
    pub used_at: Option<i64>,
}

/// Whether the TAP is usable at `now`, and why (or why not).
pub fn usability(policy: &TapPolicy, in_scope: bool, tap: &StoredTap, now: i64) -> UsabilityReason {
    if !policy.enabled || !in_scope {
        UsabilityReason::DisabledByPolicy
    } else if tap.usable_once && tap.used_at.is_some() {
        UsabilityReason::OneTimeUsed
    } else if now < tap.start_at {
        UsabilityReason::NotYetValid
    } else if now >= tap.start_at + i64::from(tap.lifetime_minutes) * 60 {
        UsabilityReason::Expired
    } else {
        UsabilityReason::EnabledByPolicy
    }
}

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
}

/// Validated creation parameters: (start, lifetime, usable once).
pub fn plan(policy: &TapPolicy, in_scope: bool, body: &CreateTap, now: i64) -> ApiResult<(i64, u32, bool)> {
    if !policy.enabled {
        return Err(ApiError::forbidden("TAP_POLICY_DISABLED", "the Temporary Access Pass policy is disabled"));
    }
    if !in_scope {
        return Err(ApiError::forbidden("TAP_USER_NOT_IN_SCOPE", "the user is not in the Temporary Access Pass policy's scope"));
    }
    let (min, max) = (policy.minimum_lifetime_in_minutes, policy.maximum_lifetime_in_minutes);
    let lifetime = body.lifetime_in_minutes.unwrap_or(i64::from(policy.default_lifetime_in_minutes));
    let lifetime = u32::try_from(lifetime).ok().filter(|l| (min..=max).contains(l)).ok_or_else(|| {
        ApiError::bad_request(
            "TAP_LIFETIME_OUT_OF_RANGE",
            format!("Invalid LifetimeInMinutes specified. The valid range between {min} and {max}."),
        )
    })?;
    let usable_once = body.is_usable_once.unwrap_or(policy.is_usable_once);
    if policy.is_usable_once && !usable_once {
        return Err(ApiError::bad_request("TAP_MULTI_USE_NOT_ALLOWED", "the policy only allows one-time passes"));
    }
    let start = match &body.start_date_time {
        None => now,
        Some(text) => from_rfc3339(text)
            .ok_or_else(|| ApiError::bad_request("TAP_START_INVALID", "startDateTime must be RFC 3339"))?,
    };
    if start < now - 60 {
        return Err(ApiError::bad_request("TAP_START_IN_PAST", "startDateTime is in the past"));
    }
    Ok((start, lifetime, usable_once))
}

/// Graph's `temporaryAccessPassAuthenticationMethod` JSON; `code` only on creation.
pub fn resource(tap: &StoredTap, reason: UsabilityReason, code: Option<&str>) -> Value {
    json!({
        "id": tap.id,
        "temporaryAccessPass": code,
        "createdDateTime": to_rfc3339(tap.created_at),
        "startDateTime": to_rfc3339(tap.start_at),
        "lifetimeInMinutes": tap.lifetime_minutes,
        "isUsableOnce": tap.usable_once,
        "isUsable": reason == UsabilityReason::EnabledByPolicy,
        "methodUsabilityReason": reason,
    })
}

fn in_scope(state: &AppState, upn: &str) -> bool {
    state.directory.find(upn).is_some_and(|entry| {
        entry.groups.iter().any(|g| state.tap_policy.include_groups.contains(g))
    })
}

fn load_tap(connection: &rusqlite::Connection, upn: &str) -> ApiResult<Option<(StoredTap, Vec<u8>)>> {
    Ok(connection.query_row(
        "SELECT id, created_at, start_at, lifetime_minutes, usable_once, used_at, code_hash FROM taps WHERE upn = ?1",
        [upn],
        |row| Ok((StoredTap {
            id: row.get(0)?, created_at: row.get(1)?, start_at: row.get(2)?,
            lifetime_minutes: row.get(3)?, usable_once: row.get(4)?, used_at: row.get(5)?,
        }, row.get(6)?)),
    ).optional()?)
}

/// `POST /v1/requests/{id}/tap`: issues (or replaces) the user's TAP; the code is in this
/// answer only.
pub async fn create(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    // The body is optional, as in Graph: empty means "all policy defaults".
    let body: CreateTap = if body.iter().all(u8::is_ascii_whitespace) {
        CreateTap::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request("INVALID_JSON", e.to_string()))?
    };
    let now = state.now();
    let connection = state.db.lock()?;
    let record = crate::requests::load_owned(&connection, &id, &device)?;
    if record.state != ReviewState::Approved {
        return Err(ApiError::conflict("REQUEST_NOT_APPROVED", "the request is not approved"));
    }
    let (start_at, lifetime_minutes, usable_once) = plan(&state.tap_policy, in_scope(&state, &record.upn), &body, now)?;
    let code = random_string(ALPHABET, state.tap_policy.default_length)?;
    let tap = StoredTap { id: new_id("tap")?, created_at: now, start_at, lifetime_minutes, usable_once, used_at: None };
    // One TAP per user: the new one replaces any earlier one.
    connection.execute(
        "INSERT OR REPLACE INTO taps (upn, id, request_id, code_hash, created_at, start_at, lifetime_minutes, usable_once, used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)",
        rusqlite::params![record.upn, tap.id, record.id, sha256(code.expose().as_bytes()), now, start_at, lifetime_minutes, usable_once],
    )?;
    let reason = usability(&state.tap_policy, true, &tap, now);
    let replay = resource(&tap, reason, None);
    Ok((StatusCode::CREATED, Extension(ReplayBody(replay)), axum::Json(resource(&tap, reason, Some(code.expose())))))
}

/// `GET /v1/requests/{id}/tap`: the current TAP's metadata, never the code.
pub async fn get(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Value>> {
    let now = state.now();
    let connection = state.db.lock()?;
    let record = crate::requests::load_owned(&connection, &id, &device)?;
    let (tap, _) = load_tap(&connection, &record.upn)?
        .ok_or_else(|| ApiError::not_found("TAP_NOT_FOUND", "no Temporary Access Pass for this user"))?;
    let reason = usability(&state.tap_policy, in_scope(&state, &record.upn), &tap, now);
    Ok(axum::Json(resource(&tap, reason, None)))
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

/// `POST /v1/tap/sign-in`: stands in for Entra's sign-in so tests and the demo can use a TAP
/// (and see `OneTimeUsed` afterwards).
pub async fn sign_in(State(state): State<AppState>, ApiJson(body): ApiJson<SignIn>) -> ApiResult<axum::Json<Value>> {
    let now = state.now();
    let connection = state.db.lock()?;
    let refused = |reason: &str| ApiError::unauthorized("TAP_SIGN_IN_REFUSED", format!("sign-in refused: {reason}"));
    let upn = state.directory.find(&body.upn).map(|e| e.upn.clone()).ok_or_else(|| refused("InvalidCode"))?;
    let (tap, code_hash) = load_tap(&connection, &upn)?.ok_or_else(|| refused("InvalidCode"))?;
    if code_hash != sha256(body.code.as_bytes()) {
        return Err(refused("InvalidCode"));
    }
    let reason = usability(&state.tap_policy, in_scope(&state, &upn), &tap, now);
    if reason != UsabilityReason::EnabledByPolicy {
        return Err(refused(&format!("{reason:?}")));
    }
    connection.execute("UPDATE taps SET used_at = ?1 WHERE upn = ?2", rusqlite::params![now, upn])?;
    Ok(axum::Json(json!({ "upn": upn, "signed_in": true, "server_time": to_rfc3339(now) })))
}

/// `GET /v1/tap/policy`.
pub async fn policy(State(state): State<AppState>) -> axum::Json<TapPolicy> {
    axum::Json(state.tap_policy.clone())
}

#[cfg(test)]
#[path = "tap_tests.rs"]
mod tests;
