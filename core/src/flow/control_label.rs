//! The labels of the controls a screen draws besides its main button: the two consent answers,
//! the form fields, the kinds of staff, the date pickers, the security screen's inputs.
//!
//! Screens name *what* to ask (`Screen` data); the shells draw one control per thing asked and
//! label it here, so every word on a phone's screen comes from the catalog in the user's
//! language, and TalkBack and VoiceOver read the same words. The shells never write their own.

use crate::messages::{Locale, LocalizedMessage, MessageCode, flow as msg};

/// A control that a shell labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Control {
    /// Consent: agree (`ConsentAnswered { accepted: true }`).
    ConsentAccept,
    /// Consent: decline.
    ConsentDecline,
    /// Identity form: work email (UPN).
    WorkEmailField,
    /// Identity form: employee ID.
    EmployeeIdField,
    /// Identity form: personal email, optional.
    PersonalEmailField,
    /// Identity form: the choice of staff kind (its heading).
    StaffKindField,
    /// Staff kind: an employee.
    StaffKindEmployee,
    /// Staff kind: external staff.
    StaffKindExternal,
    /// Date of birth: the year picker (first).
    BirthYearField,
    /// Date of birth: the month picker.
    BirthMonthField,
    /// Date of birth: the day picker.
    BirthDayField,
    /// The TAP code, for screen readers.
    TapCode,
    /// Authenticator app: the activation code.
    ActivationCode,
    /// Authenticator app: the activation URL.
    ActivationUrl,
    /// Phone number field.
    PhoneNumberField,
    /// Voice: extension field.
    PhoneExtensionField,
    /// Voice: backup number field.
    BackupPhoneNumberField,
    /// One-time code field.
    VerificationCodeField,
    /// PIN field.
    PinField,
    /// PIN, typed again.
    PinAgainField,
    /// A security question's answer field.
    SecurityAnswerField,
    /// A security question picker with nothing chosen yet.
    ChooseQuestion,
    /// A checklist item that is done (for screen readers, beside its tick).
    TaskDone,
    /// Sends the form the security screen shows (number, code, PIN, answers).
    SendForm,
    /// Back to the checklist (`SecurityTaskChosen { task: Checklist }`).
    BackToChecklist,
    /// Removes a registered method.
    RemoveMethod,
    /// Leaves the reviewer's call (`CallEnded`).
    LeaveCall,
    /// Starts the session again after it could not start (`SessionError`'s explanation).
    TryAgain,
}

impl Control {
    /// Every control, for the catalog tests.
    pub const ALL: [Control; 28] = [
        Control::ConsentAccept,
        Control::ConsentDecline,
        Control::WorkEmailField,
        Control::EmployeeIdField,
        Control::PersonalEmailField,
        Control::StaffKindField,
        Control::StaffKindEmployee,
        Control::StaffKindExternal,
        Control::BirthYearField,
        Control::BirthMonthField,
        Control::BirthDayField,
        Control::TapCode,
        Control::ActivationCode,
        Control::ActivationUrl,
        Control::PhoneNumberField,
        Control::PhoneExtensionField,
        Control::BackupPhoneNumberField,
        Control::VerificationCodeField,
        Control::PinField,
        Control::PinAgainField,
        Control::SecurityAnswerField,
        Control::ChooseQuestion,
        Control::TaskDone,
        Control::SendForm,
        Control::BackToChecklist,
        Control::RemoveMethod,
        Control::LeaveCall,
        Control::TryAgain,
    ];

    /// The catalog entry of this control's label.
    pub fn code(self) -> MessageCode {
        match self {
            Control::ConsentAccept => msg::LABEL_CONSENT_ACCEPT,
            Control::ConsentDecline => msg::LABEL_CONSENT_DECLINE,
            Control::WorkEmailField => msg::LABEL_WORK_EMAIL,
            Control::EmployeeIdField => msg::LABEL_EMPLOYEE_ID,
            Control::PersonalEmailField => msg::LABEL_PERSONAL_EMAIL,
            Control::StaffKindField => msg::LABEL_STAFF_KIND,
            Control::StaffKindEmployee => msg::LABEL_STAFF_EMPLOYEE,
            Control::StaffKindExternal => msg::LABEL_STAFF_EXTERNAL,
            Control::BirthYearField => msg::LABEL_BIRTH_YEAR,
            Control::BirthMonthField => msg::LABEL_BIRTH_MONTH,
            Control::BirthDayField => msg::LABEL_BIRTH_DAY,
            Control::TapCode => msg::LABEL_TAP_CODE,
            Control::ActivationCode => msg::LABEL_ACTIVATION_CODE,
            Control::ActivationUrl => msg::LABEL_ACTIVATION_URL,
            Control::PhoneNumberField => msg::LABEL_PHONE_NUMBER,
            Control::PhoneExtensionField => msg::LABEL_PHONE_EXTENSION,
            Control::BackupPhoneNumberField => msg::LABEL_BACKUP_PHONE_NUMBER,
            Control::ChooseQuestion => msg::LABEL_CHOOSE_QUESTION,
            Control::TaskDone => msg::LABEL_TASK_DONE,
            Control::VerificationCodeField => msg::LABEL_VERIFICATION_CODE,
            Control::PinField => msg::LABEL_PIN,
            Control::PinAgainField => msg::LABEL_PIN_AGAIN,
            Control::SecurityAnswerField => msg::LABEL_SECURITY_ANSWER,
            Control::SendForm => msg::LABEL_SEND_FORM,
            Control::BackToChecklist => msg::LABEL_BACK_TO_CHECKLIST,
            Control::RemoveMethod => msg::LABEL_REMOVE_METHOD,
            Control::LeaveCall => msg::LABEL_LEAVE_CALL,
            Control::TryAgain => msg::LABEL_TRY_AGAIN,
        }
    }

    /// The label in `locale`.
    pub fn label(self, locale: Locale) -> LocalizedMessage {
        self.code().text(locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_has_its_own_label_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for control in Control::ALL {
            assert!(seen.insert(control.code()), "{control:?} shares a label");
            let english = control.label(Locale::English);
            let chinese = control.label(Locale::SimplifiedChinese);
            assert!(!english.text.is_empty() && !chinese.text.is_empty(), "{control:?}");
            assert_ne!(english.text, chinese.text, "{control:?} is not translated");
            assert_eq!(english.code, control.code().0);
        }
    }
}
