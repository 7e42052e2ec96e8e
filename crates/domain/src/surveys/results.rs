//! Survey results as reported: per question the count and share of each
//! option (shares by `tally`, so exclusive answers add up to 100.0), rating
//! averages and distributions, free-text answers, and response rates — for
//! all respondents or per group of a cross-tabulation.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::{
    definition::{Definition, QuestionType, text_in},
    tally::{percent, rating_average, shares_in_tenths},
    words::{letter, lettered_options},
};
use crate::Language;

/// What the database counted for one group.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Guests whose invitation was not withheld.
    pub invited: u64,
    pub responses: u64,
    /// `(question, choice, rows, firsts)`: rows with this option or rating,
    /// and of them the responses' first value for the question.
    pub choices: Vec<(u16, u8, u64, u64)>,
    /// The listed free-text answers per question, newest first.
    pub texts: BTreeMap<u16, Vec<String>>,
    /// How many free-text answers each question has in all.
    pub text_totals: BTreeMap<u16, u64>,
}

/// One group's results (the whole survey when not cross-tabulated).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupResults {
    /// The group's value (a nationality, a language, a stay month, a
    /// segment id); absent for all respondents, or a blank field.
    pub key: Option<String>,
    pub invited: u64,
    pub responses: u64,
    /// Responses per invited guest in percent, one decimal.
    pub response_rate: Option<f64>,
    pub questions: Vec<QuestionResults>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionResults {
    pub number: u16,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// Responses that answered this question: the base of the shares.
    pub answered: u64,
    /// Choice options (A, B, …) or the scale (`1`…`5`; Excellent…Poor),
    /// with counts and shares; empty for free text.
    pub options: Vec<OptionResults>,
    /// The mean rating (1–5, or 1 Poor – 4 Excellent), two decimals.
    pub average: Option<f64>,
    /// Free-text answers, newest first (up to the requested number).
    pub texts: Vec<String>,
    /// All free-text answers of the question.
    pub texts_total: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OptionResults {
    /// `A`, `B`, … for choices and the words scale; `1`…`5` for numbers.
    pub code: String,
    pub label: String,
    pub count: u64,
    /// Share of `answered` in percent, one decimal. Single choice and
    /// ratings add up to exactly 100.0 (largest remainder); multiple choice
    /// may add up to more.
    pub percent: f64,
}

/// The results of one group, labelled in `language`.
pub fn group_results(
    definition: &Definition,
    language: Language,
    key: Option<String>,
    counts: &Counts,
) -> GroupResults {
    let questions = definition
        .questions
        .iter()
        .enumerate()
        .map(|(i, question)| {
            let number = u16::try_from(i + 1).unwrap_or(u16::MAX);
            let of = |value: u8| {
                counts
                    .choices
                    .iter()
                    .filter(|(q, c, _, _)| *q == number && *c == value)
                    .fold((0, 0), |(n, f), (_, _, rows, firsts)| {
                        (n + rows, f + firsts)
                    })
            };
            // (stored value, code, label) in display order.
            let scale: Vec<(u8, String, String)> = match question.kind {
                QuestionType::RatingNumbers => {
                    (1..=5).map(|v| (v, v.to_string(), v.to_string())).collect()
                }
                QuestionType::RatingWords => lettered_options(definition, i + 1, language)
                    .into_iter()
                    .zip((1..=4u8).rev())
                    .enumerate()
                    .map(|(j, (label, v))| (v, letter(j).to_string(), label))
                    .collect(),
                _ => lettered_options(definition, i + 1, language)
                    .into_iter()
                    .enumerate()
                    .map(|(j, label)| {
                        (
                            u8::try_from(j).unwrap_or(u8::MAX),
                            letter(j).to_string(),
                            label,
                        )
                    })
                    .collect(),
            };
            let tallies: Vec<(u64, u64)> = scale.iter().map(|(v, _, _)| of(*v)).collect();
            let answered = match question.kind {
                QuestionType::FreeText => counts.text_totals.get(&number).copied().unwrap_or(0),
                _ => tallies.iter().map(|(_, firsts)| firsts).sum(),
            };
            let rows: Vec<u64> = tallies.iter().map(|(n, _)| *n).collect();
            let shares = shares_in_tenths(&rows, answered);
            let average = question.kind.rating_max().and_then(|max| {
                let distribution: Vec<u64> = (1..=max)
                    .map(|v| {
                        scale
                            .iter()
                            .zip(&rows)
                            .find(|((sv, _, _), _)| *sv == v)
                            .map_or(0, |(_, n)| *n)
                    })
                    .collect();
                rating_average(&distribution)
            });
            QuestionResults {
                number,
                text: text_in(&question.text, language).to_owned(),
                kind: question.kind,
                answered,
                options: scale
                    .into_iter()
                    .zip(rows.iter().zip(&shares))
                    .map(|((_, code, label), (&count, &tenths))| OptionResults {
                        code,
                        label,
                        count,
                        percent: percent(tenths),
                    })
                    .collect(),
                average,
                texts: counts.texts.get(&number).cloned().unwrap_or_default(),
                texts_total: counts.text_totals.get(&number).copied().unwrap_or(0),
            }
        })
        .collect();
    GroupResults {
        key,
        invited: counts.invited,
        responses: counts.responses,
        response_rate: (counts.invited > 0).then(|| {
            percent(shares_in_tenths(&[counts.responses], counts.invited.max(counts.responses))[0])
        }),
        questions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::definition::Question;

    fn q(kind: QuestionType, options: usize) -> Question {
        Question {
            text: [(Language::En, "Q".to_owned())].into(),
            kind,
            required: false,
            options: (0..options)
                .map(|i| [(Language::En, format!("O{i}"))].into())
                .collect(),
        }
    }

    #[test]
    fn shares_add_up_and_averages_follow_the_scale() {
        let definition = Definition {
            title: [(Language::En, "S".to_owned())].into(),
            questions: vec![
                q(QuestionType::SingleChoice, 3),
                q(QuestionType::RatingWords, 0),
                q(QuestionType::MultipleChoice, 2),
            ],
        };
        let counts = Counts {
            invited: 9,
            responses: 3,
            choices: vec![
                (1, 0, 1, 1),
                (1, 1, 1, 1),
                (1, 2, 1, 1),
                (2, 4, 2, 2),
                (2, 1, 1, 1),
                (3, 0, 2, 2),
                (3, 1, 2, 0),
            ],
            ..Counts::default()
        };
        let results = group_results(&definition, Language::En, None, &counts);
        assert_eq!(results.response_rate, Some(33.3));
        let single = &results.questions[0];
        let percents: Vec<f64> = single.options.iter().map(|o| o.percent).collect();
        assert_eq!(percents, vec![33.4, 33.3, 33.3]);
        let words = &results.questions[1];
        assert_eq!(words.options[0].label, "Excellent");
        assert_eq!(words.options[0].count, 2);
        assert_eq!(words.options[3].label, "Poor");
        assert_eq!(words.average, Some(3.0));
        let multiple = &results.questions[2];
        assert_eq!(multiple.answered, 2);
        assert_eq!(multiple.options[1].percent, 100.0);
    }
}
