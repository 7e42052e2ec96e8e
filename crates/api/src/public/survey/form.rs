//! The survey form: one fieldset per question (legend = the question),
//! native radios, checkboxes and a textarea inside labels, an error summary
//! linking to each question at fault, and the answers given so far filled
//! in. No script; required answers are checked by the server, so the page
//! behaves the same in every browser.

use std::collections::BTreeMap;

use guestcare_domain::{
    Language,
    surveys::{
        Answer, Answers, Definition, Problem, QuestionType, text_in,
        words::{lettered_options, rating_word},
    },
};

use super::{
    super::layout::{Markup, escape},
    texts,
};

/// What the form shows.
pub struct FormView<'a> {
    pub definition: &'a Definition,
    pub language: Language,
    /// Filled in (the stored response, or what was just submitted).
    pub answers: &'a Answers,
    pub problems: &'a BTreeMap<u16, Problem>,
    /// A note above the questions (already answered, closing date).
    pub notes: Vec<String>,
}

/// The form's markup.
pub fn render(view: &FormView<'_>) -> Markup {
    let language = view.language;
    let mut html = String::new();
    if !view.problems.is_empty() {
        html.push_str(&format!(
            "<div class=\"card\" role=\"alert\" style=\"border:2px solid #a4161a;margin-bottom:1rem\">\
             <p class=\"error\">{}</p><ul>",
            escape(texts::ERRORS.get(language))
        ));
        for (number, problem) in view.problems {
            html.push_str(&format!(
                "<li><a href=\"#q{number}\">{}</a>: {}</li>",
                escape(
                    &texts::QUESTION
                        .get(language)
                        .replace("{n}", &number.to_string())
                ),
                escape(message(*problem).get(language)),
            ));
        }
        html.push_str("</ul></div>");
    }
    html.push_str(&format!(
        "<p class=\"muted\">{}</p>",
        escape(texts::INTRO.get(language))
    ));
    for note in &view.notes {
        html.push_str(&format!("<p>{}</p>", escape(note)));
    }
    html.push_str("<form method=\"post\" novalidate>");
    for (i, question) in view.definition.questions.iter().enumerate() {
        let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
        let problem = view.problems.get(&number).copied();
        let heading = format!(
            "{}. {}{}",
            number,
            escape(text_in(&question.text, language)),
            if question.required {
                format!(
                    " <span class=\"muted\">{}</span>",
                    escape(texts::REQUIRED.get(language))
                )
            } else {
                String::new()
            }
        );
        let error = problem.map_or_else(String::new, |p| {
            format!(
                "<p class=\"error\" id=\"q{number}-error\">{}</p>",
                escape(message(p).get(language))
            )
        });
        let described = if problem.is_some() {
            format!(" aria-describedby=\"q{number}-error\" aria-invalid=\"true\"")
        } else {
            String::new()
        };
        let given = view.answers.get(&number);
        if question.kind == QuestionType::FreeText {
            let text = match given {
                Some(Answer::Text(t)) => escape(t),
                _ => String::new(),
            };
            html.push_str(&format!(
                "<div class=\"q\" id=\"q{number}\" style=\"margin:1rem 0\"><label for=\"q{number}-text\"><strong>{heading}</strong></label>\
                 {error}<textarea id=\"q{number}-text\" name=\"q{number}\" maxlength=\"4000\"{described}>{text}</textarea></div>"
            ));
            continue;
        }
        html.push_str(&format!(
            "<fieldset id=\"q{number}\"{described}><legend>{heading}</legend>{error}"
        ));
        let input = if question.kind == QuestionType::MultipleChoice {
            "checkbox"
        } else {
            "radio"
        };
        for (value, label) in choices(view.definition, i + 1, question.kind, language) {
            let checked = match given {
                Some(Answer::Choices(c)) => c.contains(&value),
                Some(Answer::Rating(r)) => *r == value,
                _ => false,
            };
            html.push_str(&format!(
                "<label><input type=\"{input}\" name=\"q{number}\" value=\"{value}\"{}> {}</label>",
                if checked { " checked" } else { "" },
                escape(&label),
            ));
        }
        html.push_str("</fieldset>");
    }
    html.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        escape(texts::SUBMIT.get(language))
    ));
    Markup::trusted(html)
}

/// `(value, label)` of each input in display order: option indexes for
/// choices, 1…5 for numbers (ends labelled), 4…1 for words.
fn choices(
    definition: &Definition,
    number: usize,
    kind: QuestionType,
    language: Language,
) -> Vec<(u8, String)> {
    match kind {
        QuestionType::RatingNumbers => (1..=5u8)
            .map(|v| {
                let label = match v {
                    1 => format!("1 ({})", rating_word(1, language)),
                    5 => format!("5 ({})", rating_word(4, language)),
                    other => other.to_string(),
                };
                (v, label)
            })
            .collect(),
        QuestionType::RatingWords => lettered_options(definition, number, language)
            .into_iter()
            .zip((1..=4u8).rev())
            .map(|(label, v)| (v, label))
            .collect(),
        _ => lettered_options(definition, number, language)
            .into_iter()
            .enumerate()
            .map(|(i, label)| (u8::try_from(i).unwrap_or(u8::MAX), label))
            .collect(),
    }
}

fn message(problem: Problem) -> super::super::layout::Localized {
    match problem {
        Problem::Missing => texts::MISSING,
        Problem::TooLong => texts::TOO_LONG,
        Problem::Invalid | Problem::NoSuchQuestion => texts::INVALID,
    }
}

/// The submitted form (`q1=0&q2=1&q2=3&q3=text`) as answers; values that
/// cannot be what their question asks for are problems. Empty fields are
/// no answer.
pub fn parse(definition: &Definition, body: &[u8]) -> (Answers, BTreeMap<u16, Problem>) {
    let mut values: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(body) {
        if let Some(number) = name.strip_prefix('q').and_then(|n| n.parse::<u16>().ok()) {
            let value = value.trim();
            if !value.is_empty() {
                values.entry(number).or_default().push(value.to_owned());
            }
        }
    }
    let mut answers = Answers::new();
    let mut problems = BTreeMap::new();
    for (number, given) in values {
        let Some(question) = usize::from(number)
            .checked_sub(1)
            .and_then(|i| definition.questions.get(i))
        else {
            continue;
        };
        let numbers: Option<Vec<u8>> = given.iter().map(|v| v.parse().ok()).collect();
        let answer = match (question.kind, numbers) {
            (QuestionType::FreeText, _) => {
                Some(Answer::Text(guestcare_domain::text::nfc(&given.join("\n"))))
            }
            (QuestionType::RatingNumbers | QuestionType::RatingWords, Some(n)) if n.len() == 1 => {
                Some(Answer::Rating(n[0]))
            }
            (QuestionType::SingleChoice | QuestionType::MultipleChoice, Some(mut n)) => {
                n.sort_unstable();
                n.dedup();
                Some(Answer::Choices(n))
            }
            _ => None,
        };
        match answer {
            Some(answer) => {
                answers.insert(number, answer);
            }
            None => {
                problems.insert(number, Problem::Invalid);
            }
        }
    }
    (answers, problems)
}
