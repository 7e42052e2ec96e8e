//! The e-mail reply parser: turns a guest's reply to a survey invitation
//! (`1: B`, `2: A, C`, `3: free text`) into the same [`Answers`] the web
//! form records.
//!
//! Tolerance: quoted lines (`>`) are skipped; reading stops at a signature
//! (`-- `), a mail client's reply header (`On … wrote:`, `Vào … đã viết:`,
//! `… 寫道：`, `-----Original Message-----`, `From:`/`Từ:`/`寄件者：`, a line
//! of underscores) or a "Sent from my phone" line. Numbers and letters may
//! be full-width (`１：Ｂ`), lower case or carry Vietnamese marks (`â` is
//! `A`); a line may start with `Câu`, `Q`, `Question`, `問題` or `第` (and
//! end the number with `題`). Choices are separated by commas, spaces, `、`,
//! `;`, `/`, `and`, `và` or `和`, or name the option's own text. A free-text
//! answer continues on the following lines until the next numbered line.
//! Text that is not an answer is returned as remarks, never dropped.

use super::{
    answers::{Answer, Answers, Problem, check_answer},
    definition::{Definition, Question, QuestionType},
    words::lettered_options,
};
use crate::{
    Language,
    text::{fold, nfc},
};

/// What a reply said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedReply {
    /// The answers read, by question number (a later line for the same
    /// number wins).
    pub answers: Answers,
    /// Numbered lines that could not be read as an answer to their question.
    pub problems: Vec<(u16, Problem)>,
    /// Lines of the guest's own text that answer no question (a greeting,
    /// a comment), in order.
    pub remarks: Vec<String>,
}

/// Parses `text` (the reply's plain text) against `definition`.
pub fn parse_reply(text: &str, definition: &Definition) -> ParsedReply {
    let mut parsed = ParsedReply::default();
    // The free-text answer being continued: (number, lines).
    let mut open: Option<(u16, Vec<String>)> = None;
    for line in own_lines(text) {
        match numbered(line) {
            Some((number, rest, strict)) => {
                let question = usize::from(number)
                    .checked_sub(1)
                    .and_then(|i| definition.questions.get(i));
                let Some(question) = question else {
                    if strict {
                        close(&mut open, &mut parsed);
                        parsed.problems.push((number, Problem::NoSuchQuestion));
                    } else {
                        push_line(&mut open, &mut parsed, line);
                    }
                    continue;
                };
                if question.kind == QuestionType::FreeText {
                    if strict {
                        close(&mut open, &mut parsed);
                        open = Some((number, vec![rest.to_owned()]));
                    } else {
                        push_line(&mut open, &mut parsed, line);
                    }
                    continue;
                }
                match read_answer(question, definition, number, rest) {
                    Some(answer) => {
                        close(&mut open, &mut parsed);
                        parsed.answers.insert(number, answer);
                    }
                    None if strict => {
                        close(&mut open, &mut parsed);
                        parsed.problems.push((number, Problem::Invalid));
                    }
                    None => push_line(&mut open, &mut parsed, line),
                }
            }
            None => push_line(&mut open, &mut parsed, line),
        }
    }
    close(&mut open, &mut parsed);
    parsed
}

/// The lines the guest wrote: up to the first reply header, signature or
/// device footer, without quoted lines, trimmed.
fn own_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .take_while(|line| !ends_own_text(line))
        .filter(|line| !line.trim_start().starts_with('>'))
        .map(str::trim)
}

fn ends_own_text(line: &str) -> bool {
    let t = line.trim();
    let lower = t.to_lowercase();
    line.trim_end_matches('\r') == "-- "
        || t == "--"
        || (t.len() >= 10 && t.chars().all(|c| c == '_' || c == '-'))
        || lower.contains("original message")
        || lower.contains("tin nhắn gốc")
        || lower.contains("原始郵件")
        || (lower.starts_with("on ") && lower.ends_with("wrote:"))
        || lower.ends_with("đã viết:")
        || lower.ends_with("寫道：")
        || lower.ends_with("寫道:")
        || [
            "from:",
            "từ:",
            "寄件者：",
            "寄件者:",
            "sent from my",
            "gửi từ",
            "從我的",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Full-width ASCII (`Ａ`, `１`, `：`) and the ideographic space as ASCII.
fn narrow(c: char) -> char {
    match u32::from(c) {
        0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// A numbered line: its number, the rest after the separator, and whether
/// a separator (`:`, `.`, `)`, `-`, `=`, `、`) followed the number (a bare
/// `1 B` is accepted only if it reads as an answer).
fn numbered(line: &str) -> Option<(u16, &str, bool)> {
    let mut rest = line.trim_start_matches(['*', '•', '(', '[', ' ']);
    let folded_start = fold(&rest.chars().take(9).map(narrow).collect::<String>());
    for prefix in ["câu", "question", "q", "問題", "第"] {
        if folded_start.starts_with(&fold(prefix)) {
            let skip = prefix.chars().count();
            rest = rest
                .char_indices()
                .nth(skip)
                .map_or("", |(at, _)| &rest[at..])
                .trim_start();
            break;
        }
    }
    let digits: String = rest
        .chars()
        .map(narrow)
        .take_while(char::is_ascii_digit)
        .collect();
    let number: u16 = digits.parse().ok()?;
    let mut after = rest
        .char_indices()
        .nth(digits.chars().count())
        .map_or("", |(at, _)| &rest[at..]);
    after = after.strip_prefix('題').unwrap_or(after).trim_start();
    let separator = after
        .chars()
        .next()
        .filter(|c| [':', '.', ')', ']', '-', '=', '、'].contains(&narrow(*c)));
    match separator {
        Some(c) => Some((number, after[c.len_utf8()..].trim(), true)),
        None if !after.is_empty() => Some((number, after.trim(), false)),
        None => None,
    }
}

/// The answer `rest` gives to a choice or rating `question`, if it fits.
fn read_answer(
    question: &Question,
    definition: &Definition,
    number: u16,
    rest: &str,
) -> Option<Answer> {
    let answer = match question.kind {
        QuestionType::FreeText => return None,
        QuestionType::RatingNumbers => {
            let digits: String = rest
                .chars()
                .map(narrow)
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            Answer::Rating(digits.parse().ok()?)
        }
        QuestionType::RatingWords => {
            let [choice] = choices(definition, number, rest)?[..] else {
                return None;
            };
            Answer::Rating(4 - choice)
        }
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            Answer::Choices(choices(definition, number, rest)?)
        }
    };
    check_answer(question, &answer).ok().map(|()| answer)
}

/// The option indexes `rest` names: the whole text of one option in any
/// language, else letters. Sorted, without repeats.
fn choices(definition: &Definition, number: u16, rest: &str) -> Option<Vec<u8>> {
    let wanted = fold(rest.trim_end_matches(['.', '!']));
    for language in Language::ALL {
        let options = lettered_options(definition, usize::from(number), language);
        if let Some(i) = options.iter().position(|o| fold(o) == wanted) {
            return u8::try_from(i).ok().map(|i| vec![i]);
        }
    }
    let narrowed: String = rest.chars().map(narrow).collect();
    let folded = fold(&narrowed);
    let mut picked = Vec::new();
    for token in folded
        .split(|c: char| {
            c.is_whitespace() || [',', ';', '/', '&', '+', '、', '，', '和'].contains(&c)
        })
        .map(|t| t.trim_matches(|c: char| "()[].".contains(c)))
        .filter(|t| !t.is_empty() && !["and", "va"].contains(t))
    {
        let [letter] = token.as_bytes() else {
            return None;
        };
        if !letter.is_ascii_lowercase() {
            return None;
        }
        picked.push(letter - b'a');
    }
    picked.sort_unstable();
    picked.dedup();
    (!picked.is_empty()).then_some(picked)
}

/// Adds a line that starts no answer: to the open free-text answer, else
/// to the remarks (blank lines are dropped there).
fn push_line(open: &mut Option<(u16, Vec<String>)>, parsed: &mut ParsedReply, line: &str) {
    match open {
        Some((_, lines)) => lines.push(line.to_owned()),
        None if !line.is_empty() => parsed.remarks.push(nfc(line)),
        None => {}
    }
}

/// Ends the open free-text answer (trailing blank lines dropped).
fn close(open: &mut Option<(u16, Vec<String>)>, parsed: &mut ParsedReply) {
    if let Some((number, lines)) = open.take() {
        let text = nfc(lines.join("\n").trim());
        if text.is_empty() {
            parsed.problems.push((number, Problem::Invalid));
        } else {
            parsed.answers.insert(number, Answer::Text(text));
        }
    }
}

#[cfg(test)]
#[path = "reply_tests.rs"]
mod tests;
