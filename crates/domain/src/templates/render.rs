//! Compiling a template once and rendering it for each recipient.

use minijinja::{
    Environment,
    value::{Serde, Value},
};
use serde::Serialize;

use super::{
    Content, Context,
    environment::environment_for,
    sms::{self, Segments},
    validate::TemplateError,
};
use crate::{Language, text};

/// A template compiled once, to be rendered for many recipients: an
/// environment of the language holding the template's parts by field name.
#[derive(Debug, Clone)]
pub struct Compiled {
    env: Environment<'static>,
    fields: Vec<&'static str>,
    strip_diacritics: bool,
    language: Language,
}

/// A rendered e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedEmail {
    /// One line: white space collapsed.
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Email(RenderedEmail),
    Sms { body: String, segments: Segments },
}

impl Rendered {
    /// The SMS body, if this is an SMS.
    pub fn body(&self) -> Option<&str> {
        match self {
            Rendered::Sms { body, .. } => Some(body),
            Rendered::Email(_) => None,
        }
    }
}

/// Compiles every part of `content` for `language`.
pub fn compile(content: &Content, language: Language) -> Result<Compiled, TemplateError> {
    let mut env = environment_for(language).clone();
    let mut fields = Vec::with_capacity(3);
    for (field, source) in content.parts() {
        env.add_template_owned(field, source.to_owned())
            .map_err(|e| TemplateError::from_minijinja(field, &e))?;
        fields.push(field);
    }
    let strip_diacritics = matches!(
        content,
        Content::Sms {
            strip_diacritics: true,
            ..
        }
    );
    Ok(Compiled {
        env,
        fields,
        strip_diacritics,
        language,
    })
}

/// What templates see: the context plus `language`.
#[derive(Serialize)]
struct Scope<'a> {
    #[serde(flatten)]
    context: &'a Context,
    language: Language,
}

impl Compiled {
    /// Renders every part against `context`.
    pub fn render(&self, context: &Context) -> Result<Rendered, TemplateError> {
        let scope = Value::from(Serde(Scope {
            context,
            language: self.language,
        }));
        let mut out = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let text = self
                .env
                .get_template(field)
                .and_then(|template| template.render(&scope))
                .map_err(|e| TemplateError::from_minijinja(field, &e))?;
            out.push(text);
        }
        Ok(match <[String; 3]>::try_from(out) {
            Ok([subject, html, text]) => Rendered::Email(RenderedEmail {
                subject: text::clean(&subject),
                html,
                text,
            }),
            Err(mut parts) => {
                let body = parts.pop().unwrap_or_default();
                let body = if self.strip_diacritics {
                    sms::strip_diacritics(body.trim())
                } else {
                    body.trim().to_owned()
                };
                Rendered::Sms {
                    segments: sms::segments(&body),
                    body,
                }
            }
        })
    }
}

/// Compiles and renders `content` once.
pub fn render(
    content: &Content,
    language: Language,
    context: &Context,
) -> Result<Rendered, TemplateError> {
    compile(content, language)?.render(context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Purpose;

    fn email(html: &str) -> Content {
        Content::Email {
            subject: "Hi {{ guest.given_name }} & co\n".to_owned(),
            html: html.to_owned(),
            text: "{{ guest.full_name }} <{{ tenant.name }}>".to_owned(),
        }
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let mut context = Context::sample(Purpose::Reminder, Language::En);
        context.tenant.name = "A&B <Hotel>".to_owned();
        let rendered = render(&email("<p>{{ tenant.name }}</p>"), Language::En, &context).unwrap();
        let Rendered::Email(mail) = rendered else {
            panic!("email expected")
        };
        assert_eq!(mail.subject, "Hi Emily & co");
        assert_eq!(mail.html, "<p>A&amp;B &lt;Hotel&gt;</p>");
        assert_eq!(mail.text, "Emily Carter <A&B <Hotel>>");
    }

    #[test]
    fn urls_keep_their_slashes_and_quotes_are_escaped() {
        let mut context = Context::sample(Purpose::Reminder, Language::En);
        context.tenant.website = "https://x.example/a?b=1&c=\"2\"".to_owned();
        let Rendered::Email(mail) = render(
            &email("<a href=\"{{ tenant.website }}\">{{ extra.nights }}</a>"),
            Language::En,
            &context,
        )
        .unwrap() else {
            panic!("email expected")
        };
        assert_eq!(
            mail.html,
            "<a href=\"https://x.example/a?b=1&amp;c=&#34;2&#34;\"></a>"
        );
    }

    #[test]
    fn formatted_dates_are_not_escaped_in_html() {
        let context = Context::sample(Purpose::Reminder, Language::Vi);
        let Rendered::Email(mail) = render(
            &email("<p>{{ extra.check_in | date }}</p>"),
            Language::Vi,
            &context,
        )
        .unwrap() else {
            panic!("email expected")
        };
        assert_eq!(mail.html, "<p>28/12/2026</p>");
    }

    #[test]
    fn filters_follow_the_language() {
        let content = Content::Sms {
            body: "{{ extra.check_in | date }} {{ extra.total | money(extra.currency) }}"
                .to_owned(),
            strip_diacritics: false,
        };
        let context = Context::sample(Purpose::BookingConfirmation, Language::Vi);
        let body = |language| {
            render(&content, language, &context)
                .unwrap()
                .body()
                .unwrap()
                .to_owned()
        };
        assert_eq!(body(Language::Vi), "28/12/2026 4.500.000 ₫");
        assert_eq!(body(Language::En), "28 December 2026 ₫4,500,000");
        assert_eq!(body(Language::ZhHant), "2026年12月28日 ₫4,500,000");
    }

    #[test]
    fn missing_values_render_empty_and_runaway_loops_stop() {
        let context = Context::sample(Purpose::StaffDigest, Language::En);
        let content = Content::Sms {
            body: "[{{ guest.full_name }}{{ extra.nothing | date }}]".to_owned(),
            strip_diacritics: false,
        };
        assert_eq!(
            render(&content, Language::En, &context).unwrap().body(),
            Some("[]")
        );
        let endless = Content::Sms {
            body: "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}"
                .to_owned(),
            strip_diacritics: false,
        };
        assert!(render(&endless, Language::En, &context).is_err());
    }

    #[test]
    fn sms_strips_diacritics_on_request() {
        let context = Context::sample(Purpose::Birthday, Language::Vi);
        let content = Content::Sms {
            body: "Chúc mừng sinh nhật {{ guest.given_name }}!".to_owned(),
            strip_diacritics: true,
        };
        let Rendered::Sms { body, segments } = render(&content, Language::Vi, &context).unwrap()
        else {
            panic!("sms expected")
        };
        assert_eq!(body, "Chuc mung sinh nhat An!");
        assert_eq!(segments.encoding, sms::Encoding::Gsm7);
    }
}
