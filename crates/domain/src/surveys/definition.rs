//! What a survey asks: its title and questions in one or more languages,
//! each question's type, options and whether it must be answered, and the
//! validation that turns a request into a survey with field paths.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{FieldError, Language, ValidationErrors, bounded_text};

/// The most questions a survey may have (the e-mail form numbers them).
pub const MAX_QUESTIONS: usize = 40;
/// The most options a choice question may have (lettered A–Z).
pub const MAX_OPTIONS: usize = 26;
/// The longest free-text answer kept, in characters.
pub const MAX_TEXT_ANSWER: usize = 4000;

/// One text in each of the survey's languages, e.g.
/// `{"vi": "Phòng", "en": "Room", "zh-Hant": "客房"}`.
pub type Texts = BTreeMap<Language, String>;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// Exactly one of `options`.
    SingleChoice,
    /// Any number of `options` (at least one when required).
    MultipleChoice,
    /// A number from 1 (worst) to 5 (best).
    RatingNumbers,
    /// Excellent, Good, Fair or Poor, stored as 4, 3, 2, 1.
    RatingWords,
    /// Free text up to 4000 characters.
    FreeText,
}

impl QuestionType {
    /// The highest rating of a rating scale; `None` for other types.
    pub fn rating_max(self) -> Option<u8> {
        match self {
            QuestionType::RatingNumbers => Some(5),
            QuestionType::RatingWords => Some(4),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::SingleChoice => "single_choice",
            QuestionType::MultipleChoice => "multiple_choice",
            QuestionType::RatingNumbers => "rating_numbers",
            QuestionType::RatingWords => "rating_words",
            QuestionType::FreeText => "free_text",
        }
    }
}

/// A question, numbered by its position (1-based) in the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question in each of the survey's languages.
    #[schema(value_type = BTreeMap<String, String>)]
    pub text: Texts,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    #[serde(default)]
    pub required: bool,
    /// The options of a choice question (2–26), each in every language;
    /// empty for the other types.
    #[serde(default)]
    #[schema(value_type = Vec<BTreeMap<String, String>>)]
    pub options: Vec<Texts>,
}

/// A survey's title and questions, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub title: Texts,
    pub questions: Vec<Question>,
}

impl Definition {
    /// Checks `title` and `questions`: 1–40 questions; the title's languages
    /// are the survey's, and every question and option has a text in each
    /// of them (1–500 characters, NFC-cleaned); choice questions have 2–26
    /// distinct options, other types none. Errors carry paths such as
    /// `questions[2].options[1].vi`.
    pub fn parse(title: Texts, questions: Vec<Question>) -> Result<Definition, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let languages: Vec<Language> = title.keys().copied().collect();
        if languages.is_empty() {
            errors.push(required("Give the title in at least one language.").at("title"));
        }
        let title = clean_texts(title, &languages, 200, "title", &mut errors);
        if questions.is_empty() || questions.len() > MAX_QUESTIONS {
            errors.push(
                FieldError::new(
                    "invalid_length",
                    format!("Ask 1–{MAX_QUESTIONS} questions."),
                )
                .at("questions"),
            );
        }
        let questions = questions
            .into_iter()
            .enumerate()
            .map(|(i, q)| clean_question(q, &languages, &format!("questions[{i}]"), &mut errors))
            .collect();
        errors.finish(|| Definition { title, questions })
    }

    /// The survey's languages (those of its title).
    pub fn languages(&self) -> impl Iterator<Item = Language> + '_ {
        self.title.keys().copied()
    }

    /// The language to show the survey in to a guest writing `wanted`: that
    /// one if the survey has it, else `fallback`, else the survey's first.
    pub fn language_for(&self, wanted: Language, fallback: Language) -> Language {
        [wanted, fallback]
            .into_iter()
            .find(|l| self.title.contains_key(l))
            .or_else(|| self.languages().next())
            .unwrap_or(wanted)
    }
}

/// The text of `texts` in `language` (empty if missing, which a parsed
/// definition never is).
pub fn text_in(texts: &Texts, language: Language) -> &str {
    texts.get(&language).map_or("", String::as_str)
}

fn clean_question(
    q: Question,
    languages: &[Language],
    at: &str,
    errors: &mut ValidationErrors,
) -> Question {
    let text = clean_texts(q.text, languages, 500, &format!("{at}.text"), errors);
    let choice = matches!(
        q.kind,
        QuestionType::SingleChoice | QuestionType::MultipleChoice
    );
    if choice && !(2..=MAX_OPTIONS).contains(&q.options.len()) {
        errors.push(
            FieldError::new("invalid_length", format!("Give 2–{MAX_OPTIONS} options."))
                .at(format!("{at}.options")),
        );
    }
    if !choice && !q.options.is_empty() {
        errors.push(
            FieldError::new("not_allowed", "Only choice questions have options.")
                .at(format!("{at}.options")),
        );
    }
    let options: Vec<Texts> = q
        .options
        .into_iter()
        .enumerate()
        .map(|(i, o)| clean_texts(o, languages, 200, &format!("{at}.options[{i}]"), errors))
        .collect();
    for (i, option) in options.iter().enumerate() {
        if options[..i].contains(option) {
            errors.push(
                FieldError::new("duplicate", "This option repeats an earlier one.")
                    .at(format!("{at}.options[{i}]")),
            );
        }
    }
    Question {
        text,
        kind: q.kind,
        required: q.required,
        options,
    }
}

/// Cleans each text (1–`max` characters) and requires exactly `languages`.
fn clean_texts(
    texts: Texts,
    languages: &[Language],
    max: usize,
    at: &str,
    errors: &mut ValidationErrors,
) -> Texts {
    for language in languages {
        if !texts.contains_key(language) {
            errors.push(
                required("Give this text in every language of the survey's title.")
                    .at(format!("{at}.{language}")),
            );
        }
    }
    texts
        .into_iter()
        .filter_map(|(language, text)| {
            if !languages.contains(&language) {
                errors.push(
                    FieldError::new("not_allowed", "The survey's title is not in this language.")
                        .at(format!("{at}.{language}")),
                );
                return None;
            }
            let cleaned = errors.check(&format!("{at}.{language}"), bounded_text(&text, 1, max))?;
            Some((language, cleaned))
        })
        .collect()
}

fn required(message: &str) -> FieldError {
    FieldError::new("required", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(Language, &str)]) -> Texts {
        pairs.iter().map(|(l, t)| (*l, (*t).to_owned())).collect()
    }

    fn question(kind: QuestionType, options: Vec<Texts>) -> Question {
        Question {
            text: texts(&[
                (Language::Vi, "Phòng thế nào?"),
                (Language::En, "How was the room?"),
            ]),
            kind,
            required: true,
            options,
        }
    }

    #[test]
    fn a_valid_survey_parses_and_picks_languages() {
        let title = texts(&[(Language::Vi, "Khảo sát"), (Language::En, "Survey")]);
        let options = vec![
            texts(&[(Language::Vi, "Có"), (Language::En, "Yes")]),
            texts(&[(Language::Vi, "Không"), (Language::En, "No")]),
        ];
        let survey = Definition::parse(
            title,
            vec![
                question(QuestionType::SingleChoice, options),
                question(QuestionType::RatingWords, vec![]),
            ],
        )
        .unwrap();
        assert_eq!(
            survey.language_for(Language::ZhHant, Language::Vi),
            Language::Vi
        );
        assert_eq!(
            survey.language_for(Language::En, Language::Vi),
            Language::En
        );
    }

    #[test]
    fn every_problem_has_its_path() {
        let title = texts(&[(Language::Vi, "Khảo sát"), (Language::En, "Survey")]);
        let only_vi = texts(&[(Language::Vi, "Có")]);
        let errors = Definition::parse(
            title,
            vec![
                question(QuestionType::SingleChoice, vec![only_vi.clone(), only_vi]),
                question(QuestionType::FreeText, vec![texts(&[(Language::En, "x")])]),
            ],
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"questions[0].options[0].en"), "{fields:?}");
        assert!(fields.contains(&"questions[0].options[1]"), "{fields:?}");
        assert!(fields.contains(&"questions[1].options"), "{fields:?}");
    }
}
