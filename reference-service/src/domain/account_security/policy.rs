//! The administrator's security policy for self-enrollment (seed 004): which methods users may
//! register, whether a PIN is needed and how long it is, and the security questions users pick
//! from, each worded in the app's two languages. Served to the phone in SecurityInfo so the app
//! offers exactly what the service will accept.

use crate::domain::account_security::MethodKind;

/// The PIN rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinPolicy {
    /// Whether the account is complete only with a PIN.
    pub required: bool,
    /// Fewest digits.
    pub min_length: usize,
    /// Most digits.
    pub max_length: usize,
}

/// One question of the administrator's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Stable id the phone sends back.
    pub id: String,
    /// English text.
    pub en: String,
    /// Simplified Chinese text.
    pub zh_hans: String,
}

/// The security-question rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionsPolicy {
    /// Whether the account is complete only with answered questions.
    pub required: bool,
    /// How many distinct questions the user answers (seed 004: four).
    pub count: usize,
    /// The list to pick from.
    pub questions: Vec<Question>,
}

/// The whole policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// Methods users may register, in the order offered.
    pub methods: Vec<MethodKind>,
    /// PIN rules.
    pub pin: PinPolicy,
    /// Security questions.
    pub security_questions: QuestionsPolicy,
}

fn question(id: &str, en: &str, zh_hans: &str) -> Question {
    Question { id: id.to_owned(), en: en.to_owned(), zh_hans: zh_hans.to_owned() }
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            methods: vec![MethodKind::AuthenticatorApp, MethodKind::Sms, MethodKind::Voice],
            pin: PinPolicy { required: false, min_length: 4, max_length: 8 },
            security_questions: QuestionsPolicy {
                required: true,
                count: 4,
                questions: vec![
                    question("first_school", "What was the name of your first school?", "您上的第一所学校叫什么名字？"),
                    question("childhood_friend", "What was the first name of your best childhood friend?", "您童年最好的朋友叫什么名字？"),
                    question("first_pet", "What was the name of your first pet?", "您的第一只宠物叫什么名字？"),
                    question("birth_city", "In which city were you born?", "您出生在哪个城市？"),
                    question("parents_met", "In which city did your parents meet?", "您的父母是在哪个城市相识的？"),
                    question("first_job", "What was your first job?", "您的第一份工作是什么？"),
                    question("favourite_teacher", "What was the surname of your favourite teacher?", "您最喜欢的老师姓什么？"),
                    question("first_street", "On which street did you live as a child?", "您小时候住在哪条街道？"),
                    question("first_concert", "Which artist did you see at your first concert?", "您第一次听音乐会看的是哪位艺人？"),
                    question("grandmother_name", "What is your oldest grandparent's first name?", "您最年长的祖辈叫什么名字？"),
                ],
            },
        }
    }
}

impl SecurityPolicy {
    /// Checks the policy is one users can satisfy: a method at all, a sane PIN range, enough
    /// distinct questions with both texts.
    pub fn validate(&self) -> Result<(), String> {
        if self.methods.is_empty() {
            return Err("the security policy allows no method".to_owned());
        }
        let pin = &self.pin;
        if !(4 <= pin.min_length && pin.min_length <= pin.max_length && pin.max_length <= 16) {
            return Err(format!("PIN lengths must satisfy 4 <= min ({}) <= max ({}) <= 16", pin.min_length, pin.max_length));
        }
        let questions = &self.security_questions;
        let mut ids: Vec<&str> = questions.questions.iter().map(|q| q.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        if questions.count == 0 || ids.len() != questions.questions.len() || questions.questions.len() < questions.count {
            return Err(format!("the security questions need at least {} distinct ids", questions.count.max(1)));
        }
        if questions.questions.iter().any(|q| q.id.is_empty() || q.en.trim().is_empty() || q.zh_hans.trim().is_empty()) {
            return Err("every security question needs an id and both texts".to_owned());
        }
        Ok(())
    }

    /// Whether users may register `kind`.
    pub fn allows(&self, kind: MethodKind) -> bool {
        self.methods.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_with_at_least_eight_questions_in_both_languages() {
        let policy = SecurityPolicy::default();
        assert_eq!(policy.validate(), Ok(()));
        assert!(policy.security_questions.questions.len() >= 8);
        let broken = SecurityPolicy { pin: PinPolicy { required: true, min_length: 6, max_length: 4 }, ..SecurityPolicy::default() };
        assert!(broken.validate().is_err());
        let mut too_few = SecurityPolicy::default();
        too_few.security_questions.questions.truncate(3);
        assert!(too_few.validate().is_err());
    }
}
