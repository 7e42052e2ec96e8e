//! Reading a filter from JSON, reporting every bad value with its path
//! (`and[1].age.min`).

use serde_json::{Map, Value};

use super::{Filter, MAX_DEPTH, MAX_NODES};
use crate::{FieldError, ValidationErrors, guest::parse_date};

/// Every condition name, for error messages.
const CONDITIONS: &str = "and, or, not, nationality, domestic, language, tier, tags, age, \
     birthday_month, stays, last_stay, total_spend, spend_percentile, guests, consent";

impl Filter {
    /// Parses a filter such as
    /// `{"and": [{"nationality": ["TW"]}, {"stays": {"min": 2}},
    /// {"consent": {"channel": "email", "purpose": "marketing"}}]}`.
    ///
    /// Errors carry paths relative to the filter (`and[0].nationality[1]`).
    pub fn parse(value: &Value) -> Result<Filter, ValidationErrors> {
        let mut parser = Parser {
            errors: ValidationErrors::new(),
            nodes: 0,
        };
        let filter = parser.node(value, "", 0);
        match filter {
            Some(filter) if parser.errors.is_empty() => Ok(filter),
            _ => Err(parser.errors),
        }
    }
}

struct Parser {
    errors: ValidationErrors,
    nodes: usize,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn error(code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(code, message)
}

impl Parser {
    fn fail<T>(&mut self, path: &str, error: FieldError) -> Option<T> {
        self.errors.push(if path.is_empty() {
            error
        } else {
            error.at(path)
        });
        None
    }

    fn node(&mut self, value: &Value, path: &str, depth: usize) -> Option<Filter> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return self.fail(
                path,
                error(
                    "too_large",
                    format!("A filter has at most {MAX_NODES} conditions."),
                ),
            );
        }
        if depth > MAX_DEPTH {
            return self.fail(
                path,
                error("too_deep", format!("Nest at most {MAX_DEPTH} levels.")),
            );
        }
        let Some((key, inner)) = value.as_object().and_then(single) else {
            return self.fail(
                path,
                error(
                    "invalid_condition",
                    format!("Use an object with exactly one of: {CONDITIONS}."),
                ),
            );
        };
        let at = join(path, key);
        let at = at.as_str();
        match key {
            "and" | "or" => {
                let items = self.array(inner, at)?;
                let parsed: Vec<Option<Filter>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.node(item, &format!("{at}[{i}]"), depth + 1))
                    .collect();
                let parsed: Option<Vec<Filter>> = parsed.into_iter().collect();
                let parsed = parsed?;
                Some(if key == "and" {
                    Filter::And(parsed)
                } else {
                    Filter::Or(parsed)
                })
            }
            "not" => Some(Filter::Not(Box::new(self.node(inner, at, depth + 1)?))),
            "nationality" => Some(Filter::Nationality(self.list(inner, at, |s| s.parse())?)),
            "domestic" => match inner {
                Value::Bool(b) => Some(Filter::Domestic(*b)),
                _ => self.fail(at, error("invalid_type", "Use true or false.")),
            },
            "language" => Some(Filter::Language(self.list(inner, at, |s| s.parse())?)),
            "tier" => Some(Filter::Tier(self.list(inner, at, |s| s.parse())?)),
            "tags" => self.tags(inner, at),
            "guests" => Some(Filter::Guests(self.list(inner, at, |s| {
                s.parse()
                    .map_err(|_| error("invalid_id", "Use guest ids (UUIDs)."))
            })?)),
            "age" => {
                let (min, max) = self.range(inner, at, 0, 150)?;
                Some(Filter::Age {
                    min: min.map(|n| n as u16),
                    max: max.map(|n| n as u16),
                })
            }
            "birthday_month" => {
                let months = self.list(inner, at, |s| {
                    s.parse::<u8>()
                        .ok()
                        .filter(|m| (1..=12).contains(m))
                        .ok_or_else(|| error("invalid_month", "Months are 1–12."))
                })?;
                Some(Filter::BirthdayMonth(months))
            }
            "stays" => {
                let (min, max) = self.range(inner, at, 0, 1_000_000)?;
                Some(Filter::Stays { min, max })
            }
            "last_stay" => self.last_stay(inner, at),
            "total_spend" => self.total_spend(inner, at),
            "spend_percentile" => self.percentile(inner, at),
            "consent" => {
                let fields = self.object(inner, at, &["channel", "purpose"])?;
                let channel = self.text_field(fields, at, "channel", true)?;
                let purpose = self.text_field(fields, at, "purpose", true)?;
                let channel = self.check(&join(at, "channel"), channel?.parse());
                let purpose = self.check(&join(at, "purpose"), purpose?.parse());
                Some(Filter::Consent {
                    channel: channel?,
                    purpose: purpose?,
                })
            }
            _ => self.fail(
                at,
                error(
                    "unknown_condition",
                    format!("Unknown condition; use one of: {CONDITIONS}."),
                ),
            ),
        }
    }

    fn check<T>(&mut self, path: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => self.fail(path, e),
        }
    }

    fn array<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Vec<Value>> {
        match value {
            Value::Array(items) => Some(items),
            _ => self.fail(path, error("invalid_type", "Use an array.")),
        }
    }

    /// A non-empty array of strings (or numbers) each parsed by `parse`.
    fn list<T>(
        &mut self,
        value: &Value,
        path: &str,
        parse: impl Fn(&str) -> Result<T, FieldError>,
    ) -> Option<Vec<T>> {
        let items = self.array(value, path)?;
        if items.is_empty() {
            return self.fail(path, error("empty", "List at least one value."));
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let text = match item {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            match parse(&text) {
                Ok(v) => out.push(v),
                Err(e) => {
                    ok = false;
                    self.errors.push(e.at(format!("{path}[{i}]")));
                }
            }
        }
        ok.then_some(out)
    }

    /// An object with only `allowed` keys.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(fields) = value else {
            return self.fail(
                path,
                error(
                    "invalid_type",
                    format!("Use an object with {}.", allowed.join(", ")),
                ),
            );
        };
        let mut ok = true;
        for key in fields.keys() {
            if !allowed.contains(&key.as_str()) {
                ok = false;
                let message = format!("Unknown field; use {}.", allowed.join(", "));
                self.errors
                    .push(error("unknown_field", message).at(join(path, key)));
            }
        }
        ok.then_some(fields)
    }

    /// A string field: `Some(None)` when absent and optional.
    fn text_field<'v>(
        &mut self,
        fields: &'v Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<Option<&'v str>> {
        match fields.get(key) {
            Some(Value::String(s)) => Some(Some(s)),
            None | Some(Value::Null) if !required => Some(None),
            None | Some(Value::Null) => self.fail(
                &join(path, key),
                error("required", "This field is required."),
            ),
            Some(_) => self.fail(&join(path, key), error("invalid_type", "Use a string.")),
        }
    }

    /// An integer field within `lo..=hi`, absent allowed.
    fn int_field(
        &mut self,
        fields: &Map<String, Value>,
        path: &str,
        key: &str,
        lo: i64,
        hi: i64,
    ) -> Option<Option<i64>> {
        match fields.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(value) => match value.as_i64().filter(|n| (lo..=hi).contains(n)) {
                Some(n) => Some(Some(n)),
                None => self.fail(
                    &join(path, key),
                    error(
                        "out_of_range",
                        format!("Use a whole number from {lo} to {hi}."),
                    ),
                ),
            },
        }
    }

    /// `{"min": n, "max": m}` with at least one bound and min ≤ max.
    fn range(
        &mut self,
        value: &Value,
        path: &str,
        lo: i64,
        hi: i64,
    ) -> Option<(Option<i64>, Option<i64>)> {
        let fields = self.object(value, path, &["min", "max"])?;
        let min = self.int_field(fields, path, "min", lo, hi);
        let max = self.int_field(fields, path, "max", lo, hi);
        let (min, max) = (min?, max?);
        self.bounds(path, min, max)
    }

    fn bounds<T: PartialOrd + Copy>(
        &mut self,
        path: &str,
        min: Option<T>,
        max: Option<T>,
    ) -> Option<(Option<T>, Option<T>)> {
        match (min, max) {
            (None, None) => self.fail(path, error("empty", "Give `min`, `max` or both.")),
            (Some(a), Some(b)) if a > b => self.fail(
                &join(path, "max"),
                error("out_of_range", "`max` is below `min`."),
            ),
            bounds => Some(bounds),
        }
    }

    fn tags(&mut self, value: &Value, path: &str) -> Option<Filter> {
        let fields = self.object(value, path, &["any", "all"])?;
        let tag = |s: &str| crate::bounded_text(s, 1, 50);
        match (fields.get("any"), fields.get("all")) {
            (Some(any), None) => Some(Filter::TagsAny(self.list(any, &join(path, "any"), tag)?)),
            (None, Some(all)) => Some(Filter::TagsAll(self.list(all, &join(path, "all"), tag)?)),
            _ => self.fail(
                path,
                error("invalid_condition", "Give exactly one of `any` or `all`."),
            ),
        }
    }

    fn last_stay(&mut self, value: &Value, path: &str) -> Option<Filter> {
        let fields = self.object(value, path, &["before", "after"])?;
        let before = self.date_field(fields, path, "before");
        let after = self.date_field(fields, path, "after");
        let (after, before) = self.bounds(path, after?, before?)?;
        Some(Filter::LastStay { before, after })
    }

    fn date_field(
        &mut self,
        fields: &Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<Option<chrono::NaiveDate>> {
        let text = self.text_field(fields, path, key, false)?;
        match text {
            None => Some(None),
            Some(text) => self.check(&join(path, key), parse_date(text)).map(Some),
        }
    }

    fn currency(&mut self, fields: &Map<String, Value>, path: &str) -> Option<String> {
        let text = self.text_field(fields, path, "currency", true)??;
        let code = text.trim().to_ascii_uppercase();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Some(code)
        } else {
            self.fail(
                &join(path, "currency"),
                error("invalid_currency", "Use a three-letter code such as VND."),
            )
        }
    }

    fn total_spend(&mut self, value: &Value, path: &str) -> Option<Filter> {
        let fields = self.object(value, path, &["currency", "min", "max"])?;
        let currency = self.currency(fields, path);
        let min = self.int_field(fields, path, "min", 0, i64::MAX);
        let max = self.int_field(fields, path, "max", 0, i64::MAX);
        let (currency, min, max) = (currency?, min?, max?);
        let (min, max) = self.bounds(path, min, max)?;
        Some(Filter::TotalSpend { currency, min, max })
    }

    fn percentile(&mut self, value: &Value, path: &str) -> Option<Filter> {
        let fields = self.object(value, path, &["currency", "top"])?;
        let currency = self.currency(fields, path);
        let percent = match fields.get("top").and_then(Value::as_f64) {
            Some(p) if p > 0.0 && p <= 100.0 => Some(p),
            _ => self.fail(
                &join(path, "top"),
                error(
                    "out_of_range",
                    "Use a percentage above 0 and at most 100, e.g. 5.",
                ),
            ),
        };
        Some(Filter::SpendPercentile {
            currency: currency?,
            percent: percent?,
        })
    }
}

/// The only entry of a one-key object.
fn single(object: &Map<String, Value>) -> Option<(&str, &Value)> {
    let mut entries = object.iter();
    let (key, value) = entries.next()?;
    entries.next().is_none().then_some((key.as_str(), value))
}
