//! A guest's answers and the rules they must follow, shared by the web form
//! and the e-mail reply parser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::definition::{MAX_TEXT_ANSWER, Question, QuestionType};

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Option indexes (0-based, ascending) of a choice question.
    Choices(Vec<u8>),
    /// A rating: 1–5, or 1 (Poor) – 4 (Excellent).
    Rating(u8),
    /// Free text, NFC.
    Text(String),
}

/// Answers by question number (1-based).
pub type Answers = BTreeMap<u16, Answer>;

/// Why an answer, or its absence, is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A required question has no answer.
    Missing,
    /// The answer does not fit the question (an unknown option, a rating
    /// outside the scale, several options for a single choice).
    Invalid,
    /// Free text longer than 4000 characters.
    TooLong,
    /// There is no question with this number.
    NoSuchQuestion,
}

/// Whether `answer` fits `question`.
pub fn check_answer(question: &Question, answer: &Answer) -> Result<(), Problem> {
    let fits = match (question.kind, answer) {
        (QuestionType::SingleChoice, Answer::Choices(c)) => {
            c.len() == 1 && usize::from(c[0]) < question.options.len()
        }
        (QuestionType::MultipleChoice, Answer::Choices(c)) => {
            !c.is_empty()
                && c.windows(2).all(|w| w[0] < w[1])
                && c.iter().all(|&i| usize::from(i) < question.options.len())
        }
        (kind, Answer::Rating(r)) => kind.rating_max().is_some_and(|max| (1..=max).contains(r)),
        (QuestionType::FreeText, Answer::Text(t)) => {
            if t.chars().count() > MAX_TEXT_ANSWER {
                return Err(Problem::TooLong);
            }
            !t.trim().is_empty()
        }
        _ => false,
    };
    if fits { Ok(()) } else { Err(Problem::Invalid) }
}

/// Every problem of a complete set of answers, by question number: answers
/// that do not fit, questions that do not exist, and required questions
/// left unanswered. Empty when the answers can be recorded.
pub fn check_answers(questions: &[Question], answers: &Answers) -> BTreeMap<u16, Problem> {
    let mut problems = BTreeMap::new();
    for (&number, answer) in answers {
        let question = usize::from(number)
            .checked_sub(1)
            .and_then(|i| questions.get(i));
        let result = match question {
            Some(q) => check_answer(q, answer),
            None => Err(Problem::NoSuchQuestion),
        };
        if let Err(problem) = result {
            problems.insert(number, problem);
        }
    }
    for (i, question) in questions.iter().enumerate() {
        let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
        if question.required && !answers.contains_key(&number) {
            problems.insert(number, Problem::Missing);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    fn q(kind: QuestionType, options: usize, required: bool) -> Question {
        Question {
            text: [(Language::En, "Q".to_owned())].into(),
            kind,
            required,
            options: (0..options)
                .map(|i| [(Language::En, format!("O{i}"))].into())
                .collect(),
        }
    }

    #[test]
    fn answers_are_checked_against_their_questions() {
        let questions = [
            q(QuestionType::SingleChoice, 3, true),
            q(QuestionType::MultipleChoice, 3, false),
            q(QuestionType::RatingWords, 0, true),
            q(QuestionType::FreeText, 0, false),
        ];
        let answers: Answers = [
            (1, Answer::Choices(vec![0, 1])),
            (2, Answer::Choices(vec![0, 2])),
            (4, Answer::Text("Tốt".into())),
            (9, Answer::Rating(1)),
        ]
        .into();
        let problems = check_answers(&questions, &answers);
        assert_eq!(
            problems.into_iter().collect::<Vec<_>>(),
            vec![
                (1, Problem::Invalid),
                (3, Problem::Missing),
                (9, Problem::NoSuchQuestion)
            ]
        );
        assert_eq!(
            check_answer(&questions[2], &Answer::Rating(5)),
            Err(Problem::Invalid)
        );
        assert_eq!(check_answer(&questions[2], &Answer::Rating(4)), Ok(()));
    }
}
