//! Fixed survey texts for guests in each language: the words of the
//! Excellent/Good/Fair/Poor scale and the e-mail reply form that the
//! invitation carries (`extra.reply_form`).

use super::{
    answers::Answer,
    definition::{Definition, QuestionType, text_in},
};
use crate::Language;

/// One fixed text per language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub vi: &'static str,
    pub en: &'static str,
    pub zh_hant: &'static str,
}

impl Words {
    pub fn get(&self, language: Language) -> &'static str {
        match language {
            Language::Vi => self.vi,
            Language::En => self.en,
            Language::ZhHant => self.zh_hant,
        }
    }
}

/// The words scale, best first (stored values 4, 3, 2, 1).
pub const RATING_WORDS: [Words; 4] = [
    Words {
        vi: "Xuất sắc",
        en: "Excellent",
        zh_hant: "極佳",
    },
    Words {
        vi: "Tốt",
        en: "Good",
        zh_hant: "良好",
    },
    Words {
        vi: "Khá",
        en: "Fair",
        zh_hant: "普通",
    },
    Words {
        vi: "Kém",
        en: "Poor",
        zh_hant: "不佳",
    },
];

/// The word of rating `value` (1–4) on the words scale.
pub fn rating_word(value: u8, language: Language) -> &'static str {
    4usize
        .checked_sub(usize::from(value))
        .and_then(|i| RATING_WORDS.get(i))
        .map_or("", |w| w.get(language))
}

/// The letter of option `index` (0 → `A`).
pub fn letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// The options a guest picks from for a question, by letter: the choice
/// options, or the words scale (A = Excellent … D = Poor); empty for other
/// types.
pub fn lettered_options(definition: &Definition, number: usize, language: Language) -> Vec<String> {
    let Some(question) = number
        .checked_sub(1)
        .and_then(|i| definition.questions.get(i))
    else {
        return Vec::new();
    };
    match question.kind {
        QuestionType::RatingWords => RATING_WORDS
            .iter()
            .map(|w| w.get(language).to_owned())
            .collect(),
        _ => question
            .options
            .iter()
            .map(|o| text_in(o, language).to_owned())
            .collect(),
    }
}

const INSTRUCTIONS: Words = Words {
    vi: "Quý khách cũng có thể trả lời ngay bằng cách phản hồi email này: mỗi câu hỏi một dòng, ghi số thứ tự câu hỏi rồi câu trả lời, ví dụ “1: B”, “2: A, C” hoặc “3: ý kiến của Quý khách”.",
    en: "You can also answer by replying to this e-mail: one line per question, its number and then your answer, for example “1: B”, “2: A, C” or “3: your comments”.",
    zh_hant: "您也可以直接回覆本郵件作答：每題一行，先寫題號再寫答案，例如「1: B」、「2: A, C」或「3: 您的意見」。",
};
const REQUIRED: Words = Words {
    vi: " (bắt buộc)",
    en: " (required)",
    zh_hant: "（必答）",
};

fn how_to_answer(kind: QuestionType) -> Words {
    match kind {
        QuestionType::SingleChoice | QuestionType::RatingWords => Words {
            vi: "chọn một chữ cái",
            en: "one letter",
            zh_hant: "請選一個字母",
        },
        QuestionType::MultipleChoice => Words {
            vi: "chọn một hoặc nhiều chữ cái",
            en: "one or more letters",
            zh_hant: "可選一個或多個字母",
        },
        QuestionType::RatingNumbers => Words {
            vi: "một số từ 1 (kém) đến 5 (xuất sắc)",
            en: "a number from 1 (poor) to 5 (excellent)",
            zh_hant: "1（不佳）至 5（極佳）的數字",
        },
        QuestionType::FreeText => Words {
            vi: "ý kiến của Quý khách",
            en: "your own words",
            zh_hant: "請自由填寫",
        },
    }
}

/// The plain-text reply form of a survey in `language`: how to answer by
/// e-mail, then each question numbered with its lettered options, e.g.
///
/// ```text
/// 1. How was your room? (required) — one letter
///    A. Excellent   B. Good   C. Fair   D. Poor
/// ```
pub fn reply_form(definition: &Definition, language: Language) -> String {
    let mut out = String::from(INSTRUCTIONS.get(language));
    out.push('\n');
    for (i, question) in definition.questions.iter().enumerate() {
        let required = if question.required {
            REQUIRED.get(language)
        } else {
            ""
        };
        out.push_str(&format!(
            "\n{}. {}{} — {}\n",
            i + 1,
            text_in(&question.text, language),
            required,
            how_to_answer(question.kind).get(language)
        ));
        let options = lettered_options(definition, i + 1, language);
        if !options.is_empty() {
            let listed: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(j, o)| format!("{}. {o}", letter(j)))
                .collect();
            out.push_str(&format!("   {}\n", listed.join("   ")));
        }
    }
    out
}

/// An answer in words, for the guest's timeline and exports: the chosen
/// options' texts (`Pool, Restaurant`), `4/5`, the rating's word, or the text.
pub fn describe(
    definition: &Definition,
    number: usize,
    answer: &Answer,
    language: Language,
) -> String {
    let options = lettered_options(definition, number, language);
    match answer {
        Answer::Choices(chosen) => chosen
            .iter()
            .filter_map(|&i| options.get(usize::from(i)).cloned())
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Rating(value) => match number
            .checked_sub(1)
            .and_then(|i| definition.questions.get(i))
        {
            Some(q) if q.kind == QuestionType::RatingWords => {
                rating_word(*value, language).to_owned()
            }
            _ => format!("{value}/5"),
        },
        Answer::Text(text) => text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use unicode_normalization::is_nfc;

    use super::*;
    use crate::surveys::definition::Question;

    fn survey() -> Definition {
        let t = |vi: &str, en: &str, zh: &str| {
            [
                (Language::Vi, vi.to_owned()),
                (Language::En, en.to_owned()),
                (Language::ZhHant, zh.to_owned()),
            ]
            .into()
        };
        Definition {
            title: t("Khảo sát", "Survey", "問卷"),
            questions: vec![
                Question {
                    text: t("Phòng thế nào?", "How was the room?", "客房如何？"),
                    kind: QuestionType::RatingWords,
                    required: true,
                    options: vec![],
                },
                Question {
                    text: t("Góp ý", "Comments", "建議"),
                    kind: QuestionType::FreeText,
                    required: false,
                    options: vec![],
                },
            ],
        }
    }

    #[test]
    fn the_reply_form_numbers_questions_and_letters_options() {
        let vi = reply_form(&survey(), Language::Vi);
        assert!(vi.contains("1. Phòng thế nào? (bắt buộc) — chọn một chữ cái\n   A. Xuất sắc   B. Tốt   C. Khá   D. Kém\n"), "{vi}");
        assert!(vi.contains("2. Góp ý — ý kiến của Quý khách\n"), "{vi}");
        let zh = reply_form(&survey(), Language::ZhHant);
        assert!(zh.contains("A. 極佳   B. 良好   C. 普通   D. 不佳"), "{zh}");
        for language in Language::ALL {
            assert!(is_nfc(&reply_form(&survey(), language)));
        }
        // Traditional, not Simplified, characters.
        assert!(!zh.chars().any(|c| "题选写复邮评见议".contains(c)), "{zh}");
        assert_eq!(
            describe(&survey(), 1, &Answer::Rating(2), Language::En),
            "Fair"
        );
    }
}
