//! Security questions (seed 004): the user picks exactly the policy's number of distinct
//! questions from the administrator's list and answers each. Answers are normalised (trimmed,
//! lower-cased, inner whitespace collapsed) before hashing, so "  Saint  Mary's" and
//! "saint mary's" are the same answer when checked later.

use crate::domain::DomainError;
use crate::domain::account_security::policy::QuestionsPolicy;

/// Fewest characters of a normalised answer.
pub const MIN_ANSWER_CHARS: usize = 3;
/// Most characters of an answer as sent.
pub const MAX_ANSWER_CHARS: usize = 200;

/// An answer, normalised; `Debug` is redacted.
pub struct NormalisedAnswer {
    /// The question.
    pub question_id: String,
    /// The normalised answer, to be hashed and forgotten.
    pub answer: String,
}

impl std::fmt::Debug for NormalisedAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NormalisedAnswer").field("question_id", &self.question_id).finish_non_exhaustive()
    }
}

/// The normal form of an answer.
pub fn normalise(answer: &str) -> String {
    answer.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Checks the answers (question id, answer as typed) against the policy and normalises them.
pub fn check(policy: &QuestionsPolicy, answers: &[(String, String)]) -> Result<Vec<NormalisedAnswer>, DomainError> {
    if answers.iter().any(|(id, _)| !policy.questions.iter().any(|q| &q.id == id)) {
        return Err(DomainError::SecurityQuestionUnknown);
    }
    let mut ids: Vec<&str> = answers.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != answers.len() {
        return Err(DomainError::SecurityQuestionsDuplicate);
    }
    if answers.len() != policy.count {
        return Err(DomainError::SecurityQuestionsTooFew { count: policy.count });
    }
    answers
        .iter()
        .map(|(id, answer)| {
            let answer = normalise(answer);
            let chars = answer.chars().count();
            if !(MIN_ANSWER_CHARS..=MAX_ANSWER_CHARS).contains(&chars) {
                return Err(DomainError::SecurityAnswerTooShort { min_chars: MIN_ANSWER_CHARS });
            }
            Ok(NormalisedAnswer { question_id: id.clone(), answer })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account_security::policy::SecurityPolicy;

    fn answers(ids: &[&str], answer: &str) -> Vec<(String, String)> {
        ids.iter().map(|id| ((*id).to_owned(), answer.to_owned())).collect()
    }

    #[test]
    fn exactly_four_distinct_known_questions_with_real_answers() {
        let policy = SecurityPolicy::default().security_questions;
        let four = ["first_school", "first_pet", "birth_city", "first_job"];
        let ok = check(&policy, &answers(&four, "  Saint   Mary's ")).expect("accepted");
        assert_eq!(ok[0].answer, "saint mary's");
        assert!(!format!("{ok:?}").contains("mary"));
        assert_eq!(check(&policy, &answers(&four[..3], "abc")).err(), Some(DomainError::SecurityQuestionsTooFew { count: 4 }));
        assert_eq!(
            check(&policy, &answers(&["first_school", "nope", "birth_city", "first_job"], "abc")).err(),
            Some(DomainError::SecurityQuestionUnknown)
        );
        assert_eq!(
            check(&policy, &answers(&["first_school", "first_school", "birth_city", "first_job"], "abc")).err(),
            Some(DomainError::SecurityQuestionsDuplicate)
        );
        assert_eq!(check(&policy, &answers(&four, "  Ab  ")).err(), Some(DomainError::SecurityAnswerTooShort { min_chars: 3 }));
    }
}
