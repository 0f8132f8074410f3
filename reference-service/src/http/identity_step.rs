//! The identity step in the app's order (core flow: `SubmitIdentity`, then on `legacy_dob`
//! `SubmitDateOfBirth`): `POST /v1/requests` checks UPN, employee ID and staff kind against the
//! directory and opens a request; on the legacy path an employee's request stays unconfirmed
//! until `POST /v1/requests/{id}/date-of-birth` matches the record. One-step clients may still
//! send `date_of_birth` with the identity. Consent given before the identity step may come with
//! it too (`terms_version`, `consent_accepted_at`), as the flow records it before a request
//! exists. The guessing limits are `domain::date_of_birth`'s.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use crate::clock::to_rfc3339;
use crate::domain::DomainError;
use crate::domain::consent::consent_with_identity;
use crate::domain::date_of_birth::{failure_key, locks, require_asked};
use crate::domain::directory::{IdentityClaim, StaffKind, require_iso_date};
use crate::domain::identity_step::{check_personal_email, identity_confirmed};
use crate::domain::request::{IdentityCheck, OnboardingRequest};
use crate::domain::request_state::RequestState;
use crate::domain::verified_id::opens_fast_path;
use crate::http::auth::DeviceAuth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::http::idempotency::{Answer, commit_keeping_refusals};
use crate::http::request_view::{FlagsView, RequestView};
use crate::http::verified_id::{Presentation, check_presented};
use crate::secrets::new_id;
use crate::state::AppState;
use crate::store::requests::NewRequest;
use crate::store::{self, Connection, date_of_birth_failures as failures};

/// `staff_kind` on the wire.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffKindField {
    /// A full-time employee.
    Employee,
    /// External staff.
    External,
}

impl From<StaffKindField> for StaffKind {
    fn from(kind: StaffKindField) -> Self {
        match kind {
            StaffKindField::Employee => Self::Employee,
            StaffKindField::External => Self::External,
        }
    }
}

/// Body of `POST /v1/requests`. No `Debug`: it may carry a Verified ID and personal data.
#[derive(Deserialize)]
pub struct CreateRequest {
    /// Work email.
    pub upn: String,
    /// Employee ID.
    #[serde(default)]
    pub employee_id: Option<String>,
    /// Personal email for notifications.
    #[serde(default)]
    pub personal_email: Option<String>,
    /// Employee or external.
    pub staff_kind: StaffKindField,
    /// ISO date of birth (employees on the legacy path, one-step clients).
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// A previously issued Verified ID (compact JWS) to use the 30-day fast path, presented
    /// with its key binding in the `Verified-Id-Key-Binding` header.
    #[serde(default)]
    pub verified_id: Option<String>,
    /// Version of the terms accepted before the identity step (with `consent_accepted_at`).
    #[serde(default)]
    pub terms_version: Option<String>,
    /// When they were accepted, RFC 3339 (with `terms_version`).
    #[serde(default)]
    pub consent_accepted_at: Option<String>,
}

/// Answer of `POST /v1/requests`.
#[derive(Debug, Serialize)]
pub struct RequestCreated {
    /// New request id.
    pub request_id: String,
    /// Path decided.
    pub path: &'static str,
    /// Rollout flags.
    pub flags: FlagsView,
    /// `eligible` when the fast path applies, else `not_eligible`.
    pub fast_path: &'static str,
    /// Always `draft` at creation.
    pub state: &'static str,
    /// `confirmed`, or `date_of_birth_required` (legacy path, no date given yet).
    pub identity_check: &'static str,
    /// When the person's latest Verified ID in force that is bound to this device's key was
    /// issued, RFC 3339 (flow: `IdentityAccepted.verified_id_issued_at`).
    pub verified_id_issued_at: Option<String>,
    /// Server time, RFC 3339.
    pub server_time: String,
}

/// `POST /v1/requests`: the identity step.
pub async fn create(
    State(state): State<AppState>,
    device: DeviceAuth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateRequest>,
) -> ApiResult<Answer> {
    check_personal_email(body.personal_email.as_deref())?;
    let consent = consent_with_identity(body.terms_version.as_deref(), body.consent_accepted_at.as_deref())?;
    let claim = IdentityClaim {
        upn: body.upn.clone(),
        employee_id: body.employee_id.clone(),
        staff_kind: body.staff_kind.into(),
        date_of_birth: body.date_of_birth.clone(),
    };
    let typed_upn = failure_key(&body.upn);
    let now = state.now();
    // A refusal keeps what it wrote (a wrong date of birth is counted, a presentation's nonce
    // is spent); a failure rolls everything back.
    let ((), answer) = commit_keeping_refusals(&state, |connection| {
        if claim.date_of_birth.is_some() && locks(failures::for_person(connection, &typed_upn, now)?) {
            return Ok(Err(DomainError::IdentityNotMatched.into()));
        }
        let decision = match state.directory.decide(&claim) {
            Ok(decision) => decision,
            Err(refusal) => {
                // A one-step create with a wrong date counts against the UPN as typed.
                if refusal == DomainError::IdentityNotMatched
                    && let Some(dob) = &claim.date_of_birth
                {
                    failures::record(connection, &typed_upn, None, dob, now)?;
                }
                return Ok(Err(refusal.into()));
            }
        };
        let fast_path = match &body.verified_id {
            Some(jws) => {
                let presented = Presentation::new(jws, &headers)?;
                check_presented(connection, &state.signer, &presented, &decision.entry.upn, &device.device_id, now)?;
                opens_fast_path(decision.path)
            }
            None => false,
        };
        let confirmed = identity_confirmed(&decision, fast_path);
        if !confirmed && locks(failures::for_person(connection, &failure_key(&decision.entry.upn), now)?) {
            return Ok(Err(DomainError::IdentityLocked.into()));
        }
        let id = new_id("req")?;
        let new_request = NewRequest {
            id: &id,
            device_id: &device.device_id,
            upn: &decision.entry.upn,
            employee_id: &decision.entry.employee_id,
            personal_email: body.personal_email.as_deref(),
            staff_kind: claim.staff_kind,
            path: decision.path,
            flags: decision.flags,
            fast_path,
            identity_confirmed_at: confirmed.then_some(now),
            consent: consent.as_ref(),
        };
        store::requests::insert(connection, &new_request, now)?;
        let verified_id_issued_at = match store::devices::device_key(connection, &device.device_id)? {
            Some(key) => store::verified_ids::latest_issued_at(connection, &decision.entry.upn, &key.thumbprint(), now)?,
            None => None,
        };
        let identity_check = if confirmed { IdentityCheck::Confirmed } else { IdentityCheck::DateOfBirthRequired };
        let created = RequestCreated {
            request_id: id,
            path: decision.path.as_str(),
            flags: decision.flags.into(),
            fast_path: if fast_path { "eligible" } else { "not_eligible" },
            state: RequestState::Draft.as_str(),
            identity_check: identity_check.as_str(),
            verified_id_issued_at: verified_id_issued_at.map(to_rfc3339),
            server_time: to_rfc3339(now),
        };
        Ok(Ok(((), Answer::json(StatusCode::CREATED, &created)?)))
    })?;
    Ok(answer)
}

/// Body of `POST /v1/requests/{id}/date-of-birth`. No `Debug`: personal data.
#[derive(Deserialize)]
pub struct DateOfBirth {
    /// ISO `YYYY-MM-DD`.
    pub date_of_birth: String,
}

/// `POST /v1/requests/{id}/date-of-birth`: confirms a legacy-path employee's identity. The
/// right date answers the request's view (again, harmlessly, once confirmed); a wrong one
/// `422 IDENTITY_NOT_MATCHED`, and the one that exhausts the attempts `409 IDENTITY_LOCKED`.
pub async fn date_of_birth(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DateOfBirth>,
) -> ApiResult<Answer> {
    require_iso_date(&body.date_of_birth)?;
    let now = state.now();
    // A wrong date is refused and stays counted (and may lock the request): kept on refusal.
    let mut changed = false;
    let outcome = commit_keeping_refusals(&state, |connection| {
        let (checked, was_changed) = match check_date_of_birth(&state, connection, &id, &device, &body.date_of_birth, now) {
            Ok((request, was_changed)) => (Ok(((), Answer::json(StatusCode::OK, &RequestView::new(&request, now))?)), was_changed),
            Err((error, was_changed)) => (Err(error), was_changed),
        };
        changed = was_changed;
        Ok(checked)
    });
    if changed {
        state.announce_change();
    }
    Ok(outcome?.1)
}

/// The answer of a date-of-birth check, with whether the request changed (for long-polls):
/// a wrong date that locks the request is a refusal *and* a change.
type Checked = Result<(OnboardingRequest, bool), (ApiError, bool)>;

fn unchanged(error: impl Into<ApiError>) -> (ApiError, bool) {
    (error.into(), false)
}

/// The date-of-birth rules applied to request `id`, in order: the request must be the
/// caller's draft on the legacy path of an employee and not locked; a person already at the
/// limit locks it; the right date confirms it; a wrong one is filed and, at the limit, locks it.
fn check_date_of_birth(state: &AppState, connection: &Connection, id: &str, device: &DeviceAuth, dob: &str, now: i64) -> Checked {
    let request = store::requests::load_owned(connection, id, &device.device_id).map_err(unchanged)?;
    request.require_draft().map_err(unchanged)?;
    let entry = require_asked(&request, state.directory.find(&request.upn)).map_err(unchanged)?;
    let identity = request.identity_check();
    if identity == IdentityCheck::Locked {
        return Err(unchanged(DomainError::IdentityLocked));
    }
    let person = failure_key(&request.upn);
    let lock = |connection: &Connection| -> (ApiError, bool) {
        match store::requests::lock_identity(connection, id, now) {
            Ok(()) => (DomainError::IdentityLocked.into(), true),
            Err(error) => unchanged(error),
        }
    };
    let pending = identity == IdentityCheck::DateOfBirthRequired;
    if pending && locks(failures::for_person(connection, &person, now).map_err(unchanged)?) {
        return Err(lock(connection));
    }
    if entry.born_on(dob) {
        if pending {
            store::requests::confirm_identity(connection, id, now).map_err(unchanged)?;
        }
        return Ok((store::requests::load(connection, id).map_err(unchanged)?, pending));
    }
    failures::record(connection, &person, Some(id), dob, now).map_err(unchanged)?;
    let on_request = failures::on_request(connection, id).map_err(unchanged)?;
    let for_person = failures::for_person(connection, &person, now).map_err(unchanged)?;
    if pending && (locks(on_request) || locks(for_person)) {
        return Err(lock(connection));
    }
    Err(unchanged(DomainError::IdentityNotMatched))
}
