//! The identity form: UPN (work email), employee ID, optional personal email, staff kind.
//!
//! Each field is validated on its own and every problem has a stable code, so a shell can put
//! each message under its field and the user fixes everything in one pass.

/// Employee or external staff (seed 000 step 7 treats them differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StaffKind {
    /// A full-time employee (gives a date of birth on the legacy path).
    Employee,
    /// External staff (vendor, contractor).
    External,
}

impl StaffKind {
    /// The wire name used by the service (`employee` | `external`).
    pub fn wire_name(self) -> &'static str {
        match self {
            StaffKind::Employee => "employee",
            StaffKind::External => "external",
        }
    }
}

/// What the user typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentityForm {
    /// Work email (UPN), e.g. `alias@contoso.com`.
    pub upn: String,
    /// Employee ID from the manager.
    pub employee_id: String,
    /// For process notifications when the work mailbox is not reachable yet.
    pub personal_email: Option<String>,
    /// Employee or external.
    pub staff_kind: StaffKind,
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IdentityField {
    /// Work email.
    Upn,
    /// Employee ID.
    EmployeeId,
    /// Personal email.
    PersonalEmail,
}

/// Why a field is rejected. Each maps to one catalog code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IdentityFieldError {
    /// Work email missing.
    UpnMissing,
    /// Work email is not an email address.
    UpnInvalid,
    /// Employee ID missing.
    EmployeeIdMissing,
    /// Employee ID has characters other than letters and digits, or is too long.
    EmployeeIdInvalid,
    /// Personal email given but not an email address.
    PersonalEmailInvalid,
    /// The personal email is the work email: notifications would go where the user cannot read them.
    PersonalEmailSameAsUpn,
}

/// One rejected field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldProblem {
    /// The field.
    pub field: IdentityField,
    /// The problem.
    pub error: IdentityFieldError,
}

/// Longest employee ID accepted; real ones are far shorter, this only stops pasted garbage.
pub const MAX_EMPLOYEE_ID_LEN: usize = 32;

impl IdentityForm {
    /// Trims whitespace and turns an empty personal email into `None`; emails are compared
    /// case-insensitively, so they are lower-cased.
    pub fn normalised(&self) -> IdentityForm {
        IdentityForm {
            upn: self.upn.trim().to_lowercase(),
            employee_id: self.employee_id.trim().to_owned(),
            personal_email: self.personal_email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()),
            staff_kind: self.staff_kind,
        }
    }

    /// Every problem of the (normalised) form; empty when it can be submitted.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let form = self.normalised();
        let mut problems = Vec::new();
        let mut push = |field, error| problems.push(FieldProblem { field, error });
        if form.upn.is_empty() {
            push(IdentityField::Upn, IdentityFieldError::UpnMissing);
        } else if !is_email(&form.upn) {
            push(IdentityField::Upn, IdentityFieldError::UpnInvalid);
        }
        if form.employee_id.is_empty() {
            push(IdentityField::EmployeeId, IdentityFieldError::EmployeeIdMissing);
        } else if form.employee_id.len() > MAX_EMPLOYEE_ID_LEN || !form.employee_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            push(IdentityField::EmployeeId, IdentityFieldError::EmployeeIdInvalid);
        }
        if let Some(personal) = &form.personal_email {
            if !is_email(personal) {
                push(IdentityField::PersonalEmail, IdentityFieldError::PersonalEmailInvalid);
            } else if *personal == form.upn {
                push(IdentityField::PersonalEmail, IdentityFieldError::PersonalEmailSameAsUpn);
            }
        }
        problems
    }
}

/// A deliberately modest email check: one `@`, a non-empty local part, a dotted domain with no
/// empty labels, no whitespace, at most 254 characters. The service does the real check.
fn is_email(value: &str) -> bool {
    if value.len() > 254 || value.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(upn: &str, employee_id: &str, personal: Option<&str>) -> IdentityForm {
        IdentityForm {
            upn: upn.into(),
            employee_id: employee_id.into(),
            personal_email: personal.map(Into::into),
            staff_kind: StaffKind::Employee,
        }
    }

    fn errors(f: &IdentityForm) -> Vec<IdentityFieldError> {
        f.validate().into_iter().map(|p| p.error).collect()
    }

    #[test]
    fn a_complete_form_passes_after_trimming() {
        assert!(form("  Alias@Contoso.com ", " 123456 ", Some("")).validate().is_empty());
        assert_eq!(form("a@b.cn", "E-42", None).normalised().personal_email, None);
    }

    #[test]
    fn every_field_problem_is_reported_at_once() {
        assert_eq!(
            errors(&form("", "", Some("nope"))),
            vec![IdentityFieldError::UpnMissing, IdentityFieldError::EmployeeIdMissing, IdentityFieldError::PersonalEmailInvalid]
        );
    }

    #[test]
    fn malformed_values_get_their_own_codes() {
        for bad in ["alias", "alias@", "@contoso.com", "alias@contoso", "a b@contoso.com", "a@@contoso.com", "a@contoso..com"] {
            assert_eq!(errors(&form(bad, "1", None)), vec![IdentityFieldError::UpnInvalid], "{bad}");
        }
        assert_eq!(errors(&form("a@b.com", "12 34", None)), vec![IdentityFieldError::EmployeeIdInvalid]);
        assert_eq!(errors(&form("a@b.com", &"9".repeat(33), None)), vec![IdentityFieldError::EmployeeIdInvalid]);
        assert_eq!(errors(&form("a@b.com", "1", Some("A@B.com"))), vec![IdentityFieldError::PersonalEmailSameAsUpn]);
    }
}
