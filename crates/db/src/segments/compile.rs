//! A segment filter compiled to one SQL query with bound parameters.
//!
//! The query selects `g.id` from the tenant's live guests (`$1` is always
//! the tenant id). Stay counts, last stays and spend totals come from
//! aggregate CTEs over `stays`, joined only when a condition needs them, so
//! Postgres evaluates the whole filter in one plan: nothing is evaluated
//! row by row in Rust. Every leaf condition is made two-valued with
//! `coalesce(…, false)`, so `not` behaves as people expect for guests with
//! a blank field (`not tier vip` includes guests without a tier).

use chrono::{Months, NaiveDate};
use guestcare_domain::segment::Filter;
use uuid::Uuid;

/// The effective language of guest `g` in SQL: chosen, else from
/// nationality (must follow `Language::default_for_nationality`).
pub const EFFECTIVE_LANGUAGE: &str = "coalesce(g.language, CASE WHEN g.nationality = 'VN' THEN 'vi' \
     WHEN g.nationality = 'TW' THEN 'zh-Hant' WHEN g.nationality IS NOT NULL THEN 'en' END)";

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Uuid(Uuid),
    Text(String),
    Texts(Vec<String>),
    Ints(Vec<i32>),
    Uuids(Vec<Uuid>),
    BigInt(i64),
    Float(f64),
    Date(NaiveDate),
}

/// SQL text whose `$n` placeholders are `binds[n - 1]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub sql: String,
    pub binds: Vec<Bind>,
}

/// Compiles `filter` for the tenant; ages are counted at `today`.
pub fn compile(tenant_id: Uuid, filter: &Filter, today: NaiveDate) -> Compiled {
    let mut c = Compiler {
        binds: vec![Bind::Uuid(tenant_id)],
        currencies: filter
            .spend_currencies()
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        today,
    };
    let predicate = c.predicate(filter);
    let mut ctes = Vec::new();
    let mut joins = String::new();
    if filter.uses_stays() {
        ctes.push(
            "stats AS (SELECT guest_id, count(*) AS stays, max(check_in) AS last_stay \
             FROM stays WHERE tenant_id = $1 GROUP BY guest_id)"
                .to_owned(),
        );
        joins.push_str(" LEFT JOIN stats ON stats.guest_id = g.id");
    }
    for (i, currency) in c.currencies.clone().iter().enumerate() {
        let p = c.bind(Bind::Text(currency.clone()));
        ctes.push(format!(
            "spend{i} AS (SELECT guest_id, sum(amount_minor) AS total, \
             cume_dist() OVER (ORDER BY sum(amount_minor) DESC) AS top \
             FROM stays WHERE tenant_id = $1 AND currency = {p} AND amount_minor IS NOT NULL \
             GROUP BY guest_id)"
        ));
        joins.push_str(&format!(" LEFT JOIN spend{i} ON spend{i}.guest_id = g.id"));
    }
    let with = if ctes.is_empty() {
        String::new()
    } else {
        format!("WITH {} ", ctes.join(", "))
    };
    Compiled {
        sql: format!(
            "{with}SELECT g.id FROM guests g{joins} WHERE g.tenant_id = $1 \
             AND g.merged_into IS NULL AND g.erased_at IS NULL AND {predicate}"
        ),
        binds: c.binds,
    }
}

struct Compiler {
    binds: Vec<Bind>,
    currencies: Vec<String>,
    today: NaiveDate,
}

impl Compiler {
    /// Adds a parameter; its placeholder.
    fn bind(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    fn spend(&self, currency: &str) -> String {
        let index = self
            .currencies
            .iter()
            .position(|c| c == currency)
            .unwrap_or(0);
        format!("spend{index}")
    }

    fn predicate(&mut self, filter: &Filter) -> String {
        let leaf = |sql: String| format!("coalesce(({sql}), false)");
        match filter {
            Filter::And(items) | Filter::Or(items) if items.is_empty() => {
                (matches!(filter, Filter::And(_))).to_string()
            }
            Filter::And(items) => self.join(items, " AND "),
            Filter::Or(items) => self.join(items, " OR "),
            Filter::Not(inner) => format!("NOT {}", self.predicate(inner)),
            Filter::Nationality(countries) => {
                let codes = countries.iter().map(|c| c.as_str().to_owned()).collect();
                leaf(format!(
                    "g.nationality = ANY({})",
                    self.bind(Bind::Texts(codes))
                ))
            }
            Filter::Domestic(domestic) => {
                let op = if *domestic { "=" } else { "<>" };
                leaf(format!(
                    "g.nationality {op} (SELECT country FROM tenants WHERE id = $1)"
                ))
            }
            Filter::Language(languages) => {
                let tags = languages.iter().map(|l| l.as_str().to_owned()).collect();
                // The effective language: chosen, else from nationality
                // (Language::default_for_nationality).
                leaf(format!(
                    "{EFFECTIVE_LANGUAGE} = ANY({})",
                    self.bind(Bind::Texts(tags))
                ))
            }
            Filter::Tier(tiers) => {
                let names = tiers.iter().map(|t| t.as_str().to_owned()).collect();
                leaf(format!("g.tier = ANY({})", self.bind(Bind::Texts(names))))
            }
            Filter::TagsAny(tags) => leaf(format!(
                "g.tags && {}",
                self.bind(Bind::Texts(tags.clone()))
            )),
            Filter::TagsAll(tags) => leaf(format!(
                "g.tags @> {}",
                self.bind(Bind::Texts(tags.clone()))
            )),
            Filter::Age { min, max } => {
                let mut parts = Vec::new();
                if let Some(born_by) = min.and_then(|years| self.years_ago(u32::from(years))) {
                    parts.push(format!(
                        "g.birth_date <= {}",
                        self.bind(Bind::Date(born_by))
                    ));
                }
                if let Some(born_after) = max.and_then(|years| self.years_ago(u32::from(years) + 1))
                {
                    parts.push(format!(
                        "g.birth_date > {}",
                        self.bind(Bind::Date(born_after))
                    ));
                }
                leaf(format!("g.birth_date IS NOT NULL AND {}", and_all(parts)))
            }
            Filter::BirthdayMonth(months) => {
                let months = months.iter().map(|m| i32::from(*m)).collect();
                leaf(format!(
                    "extract(month FROM g.birth_date)::int = ANY({})",
                    self.bind(Bind::Ints(months))
                ))
            }
            Filter::Stays { min, max } => {
                let mut parts = Vec::new();
                if let Some(min) = min {
                    parts.push(format!(
                        "coalesce(stats.stays, 0) >= {}",
                        self.bind(Bind::BigInt(*min))
                    ));
                }
                if let Some(max) = max {
                    parts.push(format!(
                        "coalesce(stats.stays, 0) <= {}",
                        self.bind(Bind::BigInt(*max))
                    ));
                }
                leaf(and_all(parts))
            }
            Filter::LastStay { before, after } => {
                let mut parts = vec!["stats.last_stay IS NOT NULL".to_owned()];
                if let Some(before) = before {
                    parts.push(format!(
                        "stats.last_stay < {}",
                        self.bind(Bind::Date(*before))
                    ));
                }
                if let Some(after) = after {
                    parts.push(format!(
                        "stats.last_stay >= {}",
                        self.bind(Bind::Date(*after))
                    ));
                }
                leaf(and_all(parts))
            }
            Filter::TotalSpend { currency, min, max } => {
                let table = self.spend(currency);
                let mut parts = Vec::new();
                if let Some(min) = min {
                    parts.push(format!(
                        "coalesce({table}.total, 0) >= {}",
                        self.bind(Bind::BigInt(*min))
                    ));
                }
                if let Some(max) = max {
                    parts.push(format!(
                        "coalesce({table}.total, 0) <= {}",
                        self.bind(Bind::BigInt(*max))
                    ));
                }
                leaf(and_all(parts))
            }
            Filter::SpendPercentile { currency, percent } => {
                let table = self.spend(currency);
                leaf(format!(
                    "{table}.top <= {}",
                    self.bind(Bind::Float(percent / 100.0))
                ))
            }
            Filter::Guests(ids) => format!("g.id = ANY({})", self.bind(Bind::Uuids(ids.clone()))),
            Filter::Consent { channel, purpose } => {
                let channel = self.bind(Bind::Text(channel.as_str().to_owned()));
                let purpose = self.bind(Bind::Text(purpose.as_str().to_owned()));
                format!(
                    "EXISTS (SELECT 1 FROM consents c WHERE c.tenant_id = $1 AND c.guest_id = g.id \
                     AND c.channel = {channel} AND c.purpose = {purpose} AND c.status = 'granted')"
                )
            }
        }
    }

    fn join(&mut self, items: &[Filter], separator: &str) -> String {
        let parts: Vec<String> = items.iter().map(|i| self.predicate(i)).collect();
        format!("({})", parts.join(separator))
    }

    /// `today` minus `years` (29 February → 28 February).
    fn years_ago(&self, years: u32) -> Option<NaiveDate> {
        self.today
            .checked_sub_months(Months::new(years.checked_mul(12)?))
    }
}

fn and_all(parts: Vec<String>) -> String {
    if parts.is_empty() {
        "true".to_owned()
    } else {
        parts.join(" AND ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn compiled(filter: serde_json::Value) -> Compiled {
        let filter = Filter::parse(&filter).unwrap();
        compile(
            Uuid::nil(),
            &filter,
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        )
    }

    #[test]
    fn values_are_bound_never_spliced() {
        let c = compiled(
            json!({"or": [{"tags": {"any": ["x'; DROP TABLE guests; --"]}}, {"tier": ["vip"]}]}),
        );
        assert!(!c.sql.contains("DROP"));
        assert_eq!(c.binds.len(), 3);
        assert!(c.sql.contains("g.tags && $2"));
        assert!(!c.sql.contains("WITH"), "no stay statistics needed");
    }

    #[test]
    fn ages_become_birth_date_bounds() {
        let c = compiled(json!({"age": {"min": 30, "max": 39}}));
        assert_eq!(
            c.binds[1..],
            [
                Bind::Date(NaiveDate::from_ymd_opt(1996, 12, 3).unwrap()),
                Bind::Date(NaiveDate::from_ymd_opt(1986, 12, 3).unwrap()),
            ]
        );
    }

    #[test]
    fn stay_and_spend_conditions_join_their_aggregates_once() {
        let c = compiled(json!({"and": [
            {"stays": {"min": 2}},
            {"last_stay": {"after": "2026-01-01"}},
            {"total_spend": {"currency": "VND", "min": 1000}},
            {"spend_percentile": {"currency": "VND", "top": 10}},
            {"spend_percentile": {"currency": "USD", "top": 10}}
        ]}));
        assert_eq!(c.sql.matches("stats AS").count(), 1);
        assert_eq!(c.sql.matches("spend0 AS").count(), 1);
        assert_eq!(c.sql.matches("spend1 AS").count(), 1);
        assert!(c.sql.contains("spend1.top <= "));
    }
}
