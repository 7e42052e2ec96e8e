//! The page frame and safe HTML building.

use actix_web::{HttpResponse, http::StatusCode};
use guestcare_domain::Language;

/// A text in each language guests are written to.
#[derive(Debug, Clone, Copy)]
pub struct Localized {
    pub vi: &'static str,
    pub en: &'static str,
    pub zh_hant: &'static str,
}

impl Localized {
    pub fn get(&self, language: Language) -> &'static str {
        match language {
            Language::Vi => self.vi,
            Language::En => self.en,
            Language::ZhHant => self.zh_hant,
        }
    }
}

/// HTML that is safe to emit: built only from escaped text and literal
/// markup written in this crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markup(String);

impl Markup {
    /// Literal markup from the program (never from user input).
    pub fn trusted(html: impl Into<String>) -> Markup {
        Markup(html.into())
    }

    /// Text, escaped.
    pub fn text(text: &str) -> Markup {
        Markup(escape(text))
    }

    /// Appends more markup.
    #[must_use]
    pub fn and(mut self, more: Markup) -> Markup {
        self.0.push_str(&more.0);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

const STYLE: &str = "body{margin:0;font:17px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans TC',sans-serif;\
color:#1d2733;background:#f4f6f8}main{max-width:38rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}\
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0 1rem}p{margin:.6rem 0}\
.card{background:#fff;border-radius:10px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}\
button,.button{display:inline-block;font:inherit;padding:.7rem 1.3rem;border:0;border-radius:8px;background:#0f5c6e;color:#fff;cursor:pointer}\
button:focus,a:focus,input:focus,textarea:focus{outline:3px solid #f2b705;outline-offset:2px}\
fieldset{border:1px solid #d5dbe1;border-radius:8px;margin:1rem 0;padding:.75rem 1rem}legend{font-weight:600;padding:0 .3rem}\
label{display:block;margin:.35rem 0}textarea{width:100%;min-height:6rem;font:inherit;box-sizing:border-box}\
.muted{color:#5b6776;font-size:.9rem}.error{color:#a4161a;font-weight:600}";

/// Marks a response as a guest page, so that an error page (404) reaches
/// the guest as HTML instead of being turned into a problem document.
#[derive(Debug, Clone, Copy)]
pub struct GuestPage;

/// A complete page in `language`: `title` as the heading, `body` inside a card.
/// Headers forbid scripts, framing and referrers, and keep the page out of
/// caches and search engines.
pub fn page(status: StatusCode, language: Language, title: &str, body: Markup) -> HttpResponse {
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title><style>{STYLE}</style></head>\
         <body><main><h1>{title}</h1><div class=\"card\">{body}</div></main></body></html>",
        lang = language.as_str(),
        title = escape(title),
        body = body.as_str(),
    );
    let mut response = HttpResponse::build(status);
    response.extensions_mut().insert(GuestPage);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Robots-Tag", "noindex"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_markup_is_not() {
        let markup = Markup::trusted("<p>")
            .and(Markup::text("<script>alert('x')</script> & Đà Lạt"))
            .and(Markup::trusted("</p>"));
        assert_eq!(
            markup.as_str(),
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Đà Lạt</p>"
        );
    }

    #[test]
    fn localized_texts_follow_the_language() {
        let thanks = Localized {
            vi: "Cảm ơn Quý khách",
            en: "Thank you",
            zh_hant: "謝謝您",
        };
        assert_eq!(thanks.get(Language::ZhHant), "謝謝您");
    }
}
