//! Checks a template before it is saved: sizes, syntax, variables the purpose
//! provides, a trial render with the sample context, and `cid:` references.

use std::fmt;

use uuid::Uuid;

use super::{Content, Context, Purpose, compile, variables::unknown_reason};
use crate::{FieldError, Language, ValidationErrors};

/// A template failure in one part, with its line when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// `subject`, `html`, `text` or `body`.
    pub field: &'static str,
    /// `template_syntax`, `unknown_variable`, `render_failed`, `invalid_cid`,
    /// `invalid_length`.
    pub code: &'static str,
    /// 1-based line in the part's source.
    pub line: Option<usize>,
    pub message: String,
}

impl TemplateError {
    pub(super) fn from_minijinja(field: &'static str, error: &minijinja::Error) -> TemplateError {
        let code = match error.kind() {
            minijinja::ErrorKind::SyntaxError | minijinja::ErrorKind::BadEscape => {
                "template_syntax"
            }
            _ => "render_failed",
        };
        let message = error
            .detail()
            .map_or_else(|| error.kind().to_string(), str::to_owned);
        TemplateError {
            field,
            code,
            line: error.line(),
            message,
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "Line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

impl From<TemplateError> for FieldError {
    /// The field error at the part's name; the message starts with
    /// `Line N:` when the line is known.
    fn from(error: TemplateError) -> FieldError {
        FieldError::new(error.code, error.to_string()).at(error.field)
    }
}

/// Largest accepted source per part, in characters.
fn max_chars(field: &str) -> usize {
    match field {
        "subject" => 250,
        "body" => 1600,
        "text" => 65_536,
        _ => 262_144,
    }
}

/// Every problem of `content` as a template for `purpose` in `language`:
/// empty or oversized parts, syntax errors, variables the purpose does not
/// provide, failures of a trial render with [`Context::sample`], and `cid:`
/// references that are not asset ids. Errors name the part (`subject`,
/// `html`, `text`, `body`) and start with `Line N:` when the line is known.
pub fn validate(
    purpose: Purpose,
    language: Language,
    content: &Content,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for (field, source) in content.parts() {
        let length = source.chars().count();
        if source.trim().is_empty() || length > max_chars(field) {
            errors.push(
                FieldError::new(
                    "invalid_length",
                    format!("Use 1–{} characters.", max_chars(field)),
                )
                .at(field),
            );
        }
    }
    if let Content::Email { html, .. } = content
        && let Err(error) = cid_references(html)
    {
        errors.push(error.into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let compiled = match compile(content, language) {
        Ok(compiled) => compiled,
        Err(error) => return Err(FieldError::from(error).into()),
    };
    for (field, source) in content.parts() {
        let Ok(template) = super::environment::environment_for(language).template_from_str(source)
        else {
            continue;
        };
        let mut names: Vec<String> = template.undeclared_variables(true).into_iter().collect();
        names.sort();
        for name in names {
            if let Some(message) = unknown_reason(purpose, &name) {
                errors.push(
                    TemplateError {
                        field,
                        code: "unknown_variable",
                        line: line_of(source, &name),
                        message,
                    }
                    .into(),
                );
            }
        }
    }
    if errors.is_empty()
        && let Err(error) = compiled.render(&Context::sample(purpose, language))
    {
        errors.push(error.into());
    }
    errors.finish(|| ())
}

/// The first line where `name` (or, failing that, its root) appears.
fn line_of(source: &str, name: &str) -> Option<usize> {
    let root = name.split('.').next().unwrap_or(name);
    let at = find_word(source, name).or_else(|| find_word(source, root))?;
    Some(source[..at].matches('\n').count() + 1)
}

/// The byte offset of `word` where it is not part of a longer identifier.
fn find_word(source: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    source.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = source[..i].chars().next_back();
        let after = source[i + word.len()..].chars().next();
        !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident)
    })
}

/// The asset ids an HTML part embeds inline (`src="cid:{uuid}"`), in order
/// of first use; an error at `html` if a `cid:` reference is not a UUID.
pub fn cid_references(html: &str) -> Result<Vec<Uuid>, TemplateError> {
    let mut ids = Vec::new();
    for (at, _) in html.match_indices("cid:") {
        let rest = &html[at + 4..];
        let end = rest
            .find(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
            .unwrap_or(rest.len());
        match Uuid::try_parse(&rest[..end]) {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => {
                return Err(TemplateError {
                    field: "html",
                    code: "invalid_cid",
                    line: Some(html[..at].matches('\n').count() + 1),
                    message: "`cid:` must be followed by the id of an uploaded asset.".to_owned(),
                });
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(body: &str) -> Content {
        Content::Sms {
            body: body.to_owned(),
            strip_diacritics: false,
        }
    }

    fn errors(purpose: Purpose, content: &Content) -> Vec<(String, &'static str, String)> {
        validate(purpose, Language::En, content)
            .err()
            .map(|e| {
                e.into_iter()
                    .map(|e| (e.field, e.code, e.message))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let found = errors(Purpose::Reminder, &sms("Hello\n{{ guest.full_name }\nBye"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "body");
        assert_eq!(found[0].1, "template_syntax");
        assert!(found[0].2.starts_with("Line 2: "), "{}", found[0].2);
    }

    #[test]
    fn unknown_variables_name_the_line() {
        let content = Content::Email {
            subject: "Hi".to_owned(),
            html: "<p>\n{% if extra.voucher_code %}\n{{ guest.fullname }}{% endif %}</p>"
                .to_owned(),
            text: "{{ ticket }}".to_owned(),
        };
        let found = errors(Purpose::TicketReply, &content);
        let summary: Vec<(&str, &str)> = found.iter().map(|(f, c, _)| (f.as_str(), *c)).collect();
        assert_eq!(
            summary,
            [
                ("html", "unknown_variable"),
                ("html", "unknown_variable"),
                ("text", "unknown_variable"),
            ]
        );
        assert!(
            found[0]
                .2
                .starts_with("Line 2: Unknown variable `extra.voucher_code`")
        );
        assert!(
            found[1]
                .2
                .starts_with("Line 3: Unknown variable `guest.fullname`")
        );
        assert!(found[2].2.starts_with("Line 1: Unknown variable `ticket`"));
    }

    #[test]
    fn loops_sets_and_filters_are_fine() {
        let body = "{% set n = extra.nights %}{% for i in range(n) %}{{ loop.index }}{% endfor %}\
                    {{ extra.total | money(extra.currency) }} {{ language }}";
        assert_eq!(errors(Purpose::BookingConfirmation, &sms(body)), []);
    }

    #[test]
    fn unknown_filters_and_empty_parts_are_rejected() {
        let found = errors(Purpose::Reminder, &sms("{{ guest.full_name | shout }}"));
        assert_eq!(found[0].1, "render_failed");
        let found = errors(Purpose::Reminder, &sms("  "));
        assert_eq!(found[0].1, "invalid_length");
    }

    #[test]
    fn cid_references_are_asset_ids() {
        let id = Uuid::now_v7();
        let html = format!("<img src=\"cid:{id}\"><img src='cid:{id}'>");
        assert_eq!(cid_references(&html).unwrap(), [id]);
        let error = cid_references("<p>\n<img src=\"cid:logo\">").unwrap_err();
        assert_eq!((error.code, error.line), ("invalid_cid", Some(2)));
    }
}
