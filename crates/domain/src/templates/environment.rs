//! The minijinja environments: one per language, whose `date` and `money`
//! filters write that language's formats; HTML auto-escaping for the `html`
//! part only (escaping like MarkupSafe); missing values rendering as empty;
//! and a fuel limit so a tenant's template cannot loop for ever.

use std::sync::LazyLock;

use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};

use super::format::{format_date, format_money};
use crate::Language;

/// Instructions one part may execute; generous for any real message.
const FUEL: u64 = 2_000_000;

static ENVIRONMENTS: LazyLock<[Environment<'static>; 3]> =
    LazyLock::new(|| Language::ALL.map(environment));

fn environment(language: Language) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(|name| match name {
        "html" => AutoEscape::Html,
        _ => AutoEscape::None,
    });
    env.set_formatter(|out, state, value| {
        let plain = !value.is_safe() && !value.is_undefined() && !value.is_none();
        if matches!(state.auto_escape(), AutoEscape::Html) && plain {
            out.write_str(&escape_html(&value.to_string()))
                .map_err(|_| Error::from(ErrorKind::WriteFailure))
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    // Both filters write only digits, separators, month names and currency
    // symbols, so their output is marked safe: no `&#x2f;` in HTML dates.
    env.add_filter("date", move |value: Value| -> Result<Value, Error> {
        if value.is_undefined() || value.is_none() {
            return Ok(Value::from(""));
        }
        let text = value.to_string();
        format_date(&text, language)
            .map(Value::from_safe_string)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    "the date filter needs a YYYY-MM-DD value",
                )
            })
    });
    env.add_filter(
        "money",
        move |value: Value, currency: Option<String>| -> Result<Value, Error> {
            if value.is_undefined() || value.is_none() {
                return Ok(Value::from(""));
            }
            let currency = currency.unwrap_or_else(|| "VND".to_owned());
            if !(currency.len() == 3 && currency.chars().all(|c| c.is_ascii_alphabetic())) {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    "the money filter needs an ISO 4217 currency code such as VND",
                ));
            }
            let amount = f64::try_from(value.clone())
                .ok()
                .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidOperation,
                        "the money filter needs a number",
                    )
                })?;
            Ok(Value::from_safe_string(format_money(
                amount, &currency, language,
            )))
        },
    );
    env
}

/// HTML-escapes `&`, `<`, `>`, `"` and `'` (like Jinja2's MarkupSafe), which
/// is enough for text and quoted attributes; unlike minijinja's default it
/// leaves `/` alone, so URLs in `href` stay readable.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The shared environment of `language`.
pub(super) fn environment_for(language: Language) -> &'static Environment<'static> {
    let index = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or_default();
    &ENVIRONMENTS[index]
}
